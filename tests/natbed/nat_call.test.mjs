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
// 4. Four people across three homes; one home's NAT mappings are flushed mid-call: its links
//    recover by ICE restart, no ghost tile appears, and the quality the others see dips and returns.
// 5. The site itself over https from a home: its own pages and CSP, the camera preview of the
//    pre-join screen, and a call joined from it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { bed, openBed, closeBed, closeCalls, startServer, iceFlags, createRoom, joinFrom, links, framesFlow,
  eventually, newPageIn } from './bed_support.mjs';

before(openBed);
after(closeBed);

// Ana in home1 and Ben in home2, behind NATs of `mode`, in one room of a server started with
// `flags`, each seeing the other's video.
async function twoHomes(mode, flags) {
  bed('set-nat-mode', '1', mode);
  bed('set-nat-mode', '2', mode);
  const server = await startServer(443, flags);
  const room = await createRoom(server);
  const ana = await joinFrom('home1', server, room, 'Ana', room.hostToken);
  const ben = await joinFrom('home2', server, room, 'Ben');
  for (const page of [ana, ben]) await eventually(() => framesFlow(page, 1), { timeout: 60000, what: 'video both ways' });
  return [ana, ben];
}

// The path the Connection info panel names for the page's one link, once it names one.
async function shownPath(page) {
  const [shown] = await eventually(async () => {
    const rows = await page.evaluate(() => window.call.connectionStats());
    return rows[0]?.path ? rows : null;
  }, { timeout: 10000, what: 'Connection info to name the path' });
  return shown.path;
}

test('two homes behind symmetric NATs talk over https through the TURN relay', { timeout: 180000 }, async () => {
  try {
    const [ana, ben] = await twoHomes('symmetric', iceFlags());
    assert.equal(await ana.evaluate(() => window.isSecureContext && location.protocol), 'https:', 'the camera is on an https origin');
    for (const page of [ana, ben]) {
      const [link] = Object.values(await links(page));
      assert.ok(link.local === 'relay' || link.remote === 'relay', `a relayed pair: ${JSON.stringify(link)}`);
      assert.equal(await shownPath(page), 'relayed', 'Connection info says the call goes through the relay');
    }
  } finally {
    await closeCalls();
  }
});

test('two homes behind endpoint-independent NATs with STUN only meet on a server-reflexive pair', { timeout: 180000 }, async () => {
  try {
    for (const page of await twoHomes('eim', iceFlags({ turn: false }))) {
      const [link] = Object.values(await links(page));
      assert.notEqual(link.local, 'relay');
      assert.notEqual(link.remote, 'relay');
      assert.ok([link.local, link.remote].some((type) => type === 'srflx' || type === 'prflx'), `a server-reflexive pair: ${JSON.stringify(link)}`);
      assert.equal(await shownPath(page), 'direct');
    }
  } finally {
    await closeCalls();
  }
});

test('without TURN two symmetric NATs cannot meet: both cards say so within 15 s, and the public person talks to both', { timeout: 180000 }, async () => {
  try {
    bed('set-nat-mode', '1', 'symmetric');
    bed('set-nat-mode', '2', 'symmetric');
    const server = await startServer(443, iceFlags({ turn: false }));
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
    await closeCalls();
  }
});

