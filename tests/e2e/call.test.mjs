// A real call in real Chromium (fake camera and microphone), through the real server on loopback:
// people join a room made with the REST API, see and hear each other, the grid follows the layout
// engine, the host mutes and kicks, a screen share takes the stage. One browser, a context per person.
// Run by ctest through run-isolated.sh (a network namespace with only loopback).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setUp, createRoom, eventually, screenshot } from './support.mjs';
import { openCall, join, tiles, layout, allVideosPlaying } from './call_support.mjs';

const names = ['Host', 'Bela', 'Chen', 'Dara', 'Emre'];
const pages = []; // [host, Bela, Chen, Dara, Emre]
let room;
const world = setUp({
  chromium: { webrtc: true },
  prepare: async () => { room = await createRoom(world, { hostName: names[0] }); },
});

const debug = (page) => page.evaluate(() => {
  const d = window.call[Symbol.for('mehfil.debug')]();
  return { snapshot: d.snapshot, layout: d.layout, screen: d.screen };
});

function assertRectsMatchEngine(shown, label) {
  for (const tile of shown) {
    assert.ok(tile.engine, `${label}: the engine placed ${tile.id}`);
    for (const key of ['x', 'y', 'width', 'height']) {
      assert.ok(Math.abs(tile.engine[key] - tile.rect[key]) < 1.5,
        `${label}: ${tile.id}.${key} engine ${tile.engine[key]} page ${tile.rect[key]}`);
    }
  }
}

// Tiles settle (the entering scale is done) before their rects are compared.
async function settledTiles(page, count) {
  return eventually(async () => {
    const shown = await tiles(page);
    if (shown.length !== count) return false;
    try {
      assertRectsMatchEngine(shown, 'settling');
      return shown;
    } catch {
      return false;
    }
  }, { timeout: 15000, what: `${count} settled tiles` });
}

test('three people join a room made through the REST API and each sees three playing videos', async () => {
  for (let i = 0; i < 3; i++) {
    const page = await openCall(world, { room: room.code, name: names[i], token: i === 0 ? room.hostToken : undefined });
    pages.push(page);
    assert.equal(await join(page), 'in_room');
  }
  for (const page of pages) {
    const shown = await allVideosPlaying(page, 3);
    assert.equal(shown.filter((t) => t.local).length, 1, 'one of them is my own');
    assert.ok(shown.every((t) => t.kind === 'camera'));
    const { snapshot } = await debug(page);
    assert.equal(snapshot.participants.length, 2);
    for (const link of Object.values(snapshot.links)) assert.equal(link.state, 'connected');
  }
  const { layout: grid } = await debug(pages[0]);
  assert.deepEqual([grid.columns, grid.rows], [3, 1], 'three in a row on a desktop');
  assertRectsMatchEngine(await settledTiles(pages[0], 3), 'three');
  await screenshot(pages[0], 'call-3-desktop');
  const phone = await openCall(world, { room: room.code, name: 'Phone', viewport: { width: 390, height: 844 } });
  await join(phone);
  await allVideosPlaying(phone, 4);
  const phoneLayout = await layout(phone);
  assert.ok(phoneLayout.columns <= 2, 'a phone shows at most two per row');
  // Held upright, the cameras may take shapes from 9:16 to 16:9 to fill the stage (the engine's
  // aspect range), cropped to fill their tiles; never less of the stage than 16:9 tiles would cover.
  assertRectsMatchEngine(await settledTiles(phone, 4), 'phone');
  const cover = await phone.evaluate(async () => {
    const { computeLayout } = await import('/mehfil-core.mjs');
    const debug = window.call[Symbol.for('mehfil.debug')]();
    const { clientWidth: width, clientHeight: height } = debug.stage;
    const share = (l) => l.tiles.filter((t) => t.visible).reduce((sum, t) => sum + t.width * t.height, 0) / (width * height);
    const tilesIn = debug.layout.tiles.map((t) => ({ id: t.id }));
    const fixed = computeLayout({ viewport: { width, height }, mode: 'auto', tiles: tilesIn });
    return { shown: share(debug.layout), fixed: share(fixed), shapes: debug.layout.tiles.map((t) => t.width / t.height),
      fits: [...debug.stage.querySelectorAll('.tile video')].map((v) => getComputedStyle(v).objectFit) };
  });
  console.log(`a 390x844 phone with 4 people: tiles cover ${(cover.shown * 100).toFixed(1)}% of the stage (16:9 tiles: ${(cover.fixed * 100).toFixed(1)}%)`);
  assert.ok(cover.shown >= cover.fixed - 0.001, 'the range never covers less');
  assert.ok(cover.shapes.every((a) => a >= 9 / 16 - 0.01 && a <= 16 / 9 + 0.01), `shapes ${cover.shapes}`);
  assert.ok(cover.fits.every((fit) => fit === 'cover'), 'camera video is cropped to fill');
  await screenshot(phone, 'call-4-phone');
  await phone.evaluate(() => window.call.leave());
  await phone.context().close();
  for (const page of pages) await eventually(async () => (await tiles(page)).length === 3, { what: 'the phone has left' });
});

test('a fourth and a fifth person make the grid 2×2, then 3×2, with tiles where the engine puts them', async () => {
  for (const [i, expected] of [[3, [2, 2]], [4, [3, 2]]]) {
    const page = await openCall(world, { room: room.code, name: names[i] });
    pages.push(page);
    assert.equal(await join(page), 'in_room');
    const count = i + 1;
    // Generous: five pages on a two-core machine take a while, and a link that livelocks never
    // connects however long one waits (call_slow_signaling.test.mjs covers that case).
    for (const each of pages) {
      await allVideosPlaying(each, count, { timeout: 90000 });
      const grid = await layout(each);
      assert.deepEqual([grid.columns, grid.rows], expected, `${count} people`);
      assertRectsMatchEngine(await settledTiles(each, count), `${count} people`);
    }
  }
  await screenshot(pages[0], 'call-5-desktop');
});

