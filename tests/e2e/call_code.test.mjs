// The shared code editor inside a call: it opens from the call UI's Code button and takes the stage
// like the whiteboard; two people typing into the same file at once (real keyboard input into
// CodeMirror) end with the same text and see each other's cursor with a name; someone who joins
// later, and everyone after a server restart, sees the same files; past its length the room's
// history is compacted into one state, and joiners still see the same files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setUp, createRoom, eventually, screenshot } from './support.mjs';
import { openCall, join, pressCallControl } from './call_support.mjs';

const wait = (ms) => new Promise((resolve) => { setTimeout(resolve, ms); });

let room;
// A short history before compaction, so the tests here type through it.
const world = setUp({ serverFlags: ['--code-compact-after', '30'], chromium: { webrtc: true }, prepare: async () => { room = await createRoom(world, { hostName: 'Host' }); } });

// Done with these pages: their calls end, so the next test has the machine a user would.
const leave = (...pages) => Promise.all(pages.map((page) => page.context().close()));

const textOf = (page) => page.evaluate(() => window.call.codeEditor()?.view?.state.doc.toString() ?? null);

async function openEditor(page) {
  await pressCallControl(page, 'Open the code editor');
  await eventually(() => page.evaluate(() => window.call.codeEditor() !== null), { what: 'the code editor to load' });
}

async function typeAt(page, line, text) {
  const content = page.locator('.cm-content');
  await content.click();
  await page.keyboard.press('Control+Home');
  for (let i = 1; i < line; i += 1) await page.keyboard.press('ArrowDown');
  await page.keyboard.press('End');
  await page.keyboard.type(text, { delay: 15 });
}

test('two people type into the same file at once and converge, see each other\'s cursor, and a late joiner and a restarted server see the same files', async () => {
  const host = await openCall(world, { room: room.code, name: 'Host', token: room.hostToken });
  const bela = await openCall(world, { room: room.code, name: 'Bela', viewport: { width: 390, height: 844 } });
  for (const page of [host, bela]) assert.equal(await join(page), 'in_room');
  await openEditor(host);
  await eventually(async () => (await textOf(host)) !== null, { what: 'the host\'s editor' });
  assert.equal(await host.evaluate(() => window.call[Symbol.for('mehfil.debug')]().layout.stage), 'code');
  await openEditor(bela);
  // Both see the one file the first opener made.
  await eventually(async () => (await textOf(bela)) === (await textOf(host)), { what: 'Bela to see the host\'s file' });
  const files = await bela.evaluate(() => window.call.codeEditor().current);
  assert.ok(files);

  // Lines to type on: the two type at once into the same file, on different lines (at the very same
  // spot, keystroke by keystroke, the characters would merge in whatever order they met, the same
  // on both pages, but not as two readable lines).
  await typeAt(host, 1, '// a shared file\n\n\n');
  await eventually(async () => (await textOf(bela)) === (await textOf(host)), { what: 'the empty lines on Bela\'s page' });
  await Promise.all([typeAt(host, 2, 'const total = [1, 2, 3].reduce((a, b) => a + b, 0);'), typeAt(bela, 4, '// Bela was here')]);
  let last = [];
  const agreed = await eventually(async () => {
    const [a, b] = last = await Promise.all([textOf(host), textOf(bela)]);
    return a === b && a.includes('reduce((a, b) => a + b, 0);') && a.includes('// Bela was here') ? a : false;
  }, { what: 'both pages to hold both lines' }).catch((error) => { throw new Error(`${error.message}: ${JSON.stringify(last)}`); });
  console.log(`converged on ${agreed.length} characters`);
  // Each sees the other's cursor, named.
  await eventually(async () => (await host.locator('.cm-ySelectionInfo').allTextContents()).includes('Bela'), { what: 'Bela\'s cursor on the host\'s page' });
  await screenshot(host, 'code-editor-desktop');
  await screenshot(bela, 'code-editor-phone');
  await bela.emulateMedia({ colorScheme: 'dark' });
  await host.emulateMedia({ colorScheme: 'dark' });
  await bela.evaluate(() => { window.call.closeCodeEditor(); return window.call.openCodeEditor(); });  // the theme is read on opening
  await host.evaluate(() => { window.call.closeCodeEditor(); return window.call.openCodeEditor(); });
  await eventually(async () => (await textOf(bela)) === agreed, { what: 'the editor back on Bela\'s page' });
  await screenshot(bela, 'code-editor-phone-dark');
  await screenshot(host, 'code-editor-desktop-dark');

  const late = await openCall(world, { room: room.code, name: 'Cy' });
  assert.equal(await join(late), 'in_room');
  await openEditor(late);
  await eventually(async () => (await textOf(late)) === agreed, { what: 'the late joiner to see the same text' });

  await world.server.restart();
  const after = await openCall(world, { room: room.code, name: 'Dee' });
  assert.equal(await join(after), 'in_room');
  await openEditor(after);
  await eventually(async () => (await textOf(after)) === agreed, { what: 'the same text after a server restart' });
  await host.getByRole('button', { name: 'Close the code editor' }).click();
  assert.notEqual(await host.evaluate(() => window.call[Symbol.for('mehfil.debug')]().layout.stage), 'code');
  await leave(host, bela, late, after);
});

