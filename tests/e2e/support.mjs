// Shared pieces of the browser tests: a file's world (the real mehfil-server and Debian's Chromium,
// driven by playwright-core with the flags that work headless here, docs/ARCHITECTURE.md,
// toolchain), pages in contexts of their own, the REST calls that set a test up, the room page's
// name gate, and waiting for a condition. call_support.mjs adds what the call tests need on top.
import { before, after } from 'node:test';
import { createServer } from 'node:http';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { readFile, mkdir } from 'node:fs/promises';
import { extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { restCall } from '../../js-glue/rest-client.js';

export { restCall };

export const webDir = resolve(process.env.MEHFIL_WEB_DIR ?? fileURLToPath(new URL('../../build/web/', import.meta.url)));
export const screenshotDir = resolve(webDir, '..', 'screenshots');

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript',
  '.css': 'text/css', '.wasm': 'application/wasm', '.json': 'application/json', '.svg': 'image/svg+xml',
};

// Serves build/web on 127.0.0.1 at a free port until close().
export async function serveWeb() {
  const server = createServer(async (request, response) => {
    const path = normalize(decodeURIComponent(new URL(request.url, 'http://127.0.0.1').pathname));
    const file = join(webDir, path.endsWith('/') ? `${path}index.html` : path);
    if (!file.startsWith(webDir)) return response.writeHead(403).end();
    try {
      const body = await readFile(file);
      response.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(body);
    } catch {
      response.writeHead(404).end('not found');
    }
  });
  await new Promise((done) => server.listen(0, '127.0.0.1', done));
  return { url: `http://127.0.0.1:${server.address().port}`, close: () => new Promise((done) => server.close(done)) };
}

export const binDir = resolve(process.env.MEHFIL_BIN_DIR ?? fileURLToPath(new URL('../../build/native/bin/', import.meta.url)));