test('the host mutes one person and kicks another, who then cannot come back', async () => {
  const [host, , chen, dara] = pages;
  const people = await host.evaluate(() => window.call.participants());
  const chenId = people.find((p) => p.display_name === 'Chen').user_id;
  const daraId = people.find((p) => p.display_name === 'Dara').user_id;
  assert.equal(await host.evaluate(() => window.call.canManage()), true);
  assert.equal(await chen.evaluate(() => window.call.canManage()), false);

  await host.evaluate((id) => window.call.mute(id), chenId);
  await eventually(() => chen.evaluate(() => {
    const stream = window.call[Symbol.for('mehfil.debug')]().localStream;
    return stream.getAudioTracks().every((t) => !t.enabled) && window.call.self().audio === false;
  }), { what: "Chen's microphone track to be disabled" });
  // Everyone's card for Chen shows the microphone off; so does Chen's own.
  for (const page of pages) {
    await eventually(async () => {
      const shown = await tiles(page);
      const peer = await page.evaluate((id) => window.call.participants().find((p) => p.user_id === id).peer_id, chenId);
      return shown.find((t) => t.id === peer)?.audio === false;
    }, { what: 'the mute icon on Chen' });
  }

  await host.evaluate((id) => window.call.kick(id), daraId);
  await eventually(() => dara.evaluate(() => window.call.state === 'kicked'), { what: 'Dara to be kicked' });
  const removed = await dara.evaluate(() => ({
    events: window.events.filter((e) => e.name === 'kicked').length,
    text: window.call[Symbol.for('mehfil.debug')]().stage.getRootNode().textContent,
  }));
  assert.equal(removed.events, 1);
  assert.match(removed.text, /removed/i, 'the page says Dara was removed');
  const rejoin = await dara.evaluate(() => window.call.join().then(() => 'joined', (e) => e.code));
  assert.notEqual(rejoin, 'joined');
  assert.equal(await dara.evaluate(() => window.call.state), 'failed');
  for (const page of [pages[0], pages[1], pages[2], pages[4]]) {
    await eventually(async () => (await tiles(page)).length === 4, { what: 'Dara gone from every grid' });
  }
  await screenshot(dara, 'call-kicked');
  await dara.context().close();
  pages.splice(3, 1);
});

test('a screen share takes the stage on every page', async () => {
  const [host, bela] = pages;
  // Headless Chromium cannot capture a screen: share a canvas that keeps drawing instead.
  await bela.evaluate(() => {
    navigator.mediaDevices.getDisplayMedia = async () => {
      const canvas = document.createElement('canvas');
      canvas.width = 1280;
      canvas.height = 720;
      const g = canvas.getContext('2d');
      let frame = 0;
      setInterval(() => {
        g.fillStyle = `hsl(${(frame += 3) % 360} 60% 40%)`;
        g.fillRect(0, 0, 1280, 720);
        g.fillStyle = '#fff';
        g.font = '64px sans-serif';
        g.fillText(`Slide ${frame}`, 80, 360);
      }, 50);
      return canvas.captureStream(15);
    };
  });
  await bela.evaluate(() => window.call.startScreenShare());
  const belaPeer = await bela.evaluate(() => window.call.self().peer_id);
  for (const page of pages) {
    const shown = await eventually(async () => {
      const grid = await layout(page);
      if (grid?.stage !== `${belaPeer}:screen`) return false;
      const all = await tiles(page);
      const screenTile = all.find((t) => t.kind === 'screen');
      return screenTile && screenTile.videoWidth > 0 ? all : false;
    }, { timeout: 30000, what: 'the screen share on stage' });
    const screenTile = shown.find((t) => t.kind === 'screen');
    const others = shown.filter((t) => t.kind !== 'screen');
    assert.ok(others.every((t) => t.rect.width * t.rect.height < screenTile.rect.width * screenTile.rect.height),
      'the screen is the biggest tile');
  }
  await screenshot(host, 'call-screen-share');
  await bela.evaluate(() => window.call.stopScreenShare());
  for (const page of pages) {
    await eventually(async () => (await layout(page))?.stage == null && (await tiles(page)).every((t) => t.kind === 'camera'),
      { what: 'the screen tile to go' });
  }
  // The host turns sharing off: Bela loses the button, the API refuses with the server's code, and
  // the host keeps both.
  const shareButton = (page) => page.getByRole('button', { name: 'Share your screen' });
  assert.ok(await shareButton(bela).isVisible(), 'Bela has a share button while sharing is on');
  await host.evaluate(() => window.call.updateSettings({ screenshare: false }));
  await eventually(() => bela.evaluate(() => window.call.mayShareScreen() === false), { what: 'Bela to learn sharing is off' });
  await eventually(async () => !(await shareButton(bela).isVisible()), { what: 'Bela’s share button to go' });
  assert.equal(await bela.evaluate(() => window.call.startScreenShare().then(() => 'started', (error) => error.code)), 'screenshare_disabled');
  assert.ok(await host.evaluate(() => window.call.mayShareScreen()), 'the host may still share');
  assert.ok(await shareButton(host).isVisible(), 'the host keeps the share button');
  await host.evaluate(() => window.call.updateSettings({ screenshare: true }));
  await eventually(() => shareButton(bela).isVisible(), { what: 'Bela’s share button to come back' });
});
