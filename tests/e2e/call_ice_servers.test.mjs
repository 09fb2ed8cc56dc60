// The server's STUN and TURN servers reach every RTCPeerConnection: started with --stun and --turn,
// the server names them in hello, the core passes them in create-peer, and each page's pcs are made
// with them (TURN with the coturn-style credential made for that user). Both point at a loopback
// port where nothing answers, so the call itself still connects on host candidates.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchChromium } from './support.mjs';
import { createRoom, openCall, join, allVideosPlaying, closePages } from './call_support.mjs';

let server;
let browser;
const pages = [];
before(async () => {
  server = await startServer(['--stun', 'stun:127.0.0.1:3478', '--turn', 'turn:127.0.0.1:3478?transport=udp',
    '--turn-secret', 'e2e-secret', '--turn-ttl', '600']);
  browser = await launchChromium({ webrtc: true });
});
after(async () => {
  await closePages(pages);
  await browser?.close();
  await server?.close();
});

test('every peer connection is made with the STUN and TURN servers the server handed out', async () => {
  const room = await createRoom(server, { hostName: 'Host' });
  for (const [i, name] of ['Host', 'Guest'].entries()) {
    const page = await openCall(browser, server, { room: room.code, name, token: i === 0 ? room.hostToken : undefined });
    pages.push(page);
    assert.equal(await join(page), 'in_room');
  }
  for (const page of pages) await allVideosPlaying(page, 2, { timeout: 60000 });
  for (const page of pages) {
    const seen = await page.evaluate(() => ({
      self: window.call.self().user_id,
      configs: Object.values(window.call[Symbol.for('mehfil.debug')]().pcs).map((pc) => pc.getConfiguration().iceServers),
    }));
    assert.equal(seen.configs.length, 1);
    const [stun, turn] = seen.configs[0];
    assert.deepEqual([].concat(stun.urls), ['stun:127.0.0.1:3478']);
    assert.deepEqual([].concat(turn.urls), ['turn:127.0.0.1:3478?transport=udp']);
    const [expiry, user] = turn.username.split(':');
    assert.equal(user, seen.self, 'the TURN username names this user');
    assert.ok(Math.abs(Number(expiry) - (Date.now() / 1000 + 600)) < 60, 'and expires after --turn-ttl');
    assert.match(turn.credential, /^[A-Za-z0-9+/]{27}=$/, 'base64 of a 20-byte HMAC-SHA1');
  }
});
