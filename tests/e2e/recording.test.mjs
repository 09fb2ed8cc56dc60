// Recording in real Chromium against the real server, checked with real ffmpeg: the host's browser
// draws the room at the layout engine's rects for 1280×720, mixes everyone's sound, records it with
// MediaRecorder and uploads it while it records; the server finishes it into a seekable WebM. What
// the file holds is read back with ffprobe and with frames ffmpeg decodes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setUp, createRoom, eventually, screenshot, guestSession, newPage, openRoomPage, rest } from './support.mjs';
import { openCall, join, tiles, lightCall } from './call_support.mjs';
import { WIDTH, HEIGHT, wait, finishedRecording, probe, frameAt, recordedLayout, matchesLayout } from './recording_support.mjs';

// A short grace, so a recorder whose tab closed gives up its place (and its recording) quickly.
const world = setUp({ chromium: { webrtc: true }, serverFlags: ['--resume-grace-ms', '1000', '--sweep-ms', '200'] });

test('three people recorded for 10 s with a screen share from halfway: a 1280×720 file with sound, 10 s long, showing the grid and then the stage at the engine\'s rects', async () => {
  const room = await createRoom(world, { hostName: 'Ana' });
  const ana = await lightCall(world, room.code, 'Ana', 20, room.hostToken);
  const bela = await lightCall(world, room.code, 'Bela', 140);
  const cyrus = await lightCall(world, room.code, 'Cyrus', 260);
  try {
    await recordThreePeople(ana, bela, cyrus);
  } finally {
    for (const page of [ana, bela, cyrus]) await page.context().close();
  }
});

async function recordThreePeople(ana, bela, cyrus) {
  for (const page of [ana, bela, cyrus]) assert.equal(await join(page), 'in_room');
  await eventually(async () => (await tiles(ana)).filter((t) => t.videoWidth > 0).length === 3, { what: 'three playing tiles on Ana\'s page' });
  // Headless Chromium cannot capture a screen: Bela shares a canvas that keeps drawing.
  await bela.evaluate(() => {
    navigator.mediaDevices.getDisplayMedia = async () => {
      const canvas = Object.assign(document.createElement('canvas'), { width: 1280, height: 720 });
      const g = canvas.getContext('2d');
      let frame = 0;
      setInterval(() => {
        g.fillStyle = `hsl(${(frame += 3) % 360} 60% 50%)`;
        g.fillRect(0, 0, 1280, 720);
      }, 50);
      return canvas.captureStream(15);
    };
  });

  await ana.evaluate(() => window.call.startRecording());
  await eventually(() => ana.evaluate(() => window.call.room().recording === 'recording'), { what: 'the recording to start' });
  const started = Date.now();
  await wait(2000);
  const grid = await recordedLayout(ana);
  await wait(5000 - (Date.now() - started));
  await bela.evaluate(() => window.call.startScreenShare());
  const belaScreen = `${await bela.evaluate(() => window.call.self().peer_id)}:screen`;
  await eventually(async () => (await recordedLayout(ana)).stage === belaScreen, { what: 'Bela\'s screen on the stage' });
  await wait(8000 - (Date.now() - started));
  const stageAt = Math.round((Date.now() - started) / 100) / 10;  // 8 s, or later on a busy machine
  const stage = await recordedLayout(ana);
  await screenshot(ana, 'recording-host-sharing');
  await wait(10000 - (Date.now() - started));
  await ana.evaluate(() => window.call.stopRecording());
  // 10 s, unless the screen took longer to reach the stage on a busy machine: then as long as it ran.
  const recordedFor = (Date.now() - started) / 1000;

  const { path } = await finishedRecording(ana, 'the recording to be finished');
  const probed = probe(path);
  const video = probed.streams.filter((s) => s.codec_type === 'video');
  const audio = probed.streams.filter((s) => s.codec_type === 'audio');
  assert.equal(video.length, 1);
  assert.equal(audio.length, 1);
  assert.deepEqual([video[0].width, video[0].height], [WIDTH, HEIGHT]);
  const seconds = Number(probed.format.duration);
  assert.ok(Math.abs(seconds - recordedFor) <= 1, `${recordedFor.toFixed(1)} s ± 1 s (10 s planned), not ${seconds}`);

  assert.equal(grid.tiles.length, 3);
  assert.equal(grid.stage, null);
  assert.equal(stage.stage, belaScreen);
  for (const [at, layout] of [[2, grid], [stageAt, stage]]) {
    const seen = matchesLayout(frameAt(path, at), layout);
    assert.ok(seen.outsideBackground > 0.95, `at ${at} s the room's background is outside the tiles: ${JSON.stringify(seen)}`);
    assert.ok(seen.tilesFilled.every((f) => f > 0.9), `at ${at} s every tile the engine placed is drawn: ${JSON.stringify(seen)}`);
  }
}

