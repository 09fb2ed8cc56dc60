// 1:1 call speed, in real Chromium against the real server on loopback, two people on the site's
// home page (tests/e2e/ring_support.mjs):
//  - ring → card: from Ana's click on Video call to the incoming card on Ben's page;
//  - accept → first frame: from Ben's click on Accept to the first picture of Ana's video on his
//    page, a frame that is not black (target ≤ 200 ms, warm: the page and its wasm are loaded, Ana
//    waits in the room, and Ben's card has rung for a second, in which his tab waits there too);
//  - baseline, in the same browsers: Ben joining an ordinary room where Ana waits, from join() to
//    her first frame — the same work (camera, socket, join, negotiation) without the ringing. The
//    ratio says what answering costs over a plain join.
// Median of 10 of each (2 with --quick, which ctest runs so the script cannot rot).
//
//   node tests/bench/ring_time.mjs [--quick]      (scripts/bench runs it)
// All traffic stays on loopback: outside a network namespace with only `lo`, the script re-runs
// itself inside one (unshare --net), as the browser tests do.
import { stayOnLoopback } from './loopback_only.mjs';

const quick = process.argv.includes('--quick') || process.env.MEHFIL_BENCH_QUICK === '1';
const runs = quick ? 2 : 10;

stayOnLoopback(import.meta.url, { quick });

const { startServer, launchChromium, rest } = await import('../e2e/support.mjs');
const { ringSupport } = await import('../e2e/ring_support.mjs');
const { median } = await import('./join_marks.mjs');

// In a page: resolves with Date.now() at the first picture of a remote video inside `host`'s shadow
// root: a frame that is not black (the fake camera's picture is bright), since a callee's link may
// carry black frames before the answer (js-glue/peer-connections.js, hold-media).
const FIRST_REMOTE_FRAME = (hostSelector) => new Promise((resolve) => {
  const canvas = Object.assign(document.createElement('canvas'), { width: 16, height: 12 });
  const context = canvas.getContext('2d', { willReadFrequently: true });
  const poll = setInterval(() => {
    const host = document.querySelector(hostSelector);
    const root = host?.shadowRoot ?? host?.querySelector('.mehfil-call')?.shadowRoot; // the callee's call is inside (ring.js)
    const video = root?.querySelector('.tile:not([data-local="true"]):not(.tile-leaving) video');
    if (!video || video.videoWidth === 0) return;
    context.drawImage(video, 0, 0, 16, 12);
    const pixels = context.getImageData(0, 0, 16, 12).data;
    let sum = 0;
    for (let i = 0; i < pixels.length; i += 4) sum += pixels[i] + pixels[i + 1] + pixels[i + 2];
    if (sum / (pixels.length / 4) > 30) {
      clearInterval(poll);
      resolve(Date.now());
    }
  }, 2);
});