test('when a home’s NAT forgets its mappings mid-call, its links come back and the bars dip and return', { timeout: 360000 }, async () => {
  try {
    bed('set-nat-mode', '1', 'symmetric');
    bed('set-nat-mode', '2', 'symmetric');
    const server = await startServer(443, iceFlags());
    const room = await createRoom(server);
    const ana = await joinFrom('home1', server, room, 'Ana', room.hostToken);
    const ben = await joinFrom('home2', server, room, 'Ben');
    const cy = await joinFrom('home3', server, room, 'Cy');
    const dee = await joinFrom('home3', server, room, 'Dee');
    const pages = [ana, ben, cy, dee];
    for (const page of pages) await eventually(() => framesFlow(page, 3), { timeout: 90000, what: 'four people see each other' });
    const anaPeer = await ana.evaluate(() => window.call.self().peer_id);
    const qualityOfAna = () => ben.evaluate((peer) => window.call.connectionStats().find((p) => p.peer_id === peer)?.quality, anaPeer);
    const healthy = (quality) => quality === 'good' || quality === 'fair';
    await eventually(async () => healthy(await qualityOfAna()), { timeout: 30000, what: 'Ben to rate Ana good or fair' });
    // ICE restarts on every link of the call: Ana's own, and the others' links to her.
    const restarts = async () => (await Promise.all(pages.map((page) => page.evaluate(() => Object.values(
      window.call[Symbol.for('mehfil.debug')]().snapshot.links).reduce((sum, link) => sum + link.ice_restarts, 0)))))
      .reduce((a, b) => a + b, 0);
    const restartsBefore = await restarts();

    bed('flush-nat', '1');  // Ana's router forgets every mapping: her relayed and direct paths break
    const seen = [];
    const flushed = Date.now();
    let sawDown = false;  // whether the poll caught one of Ana's links down (Chrome may heal first)
    const allConnected = () => ana.evaluate(() => Object.values(window.call[Symbol.for('mehfil.debug')]().snapshot.links)
      .every((link) => link.connection === 'connected')).catch(() => false);
    await eventually(async () => {
      if (!(await allConnected())) sawDown = true;
      seen.push(await qualityOfAna());
      return seen.includes('poor') && healthy(seen.at(-1)) && (await framesFlow(ben, 3)) ? true : null;
    }, { timeout: 90000, what: 'Ben’s bars for Ana to dip and come back' }).catch((error) => {
      throw new Error(`${error.message}; Ben's bars for Ana went ${seen.join(' ')}`);
    });
    // Ben's link to Ana can heal before her links to the third home do: wait for all of them.
    await eventually(allConnected, { timeout: 60000, what: 'every one of Ana’s links connected again' });
    const linksBack = Date.now();
    for (const page of pages) await eventually(() => framesFlow(page, 3), { timeout: 60000, what: 'everyone sees everyone again' });
    console.log(`after Ana's NAT was flushed: ${sawDown ? 'a link of hers went down and ' : ''}all her links were connected at ` +
      `${((linksBack - flushed) / 1000).toFixed(1)} s, and Ben's bars for her went ${[...new Set(seen)].join(' → ')} and back`);
    // Chrome may also find the new mapping by itself (a peer-reflexive candidate) before a restart
    // is due; either way the links must come back, and how they did is printed.
    console.log(`ICE restarts in the call: ${restartsBefore} before the flush, ${await restarts()} after`);
    // Four camera tiles on every page: no ghost, nobody missing (a page whose socket came back
    // through the flushed NAT may still be reconciling its tiles for a moment).
    const tiles = () => Promise.all(pages.map((page) => page.evaluate(() => [...window.call[Symbol.for('mehfil.debug')]().stage
      .querySelectorAll('.tile[data-kind="camera"]:not(.tile-leaving)')].length)));
    await eventually(async () => (await tiles()).every((count) => count === 4), { timeout: 10000, what: 'four camera tiles on every page' })
      .catch(async (error) => { throw new Error(`${error.message}: Ana, Ben, Cy and Dee have ${(await tiles()).join(', ')}`); });
  } finally {
    await closeCalls();
  }
});

test('the site works over https from a home: its own CSP, the camera preview, and a call joined from the room page', { timeout: 180000 }, async () => {
  try {
    const server = await startServer(443, iceFlags());
    const room = await createRoom(server);
    const ana = await joinFrom('home1', server, room, 'Ana', room.hostToken);
    const page = await newPageIn('home3');
    const violations = [];
    await page.addInitScript(() => document.addEventListener('securitypolicyviolation', (event) => {
      window.__violations = [...(window.__violations ?? []), `${event.violatedDirective} ${event.blockedURI}`];
    }));
    const response = await page.goto(`${server.url}/room/${room.code}`);
    const headers = response.headers();
    assert.match(headers['content-security-policy'] ?? '', /script-src 'self'/, 'the page comes with its own CSP');
    assert.equal(headers['strict-transport-security'], 'max-age=31536000');
    await page.waitForFunction(() => document.body.dataset.screen, null, { timeout: 20000 });
    if (await page.evaluate(() => document.body.dataset.screen) === 'name') {
      await page.locator('[data-screen="name"] input').fill('Cy');
      await page.getByRole('button', { name: 'Continue' }).click();
    }
    await page.waitForFunction(() => document.body.dataset.screen === 'prejoin', null, { timeout: 20000 });
    await page.waitForFunction(() => [...document.querySelectorAll('video')].some((v) => v.videoWidth > 0), null, { timeout: 20000 });
    await page.getByRole('button', { name: 'Join Room' }).click();
    await page.waitForFunction(() => window.mehfilCall?.state === 'in_room', null, { timeout: 45000 });
    await eventually(() => page.evaluate(() => [...window.mehfilCall[Symbol.for('mehfil.debug')]().stage.querySelectorAll('.tile video')]
      .filter((v) => v.videoWidth > 0).length === 2), { timeout: 60000, what: 'Cy sees Ana and herself' });
    await eventually(() => framesFlow(ana, 1), { timeout: 30000, what: 'Ana sees Cy' });
    violations.push(...await page.evaluate(() => window.__violations ?? []));
    assert.deepEqual(violations, [], 'no Content-Security-Policy violations');
  } finally {
    await closeCalls();
  }
});
