// Shared pieces of the browser tests: a static server for build/web on loopback, and Debian's
// Chromium driven by playwright-core with the flags that work headless here (docs/ARCHITECTURE.md, toolchain).
import { createServer } from 'node:http';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { readFile, mkdir } from 'node:fs/promises';
import { extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

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
  const start = () => new Promise((ready, fail) => {
    // Every page of a test comes from 127.0.0.1, like a whole school behind one NAT: the per-address
    // guest session limit is raised so a long test file never waits for it.
    child = spawn(join(binDir, 'mehfil-server'), ['--port', String(port), '--db', join(folder, 'mehfil.db'), '--web', webDir,
      '--guest-sessions-per-minute', '1000', ...extraFlags],
      { stdio: ['ignore', 'pipe', 'inherit'] });
    let seen = '';
    child.stdout.on('data', (chunk) => {
      seen += chunk;
      const match = seen.match(/listening on http:\/\/127\.0\.0\.1:(\d+)\//);
      if (match) { port = Number(match[1]); ready(); }
    });
    child.once('exit', (code) => fail(new Error(`mehfil-server exited with ${code}: ${seen}`)));
  });
  await start();
  return {
    get url() { return `http://127.0.0.1:${port}`; },
    get port() { return port; },
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
