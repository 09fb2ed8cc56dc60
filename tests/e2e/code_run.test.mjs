// Running the room's code: Run executes the open file in the runner's browser (a sandboxed worker;
// Python through Pyodide served by our own server) and everyone in the room sees the output, who
// ran it and how it ended. An endless loop is stopped at the room's limit while the page stays
// responsive; output is text, never HTML; the sandbox has no network or storage; the room's
// setting can keep Run to the hosts. Export downloads a file, or all of them as a zip.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setUp, createRoom, eventually, screenshot } from './support.mjs';
import { openCall, join, pressCallControl } from './call_support.mjs';
import { readFile } from 'node:fs/promises';

const { unzipSync, strFromU8 } = await import('../../code-editor/node_modules/fflate/esm/index.mjs');

let room;
const world = setUp({ chromium: { webrtc: true }, prepare: async () => { room = await createRoom(world, { hostName: 'Host' }); } });

async function openEditor(page) {
  await pressCallControl(page, 'Open the code editor');
  await eventually(() => page.evaluate(() => window.call.codeEditor() !== null), { what: 'the code editor to load' });
}

// A new file in `language` holding `code`, open on this page.
async function newFile(page, language, code) {
  await page.getByLabel('Language').selectOption(language);
  await page.getByRole('button', { name: 'New file' }).click();
  await page.evaluate((text) => {
    const { view } = window.call.codeEditor();
    view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
  }, code);
  return page.evaluate(() => window.call.codeEditor().view.contentDOM.getAttribute('aria-label').replace('Code: ', ''));
}

// The output panel as the page shows it (Playwright's locator finds it in the call's shadow root),
// or null while hidden.
const output = (page) => page.locator('.mehfil-code-output').evaluate((element) => {
  if (element.hidden) return null;
  return {
    state: element.dataset.state,
    title: element.querySelector('.mehfil-code-output-title').textContent,
    text: element.querySelector('.mehfil-code-output-text').textContent,
    images: element.querySelectorAll('img').length,
  };
});

// Done with these pages: their calls end, so the next test's loop has the machine a user would.
const leave = (...pages) => Promise.all(pages.map((page) => page.context().close()));

const runButton = (page) => page.getByRole('button', { name: 'Run', exact: true });

test('Run prints print(sum(range(10))) → 45 on every page in the room, errors name their line, and output shows as text', async () => {
  const host = await openCall(world, { room: room.code, name: 'Host', token: room.hostToken });
  const bela = await openCall(world, { room: room.code, name: 'Bela' });
  const cy = await openCall(world, { room: room.code, name: 'Cy', viewport: { width: 390, height: 844 } });
  for (const page of [host, bela, cy]) assert.equal(await join(page), 'in_room');
  for (const page of [host, bela, cy]) await openEditor(page);

  const file = await newFile(bela, 'python', 'print(sum(range(10)))\n');
  assert.equal(file, 'untitled.py');
  const clicked = Date.now();
  await runButton(bela).click();
  for (const page of [host, bela, cy]) {
    await eventually(async () => (await output(page))?.state === 'ok', { what: 'the run\'s output on every page', timeout: 60000 });
    const shown = await output(page);
    assert.equal(shown.text, '45\n');
    assert.match(shown.title, /^Bela ran untitled\.py at /);
  }
  console.log(`Python's first run, click → output on every page: ${Date.now() - clicked} ms (Pyodide loads on the first run)`);
  await screenshot(bela, 'code-run-desktop');
  await screenshot(cy, 'code-run-phone');

  // A Python error: the traceback's last line, and the line in the file.
  await bela.evaluate(() => {
    const { view } = window.call.codeEditor();
    view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: 'x = 1\nprint(x / 0)\n' } });
  });
  await runButton(bela).click();
  await eventually(async () => (await output(host))?.state === 'error', { what: 'the error on the host\'s page', timeout: 20000 });
  assert.equal((await output(host)).text, 'Line 2: ZeroDivisionError: division by zero\n');

  // JavaScript that prints markup and throws: the markup is text, the error names its line.
  await newFile(host, 'javascript', 'console.log(\'<img src=x onerror="window.pwned = 1">\');\nconsole.error("careful");\nnull.x;\n');
  await runButton(host).click();
  for (const page of [host, bela, cy]) {
    await eventually(async () => (await output(page))?.state === 'error', { what: 'the JavaScript error on every page', timeout: 20000 });
    const shown = await output(page);
    assert.equal(shown.images, 0);
    assert.equal(shown.text, '<img src=x onerror="window.pwned = 1">\ncareful\nLine 3: TypeError: Cannot read properties of null (reading \'x\')\n');
    assert.equal(await page.evaluate(() => window.pwned), undefined);
  }
  await host.emulateMedia({ colorScheme: 'dark' });
  await host.evaluate(() => { window.call.closeCodeEditor(); return window.call.openCodeEditor(); });
  await eventually(async () => (await output(host))?.state === 'error', { what: 'the output back after reopening' });
  await screenshot(host, 'code-run-desktop-dark');

  // A late joiner sees the last run as the room did.
  const dee = await openCall(world, { room: room.code, name: 'Dee' });
  assert.equal(await join(dee), 'in_room');
  await openEditor(dee);
  await eventually(async () => (await output(dee))?.text?.includes('careful'), { what: 'the late joiner to see the last output' });
  await leave(host, bela, cy, dee);
});

