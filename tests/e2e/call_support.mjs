// Pieces shared by the call tests: pages that hold one call each (call-page.html, served on the
// server's own origin through Playwright routing so the socket's Origin check passes), and what a
// page shows: tiles, their rects, whether their video plays. The world, rooms and waiting are
// support.mjs's.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { newPage, eventually } from './support.mjs';

const callPage = readFile(fileURLToPath(new URL("./call-page.html", import.meta.url)), "utf8");

// A page in its own browser context (its own fake camera and microphone) holding one call.
// `prepare(page)` runs before anything loads: a test routes the page's socket there.
export async function openCall(world, { room, name, token, ui = true, viewport = { width: 1280, height: 720 }, colorScheme, prepare }) {
  const page = await newPage(world, { viewport, name, colorScheme });
  await prepare?.(page);
  page.on('console', (message) => {
    if (message.type() === 'error') console.error(`[${name}]`, message.text());
  });
  // A document of the server's own origin (and loopback address space, which Chromium's local
  // network access checks want before a page may open ws://127.0.0.1), then the test page in it.
  const query = new URLSearchParams({ room, name, ...(token ? { token } : {}), ...(ui ? {} : { ui: 'false' }) });
  await page.goto(`${world.server.url}/healthz?${query}`);
  await page.setContent(await callPage);
  await page.waitForSelector('body[data-ready="true"]');
  await page.evaluate(() => window.makeCall());
  return page;
}

// A call whose camera is a small canvas in one colour and whose microphone is a tone: three
// Chromium pages with full fake cameras would spend this machine's two cores on their own calls,
// and what is under test is elsewhere (the recording tests, the recorder's CPU benchmark).
export async function lightCall(world, room, name, hue, token) {
  const page = await openCall(world, { room, name, token });
  await page.evaluate((colour) => {
    window.call.destroy();
    const canvas = Object.assign(document.createElement('canvas'), { width: 320, height: 180 });
    const g = canvas.getContext('2d');
    let tick = 0;
    setInterval(() => {
      g.fillStyle = `hsl(${colour} 70% ${45 + (tick++ % 10)}%)`;
      g.fillRect(0, 0, 320, 180);
    }, 66);
    const audio = new AudioContext();
    const tone = audio.createOscillator();
    const out = audio.createMediaStreamDestination();
    tone.connect(out);
    tone.start();
    window.makeCall({ stream: new MediaStream([...canvas.captureStream(15).getVideoTracks(), ...out.stream.getAudioTracks()]) });
  }, hue);
  return page;
}

export async function join(page) {
  return page.evaluate(() => window.call.join().then(() => window.call.state));
}

// Every tile the page shows: its rect relative to the stage, the engine's rect for it, and how its
// video is doing.
export async function tiles(page) {
  return page.evaluate(() => {
    const debug = window.call[Symbol.for('mehfil.debug')]();
    const stage = debug.stage;
    const box = stage.getBoundingClientRect();
    const style = getComputedStyle(stage);
    const left = box.left + stage.clientLeft + parseFloat(style.paddingLeft);
    const top = box.top + stage.clientTop + parseFloat(style.paddingTop);
    const layout = debug.layout;
    return [...stage.querySelectorAll('.tile:not(.tile-leaving)')].map((element) => {
      const r = element.getBoundingClientRect();
      const video = element.querySelector('video');
      const id = element.dataset.tileId;
      return {
        id, kind: element.dataset.kind, local: element.dataset.local === 'true',
        audio: element.dataset.audio === 'true', connecting: element.dataset.connecting === 'true',
        rect: { x: r.left - left, y: r.top - top, width: r.width, height: r.height },
        engine: layout?.tiles.find((t) => t.id === id) ?? null,
        videoWidth: video?.videoWidth ?? 0, currentTime: video?.currentTime ?? 0,
        frames: video?.getVideoPlaybackQuality?.().totalVideoFrames ?? 0,
      };
    });
  });
}

export async function layout(page) {
  return page.evaluate(() => window.call[Symbol.for('mehfil.debug')]().layout);
}

// Every tile of the page plays: n tiles, each video with a size and frames that keep coming.
export async function allVideosPlaying(page, count, { timeout = 30000 } = {}) {
  return eventually(async () => {
    const first = await tiles(page);
    if (first.length !== count) return false;
    if (first.some((t) => t.videoWidth === 0)) return false;
    await page.waitForTimeout(400);
    const second = await tiles(page);
    const advancing = second.every((t) => {
      const before = first.find((f) => f.id === t.id);
      return before && t.videoWidth > 0 && (t.currentTime > before.currentTime || t.frames > before.frames);
    });
    return advancing && second.length === count ? second : false;
  }, { timeout, what: `${count} playing tiles` });
}

// Presses one of the call's bar buttons by name; on a phone, where the bar leaves some out (screen
// sharing, the code editor), the same item in the More menu.
export async function pressCallControl(page, name) {
  const button = page.getByRole('button', { name, exact: true });
  if (await button.isVisible()) return button.click();
  await page.getByRole('button', { name: 'More options' }).click();
  await page.getByRole('menuitem', { name, exact: true }).click();
}
