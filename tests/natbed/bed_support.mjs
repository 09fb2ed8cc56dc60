// What the NAT test bed's browser tests and benchmark share (run them through netbed.sh, which
// builds the bed and exports NETBED_*): a certificate made by openssl for the server's public
// address, coturn started with a shared secret, mehfil-server over https in the `srv` namespace,
// one headless Chromium per home started inside that home (`ip netns exec`) and told to trust the
// certificate by its public key, and what a page sees of its links (getStats).
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile, chmod, readFile } from 'node:fs/promises';
import { createHash, X509Certificate } from 'node:crypto';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = fileURLToPath(new URL('.', import.meta.url));
const netbed = join(here, 'netbed.sh');
const binDir = resolve(process.env.MEHFIL_BIN_DIR ?? join(here, '../../build/native/bin'));
const webDir = resolve(process.env.MEHFIL_WEB_DIR ?? join(here, '../../build/web'));
export const callPage = readFile(join(here, '../e2e/call-page.html'), 'utf8');
export const SERVER_IP = process.env.NETBED_SRV_IP ?? '203.0.113.10';
export const TURN_SECRET = 'natbed-e2e-secret';

let folder;
let spki;  // the certificate's public key hash, which each Chromium is told to trust
const servers = [];
const browsers = new Map();  // namespace -> Browser
const contexts = [];

export function bed(...args) {
  return execFileSync('bash', [netbed, ...args], { encoding: 'utf8' });
}

// The certificate and coturn; call once before anything else.
export async function openBed() {
  folder = await mkdtemp(join(tmpdir(), 'mehfil-natbed-'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '2',
    '-subj', '/CN=Mehfil NAT bed', '-addext', `subjectAltName=IP:${SERVER_IP}`,
    '-keyout', join(folder, 'server.key'), '-out', join(folder, 'server.crt')], { stdio: 'ignore' });
  const cert = new X509Certificate(await readFile(join(folder, 'server.crt')));
  spki = createHash('sha256').update(cert.publicKey.export({ type: 'spki', format: 'der' })).digest('base64');
  bed('turn-start', TURN_SECRET);
}

export async function closeBed() {
  await closeCalls();
  for (const browser of browsers.values()) await browser.close().catch(() => {});
  browsers.clear();
  bed('turn-stop');
  await rm(folder, { recursive: true, force: true });
}

// Every page and server opened since the last call.
export async function closeCalls() {
  for (const context of contexts.splice(0)) await context.close().catch(() => {});
  for (const server of servers.splice(0)) {
    const exited = new Promise((done) => server.child.once('exit', done));
    server.child.kill('SIGTERM');
    await exited;
  }
}

// The flags that give clients the bed's STUN, and its TURN unless `turn` is false.
export const iceFlags = ({ turn = true } = {}) => ['--stun', `stun:${SERVER_IP}:3478`,
  ...(turn ? ['--turn', `turn:${SERVER_IP}:3478?transport=udp`, '--turn-secret', TURN_SECRET] : [])];

