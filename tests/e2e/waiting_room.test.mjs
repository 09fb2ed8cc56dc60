// The waiting room in real Chromium, through the site's room page: a joiner knocks and waits on
// "Waiting for the host to let you in"; the host sees a knock card, a badge on People and the
// waiting list in the panel, admits one (who comes into the call) and denies another (who sees why);
// a knocker who closes the tab leaves the host's list. Screenshots at desktop and phone size, light and dark.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setUp, newPage, createRoom, openRoomPage, screenOf, eventually, screenshot } from './support.mjs';

const world = setUp({ chromium: { webrtc: true } });
const chrome = (page) => page.locator('#call-host');

// Through the room page to the pre-join screen, then Join Room.
async function arrive(code, name, { session, viewport, colorScheme } = {}) {
  const page = await newPage(world, { viewport, name, session, colorScheme });
  await openRoomPage(world, page, code, name);
  await page.waitForFunction(() => document.body.dataset.screen === 'prejoin', null, { timeout: 15000 });
  await page.getByRole('button', { name: 'Join Room' }).click();
  return page;
}

const waitingNames = (page) => page.evaluate(() => window.mehfilCall.waitingRoom().map((k) => k.display_name));

test('a knocker waits until the host admits them, a denied one sees why, and a closed tab leaves the list', async () => {
  const room = await createRoom(world, { hostName: 'Aisha', room_name: 'Study group', settings: { waiting_room: true } });
  const host = await arrive(room.code, 'Aisha', { session: room.host });
  await host.waitForFunction(() => window.mehfilCall?.state === 'in_room', null, { timeout: 45000 });  // the host never knocks

  const bela = await arrive(room.code, 'Bela', { viewport: { width: 390, height: 844 } });
  await eventually(async () => (await screenOf(bela)) === 'waiting_room', { what: 'Bela at the door' });
  assert.equal(await bela.evaluate(() => window.mehfilCall.state), 'knocking');
  await bela.getByRole('heading', { name: 'Waiting for the host to let you in' }).waitFor();
  await screenshot(bela, 'waiting-room-phone');
  const cyrus = await arrive(room.code, 'Cyrus', { colorScheme: 'dark' });
  await eventually(async () => (await screenOf(cyrus)) === 'waiting_room', { what: 'Cyrus at the door' });
  await screenshot(cyrus, 'waiting-room-desktop-dark');

  // The host: a card over the stage, a badge on People, the list in the panel.
  await eventually(async () => JSON.stringify(await waitingNames(host)) === JSON.stringify(['Bela', 'Cyrus']), { what: 'both in the host\'s queue' });
  const card = chrome(host).getByRole('region', { name: 'Waiting to join' });
  await card.getByText('2 people want to join').waitFor();
  assert.equal(await chrome(host).locator('.mf-control-users .mf-badge').textContent(), '2');
  await screenshot(host, 'knock-card-desktop');
  await chrome(host).getByRole('button', { name: 'Participants' }).click();
  await chrome(host).locator('.mf-waiting-section').getByText('Waiting · 2').waitFor();
  await screenshot(host, 'knock-panel-desktop');

  // Admit Bela: she comes into the call on her page.
  await card.getByRole('button', { name: 'Admit Bela' }).click();
  await bela.waitForFunction(() => window.mehfilCall.state === 'in_room', null, { timeout: 30000 });
  await eventually(async () => (await host.evaluate(() => window.mehfilCall.participants().map((p) => p.display_name))).includes('Bela'),
    { what: 'Bela in the host\'s call' });
  assert.equal(await bela.locator('#call-host').isVisible(), true, 'the call shows once let in');

  // Deny Cyrus: he sees why, and knocking again at once is refused.
  await chrome(host).locator('.mf-waiting-section').getByRole('button', { name: 'Deny Cyrus' }).click();
  await eventually(async () => (await screenOf(cyrus)) === 'knock_denied', { what: 'Cyrus turned away' });
  await cyrus.getByRole('heading', { name: 'The host didn’t let you in' }).waitFor();
  await screenshot(cyrus, 'knock-denied-desktop-dark');
  await eventually(async () => (await waitingNames(host)).length === 0, { what: 'the queue empty' });
  assert.equal(await chrome(host).getByRole('region', { name: 'Waiting to join' }).isHidden(), true);

  // Dana knocks and closes her tab: she leaves the host's list.
  const dana = await arrive(room.code, 'Dana');
  await eventually(async () => (await waitingNames(host)).includes('Dana'), { what: 'Dana in the queue' });
  await dana.context().close();
  await eventually(async () => !(await waitingNames(host)).includes('Dana'), { what: 'Dana gone from the queue' });

  // Turned on from Settings, it shows as on (the host's switch reflects the room).
  await chrome(host).getByRole('button', { name: 'Settings', exact: true }).click();
  assert.equal(await chrome(host).getByRole('switch', { name: /Waiting room/ }).isChecked(), true);
});