test('what someone types while their connection is down reaches the others once it is back', async () => {
  const other = await createRoom(world, { hostName: 'Host' });
  const host = await openCall(world, {
    room: other.code, name: 'Host', token: other.hostToken,
    prepare: (page) => page.addInitScript(() => {
      // Every socket the page opens; while `blockSockets`, a new one goes nowhere (the server
      // refuses the path), so the call stays disconnected for as long as the test wants.
      window.testSockets = [];
      window.blockSockets = false;
      const Native = window.WebSocket;
      window.WebSocket = class extends Native {
        constructor(url, ...rest) {
          super(window.blockSockets ? String(url).replace('/ws', '/nowhere') : url, ...rest);
          window.testSockets.push(this);
        }
      };
    }),
  });
  const bela = await openCall(world, { room: other.code, name: 'Bela' });
  for (const page of [host, bela]) assert.equal(await join(page), 'in_room');
  await openEditor(host);
  await openEditor(bela);
  await eventually(async () => (await textOf(bela)) === (await textOf(host)), { what: 'one file on both pages' });
  // The socket drops; the host goes on typing (a deletion and an insertion) before it is back.
  await host.evaluate(() => {
    window.blockSockets = true;
    for (const socket of window.testSockets) socket.close();
  });
  await eventually(() => host.evaluate(() => window.call.state === 'reconnecting'), { what: 'the host to be reconnecting' });
  await host.evaluate(() => {
    const { view } = window.call.codeEditor();
    view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: 'print("typed offline")\n' } });
  });
  await wait(500);  // the edit's update is made, batched and refused by the core: no socket
  assert.equal(await host.evaluate(() => window.call.state), 'reconnecting');
  await host.evaluate(() => { window.blockSockets = false; });
  await eventually(() => host.evaluate(() => window.call.state === 'in_room'), { what: 'the host back in the room', timeout: 20000 });
  await eventually(async () => (await textOf(bela)) === 'print("typed offline")\n', { what: 'Bela to get what the host typed offline' });
  assert.equal(await textOf(host), await textOf(bela));
  await leave(host, bela);
});

test('past --code-compact-after updates the room keeps one state instead of its oldest updates, and a joiner sees the same text', async () => {
  const other = await createRoom(world, { hostName: 'Host' });
  const host = await openCall(world, { room: other.code, name: 'Host', token: other.hostToken });
  const bela = await openCall(world, { room: other.code, name: 'Bela' });
  for (const page of [host, bela]) assert.equal(await join(page), 'in_room');
  await openEditor(host);
  await openEditor(bela);
  const before = (world.server.log.match(/code compacted/g) ?? []).length;
  // 40 edits, 20 on each page at once, each its own update (more than 20 ms apart), some deleting.
  const edit = (page, offset) => page.evaluate(async (first) => {
    for (let n = first; n < first + 20; n += 1) {
      const { view } = window.call.codeEditor();
      if (n % 7 === 6) view.dispatch({ changes: { from: 0, to: Math.min(3, view.state.doc.length), insert: '' } });
      else view.dispatch({ changes: { from: view.state.doc.length, insert: `line ${n}\n` } });
      await new Promise((resolve) => { setTimeout(resolve, 40); });
    }
  }, offset);
  await Promise.all([edit(host, 0), edit(bela, 100)]);
  await eventually(async () => (await textOf(host)) === (await textOf(bela)), { what: 'the two pages to agree' });
  await eventually(() => (world.server.log.match(/code compacted/g) ?? []).length > before, { what: 'the room to compact its code' });
  const agreed = await textOf(host);
  assert.ok(agreed.includes('line 19') && agreed.includes('line 119'));
  const late = await openCall(world, { room: other.code, name: 'Cy' });
  assert.equal(await join(late), 'in_room');
  await openEditor(late);
  await eventually(async () => (await textOf(late)) === agreed, { what: 'the joiner to see the same text from the compacted history' });
  await world.server.restart();
  const after = await openCall(world, { room: other.code, name: 'Dee' });
  assert.equal(await join(after), 'in_room');
  await openEditor(after);
  await eventually(async () => (await textOf(after)) === agreed, { what: 'the same text after a restart' });
});
