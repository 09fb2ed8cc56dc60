// Join time across NATs: click on Join → first remote frame, median of 10, split by step, on the
// NAT test bed, over https with the bed's STUN and TURN, for three paths measured in the same run:
//  - same network: the joiner and the one already in the room sit in the same home (host pair),
//    the bed's counterpart of the loopback join (tests/bench/join_time.mjs);
//  - direct: the joiner behind an endpoint-independent NAT, the other on a public address
//    (a server-reflexive pair);
//  - relayed: both behind symmetric NATs (a TURN relay pair).
// The paths take turns join by join. Prints the medians, the path each join took, and the relayed
// join's ratio to the direct one (target ≤ 1.2×). Each join is a fresh browser context: nothing cached, the camera opened anew.
//
//   bash tests/natbed/netbed.sh with symmetric symmetric eim -- node tests/natbed/join_time_nat.mjs [--quick]
// (scripts/bench runs it; --quick does 2 joins a path, which ctest runs so it does not rot).
import { openBed, closeBed, startServer, iceFlags, createRoom, joinFrom, browserIn, callPage, links } from './bed_support.mjs';
import { STEPS, median, clickJoinAndWait } from '../bench/join_marks.mjs';

const quick = process.argv.includes('--quick') || process.env.MEHFIL_BENCH_QUICK === '1';
const runs = quick ? 2 : 10;

// Where the one already in the room sits, and where the joiner does.
const PATHS = [
  { label: 'same network', anchor: 'home1', joiner: 'home1' },
  { label: 'direct', anchor: 'pubuser', joiner: 'home3' },
  { label: 'relayed', anchor: 'home2', joiner: 'home1' },
];

await openBed();
const results = new Map(PATHS.map((p) => [p.label, { marks: [], pairs: new Set() }]));
let failed = false;
try {
  const server = await startServer(443, iceFlags());
  // The paths take turns, join by join, so that whatever else the machine does in the meantime
  // falls on each path alike; only the two pages of the join being measured are open.
  const rooms = new Map();
  for (const path of PATHS) rooms.set(path, await createRoom(server));
  for (let i = 0; i < runs; i++) {
    for (const path of PATHS) {
      const room = rooms.get(path);
      const anchor = await joinFrom(path.anchor, server, room, 'Anchor', room.hostToken);
      const browser = await browserIn(path.joiner);
      const context = await browser.newContext({ viewport: { width: 960, height: 540 } });
      const page = await context.newPage();
      await page.goto(`${server.url}/healthz?${new URLSearchParams({ room: room.code, name: `Joiner ${i}` })}`);
      await page.setContent(await callPage);
      await page.waitForSelector('body[data-ready="true"]');
      const result = results.get(path.label);
      result.marks.push(await clickJoinAndWait(page, { within: 30000 }));
      const [link] = Object.values(await links(page));
      result.pairs.add(`${link?.local}→${link?.remote}`);
      await page.evaluate(() => window.call.destroy());
      await context.close();
      await anchor.context().close();
    }
  }
} catch (error) {
  console.error(error);
  failed = true;
} finally {
  await closeBed();
}

console.log(`join time across NATs, click on Join → first remote frame, median of ${runs} (ms since the click)`);
const line = (label, cells) => console.log(label.padEnd(15) + cells.map((s) => String(s).padEnd(12)).join(''));
line('', [...STEPS.map(([, label]) => label), 'pair']);
for (const [label, { marks, pairs }] of results) {
  line(label, [...STEPS.map(([key]) => median(marks.map((r) => r[key] ?? NaN)).toFixed(0)), [...pairs].join(' ')]);
}
const frame = (label) => median(results.get(label).marks.map((r) => r.frame));
const ratio = frame('relayed') / frame('direct');
console.log(`relayed ${frame('relayed').toFixed(0)} ms vs direct ${frame('direct').toFixed(0)} ms: ${ratio.toFixed(2)}× ` +
  `(target ≤ 1.2×: ${ratio <= 1.2 ? 'met' : 'not met'}); same network ${frame('same network').toFixed(0)} ms`);
if (failed || [...results.values()].some((r) => r.marks.length < runs)) process.exit(1);
