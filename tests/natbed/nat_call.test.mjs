// Calls between homes behind real NATs, on the test bed netbed.sh builds (run through it:
// `bash tests/natbed/netbed.sh with symmetric symmetric eim -- node --test tests/natbed/nat_call.test.mjs`).
// Everything is real: mehfil-server over https with a certificate made here by openssl, Debian's
// coturn with the shared secret, nftables masquerade in each home's router, and one headless
// Chromium per home started inside that home's namespace (`ip netns exec`) and told to trust the
// test certificate by its public key. Nothing leaves the bed's namespaces.
//
// 1. Two homes behind symmetric NATs: media flows both ways over a relayed candidate pair.
// 2. Two homes behind endpoint-independent NATs with STUN only: a server-reflexive pair, not relayed.
// 3. Symmetric NATs and no TURN: both cards say "Can't connect" within 15 s, and a person on the
//    public network still talks to both.
import { test, before, after } from 'node:test';
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
const callPage = readFile(join(here, '../e2e/call-page.html'), 'utf8');
const SERVER_IP = process.env.NETBED_SRV_IP ?? '203.0.113.10';
const TURN_SECRET = 'natbed-e2e-secret';

let folder;
let spki;  // the certificate's public key hash, which each Chromium is told to trust
const servers = [];
const browsers = new Map();  // namespace -> Browser
const contexts = [];

function bed(...args) {
  return execFileSync('bash', [netbed, ...args], { encoding: 'utf8' });
}

