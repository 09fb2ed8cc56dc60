// The server's STUN and TURN servers reach every RTCPeerConnection, and every link's quality shows: started with --stun and --turn,
// the server names them in hello, the core passes them in create-peer, and each page's pcs are made
// with them (TURN with the coturn-style credential made for that user). Both point at a loopback
// port where nothing answers, so the call itself still connects on host candidates.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setUp, createRoom, eventually, screenshot } from './support.mjs';
import { openCall, join, allVideosPlaying } from './call_support.mjs';

const world = setUp({
  serverFlags: ['--stun', 'stun:127.0.0.1:3478', '--turn', 'turn:127.0.0.1:3478?transport=udp',
    '--turn-secret', 'e2e-secret', '--turn-ttl', '600'],
  chromium: { webrtc: true },
});
const pages = [];

test('every peer connection is made with the STUN and TURN servers the server handed out', async () => {
  const room = await createRoom(world, { hostName: 'Host' });
  for (const [i, name] of ['Host', 'Guest'].entries()) {
    const page = await openCall(world, { room: room.code, name, token: i === 0 ? room.hostToken : undefined });
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

test('each card shows the link quality the core rates from getStats, and Connection info lists the path and figures', async () => {
  const [host] = pages;
  const stats = await eventually(async () => {
    const rows = await host.evaluate(() => window.call.connectionStats());
    return rows.length === 1 && rows[0].quality !== 'unknown' && rows[0].in_bps > 0 ? rows : null;
  }, { timeout: 20000, what: 'a rated link' });
  assert.equal(stats[0].display_name, 'Guest');
  assert.equal(stats[0].path, 'direct', 'loopback: host candidates, no relay');
  assert.equal(stats[0].quality, 'good', `on loopback the link is good: ${JSON.stringify(stats[0])}`);
  assert.ok(stats[0].rtt_ms < 200);
  const bars = await host.evaluate(() => {
    const stage = window.call[Symbol.for('mehfil.debug')]().stage;
    const quality = stage.querySelector('.tile[data-local="false"] .mf-card-quality');
    return quality && { hidden: quality.hidden, quality: quality.dataset.quality, title: quality.title };
  });
  assert.deepEqual({ hidden: bars.hidden, quality: bars.quality }, { hidden: false, quality: 'good' });
  assert.match(bars.title, /^Connection: good · \d+ ms · direct$/);
  // The panel, from the ⋯ menu.
  const root = host.locator('#room');
  await root.locator('[data-control="more"]').click();
  await root.getByRole('menuitem', { name: 'Connection info' }).click();
  const panel = root.locator('.mf-conn-person');
  await panel.first().waitFor();
  const text = await panel.first().innerText();
  assert.match(text, /Guest/);
  assert.match(text, /Good/);
  assert.match(text, /Direct/);
  assert.match(text, /\d+ ms/);
  await screenshot(host, 'connection-info');
});
