// Join time: from the click on Join to the first remote video frame, in real Chromium against the
// real server on loopback, split by step (WebSocket open, room joined, offer sent, ICE connected,
// first frame; "ours sent" is our first description out, an offer or the answer to theirs, "theirs
// in" the first one back). Median of 10 joins, each kind in the same browser:
//  - cold: a fresh browser context (the page, the wasm module and the camera start from nothing),
//    joining straight away as an embed does;
//  - warm: the same tab joins again from a pre-join screen whose camera preview is running, as
//    /room/CODE does (the preview's stream goes to Mehfil.create as `stream`);
//  - warm, no preview: the same tab joins again and asks for the camera itself (the baseline that
//    shows what the preview's head start is worth).
// Also prints the size of the app's wasm, gzipped (target ≤ 250 KB), and the p50 target for a warm
// join (≤ 250 ms).
//
//   node tests/bench/join_time.mjs           (scripts/bench runs it)
//   node tests/bench/join_time.mjs --quick   (2 joins each: ctest keeps it from rotting)
// All traffic stays on loopback: outside a network namespace with only `lo`, the script re-runs
// itself inside one (unshare --net), as the browser tests do.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stayOnLoopback } from './loopback_only.mjs';
import { gzipSync } from 'node:zlib';

const quick = process.argv.includes('--quick') || process.env.MEHFIL_BENCH_QUICK === '1';
const runs = quick ? 2 : 10;

stayOnLoopback(import.meta.url, { quick });

const { startServer, launchChromium, createRoom, webDir } = await import('../e2e/support.mjs');
const { openCall, join: joinCall, allVideosPlaying } = await import('../e2e/call_support.mjs');
const { STEPS, median, clickJoinAndWait } = await import('./join_marks.mjs');

// The browser tests' world (tests/e2e/support.mjs), made by hand: this is a script, not a node:test file.
const world = { server: await startServer(), browser: await launchChromium({ webrtc: true }) };
const { server, browser } = world;
const results = { cold: [], warm: [], 'warm, no preview': [] };
try {
  const room = await createRoom(world, { hostName: 'Anchor' });
  const anchor = await openCall(world, { room: room.code, name: 'Anchor', token: room.hostToken });
  await joinCall(anchor);

  for (let i = 0; i < runs; i++) {
    // cold: a fresh context, so nothing is cached or running
    const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
    const page = await context.newPage();
    await page.goto(`${server.url}/healthz`);
    await page.setContent(readFileSync(fileURLToPath(new URL('../e2e/call-page.html', import.meta.url)), 'utf8')
      .replace("params.get('room')", JSON.stringify(room.code)).replace("params.get('name') ?? 'Tester'", `'Cold ${i}'`));
    await page.waitForSelector('body[data-ready="true"]');
    results.cold.push(await clickJoinAndWait(page));
    // warm: the same tab leaves and joins again from a running preview
    await page.evaluate(() => window.call.destroy());
    await page.waitForTimeout(300);
    results.warm.push(await clickJoinAndWait(page, { preview: true }));
    await page.evaluate(() => window.call.destroy());
    await page.waitForTimeout(300);
    results['warm, no preview'].push(await clickJoinAndWait(page));
    await page.evaluate(() => window.call.destroy());
    await context.close();
  }
  await allVideosPlaying(anchor, 1, { timeout: 10000 }).catch(() => {});
} finally {
  await browser.close();
  await server.close();
}

const wasm = readFileSync(join(webDir, 'mehfil-core.wasm'));
const gzipped = gzipSync(wasm, { level: 9 }).length;

console.log(`join time, click on Join → first remote frame, median of ${runs} on loopback (ms since the click)`);
const line = (label, cells) => console.log(label.padEnd(18) + cells.map((s) => String(s).padEnd(13)).join(''));
line('', STEPS.map(([, label]) => label));
for (const [kind, joins] of Object.entries(results)) {
  const row = STEPS.map(([key]) => median(joins.map((r) => r[key] ?? NaN)).toFixed(0));
  line(kind, row);
}
const warmP50 = median(results.warm.map((r) => r.frame));
const baselineP50 = median(results['warm, no preview'].map((r) => r.frame));
console.log(`warm p50 ${warmP50.toFixed(0)} ms (target ≤ 250 ms): ${warmP50 <= 250 ? 'met' : 'not met'}; ` +
  `${(warmP50 / baselineP50).toFixed(2)}× the ${baselineP50.toFixed(0)} ms of a warm join without a preview`);
console.log(`mehfil-core.wasm ${(wasm.length / 1024).toFixed(1)} KB, gzipped ${(gzipped / 1024).toFixed(1)} KB (target ≤ 250 KB): ${gzipped <= 250 * 1024 ? 'met' : 'not met'}`);
if (Object.values(results).flat().some((r) => !(r.frame > 0))) process.exit(1);
