// RoomRecorder: the room as everyone sees it, recorded in this browser. Every frame of a fixed
// canvas (1280×720, or 1920×1080) is drawn at the rects the layout engine gives for that viewport,
// from the same input the grid on the page uses: so the recording looks like the call, names on the
// tiles, the speaking ring, a screen share or the whiteboard on the stage with the filmstrip. The
// audio is everyone's microphone mixed (WebAudio), ours included. MediaRecorder encodes it as WebM
// (VP8 + Opus at a fixed bitrate) and hands out a chunk every second (`onChunk(blob)`), which
// chunk-uploader.js sends to the server while the recording goes on: a tab that dies loses a second.
//
// Which tiles exist and where they go are not decided here: `scene()` is CallStage.scene() (the
// core's stage) and computeLayout is the engine's.
import { computeLayout } from './mehfil-core.mjs';

const BACKGROUND = '#15171c';
const TILE = '#2a2d35';
const SPEAKING = '#3ecf8e';

export class RoomRecorder {
  #scene;
  #onChunk;
  #size;
  #fps;
  #chunkMs;
  #canvas = document.createElement('canvas');
  #g;
  #timer = null;
  #audio = null; // {context, destination, sources: Map track -> node}
  #recorder = null;
  #stopped = null;
  #layout = { key: '', value: null }; // the engine's answer for the scene it was last asked about
  #mixedAt = 0;

  // scene(): CallStage.scene(). onChunk(blob): each encoded chunk, in order. size: 720 or 1080 (2.25
  // times the pixels, so twice the bits).
  constructor({ scene, onChunk, size = 720, fps = 30, chunkMs = 1000, videoBitsPerSecond = size === 1080 ? 5_000_000 : 2_500_000 }) {
    this.#scene = scene;
    this.#onChunk = onChunk;
    this.#size = size === 1080 ? { width: 1920, height: 1080 } : { width: 1280, height: 720 };
    this.#fps = fps;
    this.#chunkMs = chunkMs;
    this.#canvas.width = this.#size.width;
    this.#canvas.height = this.#size.height;
    this.#g = this.#canvas.getContext('2d', { alpha: false });
    this.videoBitsPerSecond = videoBitsPerSecond;
  }

