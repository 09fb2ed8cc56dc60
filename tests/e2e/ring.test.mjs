// 1:1 calls between friends through the site's home page, in real Chromium with fake cameras: a
// video call rung from the friends list and accepted on the incoming-call card (both see each
// other's frames, in the layout engine's picture-in-picture), a declined ring, a ring cancelled
// while it rings, and a friend who is busy in another call. Screenshots: the incoming card, the
// caller's "Ringing…", the connected call at desktop and phone size, light and dark.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setUp, newPage, guestSession, rest, eventually, screenshot } from './support.mjs';

const world = setUp({ chromium: { webrtc: true } });

// A person on the home page with a session of their own.
async function person(name, { viewport, colorScheme } = {}) {
  const session = await guestSession(world, name);
  const page = await newPage(world, { name, viewport, colorScheme, session: { ...session, display_name: name } });
  page.on('console', (message) => { if (message.type() === 'error') console.error(`[${name}]`, message.text()); });
  await page.goto(`${world.server.url}/`);
  await page.waitForSelector('body[data-ready="true"]');
  return { name, page, session };
}

// Friends are made in a call (the server's rule): both go into a room on a socket of their own,
// ask and accept, and leave.
async function befriend(a, b) {
  const room = await rest(world, '/api/rooms/create', { room_name: 'Meet', max_participants: 4 }, a.session.token);
  const sockets = await Promise.all([a, b].map((who) => who.page.evaluateHandle(async ({ code, token }) => {
    const ws = new WebSocket(`ws://${location.host}/ws?token=${encodeURIComponent(token)}`);
    await new Promise((opened) => { ws.onopen = opened; });
    ws.send(JSON.stringify({ type: 'room:join', room_code: code }));
    await new Promise((joined) => { ws.onmessage = (e) => { if (JSON.parse(e.data).type === 'room:joined') joined(); }; });
    return ws;
  }, { code: room.room_code, token: who.session.token })));
  await rest(world, '/api/friends/request', { target_user_id: b.session.user_id }, a.session.token);
  await rest(world, '/api/friends/accept', { target_user_id: a.session.user_id }, b.session.token);
  for (const ws of sockets) await ws.evaluate((socket) => socket.close());
}

async function openFriends(page) {
  await page.getByRole('button', { name: 'Your Rooms' }).click();
  await page.getByRole('tab', { name: /Friends/ }).click();
}

// Rings `callee` from `caller`'s friends list.
async function ring(caller, callee, { video }) {
  await openFriends(caller.page);
  const row = caller.page.locator('#list-friends li').filter({ hasText: callee.name });
  await row.getByRole('button', { name: video ? 'Video call' : 'Call', exact: true }).click();
}

const card = (page) => page.getByRole('alertdialog', { name: /Incoming (video|audio) call from/ });
const status = (page) => page.locator('.call-overlay [part="call-status"]');
const toasts = (page) => page.locator('.toasts .toast').allTextContents();

// The call's tiles on the page: how many, how many play, and the layout engine's PiP tile.
const callTiles = (page) => page.evaluate(() => {
  const root = document.querySelector('.call-overlay')?.shadowRoot;
  const tiles = root ? [...root.querySelectorAll('.tile:not(.tile-leaving)')] : [];
  return {
    tiles: tiles.length,
    playing: tiles.filter((t) => t.querySelector('video')?.videoWidth > 0).length,
    pip: tiles.filter((t) => t.classList.contains('tile-pip')).map((t) => t.dataset.local),
  };
});

const bothPlay = (pages) => eventually(async () => {
  for (const page of pages) {
    const seen = await callTiles(page);
    if (seen.tiles !== 2 || seen.playing !== 2 || seen.pip.length !== 1 || seen.pip[0] !== 'true') return false;
  }
  return true;
}, { timeout: 60000, what: 'both pages playing two tiles, their own in the corner' });