const world = { server: await startServer(), browser: await launchChromium({ webrtc: true }) };
const { person, befriend, ring, card, bothPlay } = ringSupport(world);
const results = { 'ring → card': [], 'accept → first frame': [], 'baseline: join → first frame': [] };
const steps = [];
try {
  const ana = await person('Ana');
  const ben = await person('Ben');
  await befriend(ana, ben);
  for (let i = 0; i < runs; i++) {
    // ring → card
    const shown = ben.page.evaluate(() => new Promise((resolve) => {
      new MutationObserver((_, observer) => {
        if (document.querySelector('.mehfil-incoming')) { observer.disconnect(); resolve(Date.now()); }
      }).observe(document.body, { childList: true });
    }));
    await ana.page.getByRole('button', { name: 'Your Rooms' }).click();
    await ana.page.getByRole('tab', { name: /Friends/ }).click();
    const videoCall = ana.page.locator('#list-friends li').filter({ hasText: 'Ben' }).getByRole('button', { name: 'Video call', exact: true });
    const clicked = await videoCall.evaluate((button) => { const at = Date.now(); button.click(); return at; });
    results['ring → card'].push((await shown) - clicked);
    // accept → first frame, once Ana waits in the call's room (her page says Ringing…) and Ben's
    // card has rung for a second, about the least a person takes to reach Accept: his waiting call
    // joins the room and connects meanwhile (js-glue/ring.js)
    await ana.page.locator('.call-overlay [part="call-status"]').filter({ hasText: 'Ringing…' }).waitFor();
    await ben.page.waitForTimeout(Math.max(0, 1000 - (Date.now() - (await shown))));
    const frame = ben.page.evaluate(FIRST_REMOTE_FRAME, '.call-overlay');
    const accepted = await card(ben.page).getByRole('button', { name: 'Accept', exact: true })
      .evaluate((button) => { const at = Date.now(); button.click(); return at; });
    results['accept → first frame'].push((await frame) - accepted);
    // Where the callee's time went, from its join(): js-glue's marks. Its call joined while it rang
    // (steps before the click) and opened the camera once answered (media).
    const marks = await ben.page.evaluate(() => {
      const m = window.mehfilOneToOne[Symbol.for('mehfil.debug')]().marks;
      return Object.fromEntries(Object.entries(m).map(([k, v]) => [k, Math.round(v - m.join)]));
    });
    steps.push(marks);
    // MEHFIL_BENCH_TRACE=1: the callee's signaling trace of each run, to see where the time goes.
    if (process.env.MEHFIL_BENCH_TRACE) {
      console.log((await ben.page.evaluate(() => window.mehfilOneToOne[Symbol.for('mehfil.debug')]().trace)).join('\n'));
    }
    await bothPlay([ana.page, ben.page]);
    await ben.page.locator('.call-overlay').getByRole('button', { name: 'Leave', exact: true }).first().click();
    await ana.page.locator('.call-overlay').waitFor({ state: 'detached', timeout: 10000 });
    await ben.page.locator('.call-overlay').waitFor({ state: 'detached', timeout: 10000 });

    // baseline: Ana waits in an ordinary room; Ben joins it from the same warm page
    const room = await rest(world, '/api/rooms/create', { room_name: `Plain ${i}`, max_participants: 4 }, ana.session.token);
    const make = ({ code, token }) => import('/mehfil.js').then(({ Mehfil }) => {
      const host = Object.assign(document.createElement('div'), { className: 'bench-room' });
      host.style.cssText = 'position: fixed; inset: 0; z-index: 950';
      document.body.append(host);
      window.benchCall = Mehfil.create(host, { server: location.origin, room: code, token });
    });
    await ana.page.evaluate(make, { code: room.room_code, token: ana.session.token });
    await ana.page.evaluate(() => window.benchCall.join());
    await ben.page.evaluate(make, { code: room.room_code, token: ben.session.token });
    const plainFrame = ben.page.evaluate(FIRST_REMOTE_FRAME, '.bench-room');
    const joined = await ben.page.evaluate(() => { const at = Date.now(); window.benchCall.join(); return at; });
    results['baseline: join → first frame'].push((await plainFrame) - joined);
    for (const page of [ana.page, ben.page]) {
      await page.evaluate(() => { window.benchCall.destroy(); document.querySelector('.bench-room').remove(); });
    }
    await ana.page.waitForTimeout(300);
  }
} finally {
  await world.browser.close();
  await world.server.close();
}

console.log(`1:1 calls on loopback, median of ${runs} (ms)`);
for (const [label, values] of Object.entries(results)) {
  console.log(`${label.padEnd(32)}${String(median(values)).padStart(6)}   [${values.join(', ')}]`);
}
const stepNames = [...new Set(steps.flatMap((m) => Object.keys(m)))].filter((k) => k !== 'join');
console.log(`the callee's steps, median ms since its join() (while it rang; the click came at about 1000): ${stepNames.map((k) => `${k} ${median(steps.map((m) => m[k]))}`).join(', ')}`);
const accept = median(results['accept → first frame']);
const baseline = median(results['baseline: join → first frame']);
console.log(`accept → first frame / plain join → first frame: ${(accept / baseline).toFixed(2)}×`);
console.log(`target: accept → first frame ≤ 200 ms warm: ${accept <= 200 ? 'met' : 'not met'} (${accept} ms)`);
