// SpeakingMeters: who is speaking, measured. One AnalyserNode per person's audio track (our own
// microphone and each remote one); a few times a second their RMS levels go to the core, whose rule
// (room/speakers.h) says who is speaking and who is the active speaker. This file only measures.
const SAMPLE_MS = 150;

export class SpeakingMeters {
  #context = null;
  #meters = new Map(); // peer id -> {source, analyser, buffer, track}
  #timer = 0;
  #onLevels;

  // onLevels({peerId: level 0..1}): called every SAMPLE_MS while any track is measured.
  constructor(onLevels) {
    this.#onLevels = onLevels;
  }

  // tracks: Map peer id -> {track, silent}: silent (muted by its owner) counts as level 0.
  sync(tracks) {
    if (typeof AudioContext === 'undefined') return;
    if (!tracks.size && !this.#context) return;
    this.#context ??= new AudioContext();
    if (this.#context.state === 'suspended') this.#context.resume().catch(() => {});
    for (const [id, meter] of this.#meters) {
      if (tracks.get(id)?.track !== meter.track) {
        meter.source.disconnect();
        this.#meters.delete(id);
      }
    }
    for (const [id, { track, silent }] of tracks) {
      const meter = this.#meters.get(id);
      if (meter) {
        meter.silent = silent;
        continue;
      }
      const source = this.#context.createMediaStreamSource(new MediaStream([track]));
      const analyser = this.#context.createAnalyser();
      analyser.fftSize = 512;
      source.connect(analyser);
      this.#meters.set(id, { source, analyser, track, silent, buffer: new Float32Array(analyser.fftSize) });
    }
    if (!this.#timer) this.#timer = setInterval(() => this.#sample(), SAMPLE_MS);
  }

  destroy() {
    clearInterval(this.#timer);
    this.#timer = 0;
    this.#context?.close().catch(() => {});
    this.#context = null;
    this.#meters.clear();
  }

  #sample() {
    const levels = {};
    for (const [id, meter] of this.#meters) {
      if (meter.silent || !meter.track.enabled) {
        levels[id] = 0;
        continue;
      }
      meter.analyser.getFloatTimeDomainData(meter.buffer);
      let sum = 0;
      for (const v of meter.buffer) sum += v * v;
      levels[id] = Math.sqrt(sum / meter.buffer.length);
    }
    this.#onLevels(levels);
  }
}