test('A video call rung from the friends list rings the friend, who accepts; both see each other with their own video in the corner, and hanging up ends it for both', async () => {
  const ana = await person('Ana');
  const ben = await person('Ben');
  await befriend(ana, ben);
  await ring(ana, ben, { video: true });
  await card(ben.page).waitFor({ timeout: 15000 });
  assert.match(await card(ben.page).textContent(), /Ana.*Incoming video call/);
  await eventually(async () => /Ringing…/.test(await status(ana.page).textContent()), { what: 'Ringing… on the caller' });
  await screenshot(ben.page, 'ring-incoming-desktop');
  await screenshot(ana.page, 'ring-calling-desktop');

  await card(ben.page).getByRole('button', { name: 'Accept', exact: true }).click();
  await card(ben.page).waitFor({ state: 'detached' });
  await bothPlay([ana.page, ben.page]);
  assert.match(await status(ana.page).textContent(), /Ben · 00:0\d/);
  await screenshot(ana.page, 'ring-connected-video-desktop');

  // Ben hangs up: Ana's call ends too, with a toast, and her page is the home page again.
  await ben.page.locator('.call-overlay').getByRole('button', { name: 'Leave', exact: true }).first().click();
  await eventually(async () => (await toasts(ana.page)).includes('The call ended.'), { what: 'the hang-up toast' });
  await ana.page.locator('.call-overlay').waitFor({ state: 'detached', timeout: 10000 });
  await ana.page.context().close();
  await ben.page.context().close();
});

test('A declined ring tells the caller, and a ring cancelled while it rings takes the card away', async () => {
  const ana = await person('Ana');
  const ben = await person('Ben');
  await befriend(ana, ben);
  await ring(ana, ben, { video: false });
  await card(ben.page).waitFor({ timeout: 15000 });
  assert.match(await card(ben.page).textContent(), /Incoming audio call/);
  await card(ben.page).getByRole('button', { name: 'Decline', exact: true }).click();
  await eventually(async () => (await toasts(ana.page)).includes('Ben declined the call.'), { what: 'the declined toast' });
  await ana.page.locator('.call-overlay').waitFor({ state: 'detached', timeout: 10000 });

  await ring(ana, ben, { video: true });
  await card(ben.page).waitFor({ timeout: 15000 });
  await eventually(async () => /Ringing…/.test(await status(ana.page).textContent()), { what: 'Ringing…' });
  await status(ana.page).getByRole('button', { name: 'Cancel' }).click();
  await card(ben.page).waitFor({ state: 'detached', timeout: 10000 });
  await eventually(async () => (await toasts(ana.page)).includes('The call was cancelled.'), { what: 'the cancelled toast' });
  await ana.page.context().close();
  await ben.page.context().close();
});

test('Ringing a friend who is in another call says they are busy', async () => {
  const ana = await person('Ana');
  const ben = await person('Ben');
  const cy = await person('Cy');
  await befriend(ana, ben);
  await befriend(cy, ben);
  await ring(cy, ben, { video: false });
  await card(ben.page).getByRole('button', { name: 'Accept', exact: true }).click();
  await eventually(async () => /Ben · /.test(await status(cy.page).textContent()), { what: 'Cy and Ben connected' });
  await ring(ana, ben, { video: false });
  await eventually(async () => (await toasts(ana.page)).includes('Ben is in another call.'), { what: 'the busy toast' });
  for (const who of [ana, ben, cy]) await who.page.context().close();
});

test('The call at phone size, in the dark theme', async () => {
  const ana = await person('Ana', { viewport: { width: 390, height: 844 }, colorScheme: 'dark' });
  const ben = await person('Ben', { viewport: { width: 390, height: 844 }, colorScheme: 'dark' });
  await befriend(ana, ben);
  await ring(ana, ben, { video: true });
  await card(ben.page).waitFor({ timeout: 15000 });
  await screenshot(ben.page, 'ring-incoming-phone-dark');
  await screenshot(ana.page, 'ring-calling-phone-dark');
  await card(ben.page).getByRole('button', { name: 'Accept', exact: true }).click();
  await bothPlay([ana.page, ben.page]);
  await screenshot(ben.page, 'ring-connected-video-phone-dark');
  await ana.page.context().close();
  await ben.page.context().close();
});
