// The stage in a full room on a small screen: the grid pages, the pager reaches everyone, and a
// card's Pin puts that person on the stage until Unpin. The pin and the page are the core's state
// (wasm/core/room/stage.h); this checks the real page shows them. One browser, a context per person.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setUp, createRoom, eventually, screenshot } from './support.mjs';
import { openCall, join, tiles, layout } from './call_support.mjs';

let room;
const pages = [];
const world = setUp({ chromium: { webrtc: true }, prepare: async () => { room = await createRoom(world, { hostName: 'Host' }); } });

// The shadow root's pager and cards, read from the page.
const pager = (page) => page.evaluate(() => {
  const nav = window.call[Symbol.for('mehfil.debug')]().stage.getRootNode().querySelector('.mehfil-pager');
  return nav ? { hidden: nav.hidden, label: nav.querySelector('span').textContent } : null;
});
const click = (page, label) => page.evaluate((name) => {
  const root = window.call[Symbol.for('mehfil.debug')]().stage.getRootNode();
  const button = [...root.querySelectorAll('button')].find((b) => b.getAttribute('aria-label') === name);
  if (!button) return false;
  button.click();
  return true;
}, label);

test('a full room on a small stage pages, the pager reaches everyone, and Pin holds a person on the stage', async () => {
  // The watcher: a small landscape window with the full call UI. Five people do not fit there at the
  // engine's smallest tile width, so the grid pages.
  const watcher = await openCall(world, { room: room.code, name: 'Host', token: room.hostToken, viewport: { width: 440, height: 360 } });
  pages.push(watcher);
  assert.equal(await join(watcher), 'in_room');
  for (const name of ['Bela', 'Chen', 'Dara', 'Emre']) {
    const page = await openCall(world, { room: room.code, name, ui: false, viewport: { width: 320, height: 240 } });
    pages.push(page);
    assert.equal(await join(page), 'in_room');
  }

  const first = await eventually(async () => {
    const grid = await layout(watcher);
    return grid?.tiles.length === 5 && grid.pages > 1 ? grid : false;
  }, { timeout: 30000, what: 'five tiles on more than one page' }).catch(async (error) => {
    console.error('layout:', JSON.stringify(await layout(watcher)));
    throw error;
  });
  assert.equal(first.page, 0);
  const offPage = first.tiles.filter((t) => !t.visible).map((t) => t.id);
  assert.ok(offPage.length > 0, 'someone is on another page');
  assert.deepEqual(await pager(watcher), { hidden: false, label: `1 / ${first.pages}` });
  await screenshot(watcher, 'call-pager-page-1');

  // Everyone can be reached: each page in turn, and every tile is visible on one of them.
  const seen = new Set(first.tiles.filter((t) => t.visible).map((t) => t.id));
  for (let page = 1; page < first.pages; page += 1) {
    assert.ok(await click(watcher, 'Next page'), 'the pager has Next page');
    const grid = await eventually(async () => ((await layout(watcher))?.page === page ? layout(watcher) : false), { what: `page ${page + 1}` });
    for (const t of grid.tiles.filter((r) => r.visible)) seen.add(t.id);
    assert.equal((await pager(watcher)).label, `${page + 1} / ${first.pages}`);
  }
  assert.equal(seen.size, 5, 'every tile was on some page');
  const shown = await tiles(watcher);
  assert.ok(shown.filter((t) => offPage.includes(t.id)).some((t) => t.engine?.visible), 'the last page shows someone the first did not');
  await screenshot(watcher, 'call-pager-last-page');
  assert.ok(await click(watcher, 'Previous page'));
  await eventually(async () => (await layout(watcher))?.page === first.pages - 2, { what: 'the page before' });

  // Pin Chen from their card: Chen takes the stage, the others go to the filmstrip.
  const chen = await pages[2].evaluate(() => window.call.self().peer_id);
  assert.ok(await click(watcher, 'Pin Chen'), 'Chen\'s card has Pin');
  await eventually(async () => (await layout(watcher))?.stage === chen, { what: 'Chen on the stage' });
  assert.equal(await watcher.evaluate(() => window.call.pinned()), chen);
  await screenshot(watcher, 'call-pinned');
  assert.ok(await click(watcher, 'Unpin Chen'), 'Chen\'s card now has Unpin');
  await eventually(async () => (await layout(watcher))?.stage == null, { what: 'the stage to clear' });

  // A pin goes with its tile: Chen pinned, then Chen leaves, and nobody is left pinned.
  await watcher.evaluate((id) => window.call.pin(id), chen);
  await eventually(async () => (await layout(watcher))?.stage === chen, { what: 'Chen pinned again' });
  await pages[2].evaluate(() => window.call.leave());
  await eventually(async () => (await layout(watcher))?.stage == null && (await layout(watcher)).tiles.length === 4,
    { what: 'Chen gone and the stage clear' });
  assert.equal(await watcher.evaluate(() => window.call.pinned()), null);
});
