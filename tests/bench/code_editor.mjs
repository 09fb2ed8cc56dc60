// The shared code editor's speed, in real Chromium against the real server on loopback, two people
// in a call with the editor open (tests/e2e/call_support.mjs):
//  - keystroke → remote: from the keydown on Ana's page to the character in Ben's editor (his
//    CodeMirror's DOM), for 200 keystrokes (20 with --quick): median and p99 (target ≤ 50 ms p99).
//    Baseline, in the same pages: a chat message from Ana to Ben's page, the room's other relayed
//    and stored message; the ratio says what CodeMirror, Yjs and the 20 ms batching cost over it.
//  - opening the editor in a room with a 5,000-line file: from openCodeEditor() on a third page to
//    its editor holding all of it (target ≤ 300 ms), warm (the bundle loaded by an earlier open),
//    against opening it on a one-line file in the same page. The first, cold open is printed too.
//
//   node tests/bench/code_editor.mjs [--quick]
// All traffic stays on loopback: outside a network namespace with only `lo`, the script re-runs
// itself inside one (unshare --net), as the browser tests do.
import { stayOnLoopback } from './loopback_only.mjs';

const quick = process.argv.includes('--quick') || process.env.MEHFIL_BENCH_QUICK === '1';
const keystrokes = quick ? 20 : 200;
const opens = quick ? 2 : 10;

stayOnLoopback(import.meta.url, { quick });

const { startServer, launchChromium, createRoom } = await import('../e2e/support.mjs');
const { openCall, join } = await import('../e2e/call_support.mjs');
const { median } = await import('./join_marks.mjs');

const percentile = (values, p) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
};
const fmt = (ms) => `${ms.toFixed(1)} ms`;
const LINES = 5000;

const world = { server: await startServer(), browser: await launchChromium({ webrtc: true }) };
try {
  const room = await createRoom(world, { hostName: 'Ana' });
  const ana = await openCall(world, { room: room.code, name: 'Ana', token: room.hostToken });
  const ben = await openCall(world, { room: room.code, name: 'Ben' });
  for (const page of [ana, ben]) {
    if (await join(page) !== 'in_room') throw new Error('a page did not join');
    await page.evaluate(() => window.call.openCodeEditor());
    await page.waitForFunction(() => window.call.codeEditor()?.view);
  }
  const file = await ana.evaluate(() => window.call.codeEditor().current);
  await ben.waitForFunction((id) => window.call.codeEditor().current === id, file);  // one file, on both
  // Ana's keydowns and the moments her characters show on Ben's page, on the one clock both share.
  await ana.evaluate(() => {
    window.keydowns = [];
    document.addEventListener('keydown', () => window.keydowns.push(performance.timeOrigin + performance.now()), true);
  });
  const arrival = (marker) => ben.evaluate((wanted) => new Promise((resolve) => {
    const content = window.call.codeEditor().view.contentDOM;  // what Ben sees
    const seen = () => (content.textContent.split(wanted).length - 1);
    const before = seen();
    new MutationObserver((_, observer) => {
      if (seen() > before) { observer.disconnect(); resolve(performance.timeOrigin + performance.now()); }
    }).observe(content, { childList: true, subtree: true, characterData: true });
  }), marker);

  await ana.locator('.cm-content').click();
  await ana.keyboard.press('Control+End');
  const typed = [];
  for (let i = 0; i < keystrokes; i++) {
    const character = 'abcdefghijklmnopqrstuvwxyz'[i % 26];
    const shown = arrival(character);
    await ana.keyboard.press(character);
    const at = await shown;
    const down = await ana.evaluate(() => window.keydowns.at(-1));
    typed.push(at - down);
  }
  // Baseline: the same two pages, a chat message through the same server.
  await ben.evaluate(() => {
    window.chatArrivals = new Map();
    window.call.on('chat-message', (m) => window.chatArrivals.set(m.text, performance.timeOrigin + performance.now()));
  });
  const chat = [];
  for (let i = 0; i < Math.min(keystrokes, 50); i++) {
    const text = `ping ${i}`;
    const sent = await ana.evaluate((t) => { const at = performance.timeOrigin + performance.now(); window.call.sendChat(t); return at; }, text);
    const at = await ben.waitForFunction((t) => window.chatArrivals.get(t), text).then((h) => h.jsonValue());
    chat.push(at - sent);
  }

  // A 5,000-line file, typed in by Ana in pieces (each update fits the wire), then a third page opens it.
  await ana.evaluate((lines) => {
    const { view } = window.call.codeEditor();
    const text = Array.from({ length: lines }, (_, i) => `def line_${i}(x):  # line ${i} of the big file`).join('\n');
    for (let at = 0; at < text.length; at += 8000) view.dispatch({ changes: { from: view.state.doc.length, insert: text.slice(at, at + 8000) } });
  }, LINES);
  await ben.waitForFunction((lines) => window.call.codeEditor().view.state.doc.lines >= lines, LINES, { timeout: 60000 });
  const opener = await openCall(world, { room: room.code, name: 'Cy' });
  if (await join(opener) !== 'in_room') throw new Error('the third page did not join');
  const openOnce = (lines) => opener.evaluate(async (wanted) => {
    const started = performance.now();
    await window.call.openCodeEditor();
    while (!(window.call.codeEditor()?.view?.state.doc.lines >= wanted)) await new Promise((r) => setTimeout(r, 1));
    const took = performance.now() - started;
    window.call.closeCodeEditor();
    return took;
  }, lines);
  const cold = await openOnce(LINES);
  const warm = [];
  for (let i = 0; i < opens; i++) warm.push(await openOnce(LINES));
  // Baseline: a one-line file in a second room, opened by the same page.
  const small = await createRoom(world, { hostName: 'Ana' });
  await opener.evaluate(() => window.call.leave());
  const smallPage = await openCall(world, { room: small.code, name: 'Cy', token: small.hostToken });
  if (await join(smallPage) !== 'in_room') throw new Error('the baseline page did not join');
  const smallOpen = (wanted) => smallPage.evaluate(async () => {
    const started = performance.now();
    await window.call.openCodeEditor();
    while (!window.call.codeEditor()?.view) await new Promise((r) => setTimeout(r, 1));
    const took = performance.now() - started;
    window.call.closeCodeEditor();
    return took;
  }, wanted);
  await smallOpen();  // cold
  const baseline = [];
  for (let i = 0; i < opens; i++) baseline.push(await smallOpen());

  const keyMedian = median(typed);
  const chatMedian = median(chat);
  console.log(`keystroke → remote over ${typed.length} keystrokes: median ${fmt(keyMedian)}, p99 ${fmt(percentile(typed, 99))}, max ${fmt(Math.max(...typed))} (target p99 ≤ 50 ms)`);
  console.log(`baseline, chat message → remote over ${chat.length}: median ${fmt(chatMedian)}, p99 ${fmt(percentile(chat, 99))}; ratio of medians ${(keyMedian / chatMedian).toFixed(2)}×`);
  console.log(`opening the editor on a ${LINES}-line file: warm median ${fmt(median(warm))} over ${warm.length} (runs: ${warm.map((t) => t.toFixed(0)).join(', ')}), cold ${fmt(cold)} (target ≤ 300 ms)`);
  console.log(`baseline, opening it on a one-line file: warm median ${fmt(median(baseline))}; ratio ${(median(warm) / median(baseline)).toFixed(2)}×`);
} finally {
  await world.browser.close();
  await world.server.close();
}