test('an endless loop is stopped at 5 s with a message while the page keeps answering, and nothing else runs meanwhile', async () => {
  const other = await createRoom(world, { hostName: 'Host' });
  const host = await openCall(world, { room: other.code, name: 'Host', token: other.hostToken });
  const bela = await openCall(world, { room: other.code, name: 'Bela' });
  for (const page of [host, bela]) assert.equal(await join(page), 'in_room');
  for (const page of [host, bela]) await openEditor(page);
  await newFile(host, 'javascript', 'while (true) {}\n');
  // When the click happened and when the page showed the stop, on the page's own clock.
  await host.locator('.mehfil-code-output').evaluate((panel) => {
    panel.closest('.mehfil-code').querySelector('.mehfil-code-run').addEventListener('click', () => { window.clickedAt = performance.now(); });
    new MutationObserver(() => { if (panel.dataset.state === 'timeout') window.stoppedAt ??= performance.now(); })
      .observe(panel, { attributes: true, attributeFilter: ['data-state'] });
  });
  await runButton(host).click();
  await eventually(async () => (await output(bela))?.state === 'running', { what: 'Bela to see the run going on' });
  assert.equal((await output(bela)).title, 'Host is running untitled.js…');
  // The page answers while the loop spins in the worker.
  const asked = Date.now();
  assert.equal(await host.evaluate(() => 1 + 1), 2);
  const answered = Date.now() - asked;
  assert.ok(answered < 1000, `the page took ${answered} ms to answer`);
  // One run at a time: Bela's Run is refused, and says why.
  await runButton(bela).click();
  await eventually(async () => (await output(bela))?.state === 'refused', { what: 'Bela\'s run to be refused' });
  assert.equal((await output(bela)).title, 'Host is running untitled.js: one run at a time.');
  for (const page of [host, bela]) {
    await eventually(async () => (await output(page))?.state === 'timeout', { what: 'the loop to be stopped', timeout: 8000 });
  }
  const stopped = Math.round(await host.evaluate(() => window.stoppedAt - window.clickedAt));
  console.log(`while (true) {} stopped and shown after ${stopped} ms (page answered in ${answered} ms)`);
  assert.ok(stopped <= 6000, `stopped after ${stopped} ms`);
  assert.equal((await output(bela)).text, 'Stopped after 5 s: the code ran too long.\n');

  // The sandbox has no network, storage or other tabs to reach.
  await host.evaluate(() => {
    const { view } = window.call.codeEditor();
    view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: 'console.log([typeof fetch, typeof XMLHttpRequest, typeof WebSocket, typeof indexedDB, typeof caches, typeof BroadcastChannel, typeof navigator, typeof document, typeof localStorage].join(" "));\n' } });
  });
  await runButton(host).click();
  await eventually(async () => (await output(bela))?.state === 'ok', { what: 'the sandbox check to run' });
  assert.equal((await output(bela)).text, 'undefined undefined undefined undefined undefined undefined undefined undefined undefined\n');

  // More output than the room shows: cut at 16000 characters, and the run still ends for everyone.
  await host.evaluate(() => {
    const { view } = window.call.codeEditor();
    view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: 'for (let i = 0; i < 3000; i++) console.log("0123456789");\n' } });
  });
  await runButton(host).click();
  await eventually(async () => (await output(bela))?.text.startsWith('0123456789'), { what: 'the long output to reach Bela' });
  assert.equal((await output(bela)).state, 'ok');
  const long = (await output(bela)).text;
  assert.ok(long.endsWith('… (output cut)\n'), long.slice(-40));
  assert.ok([...long].length <= 16000, `${[...long].length} characters`);
  await leave(host, bela);
});

test('with "Only hosts run code" on, a guest\'s Run is refused and says so, and the host\'s runs', async () => {
  const other = await createRoom(world, { hostName: 'Host' });
  const host = await openCall(world, { room: other.code, name: 'Host', token: other.hostToken });
  const bela = await openCall(world, { room: other.code, name: 'Bela' });
  for (const page of [host, bela]) assert.equal(await join(page), 'in_room');
  await host.evaluate(() => window.call.updateSettings({ code_run_hosts_only: true }));
  await eventually(() => bela.evaluate(() => window.call.room()?.settings?.code_run_hosts_only === true), { what: 'the setting to reach Bela' });
  for (const page of [host, bela]) await openEditor(page);
  await newFile(bela, 'javascript', 'console.log("hi")\n');
  await runButton(bela).click();
  await eventually(async () => (await output(bela))?.state === 'refused', { what: 'Bela\'s run to be refused' });
  assert.equal((await output(bela)).title, 'The host lets only hosts run code in this room.');
  await host.getByRole('tab', { name: 'untitled.js' }).click();  // Bela's file
  await runButton(host).click();
  await eventually(async () => (await output(bela))?.state === 'ok', { what: 'the host\'s run' });
  assert.equal((await output(bela)).text, 'hi\n');

  // A language that does not run says so where the output goes.
  await host.getByLabel('Language').selectOption('cpp');
  await runButton(host).click();
  await eventually(async () => (await output(host))?.state === 'refused', { what: 'the C++ run to be refused' });
  assert.equal((await output(host)).title, 'Only JavaScript and Python run here.');

  // Export: the open file, and every file as a zip.
  const [one] = await Promise.all([bela.waitForEvent('download'), bela.getByRole('button', { name: 'Download this file' }).click()]);
  assert.equal(one.suggestedFilename(), 'untitled.js');
  assert.equal(await readFile(await one.path(), 'utf8'), 'console.log("hi")\n');
  const [all] = await Promise.all([bela.waitForEvent('download'), bela.getByRole('button', { name: 'Download all files as a zip' }).click()]);
  assert.equal(all.suggestedFilename(), 'code.zip');
  const files = unzipSync(new Uint8Array(await readFile(await all.path())));
  assert.deepEqual(Object.keys(files).sort(), ['main.js', 'untitled.js']);
  assert.equal(strFromU8(files['untitled.js']), 'console.log("hi")\n');
});
