// The shared whiteboard in real Chromium (WebGL2 on SwiftShader): two pages draw at the same time and
// their boards converge (the core's SVG exports are equal), a page that joins later sees the same
// board, and after a server restart the board is still there. Saves a screenshot of a board with
// every tool used.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setUp, createRoom, screenshot, eventually } from './support.mjs';
import { openBoard, drag } from './whiteboard_support.mjs';

let room;
const world = setUp({ chromium: { webgl: true }, prepare: async () => { room = (await createRoom(world, { room_name: 'Sketches' })).code; } });

const openBoardAs = (name, viewport = { width: 1000, height: 700 }) => openBoard(world, room, name, { viewport });

const wave = (x0, y0) => Array.from({ length: 12 }, (_, i) => [x0 + i * 25, y0 + Math.sin(i / 2) * 40]);
const svgOf = (page) => page.evaluate(() => window.mehfilBoard.exportSvg());
const boardOf = (page) => page.evaluate(() => window.mehfilBoard.boardJson());

async function settle(pages) {
  // Ops leave in 33 ms batches; give the relay a moment, then wait until all boards agree.
  for (let i = 0; i < 50; i++) {
    const boards = await Promise.all(pages.map(boardOf));
    if (boards.every((b) => b === boards[0]) && boards[0] !== '[]') return boards[0];
    await new Promise((done) => setTimeout(done, 100));
  }
  return null;
}

test('two pages drawing at once converge, a late joiner and a restarted server see the same board', async () => {
  const ana = await openBoardAs('Ana');
  const ben = await openBoardAs('Ben');
  await Promise.all([drag(ana, wave(250, 150)), drag(ben, wave(250, 350))]);
  await ben.evaluate(() => window.mehfilBoard.selectTool('rectangle'));
  await Promise.all([drag(ana, wave(300, 500)), drag(ben, [[600, 100], [800, 250]])]);
  const agreed = await settle([ana, ben]);
  assert.ok(agreed, 'the two boards converged');
  const svg = await svgOf(ana);
  assert.equal(await svgOf(ben), svg);
  assert.equal((svg.match(/<polyline/g) ?? []).length, 3);
  assert.equal((svg.match(/<rect/g) ?? []).length, 1);

  // The laser: Ben points, Ana sees his pointer; nothing lands on the board.
  await ben.evaluate(() => window.mehfilBoard.selectTool('laser'));
  await drag(ben, [[500, 500], [560, 520], [620, 540], [680, 560]]);
  await ana.waitForFunction(() => window.mehfilBoard.remoteCursors() > 0);
  assert.equal(await svgOf(ana), svg, 'the laser left nothing on the board');

  const late = await openBoardAs('Cy');
  assert.ok(await settle([ana, late]));
  assert.equal(await svgOf(late), svg);

  await world.server.restart();
  const after = await openBoardAs('Dee');
  assert.ok(await settle([after]));
  assert.equal(await svgOf(after), svg);
});

test('a board with every tool, as a person sees it', async () => {
  const page = await openBoardAs('Painter', { width: 1280, height: 720 });
  const use = async (tool, points) => {
    await page.evaluate((name) => window.mehfilBoard.selectTool(name), tool);
    await drag(page, points);
  };
  await use('pen', wave(150, 250));
  await use('line', [[150, 400], [450, 420]]);
  await use('arrow', [[500, 400], [700, 300]]);
  await use('rectangle', [[750, 150], [1000, 320]]);
  await use('ellipse', [[760, 380], [1050, 560]]);
  await page.evaluate(() => window.mehfilBoard.selectTool('text'));
  const box = await page.locator('canvas.whiteboard-canvas').boundingBox();
  await page.mouse.click(box.x + 200, box.y + 520);
  await page.waitForFunction(() => window.mehfilBoard.typing());  // the text box opens on the next frame
  await page.keyboard.type('Mehfil whiteboard');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => window.mehfilBoard.exportSvg().includes('Mehfil whiteboard'));  // committed
  // The eraser crosses the pen's wave where it starts: that stroke goes, nothing else does.
  const shapes = (svg) => (svg.match(/<(path|polyline|line|polygon|rect|ellipse|text)\b/g) ?? []).length;
  const before = shapes(await svgOf(page));
  await use('eraser', [[150, 250], [160, 250]]);
  await eventually(async () => shapes(await svgOf(page)) === before - 1, { what: 'the wave to be erased' });
  const svg = await svgOf(page);
  assert.match(svg, /<text [^>]*>Mehfil whiteboard<\/text>/);
  assert.match(svg, /<ellipse /);
  assert.match(svg, /<polygon /);
  await screenshot(page, 'whiteboard-every-tool');
  // On a phone the toolbar keeps one row that scrolls sideways instead of running off the board's right edge.
  await page.setViewportSize({ width: 390, height: 760 });
  await page.waitForTimeout(300);
  await screenshot(page, 'whiteboard-phone');
  const png = await page.evaluate(() => window.mehfilBoard.exportPng());
  assert.match(png, /^data:image\/png;base64,/);
  assert.ok(png.length > 5000, 'the PNG has pixels');
});
