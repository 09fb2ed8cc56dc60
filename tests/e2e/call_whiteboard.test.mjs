// The whiteboard inside a call: it opens from the call UI's whiteboard button, takes the stage like a screen share, and two people drawing at once end with the same
// board; someone who joins later opens it and sees the same board; a recording shows it on the stage.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setUp, createRoom, eventually, screenshot } from './support.mjs';
import { openCall, join } from './call_support.mjs';
import { wait, finishedRecording, shownAt, recordedLayout, matchesLayout, WIDTH } from './recording_support.mjs';

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

test('a recording made while the whiteboard holds the stage shows the board there, with the cameras in the filmstrip', async () => {
  const host = pages[0];
  await openBoard(host);
  // Closed and opened again at once (the closed tile still scaling out): the tile shows the new board.
  await host.evaluate(() => { window.call.closeWhiteboard(); return window.call.openWhiteboard(); });
  await eventually(() => host.evaluate(() => window.call.whiteboard() !== null), { what: 'the board to load again' });
  const shown = await host.locator('[data-tile-id="whiteboard"] canvas.whiteboard-canvas').count();
  assert.equal(shown, 1, 'the whiteboard tile holds the new board\'s canvas');
  // The board loads again (its wasm module, its WebGL canvas) before the recording starts: a page
  // busy loading draws no recording frames meanwhile (the recorder draws on the main thread).
  await eventually(() => host.evaluate(() => window.call.whiteboard().canvas.width > 0), { what: 'the board\'s canvas to be sized' });
  await wait(1500);
  await host.evaluate(() => window.call.startRecording());
  await eventually(() => host.evaluate(() => window.call.room().recording === 'recording'), { what: 'the recording to start' });
  const started = Date.now();
  await wait(4000);
  // The frame from about when the layout is read (4 s, or later on a busy machine, where the board
  // loads again more slowly after its reopening).
  const layoutAt = Math.round((Date.now() - started) / 100) / 10 - 0.5;
  const layout = await recordedLayout(host);
  await host.evaluate(() => window.call.stopRecording());
  const { path } = await finishedRecording(host, 'the recording of the board to be finished');
  const frame = shownAt(path, layoutAt);
  const board = layout.tiles.find((t) => t.id === 'whiteboard');
  assert.ok(board?.visible, 'the board has a place in the recorded layout');
  assert.equal(layout.stage, 'whiteboard');
  const seen = matchesLayout(frame, layout);
  assert.ok(seen.outsideBackground > 0.95, `outside the tiles is the room: ${JSON.stringify(seen)}`);
  for (const filled of seen.tilesFilled) assert.ok(filled > 0.9, `every tile has a picture: ${JSON.stringify(seen)}`);
  // The board itself, not an empty or black rectangle: its light surface and the strokes drawn on it.
  let light = 0;
  let dark = 0;
  let samples = 0;
  for (let y = board.y + 4; y < board.y + board.height - 4; y += 2) {
    for (let x = board.x + 4; x < board.x + board.width - 4; x += 2) {
      const i = (Math.round(y) * WIDTH + Math.round(x)) * 3;
      const sum = frame[i] + frame[i + 1] + frame[i + 2];
      samples += 1;
      if (sum > 600) light += 1;
      if (sum < 300) dark += 1;
    }
  }
  console.log(`the board's rect in the recording: ${(100 * light / samples).toFixed(1)}% light, ${(100 * dark / samples).toFixed(1)}% dark`);
  assert.ok(light / samples > 0.5, 'mostly the board\'s light surface');
  assert.ok(dark > 0, 'the strokes drawn on it');
});
