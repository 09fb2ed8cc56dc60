// Raise hand, reactions and Mute all in real Chromium, three people in a call: a hand raised with
// the button and with the H key shows on the card and heads the participants panel in the order
// raised, the host lowers one; a reaction floats over the sender's tile on the others' pages; the
// host mutes everyone at once. Screenshots at desktop and phone size, light and dark.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setUp, createRoom, eventually, screenshot } from './support.mjs';
import { openCall, join } from './call_support.mjs';

let room;
const world = setUp({ chromium: { webrtc: true }, prepare: async () => { room = await createRoom(world, { hostName: 'Host' }); } });

const card = (page, name) => page.locator('.mf-card').filter({ has: page.locator('.mf-card-name', { hasText: new RegExp(`^${name}$`) }) });
const handsInPanel = (page) => page.locator('.mf-people-hands .mf-person-name').allTextContents();

test('hands go up in order and the host lowers one, a reaction reaches the others, Mute all mutes everyone but the host', async () => {
  const host = await openCall(world, { room: room.code, name: 'Host', token: room.hostToken });
  const bela = await openCall(world, { room: room.code, name: 'Bela', colorScheme: 'dark' });
  const cyrus = await openCall(world, { room: room.code, name: 'Cyrus', viewport: { width: 390, height: 844 } });
  for (const page of [host, bela, cyrus]) assert.equal(await join(page), 'in_room');
  await eventually(async () => (await host.locator('.mf-card').count()) === 3, { what: 'three cards on the host\'s page' });

  // Cyrus raises his hand with the button, then Bela with the H key.
  const handButton = cyrus.getByRole('button', { name: 'Raise hand (H)' });
  assert.equal(await handButton.getAttribute('aria-pressed'), 'false');
  await handButton.click();
  await eventually(() => cyrus.evaluate(() => window.call.self().hand_raised_at !== null), { what: 'Cyrus\'s own hand to be up' });
  assert.equal(await handButton.getAttribute('aria-pressed'), 'true');
  await bela.locator('body').press('h');
  await eventually(async () => (await card(host, 'Bela').getAttribute('aria-label')).includes('hand raised'), { what: 'Bela\'s hand on her card' });
  assert.equal(await card(host, 'Cyrus').locator('.mf-card-hand').isVisible(), true);
  await eventually(async () => (await host.locator('.mf-toast').allTextContents()).some((t) => t.includes('Bela raised their hand')),
    { what: 'the raised-hand toast' });
  // An h typed in the chat is a letter, not a hand.
  await host.getByRole('button', { name: 'Open the chat' }).click();
  await host.getByRole('textbox', { name: 'Message' }).press('h');
  await new Promise((done) => setTimeout(done, 800));  // a raised hand would be back from the server by now
  assert.equal(await host.evaluate(() => window.call.self().hand_raised_at), null, 'typing h raised no hand');
  assert.equal(await host.getByRole('textbox', { name: 'Message' }).inputValue(), 'h');
  await host.getByRole('button', { name: 'Close the chat' }).click();
  // Nor is an h typed on the whiteboard (its text tool reads keys on its canvas).
  await host.getByRole('button', { name: 'Open the whiteboard' }).click();
  const canvas = host.locator('.tile canvas').first();
  await canvas.waitFor({ timeout: 20000 });
  await canvas.click({ position: { x: 40, y: 40 } });
  await host.keyboard.press('h');
  await new Promise((done) => setTimeout(done, 800));
  assert.equal(await host.evaluate(() => window.call.self().hand_raised_at), null, 'an h on the whiteboard raised no hand');
  await host.getByRole('button', { name: 'Close the whiteboard' }).click();

  // The participants panel lists raised hands first, in the order they went up.
  await host.getByRole('button', { name: 'Participants' }).click();
  await eventually(async () => JSON.stringify(await handsInPanel(host)) === JSON.stringify(['Cyrus', 'Bela']), { what: 'the raised hands in order' });
  await screenshot(host, 'hands-desktop');
  await screenshot(bela, 'hands-desktop-dark');
  await screenshot(cyrus, 'hands-phone');

  // The host lowers Cyrus's hand; Bela moves up, and Cyrus sees his own hand down.
  await host.locator('.mf-people-hands').getByRole('button', { name: 'Lower Cyrus\'s hand' }).click();
  await eventually(async () => JSON.stringify(await handsInPanel(host)) === JSON.stringify(['Bela']), { what: 'Cyrus off the list' });
  await eventually(() => cyrus.evaluate(() => window.call.self().hand_raised_at === null), { what: 'Cyrus to see his hand lowered' });
  // A member is offered no Lower hand on someone else.
  assert.equal(await bela.evaluate(() => window.call.hostActionsOn(window.call.participants().find((p) => p.display_name === 'Cyrus').user_id).on.includes('lower_hand')), false);

  // A reaction: Bela claps; it floats over her tile on the host's and Cyrus's pages.
  const heard = (page) => page.evaluate(() => new Promise((resolve) => window.call.on('reaction', resolve)));
  const hostHeard = heard(host);
  // Watched from before the click, and read at once: a reaction is gone after 3.6 s, which a busy
  // machine's checks and screenshots could outlast.
  const floating = host.locator('.tile .mf-reaction').first();
  const hostSaw = floating.waitFor({ timeout: 15000 }).then(async () => {
    const seen = await floating.evaluate((node) => ({ text: node.textContent, peer: node.closest('.tile')?.dataset.peer }));
    await screenshot(host, 'reaction-desktop');
    return seen;
  });
  const cyrusSaw = cyrus.locator('.tile .mf-reaction').first().waitFor({ timeout: 15000 }).then(() => screenshot(cyrus, 'reaction-phone'));
  await bela.getByRole('button', { name: 'Send a reaction' }).click();
  await screenshot(bela, 'reaction-picker-desktop-dark');
  await bela.getByRole('button', { name: 'React with applause' }).click();
  assert.equal((await hostHeard).emoji, '👏');
  const seen = await hostSaw;
  assert.equal(seen.text, '👏');
  const belaPeer = await host.evaluate(() => window.call.participants().find((p) => p.display_name === 'Bela').peer_id);
  assert.equal(seen.peer, belaPeer, 'the reaction floats over the sender\'s tile');
  await cyrusSaw;

  // Mute all: everyone's microphone but the host's goes off.
  for (const page of [bela, cyrus]) assert.equal(await page.evaluate(() => window.call.self().audio), true);
  await host.locator('.mf-people-tools').getByRole('button', { name: 'Mute everyone' }).click();
  for (const page of [bela, cyrus]) await eventually(() => page.evaluate(() => window.call.self().audio === false), { what: 'a microphone off' });
  assert.equal(await host.evaluate(() => window.call.self().audio), true, 'the host keeps theirs');
  await eventually(async () => (await bela.locator('.mf-toast').allTextContents()).some((t) => t.includes('muted your microphone')),
    { what: 'the muted toast' });
});