  get state() { return this.#recorder?.state ?? 'inactive'; }

  start() {
    if (this.#recorder) return;
    this.#drawAndSchedule();
    const context = new AudioContext();
    this.#audio = { context, destination: context.createMediaStreamDestination(), sources: new Map() };
    this.#mixAudio();
    const stream = new MediaStream([...this.#canvas.captureStream(this.#fps).getVideoTracks(),
      ...this.#audio.destination.stream.getAudioTracks()]);
    this.#recorder = new MediaRecorder(stream, {
      mimeType: 'video/webm;codecs=vp8,opus', videoBitsPerSecond: this.videoBitsPerSecond, audioBitsPerSecond: 128_000,
    });
    this.#recorder.ondataavailable = ({ data }) => { if (data.size > 0) this.#onChunk(data); };
    this.#stopped = new Promise((resolve) => { this.#recorder.onstop = resolve; });
    this.#recorder.start(this.#chunkMs);
  }

  // MediaRecorder leaves the paused time out of the file.
  pause() { if (this.#recorder?.state === 'recording') this.#recorder.pause(); }
  resume() { if (this.#recorder?.state === 'paused') this.#recorder.resume(); }

  // Resolves once the last chunk was handed out.
  async stop() {
    if (!this.#recorder) return;
    clearTimeout(this.#timer);
    this.#timer = null;
    if (this.#recorder.state !== 'inactive') this.#recorder.stop();
    await this.#stopped;
    for (const track of this.#recorder.stream.getTracks()) track.stop();
    this.#audio.context.close().catch(() => {});
  }

  // Each microphone in the scene feeds the mix once; one that went away is let go.
  #mixAudio() {
    const { context, destination, sources } = this.#audio;
    const tracks = new Set(this.#scene().audio.filter((t) => t.readyState === 'live'));
    for (const [track, node] of sources) {
      if (!tracks.has(track)) {
        node.disconnect();
        sources.delete(track);
      }
    }
    for (const track of tracks) {
      if (sources.has(track)) continue;
      const node = context.createMediaStreamSource(new MediaStream([track]));
      node.connect(destination);
      sources.set(track, node);
    }
  }

  // A timer, not requestAnimationFrame: the recording goes on while the tab is in the background.
  // A frame that took more than half its time (a machine whose browser draws video in software)
  // leaves the page as long again before the next one: the file gets fewer frames, and the page
  // keeps half its main thread for the call and the uploads, without which the recording is lost.
  #drawAndSchedule() {
    const started = performance.now();
    this.#draw();
    const spent = performance.now() - started;
    this.#timer = setTimeout(() => { if (this.#timer !== null) this.#drawAndSchedule(); }, Math.max(1000 / this.#fps - spent, spent));
  }

  #draw() {
    const { width, height } = this.#size;
    const g = this.#g;
    const scene = this.#scene();
    // Who speaks into the mix changes rarely: looked at once a second, not every frame.
    if (this.#audio && performance.now() - this.#mixedAt > 1000) {
      this.#mixedAt = performance.now();
      this.#mixAudio();
    }
    g.fillStyle = BACKGROUND;
    g.fillRect(0, 0, width, height);
    if (!scene.tiles.length) return;
    const layout = this.#layoutOf(scene);
    if (!layout) return;
    // The picture-in-picture corner goes over the tile it sits on.
    const rects = layout.tiles.filter((r) => r.visible).sort((a, b) => (a.id === layout.pip) - (b.id === layout.pip));
    for (const rect of rects) {
      // One tile that cannot be drawn (a source between two states) must not cost the whole frame.
      try {
        this.#drawTile(rect, scene.people.get(rect.id), scene.tiles.find((t) => t.id === rect.id));
      } catch { /* drawn as its bare tile next frame, or as soon as its source is ready */ }
    }
  }

  // The engine is asked again only when its input changed (a tile came, went, spoke or was pinned).
  #layoutOf(scene) {
    const input = { ...scene.options, viewport: this.#size, tiles: scene.tiles };
    const key = JSON.stringify(input);
    if (key !== this.#layout.key) {
      try {
        this.#layout = { key, value: computeLayout(input) };
      } catch {
        return null; // a scene caught between two states: the next frame draws it
      }
    }
    return this.#layout.value;
  }

  #drawTile(rect, person, tile) {
    const g = this.#g;
    const { x, y, width, height } = rect;
    g.fillStyle = TILE;
    g.fillRect(x, y, width, height);
    const source = person?.canvas ?? person?.video;
    const sourceWidth = source?.videoWidth ?? source?.width ?? 0;
    const sourceHeight = source?.videoHeight ?? source?.height ?? 0;
    // A canvas not sized yet (the board still loading) is not drawn: drawImage throws on it.
    const showsPicture = sourceWidth > 0 && sourceHeight > 0 && (person?.canvas || person?.kind !== 'camera' || person?.camera);
    if (showsPicture) {
      // A screen or the board is shown whole (letterboxed); a camera fills its tile (cropped).
      const fit = person.kind === 'camera' ? Math.max : Math.min;
      const scale = fit(width / sourceWidth, height / sourceHeight);
      const w = sourceWidth * scale;
      const h = sourceHeight * scale;
      g.save();
      g.beginPath();
      g.rect(x, y, width, height);
      g.clip();
      g.drawImage(source, x + (width - w) / 2, y + (height - h) / 2, w, h);
      g.restore();
    } else if (person) {
      this.#initials(person.name, x, y, width, height);
    }
    if (person?.name && person.kind !== 'whiteboard') this.#label(person.kind === 'screen' ? `${person.name} (screen)` : person.name, x, y, height);
    if (tile?.speaking && person?.kind === 'camera') {
      g.strokeStyle = SPEAKING;
      g.lineWidth = 4;
      g.strokeRect(x + 2, y + 2, width - 4, height - 4);
    }
  }

  #initials(name, x, y, width, height) {
    const g = this.#g;
    const letters = name.split(/\s+/).filter(Boolean).slice(0, 2).map((w) => w[0].toUpperCase()).join('');
    const radius = Math.min(width, height) / 5;
    g.fillStyle = '#4b5263';
    g.beginPath();
    g.arc(x + width / 2, y + height / 2, radius, 0, Math.PI * 2);
    g.fill();
    g.fillStyle = '#fff';
    g.font = `600 ${Math.round(radius * 0.8)}px system-ui, sans-serif`;
    g.textAlign = 'center';
    g.textBaseline = 'middle';
    g.fillText(letters, x + width / 2, y + height / 2);
  }

  #label(text, x, y, height) {
    const g = this.#g;
    const size = Math.max(12, Math.min(20, Math.round(height / 14)));
    g.font = `500 ${size}px system-ui, sans-serif`;
    g.textAlign = 'left';
    g.textBaseline = 'middle';
    const w = g.measureText(text).width + size;
    g.fillStyle = 'rgba(0, 0, 0, 0.6)';
    g.fillRect(x + 8, y + height - size * 2 - 8, w, size * 2);
    g.fillStyle = '#fff';
    g.fillText(text, x + 8 + size / 2, y + height - size - 8);
  }
}
