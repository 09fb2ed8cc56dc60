// A phone held upright in a real call (real Chromium, the real server on loopback): the call page
// gives the layout engine the aspect range 9:16 to 16:9 for a portrait stage, so a 1:1 call's
// picture and a three-person grid fill the phone's screen instead of leaving it mostly empty, with
// the video cropped to fill. The page's tiles sit at the engine's rects. Screenshots in light and dark.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setUp, createRoom, eventually, screenshot } from './support.mjs';
import { openCall, join, allVideosPlaying } from './call_support.mjs';

const phoneSize = { width: 390, height: 844 };
let room;
const world = setUp({
  chromium: { webrtc: true },
  prepare: async () => { room = await createRoom(world, { hostName: 'Host' }); },
});

// The share of the stage under visible tiles (the corner picture sits on the other one), as shown
// and as 16:9 tiles would have it.
const coverage = (page) => page.evaluate(async () => {
  const { computeLayout } = await import('/mehfil-core.mjs');
  const debug = window.call[Symbol.for('mehfil.debug')]();
  const { clientWidth: width, clientHeight: height } = debug.stage;
  const share = (l) => l.tiles.filter((t) => t.visible && t.id !== l.pip)
    .reduce((sum, t) => sum + t.width * t.height, 0) / (width * height);
  const tiles = debug.layout.tiles.map((t) => ({ id: t.id, is_local: t.id === debug.layout.pip }));
  return { shown: share(debug.layout), fixed: share(computeLayout({ viewport: { width, height }, mode: 'auto', tiles })),
    shapes: debug.layout.tiles.map((t) => t.width / t.height) };
});

test('a 1:1 call and a three-person call fill a phone held upright', async () => {
  const host = await openCall(world, { room: room.code, name: 'Host', token: room.hostToken });
  assert.equal(await join(host), 'in_room');
  const phone = await openCall(world, { room: room.code, name: 'Phone', viewport: phoneSize });
  assert.equal(await join(phone), 'in_room');
  await allVideosPlaying(phone, 2);

  const oneToOne = await eventually(async () => {
    const c = await coverage(phone);
    return c.shapes.length === 2 && c;
  }, { what: 'the 1:1 layout' });
  console.log(`1:1 on a phone: the picture covers ${(oneToOne.shown * 100).toFixed(1)}% of the stage (16:9: ${(oneToOne.fixed * 100).toFixed(1)}%)`);
  assert.ok(oneToOne.shown > 2 * oneToOne.fixed, 'more than twice what a 16:9 picture covers');
  assert.ok(oneToOne.shapes.every((a) => a < 1), 'the picture and the corner picture stand upright');
  await screenshot(phone, 'call-2-phone');

  const dark = await openCall(world, { room: room.code, name: 'Dark', viewport: phoneSize, colorScheme: 'dark' });
  assert.equal(await join(dark), 'in_room');
  await allVideosPlaying(phone, 3);
  await allVideosPlaying(dark, 3);
  for (const page of [phone, dark]) {
    const three = await coverage(page);
    console.log(`3 people on a phone: ${(three.shown * 100).toFixed(1)}% (16:9: ${(three.fixed * 100).toFixed(1)}%)`);
    // The call page's stage is shorter than the screen (the toolbar): three 16:9 tiles in a column
    // nearly fill it already, and the range takes the rest.
    assert.ok(three.shown >= three.fixed && three.shown > 0.85, `${three.shown} of the stage`);
    assert.ok(three.shapes.every((a) => a >= 9 / 16 - 0.01 && a <= 16 / 9 + 0.01));
  }
  await screenshot(phone, 'call-3-phone');
  await screenshot(dark, 'call-3-phone-dark');
});
