// Who is speaking, as the core's rule (room/speakers.h) says from the measured levels: the set of
// peers speaking now and the active speaker, with a call back when either changes. The call
// (mehfil.js) redraws on the first and emits active-speaker-change on the second.
export class SpeakerVerdict {
  speaking = new Set(); // peer ids
  #active = null;
  #core;
  #changed;
  #activeChanged;

  // changed(): the set changed. activeChanged(peerId | null): the active speaker changed.
  constructor(core, { changed, activeChanged }) {
    this.#core = core;
    this.#changed = changed;
    this.#activeChanged = activeChanged;
  }

  heard(levels, nowMs) {
    const verdict = this.#core.speaking(levels, nowMs);
    const speaking = new Set(verdict.speaking);
    const changed = speaking.size !== this.speaking.size || [...speaking].some((id) => !this.speaking.has(id));
    this.speaking = speaking;
    if (changed) this.#changed();
    if (verdict.active !== this.#active) {
      this.#active = verdict.active;
      this.#activeChanged(verdict.active);
    }
  }
}
