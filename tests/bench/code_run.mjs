// Running the room's code, in real Chromium against the real server on loopback: from the Run click
// on Ana's page to the output in her panel (code:run → code:running → the sandbox → code:output →
// back), for
//  - Python's first run in the page: Pyodide loads (from our server) and starts, once per page;
//  - Python's later runs in the same page: Pyodide is reused;
//  - baseline, in the same page: a JavaScript run (a new worker each time, no interpreter to load).
// The ratios say what loading Pyodide costs once, and what a warm Python run costs over JavaScript.
//
//   node tests/bench/code_run.mjs [--quick]
// All traffic stays on loopback: outside a network namespace with only `lo`, the script re-runs
// itself inside one (unshare --net), as the browser tests do.
import { stayOnLoopback } from './loopback_only.mjs';

const quick = process.argv.includes('--quick') || process.env.MEHFIL_BENCH_QUICK === '1';
const runs = quick ? 3 : 10;

stayOnLoopback(import.meta.url, { quick });

const { startServer, launchChromium, createRoom } = await import('../e2e/support.mjs');
const { openCall, join } = await import('../e2e/call_support.mjs');
const { median } = await import('./join_marks.mjs');
const fmt = (ms) => `${ms.toFixed(0)} ms`;

const world = { server: await startServer(), browser: await launchChromium({ webrtc: true }) };
try {
  const room = await createRoom(world, { hostName: 'Ana' });
  const ana = await openCall(world, { room: room.code, name: 'Ana', token: room.hostToken });
  if (await join(ana) !== 'in_room') throw new Error('the page did not join');
  await ana.evaluate(() => window.call.openCodeEditor());
  await ana.waitForFunction(() => window.call.codeEditor()?.view);

  // A file in `language` holding `code`, open; then Run, timed until the panel shows its end.
  const runOnce = async (language, code) => {
    await ana.getByLabel('Language').selectOption(language);
    await ana.evaluate((text) => {
      const { view } = window.call.codeEditor();
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
    }, code);
    return ana.locator('.mehfil-code-output').evaluate((panel) => new Promise((resolve, reject) => {
      const run = panel.closest('.mehfil-code').querySelector('.mehfil-code-run');
      // The panel's state goes to "running" (code:running), then to how the run ended (code:output).
      const started = performance.now();
      new MutationObserver((records, observer) => {
        const { state } = panel.dataset;
        if (state !== 'refused' && !records.some((r) => r.oldValue === 'running' && state !== 'running')) return;
        observer.disconnect();
        if (state === 'ok') resolve(performance.now() - started);
        else reject(new Error(`the run ended ${state}: ${panel.textContent}`));
      }).observe(panel, { attributes: true, attributeFilter: ['data-state'], attributeOldValue: true });
      run.click();
    }));
  };

  const cold = await runOnce('python', 'print(sum(range(10)))');
  const warm = [];
  for (let i = 0; i < runs; i++) warm.push(await runOnce('python', 'print(sum(range(10)))'));
  const js = [];
  for (let i = 0; i < runs; i++) js.push(await runOnce('javascript', 'console.log([...Array(10).keys()].reduce((a, b) => a + b))'));

  console.log(`Python's first run in a page (Pyodide loads once): click → output ${fmt(cold)}`);
  console.log(`Python's later runs (Pyodide reused): median ${fmt(median(warm))} over ${warm.length} (runs: ${warm.map((t) => t.toFixed(0)).join(', ')})`);
  console.log(`baseline, a JavaScript run: median ${fmt(median(js))} over ${js.length}; first Python run ${(cold / median(js)).toFixed(1)}×, later ones ${(median(warm) / median(js)).toFixed(2)}× the baseline`);
} finally {
  await world.browser.close();
  await world.server.close();
}