test('a recording started in 1080p is 1920×1080, and paused for 3 s it leaves the pause out', async () => {
  const room = await createRoom(world, { hostName: 'Ana' });
  const ana = await openCall(world, { room: room.code, name: 'Ana', token: room.hostToken });
  try {
    await pauseThreeSeconds(ana);
  } finally {
    await ana.context().close();
  }
});

async function pauseThreeSeconds(ana) {
  assert.equal(await join(ana), 'in_room');
  await ana.evaluate(() => window.call.startRecording({ height: 1080 }));
  await eventually(() => ana.evaluate(() => window.call.room().recording === 'recording'), { what: 'the recording to start' });
  assert.equal(await ana.evaluate(() => window.call.room().recording_height), 1080);
  await wait(3000);
  await ana.evaluate(() => window.call.pauseRecording());
  await eventually(() => ana.evaluate(() => window.call.room().recording === 'paused'), { what: 'the pause' });
  await wait(3000);
  await ana.evaluate(() => window.call.resumeRecording());
  await eventually(() => ana.evaluate(() => window.call.room().recording === 'recording'), { what: 'the resume' });
  await wait(3000);
  await ana.evaluate(() => window.call.stopRecording());
  const { path } = await finishedRecording(ana, 'the paused recording to be finished');
  const probed = probe(path);
  const video = probed.streams.find((s) => s.codec_type === 'video');
  assert.deepEqual([video.width, video.height], [1920, 1080]);
  const seconds = Number(probed.format.duration);
  assert.ok(Math.abs(seconds - 6) <= 1, `6 s ± 1 s without the pause, not ${seconds}`);
}

test('a recording goes on through a reconnect of the recorder\'s socket: one segment, no gap', async () => {
  const room = await createRoom(world, { hostName: 'Ana' });
  const ana = await openCall(world, {
    room: room.code, name: 'Ana', token: room.hostToken,
    // Every socket the page opens, and the segment of every chunk it uploads.
    prepare: (page) => page.addInitScript(() => {
      window.testSockets = [];
      const Native = window.WebSocket;
      window.WebSocket = class extends Native {
        constructor(...args) { super(...args); window.testSockets.push(this); }
      };
      window.testSegments = new Set();
      const fetchNative = window.fetch;
      window.fetch = (url, options) => {
        if (options?.method === 'PUT') window.testSegments.add(new URL(url, location.href).searchParams.get('segment'));
        return fetchNative(url, options);
      };
    }),
  });
  try {
    assert.equal(await join(ana), 'in_room');
    await ana.evaluate(() => window.call.startRecording());
    await eventually(() => ana.evaluate(() => window.call.room().recording === 'recording'), { what: 'the recording to start' });
    await wait(3000);
    const started = Date.now();
    await ana.evaluate(() => { for (const socket of window.testSockets) socket.close(); });  // the room's socket drops
    await eventually(() => ana.evaluate(() => window.call.state === 'in_room' && window.testSockets.length >= 2),
      { what: 'the call to rejoin on a new socket' });
    console.log(`rejoined ${Date.now() - started} ms after the socket closed`);
    await wait(3000);
    await ana.evaluate(() => window.call.stopRecording());
    const { path } = await finishedRecording(ana, 'the recording to be finished');
    const segments = await ana.evaluate(() => [...window.testSegments]);
    assert.equal(segments.length, 1, `one segment, not ${segments.join(', ')}`);
    const seconds = Number(probe(path).format.duration);
    assert.ok(seconds >= 5.5, `about 6 s recorded, not ${seconds}`);
  } finally {
    await ana.context().close();
  }
});