// mehfil-server in the bed's server namespace on https://SERVER_IP:port, with `flags`.
async function startServer(port, flags) {
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

async function createRoom(server) {
  const session = await api(server, '/api/session', { display_name: 'Host' });
  const room = await api(server, '/api/rooms/create', { room_name: 'NAT room', max_participants: 10 }, session.token);
  return { code: room.room_code, hostToken: session.token };
}

// One Chromium per namespace, started inside it.
async function browserIn(namespace) {
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

// A page in `namespace` joined to the room, as `name`.
async function joinFrom(namespace, server, room, name, token) {
  const context = await (await browserIn(namespace)).newContext({ viewport: { width: 960, height: 540 }, reducedMotion: 'reduce' });
  contexts.push(context);
  const page = await context.newPage();
  page.on('pageerror', (error) => console.error(`[${name}] page error:`, error.message));
  const query = new URLSearchParams({ room: room.code, name, ...(token ? { token } : {}) });
  await page.goto(`${server.url}/healthz?${query}`);
  await page.setContent(await callPage);
  await page.waitForSelector('body[data-ready="true"]');
  await page.evaluate(() => window.makeCall());
  assert.equal(await page.evaluate(() => window.call.join().then(() => window.call.state)), 'in_room', `${name} joins`);
  return page;
}

async function eventually(check, { timeout, what }) {
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
async function links(page) {
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

async function framesFlow(page, peers) {
  const first = await links(page);
  await new Promise((r) => setTimeout(r, 1500));
  const second = await links(page);
  return peers === Object.keys(second).length &&
    Object.keys(second).every((peer) => second[peer].connection === 'connected' && second[peer].inboundFrames > (first[peer]?.inboundFrames ?? 0));
}

async function closeAll() {
  for (const context of contexts.splice(0)) await context.close().catch(() => {});
  for (const server of servers.splice(0)) {
    const exited = new Promise((done) => server.child.once('exit', done));
    server.child.kill('SIGTERM');
    await exited;
  }
}

before(async () => {
  folder = await mkdtemp(join(tmpdir(), 'mehfil-natbed-'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '2',
    '-subj', '/CN=Mehfil NAT bed', '-addext', `subjectAltName=IP:${SERVER_IP}`,
    '-keyout', join(folder, 'server.key'), '-out', join(folder, 'server.crt')], { stdio: 'ignore' });
  const cert = new X509Certificate(await readFile(join(folder, 'server.crt')));
  spki = createHash('sha256').update(cert.publicKey.export({ type: 'spki', format: 'der' })).digest('base64');
  bed('turn-start', TURN_SECRET);
});

after(async () => {
  await closeAll();
  for (const browser of browsers.values()) await browser.close().catch(() => {});
  bed('turn-stop');
  await rm(folder, { recursive: true, force: true });
});

test('two homes behind symmetric NATs talk over https through the TURN relay', { timeout: 180000 }, async () => {
  try {
    bed('set-nat-mode', '1', 'symmetric');
    bed('set-nat-mode', '2', 'symmetric');
    const server = await startServer(443, ['--stun', `stun:${SERVER_IP}:3478`, '--turn', `turn:${SERVER_IP}:3478?transport=udp`,
      '--turn-secret', TURN_SECRET]);
    const room = await createRoom(server);
    const ana = await joinFrom('home1', server, room, 'Ana', room.hostToken);
    const ben = await joinFrom('home2', server, room, 'Ben');
    assert.equal(await ana.evaluate(() => window.isSecureContext && location.protocol), 'https:', 'the camera is on an https origin');
    for (const page of [ana, ben]) await eventually(() => framesFlow(page, 1), { timeout: 60000, what: 'video both ways' });
    for (const page of [ana, ben]) {
      const [link] = Object.values(await links(page));
      assert.ok(link.local === 'relay' || link.remote === 'relay', `a relayed pair: ${JSON.stringify(link)}`);
    }
  } finally {
    await closeAll();
  }
});

test('two homes behind endpoint-independent NATs with STUN only meet on a server-reflexive pair', { timeout: 180000 }, async () => {
  try {
    bed('set-nat-mode', '1', 'eim');
    bed('set-nat-mode', '2', 'eim');
    const server = await startServer(443, ['--stun', `stun:${SERVER_IP}:3478`]);
    const room = await createRoom(server);
    const ana = await joinFrom('home1', server, room, 'Ana', room.hostToken);
    const ben = await joinFrom('home2', server, room, 'Ben');
    for (const page of [ana, ben]) await eventually(() => framesFlow(page, 1), { timeout: 60000, what: 'video both ways' });
    for (const page of [ana, ben]) {
      const [link] = Object.values(await links(page));
      assert.notEqual(link.local, 'relay');
      assert.notEqual(link.remote, 'relay');
      assert.ok([link.local, link.remote].some((type) => type === 'srflx' || type === 'prflx'), `a server-reflexive pair: ${JSON.stringify(link)}`);
    }
  } finally {
    await closeAll();
  }
});

test('without TURN two symmetric NATs cannot meet: both cards say so within 15 s, and the public person talks to both', { timeout: 180000 }, async () => {
  try {
    bed('set-nat-mode', '1', 'symmetric');
    bed('set-nat-mode', '2', 'symmetric');
    const server = await startServer(443, ['--stun', `stun:${SERVER_IP}:3478`]);
    const room = await createRoom(server);
    const carol = await joinFrom('pubuser', server, room, 'Carol', room.hostToken);
    const ana = await joinFrom('home1', server, room, 'Ana');
    const ben = await joinFrom('home2', server, room, 'Ben');
    const benJoined = Date.now();  // in the room: from here on it is the links' doing
    const unreachableCard = (page, name) => page.evaluate((who) => [...window.call[Symbol.for('mehfil.debug')]().stage.querySelectorAll('.tile')]
      .some((tile) => tile.dataset.unreachable === 'no_relay' && tile.textContent.includes(`Can’t connect to ${who}`)), name);
    await eventually(() => unreachableCard(ana, 'Ben'), { timeout: 30000, what: 'Ana’s card for Ben' });
    await eventually(() => unreachableCard(ben, 'Ana'), { timeout: 30000, what: 'Ben’s card for Ana' });
    const seconds = (Date.now() - benJoined) / 1000;
    console.log(`both cards say "Can't connect" ${seconds.toFixed(1)} s after Ben is in the room`);
    assert.ok(seconds <= 15, `both say "Can't connect" ${seconds.toFixed(1)} s after Ben joined`);
    await eventually(() => framesFlow(carol, 2), { timeout: 60000, what: 'Carol sees both' });
    for (const page of [ana, ben]) {
      const states = Object.values(await links(page)).map((link) => link.connection).sort();
      assert.deepEqual(states.includes('connected'), true, 'each home still talks to Carol');
    }
  } finally {
    await closeAll();
  }
});
