// Drives the call engine (RoomCore in mehfil-core.wasm): events in, commands out, run in order.
//
// A command may feed the core again (closing a pc reports its state; a timer fires while a batch
// runs); what that answers queues behind the batch being run, so commands always run in the order
// the core gave them and never re-entrantly. After each batch, `after` mirrors the core's state. The
// core's timers ("timer" commands) come back as ticks. A short trace of the signaling that went
// through is kept for the debug view: the first thing to read when a call does not connect.

export const now = () => Math.round(performance.now());
// The core takes its random ids from us (it has no randomness of its own): chat message ids, call ids.
export function randomId() {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return Array.from(bytes, (b) => (b % 36).toString(36)).join('');
}
const TRACE_LINES = 400;

export class CoreDriver {
  #core;
  #execute;
  #after;
  #gone;
  #queue = [];
  #running = false;
  #timers = new Map(); // timer key -> timeout id
  #trace = [];

  // execute(command) carries one command out; after() runs after each batch; gone() says the call
  // was destroyed (nothing is fed or run after that).
  constructor(core, { execute, after, gone }) {
    this.#core = core;
    this.#execute = execute;
    this.#after = after;
    this.#gone = gone;
  }

  feed(event) {
    if (this.#gone()) return;
    if (event.peer) this.note(`in ${event.peer} ${event.event ?? ''} ${event.op ?? ''} ${event.state ?? ''} ${event.error ?? ''}`);
    this.#run(this.#core.event(event, now()));
  }

  // For events that change nothing on screen (the whiteboard's traffic): their commands run
  // without the `after` that follows every other batch.
  feedQuietly(event) {
    if (!this.#gone()) for (const command of this.#core.event(event, now())) this.#execute(command);
  }

  serverFrame(text) {
    if (this.#gone()) return;
    if (text.includes('"signal:')) this.note(`ws< ${text.slice(0, 80)}`);
    this.#run(this.#core.serverFrame(text, now()));
  }

  // The core asked to be woken at `at` (performance.now() ms) under `key`; a new time replaces it.
  schedule(key, at) {
    clearTimeout(this.#timers.get(key));
    this.#timers.set(key, setTimeout(() => {
      this.#timers.delete(key);
      this.feed({ type: 'tick' });
    }, Math.max(0, at - now())));
  }

  stop() {
    for (const timer of this.#timers.values()) clearTimeout(timer);
    this.#timers.clear();
  }

  note(line) {
    this.#trace.push(`${now()} ${line}`);
    if (this.#trace.length > TRACE_LINES) this.#trace.shift();
  }

  get trace() { return [...this.#trace]; }

  #run(commands) {
    this.#queue.push(...commands);
    if (this.#running) return;
    this.#running = true;
    try {
      while (this.#queue.length) {
        const command = this.#queue.shift();
        // Signals only: chat text has no place in a debug trace.
        if (command.peer) this.note(`do ${command.type} ${command.peer} ${command.op ?? ''} ${command.sdp_type ?? ''}`);
        else if (command.type === 'send' && command.text.includes('"signal:')) this.note(`do send ${command.text.slice(0, 60)}`);
        try {
          this.#execute(command);
        } catch (error) {
          console.error('mehfil: command failed', command.type, error);
        }
      }
    } finally {
      this.#running = false;
    }
    this.#after();
  }
}
