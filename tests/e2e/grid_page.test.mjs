// The grid page in real Chromium: the tiles sit exactly where the wasm engine says, the table holds
// on a desktop, phones get at most two per row, and pages flip. Saves screenshots in build/screenshots.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setUp, newPage, screenshot } from './support.mjs';

const world = setUp({ server: false, staticWeb: true });

async function openLab(viewport, preset) {
  const page = await newPage(world, { viewport, name: 'lab' });
  await page.goto(`${world.web.url}/layout-lab.html`);
  await page.waitForSelector('body[data-ready="true"]');
  if (preset) await page.check(`input[name="viewport"][value="${preset}"]`, { force: true });
  return page;
}

async function setCount(page, count) {
  await page.$eval('#count', (input, value) => {
    input.value = String(window.mehfilLab.counts.indexOf(value));
    input.dispatchEvent(new Event('input', { bubbles: true }));
  }, count);
}

// The engine's last output beside where the visible tiles really are, relative to the grid.
async function placedTiles(page) {
  // Let ResizeObserver re-render and new tiles drop their entering scale (two frames, see tile-grid.js).
  await page.evaluate(() => new Promise((done) => {
    let frames = 4;
    const tick = () => (--frames ? requestAnimationFrame(tick) : done());
    requestAnimationFrame(tick);
  }));
  return page.evaluate(() => {
    const grid = document.getElementById('grid').getBoundingClientRect();
    const layout = window.mehfilLab.layout();
    const placed = layout.tiles.filter((t) => t.visible).map((t) => {
      const r = document.querySelector(`[data-tile-id="${t.id}"]`).getBoundingClientRect();
      const { clientLeft, clientTop } = document.getElementById('grid');
      const style = getComputedStyle(document.getElementById('grid'));
      const left = grid.left + clientLeft + parseFloat(style.paddingLeft);
      const top = grid.top + clientTop + parseFloat(style.paddingTop);
      return { expected: t, actual: { x: r.left - left, y: r.top - top, width: r.width, height: r.height } };
    });
    return { layout, placed };
  });
}

function assertPlacedAsComputed(placed) {
  for (const { expected, actual } of placed) {
    for (const key of ['x', 'y', 'width', 'height']) {
      assert.ok(Math.abs(expected[key] - actual[key]) < 1, `${expected.id}.${key}: engine ${expected[key]}, page ${actual[key]}`);
    }
  }
}

test('on a desktop the page follows the table and every tile sits where the engine says', async () => {
  const page = await openLab({ width: 1280, height: 720 });
  const table = { 1: [1, 1], 2: [2, 1], 3: [3, 1], 4: [2, 2], 5: [3, 2], 6: [3, 2], 7: [3, 3], 8: [3, 3], 9: [3, 3], 10: [4, 3] };
  for (const [count, [columns, rows]] of Object.entries(table)) {
    await setCount(page, Number(count));
    const { layout, placed } = await placedTiles(page);
    assert.deepEqual([layout.columns, layout.rows], [columns, rows], `${count} tiles`);
    assert.equal(placed.length, Number(count));
    assertPlacedAsComputed(placed);
  }
  await setCount(page, 6);
  await screenshot(page, 'grid-desktop-6');
  await page.close();
});

test('on a phone no row holds more than two tiles and many people spread over pages', async () => {
  const page = await openLab({ width: 390, height: 844 }, 'phone');
  for (const count of [2, 3, 5, 8]) {
    await setCount(page, count);
    const { layout, placed } = await placedTiles(page);
    assert.ok(layout.columns <= 2, `${count} tiles: ${layout.columns} columns`);
    assertPlacedAsComputed(placed);
  }
  await setCount(page, 5);
  await screenshot(page, 'grid-phone-5');
  await setCount(page, 40);
  const { layout } = await placedTiles(page);
  assert.ok(layout.pages > 1);
  assert.equal(await page.isVisible('#pager'), true);
  await page.click('#page-next');
  const second = await placedTiles(page);
  assert.equal(second.layout.page, 1);
  assertPlacedAsComputed(second.placed);
  await page.close();
});

test('a shared screen takes the stage and the others move to the filmstrip', async () => {
  const page = await openLab({ width: 1280, height: 720 });
  await setCount(page, 4);
  await page.check('input[name="mode"][value="auto"]', { force: true });
  await page.check('#screen-share');
  const { layout, placed } = await placedTiles(page);
  assert.equal(layout.stage, 'screen');
  assertPlacedAsComputed(placed);
  await screenshot(page, 'grid-desktop-screen-share');
  await page.close();
});
