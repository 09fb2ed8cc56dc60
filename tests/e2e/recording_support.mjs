// What a recording holds, read back from the server's file with real ffmpeg and compared with the
// layout engine: shared by the recording tests and the whiteboard's (which needs WebGL, so its own
// browser). `finishedRecording(page, what)` waits for the room's newest recording to be finished and
// downloads it.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import { eventually } from './support.mjs';

const scratch = mkdtempSync(joinPath(tmpdir(), 'mehfil-recording-'));
export const WIDTH = 1280;
export const HEIGHT = 720;

export const wait = (ms) => new Promise((resolve) => { setTimeout(resolve, ms); });

export async function recordingsOf(page) {
  return page.evaluate(() => window.call.recordings());
}

// The room's newest recording once the server has finished it, downloaded to a file.
export async function finishedRecording(page, what) {
  const recording = await eventually(async () => {
    const [newest] = await recordingsOf(page);
    return newest && (newest.state === 'ready' || newest.state === 'failed') ? newest : false;
  }, { timeout: 40000, what });
  assert.equal(recording.state, 'ready');
  const response = await fetch(recording.url);
  assert.equal(response.status, 200);
  const path = joinPath(scratch, `${recording.recording_id}.webm`);
  writeFileSync(path, Buffer.from(await response.arrayBuffer()));
  return { recording, path };
}

export function probe(path) {
  return JSON.parse(execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'stream=codec_type,codec_name,width,height',
    '-show_entries', 'format=duration', '-of', 'json', path]).toString());
}

// The frame at `seconds` as RGB bytes.
export function frameAt(path, seconds) {
  return execFileSync('ffmpeg', ['-nostdin', '-v', 'error', '-ss', String(seconds), '-i', path, '-frames:v', '1',
    '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1'], { maxBuffer: WIDTH * HEIGHT * 4 });
}

// The frame a player shows at `seconds`, as RGB bytes: the last one at or before it (a page too busy
// to draw sends fewer frames, and a player holds the last one). ffmpeg writes every frame up to then
// over one PPM file (-update 1), which ends holding that last one.
export function shownAt(path, seconds) {
  const out = joinPath(scratch, `shown-${Date.now()}.ppm`);
  execFileSync('ffmpeg', ['-nostdin', '-v', 'error', '-y', '-i', path, '-t', String(seconds), '-update', '1', '-c:v', 'ppm', '-f', 'image2', out]);
  const bytes = readFileSync(out);
  return bytes.subarray(bytes.length - WIDTH * HEIGHT * 3);  // after the "P6 1280 720 255" header
}

// Where the recorder puts each tile now: the engine's layout of the host's scene for 1280×720.
export async function recordedLayout(page) {
  return page.evaluate(async ([width, height]) => {
    const { computeLayout } = await import('/mehfil-core.mjs');
    const { tiles: sceneTiles, options } = window.call[Symbol.for('mehfil.debug')]().scene;
    return computeLayout({ ...options, viewport: { width, height }, tiles: sceneTiles });
  }, [WIDTH, HEIGHT]);
}

// Compares a decoded frame with the engine's rects: inside each visible tile the picture is not
// the background; outside every tile it is. (The fake cameras and the shared canvas are bright.)
export function matchesLayout(frame, layout) {
  const rects = layout.tiles.filter((t) => t.visible);
  // Near a tile's edge the encoder blurs its colours into the room's (4:2:0 chroma, 16-pixel blocks),
  // so a point within 6 pixels of a tile counts as the tile's, and the 8-pixel gaps count for neither.
  const near = 6;
  const inside = (x, y) => rects.some((r) => x >= r.x - near && x < r.x + r.width + near && y >= r.y - near && y < r.y + r.height + near);
  // The room's background as decoded (the encoder's colour range shifts it a little), from the first
  // point no tile covers (a document on the stage fills it to the frame's edges).
  let corner = 0;
  for (let y = 4; y < HEIGHT && !corner; y += 16) {
    for (let x = 4; x < WIDTH; x += 16) {
      if (!inside(x, y)) { corner = (y * WIDTH + x) * 3; break; }
    }
  }
  const background = [...frame.subarray(corner, corner + 3)];
  const isBackground = (x, y) => {
    const i = (y * WIDTH + x) * 3;
    return background.every((c, k) => Math.abs(frame[i + k] - c) <= 12);
  };
  let outside = 0;
  let outsideBackground = 0;
  for (let y = 4; y < HEIGHT; y += 16) {
    for (let x = 4; x < WIDTH; x += 16) {
      if (inside(x, y)) continue;
      outside += 1;
      if (isBackground(x, y)) outsideBackground += 1;
    }
  }
  const tilesFilled = rects.map((r) => {
    let samples = 0;
    let filled = 0;
    for (let y = r.y + r.height * 0.1; y < r.y + r.height * 0.9; y += r.height / 10) {
      for (let x = r.x + r.width * 0.1; x < r.x + r.width * 0.9; x += r.width / 10) {
        samples += 1;
        if (!isBackground(Math.round(x), Math.round(y))) filled += 1;
      }
    }
    return filled / samples;
  });
  return { outsideBackground: outside ? outsideBackground / outside : 1, tilesFilled, tiles: rects.length };
}
