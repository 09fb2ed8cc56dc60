// The embedding example page (web/embed-example.html): it joins a room through the API, receives
// `participant-joined` when someone else comes in, and the <mehfil-room> element joins too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setUp, newPage, createRoom, eventually, screenshot } from './support.mjs';
import { openCall, join } from './call_support.mjs';

const world = setUp({ chromium: { webrtc: true } });

async function openExample(query, viewport) {
  const page = await newPage(world, { viewport, name: 'example' });
  await page.goto(`${world.server.url}/embed-example.html?${new URLSearchParams(query)}`);
  await page.waitForSelector('body[data-ready="true"]');
  return page;
}

const received = (page, source, event) => page.evaluate(([s, e]) =>
  window.mehfilExample.events.filter((x) => x.source === s && x.event === e).map((x) => x.payload), [source, event]);

test('the embed example joins through the API and receives participant-joined', async () => {
  const room = await createRoom(world, { hostName: 'Host' });
  const example = await openExample({ room: room.code, name: 'Embedder', token: room.hostToken, join: 'api' }, { width: 1280, height: 720 });
  await eventually(async () => (await received(example, 'api', 'joined')).length === 1, { what: 'the API call to join' });

  const guest = await openCall(world, { room: room.code, name: 'Visitor' });
  assert.equal(await join(guest), 'in_room');
  const joined = await eventually(async () => {
    const list = await received(example, 'api', 'participant-joined');
    return list.length ? list : false;
  }, { what: 'participant-joined' });
  assert.equal(joined[0].display_name, 'Visitor');
  assert.equal(joined[0].is_local, false);
  // The log shows it, as text.
  await eventually(() => example.locator('#log').textContent().then((t) => t.includes('participant-joined') && t.includes('Visitor')));

  // The custom element joins the same room and re-dispatches the same events as CustomEvents.
  await example.click('#join-element');
  await eventually(async () => (await received(example, 'element', 'joined')).length === 1, { what: 'the element to join' });
  await eventually(async () => (await received(example, 'api', 'participant-joined')).length === 2, { what: 'the element seen by the API call' });
  await example.waitForTimeout(1500);
  await screenshot(example, 'embed-example-desktop');

  // Removing the element ends its call: the others see it leave.
  await example.evaluate(() => window.mehfilExample.element.remove());
  await eventually(async () => (await received(example, 'api', 'participant-left')).length === 1, { what: 'the element to leave' });

  const phone = await openExample({ room: room.code, name: 'Pocket', join: 'api' }, { width: 390, height: 844 });
  await eventually(async () => (await received(phone, 'api', 'joined')).length === 1, { what: 'the phone to join' });
  await phone.waitForTimeout(1500);
  await screenshot(phone, 'embed-example-phone');
  await example.evaluate(() => window.mehfilExample.call.destroy());
  await example.evaluate(() => window.mehfilExample.call.destroy()); // idempotent
});
