// The whiteboard inside a call: it opens from the call UI's whiteboard button, takes the stage like a screen share, and two people drawing at once end with the same
// board; someone who joins later opens it and sees the same board.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setUp, createRoom, eventually, screenshot } from './support.mjs';
import { openCall, join } from './call_support.mjs';

let room;
const pages = [];
const world = setUp({
  chromium: { webrtc: true, webgl: true },
  prepare: async () => { room = await createRoom(world, { hostName: 'Host' }); },
});

async function openBoard(page) {
  await page.getByRole('button', { name: 'Open the whiteboard' }).click();  // the call UI's whiteboard button
  await eventually(() => page.evaluate(() => window.call.whiteboard() !== null), { what: 'the board to load' });
}

async function draw(page, points) {
  const canvas = page.locator('canvas.whiteboard-canvas');
  const box = await canvas.boundingBox();
  await page.mouse.move(box.x + points[0][0], box.y + points[0][1]);
  await page.mouse.down();
  for (const [x, y] of points.slice(1)) await page.mouse.move(box.x + x, box.y + y, { steps: 4 });
  await page.mouse.up();
}

const svgOf = (page) => page.evaluate(() => window.call.whiteboard().exportSvg());

test('the whiteboard takes the stage and two people drawing at once see the same board', async () => {
  for (const name of ['Host', 'Bela']) {
    const page = await openCall(world, { room: room.code, name, token: name === 'Host' ? room.hostToken : undefined });
    pages.push(page);
    assert.equal(await join(page), 'in_room');
  }
  for (const page of pages) await openBoard(page);
  const stage = await pages[0].evaluate(() => window.call[Symbol.for('mehfil.debug')]().layout.stage);
  assert.equal(stage, 'whiteboard');

  await Promise.all([
    draw(pages[0], [[200, 150], [260, 190], [320, 150], [380, 190]]),
    draw(pages[1], [[200, 300], [260, 340], [320, 300], [380, 340]]),
  ]);
  const agreed = await eventually(async () => {
    const [a, b] = await Promise.all(pages.map(svgOf));
    return a === b && (a.match(/<polyline/g) ?? []).length === 2 ? a : false;
  }, { what: 'both boards to hold both strokes' });
  await screenshot(pages[0], 'call-whiteboard');

  const late = await openCall(world, { room: room.code, name: 'Chen' });
  pages.push(late);
  assert.equal(await join(late), 'in_room');
  await openBoard(late);
  await eventually(async () => (await svgOf(late)) === agreed, { what: 'the late joiner to see the same board' });

  await pages[0].getByRole('button', { name: 'Close the whiteboard' }).click();
  const after = await pages[0].evaluate(() => window.call[Symbol.for('mehfil.debug')]().layout.stage);
  assert.notEqual(after, 'whiteboard');
});
