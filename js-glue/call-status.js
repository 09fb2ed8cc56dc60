// CallStatus: the strip at the top of a 1:1 call (ring.js tells it each phase). "Calling Ben…" while
// the ring goes out, "Ringing…" once Ben's phone rings, with Cancel; then Ben's name and the call's
// running time; on the end, what happened ("Ben declined"). A room that is not a 1:1 call never
// shows it. The words of the ends are here, once, for the site's toasts too (callEndText).

const END_TEXT = {
  declined: (name) => `${name || 'They'} declined the call.`,
  'no-answer': (name) => `${name || 'They'} didn't answer.`,
  busy: (name) => `${name || 'They'} is in another call.`,
  offline: (name) => `${name || 'They'} is offline.`,
  cancelled: () => 'The call was cancelled.',
  'hung-up': () => 'The call ended.',
  missed: (name) => `Missed call from ${name || 'someone'}.`,
  refused: () => 'You can call your friends and people in a room with you.',
  'in-another-call': () => 'You are in a call already: hang up first.',
};

export function callEndText(reason, name) { return (END_TEXT[reason] ?? (() => 'The call ended.'))(name); }

function clock(ms) {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  const mm = String(Math.floor(seconds / 60)).padStart(2, '0');
  const ss = String(seconds % 60).padStart(2, '0');
  return seconds >= 3600 ? `${Math.floor(seconds / 3600)}:${mm.slice(-2)}:${ss}` : `${mm}:${ss}`;
}

export class CallStatus {
  element = document.createElement('div');
  #text = document.createElement('span');
  #cancel = Object.assign(document.createElement('button'), { type: 'button', textContent: 'Cancel' });
  #timer = null;

  constructor() {
    this.element.className = 'mehfil-call-status';
    this.element.setAttribute('role', 'status');
    this.element.setAttribute('part', 'call-status');
    this.element.hidden = true;
    this.element.append(this.#text, this.#cancel);
  }

  // status: {phase: calling | ringing | connected | ended | moved, name, video, since, reason}
  show({ phase, name, video, since, reason }, cancel) {
    clearInterval(this.#timer);
    this.#timer = null;
    this.element.hidden = phase === 'moved'; // a room now: the room's own header says the rest
    this.element.dataset.phase = phase;
    this.#cancel.hidden = phase !== 'calling' && phase !== 'ringing';
    this.#cancel.onclick = cancel;
    const kind = video ? 'Video call' : 'Audio call';
    if (phase === 'calling') this.#text.textContent = `${kind} · Calling ${name || ''}…`;
    else if (phase === 'ringing') this.#text.textContent = `${kind} · Ringing…`;
    else if (phase === 'ended') this.#text.textContent = callEndText(reason, name);
    else {
      const tick = () => { this.#text.textContent = `${name || kind} · ${clock(Date.now() - since)}`; };
      tick();
      this.#timer = setInterval(tick, 1000);
    }
  }

  destroy() { clearInterval(this.#timer); }
}