test('the recorder\'s page closed at 6 s without stopping: what it uploaded is kept and plays for at least 4 s', async () => {
  const room = await createRoom(world, { hostName: 'Ana' });
  const ana = await openCall(world, { room: room.code, name: 'Ana', token: room.hostToken });
  assert.equal(await join(ana), 'in_room');
  await ana.evaluate(() => window.call.startRecording());
  await eventually(() => ana.evaluate(() => window.call.room().recording === 'recording'), { what: 'the recording to start' });
  await wait(6000);
  await ana.context().close(); // no stop, no last chunk
  // Nobody else may record: once her place is gone (the grace), the recording stops.
  await eventually(async () => (await rest(world, `/api/rooms/${room.code}`, undefined, room.hostToken)).recording === 'off',
    { what: 'the recording to stop with its recorder gone' });
  // Someone who was in the room looks later: Ana, from a new tab.
  const later = await openCall(world, { room: room.code, name: 'Ana', token: room.hostToken });
  try {
    assert.equal(await join(later), 'in_room');
    const { path } = await finishedRecording(later, 'the cut-off recording to be finished');
    const seconds = Number(probe(path).format.duration);
    assert.ok(seconds >= 4, `at least 4 s kept, not ${seconds}`);
  } finally {
    await later.context().close();
  }
});

test('a room set to record automatically is recorded from the host\'s arrival, and its members find it under Your Rooms and on the room page, watch and seek it on the player page, and only the host deletes it', async () => {
  const ana = await guestSession(world, 'Ana');
  const bela = await guestSession(world, 'Bela');
  // A tutor's lesson, recorded automatically from the moment the host is in.
  const room = await createRoom(world, { host: ana, room_name: 'Tuesday lesson', settings: { record_automatically: true } });
  const anaCall = await openCall(world, { room: room.code, name: 'Ana', token: ana.token });
  const belaCall = await openCall(world, { room: room.code, name: 'Bela', token: bela.token });
  const pages = [anaCall, belaCall];
  try {
    for (const page of [anaCall, belaCall]) assert.equal(await join(page), 'in_room');
    await eventually(() => belaCall.evaluate(() => window.call.room().recording === 'recording'), { what: 'the lesson to be recorded' });
    // Someone about to join is told first.
    const visitor = await newPage(world, { name: 'Cyrus' });
    pages.push(visitor);
    await openRoomPage(world, visitor, room.code, 'Cyrus');
    await visitor.getByRole('note').filter({ hasText: 'This room is being recorded' }).waitFor({ timeout: 10000 });
    await screenshot(visitor, 'recording-prejoin-notice');
    await wait(3000);
    await anaCall.evaluate(() => window.call.stopRecording());
    const { recording } = await finishedRecording(anaCall, 'the lesson\'s recording');

    // Bela, a member: Your Rooms → Recordings, then the player.
    const site = await newPage(world, { name: 'Bela site', session: bela });
    pages.push(site);
    await site.goto(world.server.url);
    await site.getByRole('button', { name: 'Your Rooms' }).click();
    await site.getByRole('tab', { name: /Recordings/ }).click();
    const watch = site.getByRole('link', { name: /^Watch the recording of Tuesday lesson/ });
    await watch.waitFor();
    assert.equal(await site.getByRole('button', { name: /^Delete the recording/ }).count(), 0, 'only the host deletes');
    await screenshot(site, 'recordings-list-desktop');
    await watch.click();
    await site.waitForURL(`**/recording/${recording.recording_id}`);
    const player = site.locator('video.recording-video');
    await eventually(() => player.evaluate((v) => v.readyState >= 1 && Number.isFinite(v.duration)), { what: 'the player to load' });
    const duration = await player.evaluate((v) => v.duration);
    assert.ok(Math.abs(duration - recording.duration_ms / 1000) < 0.5, `the player knows the length: ${duration}`);
    // Seeking to the middle: the server answers the Range requests this makes.
    const seeked = await player.evaluate((v) => new Promise((resolve) => {
      v.addEventListener('seeked', () => resolve(v.currentTime), { once: true });
      v.currentTime = v.duration / 2;
    }));
    assert.ok(Math.abs(seeked - duration / 2) < 0.5);
    await screenshot(site, 'recording-player-desktop');

    // Ana, the host, on her phone in dark mode: the player offers Delete.
    const phone = await newPage(world, { name: 'Ana phone', session: ana, viewport: { width: 390, height: 844 }, colorScheme: 'dark' });
    pages.push(phone);
    await phone.goto(`${world.server.url}/recording/${recording.recording_id}`);
    await phone.locator('video.recording-video').waitFor();
    await screenshot(phone, 'recording-player-phone-dark');
    phone.once('dialog', (dialog) => dialog.accept());
    await phone.getByRole('button', { name: /^Delete the recording/ }).click();
    await phone.waitForURL(`**/room/${room.code}`);
    assert.deepEqual(await anaCall.evaluate(() => window.call.recordings()), []);
  } finally {
    for (const page of pages) await page.context().close();
  }
});