// The real mehfil-server on 127.0.0.1 (a free port, a fresh database) serving build/web.
// `restart()` kills it hard and starts it again on the same port and database, as a crash would.
export async function startServer(extraFlags = []) {
  const folder = await mkdtemp(join(tmpdir(), 'mehfil-e2e-'));
  let child;
  let port = 0;
  let log = '';  // everything the server printed, across restarts
  const start = () => new Promise((ready, fail) => {
    // Every page of a test comes from 127.0.0.1, like a whole school behind one NAT: the per-address
    // guest session limit is raised so a long test file never waits for it.
    child = spawn(join(binDir, 'mehfil-server'), ['--port', String(port), '--db', join(folder, 'mehfil.db'), '--web', webDir,
      '--guest-sessions-per-minute', '1000', ...extraFlags],
      { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stderr.on('data', (chunk) => {  // the log: shown as it comes, and kept for tests to read
      log += chunk;
      process.stderr.write(chunk);
    });
    let seen = '';
    child.stdout.on('data', (chunk) => {
      seen += chunk;
      log += chunk;
      const match = seen.match(/listening on http:\/\/127\.0\.0\.1:(\d+)\//);
      if (match) { port = Number(match[1]); ready(); }
    });
    child.once('exit', (code) => fail(new Error(`mehfil-server exited with ${code}: ${seen}`)));
  });
  await start();
  return {
    get url() { return `http://127.0.0.1:${port}`; },
    get port() { return port; },
    get log() { return log; },
    get dbPath() { return join(folder, 'mehfil.db'); },
    async restart() {
      const exited = new Promise((done) => child.once('exit', done));
      child.kill('SIGKILL');
      await exited;
      await start();
    },
    async kill() {
      const exited = new Promise((done) => child.once('exit', done));
      child.kill('SIGKILL');
      await exited;
    },
    async start() { await start(); },
    async close() {
      if (child.exitCode === null) {
        const exited = new Promise((done) => child.once('exit', done));
        child.kill('SIGTERM');
        await exited;
      }
      await rm(folder, { recursive: true, force: true });
    },
  };
}

export async function launchChromium({ webrtc = false, webgl = false } = {}) {
  const args = ['--no-sandbox', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'];
  // WebGL in headless Chromium runs on SwiftShader; without WebGL the GPU stays off.
  args.push(...(webgl ? ['--use-angle=swiftshader', '--enable-unsafe-swiftshader'] : ['--disable-gpu']));
  if (webrtc) {
    // Fake cameras at 15 fps: six pages of a call, each encoding and decoding five streams, then fit
    // on a two-core machine. Frames still advance, which is all the tests look for.
    args.push('--use-fake-device-for-media-stream=fps=15', '--use-fake-ui-for-media-stream', '--allow-loopback-in-peer-connection');
  }
  return chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args });
}

export async function screenshot(page, name) {
  await mkdir(screenshotDir, { recursive: true });
  const path = join(screenshotDir, `${name}.png`);
  await page.screenshot({ path });
  return path;
}

// ---------------------------------------------------------------------------------------------
// a test file's world

// One mehfil-server (started with `serverFlags`; none with `server: false`), a static server for
// build/web when `staticWeb`, and one Chromium (launchChromium's `chromium` options), made before
// the file's tests and closed after them: every browser context first, so calls end before the
// server does. The tests read world.server, world.web and world.browser. `prepare(world)` runs once
// they are up, before the tests: what every test of the file shares (a room) is made there, since a
// file's own top-level before() would not wait for the world (node:test starts them together).
export function setUp({ serverFlags = [], server = true, staticWeb = false, chromium: browserOptions = {}, prepare } = {}) {
  const world = { server: null, web: null, browser: null };
  before(async () => {
    if (server) world.server = await startServer(serverFlags);
    if (staticWeb) world.web = await serveWeb();
    world.browser = await launchChromium(browserOptions);
    await prepare?.(world);
  });
  after(async () => {
    for (const context of world.browser?.contexts() ?? []) await context.close().catch(() => {});
    await world.browser?.close();
    await world.web?.close();
    await world.server?.close();
  });
  return world;
}

// A page in a browser context of its own (its own storage, camera and microphone) with reduced
// motion, so no screenshot catches a transition. `session` goes into its localStorage where the
// site keeps it (web/site.js); uncaught errors of the page are printed under `name`.
export async function newPage(world, { viewport = { width: 1280, height: 720 }, colorScheme = 'light', name = 'page', session } = {}) {
  const context = await world.browser.newContext({ viewport, reducedMotion: 'reduce', colorScheme });
  if (session) await context.addInitScript((value) => localStorage.setItem('mehfil.session', value), JSON.stringify(session));
  const page = await context.newPage();
  page.on('pageerror', (error) => console.error(`[${name}] page error:`, error.message));
  return page;
}

// ---------------------------------------------------------------------------------------------
// REST: the calls that set a test up, through the site's own client (js-glue/rest-client.js), so a
// refusal throws with the server's code instead of passing for an answer.

export const rest = (world, path, json, token) => restCall(world.server.url, path, { json, token });

export const guestSession = (world, name) => rest(world, '/api/session', { display_name: name });

// A room made through the REST API by `host` (a session), or by a new guest called `hostName`.
export async function createRoom(world, { host, hostName = 'Host', ...options } = {}) {
  const session = host ?? await guestSession(world, hostName);
  const room = await rest(world, '/api/rooms/create', { room_name: 'E2E room', max_participants: 10, ...options }, session.token);
  return { code: room.room_code, hostToken: session.token, hostUserId: session.user_id, host: session };
}

// A seat in the room for each name, held by a REST join that never opens a socket (the server keeps
// it for --reservation-ms).
export async function takeSeats(world, code, names) {
  for (const name of names) await rest(world, `/api/rooms/${code}/join`, {}, (await guestSession(world, name)).token);
}

// ---------------------------------------------------------------------------------------------
// the room page and waiting

// The screen the room page shows (body[data-screen]: name, prejoin, room_full, ...), once it shows one.
export const screenOf = (page) => page.waitForFunction(() => document.body.dataset.screen, null, { timeout: 15000 })
  .then(() => page.evaluate(() => document.body.dataset.screen));

// The room page's name gate, passed as `name`: done once the page has moved on to its next screen
// (the session is made in between, so reading the screen at once would still find the gate).
export async function passNameGate(page, name) {
  await page.locator('[data-screen="name"] input').fill(name);
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.waitForFunction(() => document.body.dataset.screen !== 'name', null, { timeout: 15000 });
}

// Opens /room/CODE; a browser without a session meets the name gate first and passes it as `name`.
export async function openRoomPage(world, page, code, name = 'Visitor') {
  await page.goto(`${world.server.url}/room/${code}`);
  if (await screenOf(page) === 'name') await passNameGate(page, name);
}

// Polls `check` (returning a truthy value when satisfied) until it passes or the time is up.
export async function eventually(check, { timeout = 20000, interval = 250, what = 'condition' } = {}) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      last = await check();
      if (last) return last;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${last instanceof Error ? last.message : JSON.stringify(last)}`);
    await new Promise((done) => setTimeout(done, interval));
  }
}
