// SpeakingMeters: who is speaking, measured. One LevelMeter (level-meter.js) per person's audio
// track (our own microphone and each remote one); a few times a second their RMS levels go to the core, whose rule
// (room/speakers.h) says who is speaking and who is the active speaker. This file only measures.
import { LevelMeter } from './level-meter.js';

const SAMPLE_MS = 150;

export class SpeakingMeters {
  #context = null;
  #meters = new Map(); // peer id -> {meter: LevelMeter, silent}
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
    for (const [id, entry] of this.#meters) {
      if (tracks.get(id)?.track !== entry.meter.track) {
        entry.meter.dispose();
        this.#meters.delete(id);
      }
    }
    for (const [id, { track, silent }] of tracks) {
      const entry = this.#meters.get(id);
      if (entry) entry.silent = silent;
      else this.#meters.set(id, { meter: new LevelMeter(this.#context, track), silent });
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
    for (const [id, { meter, silent }] of this.#meters) levels[id] = silent ? 0 : meter.level();
    this.#onLevels(levels);
  }
}