// mehfil-server in the bed's server namespace on https://SERVER_IP:port, with `flags`.
export async function startServer(port, flags) {
  const child = spawn('ip', ['netns', 'exec', 'srv', join(binDir, 'mehfil-server'), '--host', SERVER_IP, '--port', String(port),
    '--db', join(folder, `mehfil-${port}.db`), '--web', webDir, '--tls-cert', join(folder, 'server.crt'),
    '--tls-key', join(folder, 'server.key'), '--public-url', `https://${SERVER_IP}:${port}`, ...flags],
  { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise((ready, fail) => {
    let seen = '';
    child.stdout.on('data', (chunk) => { seen += chunk; if (seen.includes('listening on https://')) ready(); });
    child.once('exit', (code) => fail(new Error(`mehfil-server exited with ${code}: ${seen}`)));
  });
  const server = { url: `https://${SERVER_IP}:${port}`, child };
  servers.push(server);
  return server;
}

// A REST call from the test runner (the bed's outer namespace reaches the server directly).
async function api(server, path, body, token) {
  const ca = await readFile(join(folder, 'server.crt'));
  return new Promise((done, fail) => {
    const req = request(`${server.url}${path}`, {
      method: 'POST', ca,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    }, (res) => {
      let text = '';
      res.on('data', (chunk) => { text += chunk; });
      res.on('end', () => (res.statusCode < 300 ? done(JSON.parse(text)) : fail(new Error(`${path}: ${res.statusCode} ${text}`))));
    });
    req.on('error', fail);
    req.end(JSON.stringify(body ?? {}));
  });
}

export async function createRoom(server) {
  const session = await api(server, '/api/session', { display_name: 'Host' });
  const room = await api(server, '/api/rooms/create', { room_name: 'NAT room', max_participants: 10 }, session.token);
  return { code: room.room_code, hostToken: session.token };
}

// One Chromium per namespace, started inside it.
export async function browserIn(namespace) {
  if (browsers.has(namespace)) return browsers.get(namespace);
  const launcher = join(folder, `chromium-${namespace}`);
  await writeFile(launcher, `#!/bin/sh\nexec ip netns exec ${namespace} /usr/bin/chromium "$@"\n`);
  await chmod(launcher, 0o755);
  const browser = await chromium.launch({
    executablePath: launcher, headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--use-fake-device-for-media-stream=fps=15',
      '--use-fake-ui-for-media-stream', `--ignore-certificate-errors-spki-list=${spki}`,
      `--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE ${SERVER_IP}`],  // no DNS: there is none in the bed
  });
  browsers.set(namespace, browser);
  return browser;
}

// A fresh page (its own browser context: camera, storage) in the home's Chromium.
export async function newPageIn(namespace) {
  const context = await (await browserIn(namespace)).newContext({ viewport: { width: 960, height: 540 }, reducedMotion: 'reduce' });
  contexts.push(context);
  return context.newPage();
}

// A page in `namespace` joined to the room, as `name`.
export async function joinFrom(namespace, server, room, name, token) {
  const page = await newPageIn(namespace);
  page.on('pageerror', (error) => console.error(`[${name}] page error:`, error.message));
  const query = new URLSearchParams({ room: room.code, name, ...(token ? { token } : {}) });
  await page.goto(`${server.url}/healthz?${query}`);
  await page.setContent(await callPage);
  await page.waitForSelector('body[data-ready="true"]');
  await page.evaluate(() => window.makeCall());
  assert.equal(await page.evaluate(() => window.call.join().then(() => window.call.state)), 'in_room', `${name} joins`);
  return page;
}

export async function eventually(check, { timeout, what }) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    last = await check();
    if (last) return last;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

// The page's view of each link: connection state, the core's link state, whether remote video
// advances, and the candidate types of the selected pair (from getStats).
export async function links(page) {
  return page.evaluate(async () => {
    const debug = window.call[Symbol.for('mehfil.debug')]();
    const snapshot = debug.snapshot ?? {};
    const out = {};
    for (const [peer, pc] of Object.entries(debug.pcs)) {
      const stats = await pc.getStats();
      let pair = null;
      let inboundFrames = 0;
      stats.forEach((s) => {
        if (s.type === 'transport' && s.selectedCandidatePairId) pair = stats.get(s.selectedCandidatePairId);
        if (s.type === 'inbound-rtp' && s.kind === 'video') inboundFrames += s.framesDecoded ?? 0;
      });
      out[peer] = {
        connection: pc.connectionState,
        link: snapshot.links?.[peer] ?? null,
        local: pair ? stats.get(pair.localCandidateId)?.candidateType : null,
        remote: pair ? stats.get(pair.remoteCandidateId)?.candidateType : null,
        inboundFrames,
      };
    }
    return out;
  });
}

export async function framesFlow(page, peers) {
  const first = await links(page);
  await new Promise((r) => setTimeout(r, 1500));
  const second = await links(page);
  return peers === Object.keys(second).length &&
    Object.keys(second).every((peer) => second[peer].connection === 'connected' && second[peer].inboundFrames > (first[peer]?.inboundFrames ?? 0));
}
