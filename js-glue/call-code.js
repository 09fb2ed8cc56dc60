// The shared code editor as a call carries it: the element it shows in (a tile the layout engine
// places on the stage, as it does the whiteboard), the room's code document once loaded, and every
// code:update heard before that (so an editor opened later starts complete), and the editor itself
// (code-editor/, bundled as mehfil-code.js). Its traffic goes through the core (code-update,
// code-cursor) as base64; whether it is open is the core's stage state. Running the code: the Run
// button asks the room (code-run); the core says when the run is this page's (code-running, mine),
// the sandbox runs it (code-runner.js), and its end goes to everyone (code-output) and the panel
// under the editor (code-output.js).
import { fileNameProblem } from './mehfil-core.mjs';
import { CodeOutput } from './code-output.js';
import { CodeRunner } from './code-runner.js';

const moduleUrl = import.meta.url;

// A person's colour on the others' screens: from their user id, so it is the same everywhere.
function colourOf(userId) {
  let hash = 0;
  for (const c of String(userId)) hash = (hash * 31 + c.codePointAt(0)) >>> 0;
  const hue = hash % 360;
  return { color: `hsl(${hue} 70% 45%)`, colorLight: `hsl(${hue} 70% 45% / 0.25)` };
}

export class CallCodeEditor {
  // What the editor's tile holds, one for the call's life (call-whiteboard.js says why).
  #slot = Object.assign(document.createElement('div'), { className: 'mehfil-code-slot' });
  #host = null;
  #code = null;      // the mehfil-code.js module
  #doc = null;       // the room's CodeDoc, kept once loaded (updates go on arriving while closed)
  #heard = [];       // base64 updates heard before the document was loaded
  #awareness = null; // while open: whose cursor is where
  #editor = null;
  #send = null;
  #tooLarge = null;
  #rejoin = null;    // after a rejoin: the room's stored updates heard since, and the timer that compares
  #output = new CodeOutput();
  #runner = null;    // the sandbox, made at this page's first run
  #feed = null;      // (command) → the core, from the first open on

  get open() { return !!this.#host; }
  get editor() { return this.#editor; }
  get doc() { return this.#doc; }

  // Mounts the editor; resolves true once it is up, false when it was already open or was closed
  // while loading. options: {user: {user_id, display_name}, send(base64), sendCursor(base64),
  // tooLarge() (a change too big for the wire, which the others will not get), feed(command) (to the
  // core: code-run, code-output)}.
  async mount({ user, send, sendCursor, tooLarge = () => {}, feed }) {
    if (this.#host) return false;
    const host = Object.assign(document.createElement('div'), { className: 'mehfil-code-host' });
    this.#host = host;
    this.#slot.replaceChildren(host);
    this.#send = send;
    this.#tooLarge = tooLarge;
    this.#feed = feed;
    await this.#load();
    if (this.#host !== host) return false;
    const code = this.#code;
    const awareness = new code.Awareness(this.#doc.doc);
    awareness.setLocalStateField('user', { name: user.display_name, ...colourOf(user.user_id) });
    awareness.on('update', ({ added, updated, removed }, origin) => {
      if (origin === 'remote') return;
      sendCursor(code.toBase64(code.encodeAwarenessUpdate(awareness, [...added, ...updated, ...removed])));
    });
    this.#awareness = awareness;
    const onRun = (id) => {
      const file = this.#doc.list().find((f) => f.id === id);
      if (file) this.#feed?.({ type: 'code-run', file: file.name, language: file.language });
    };
    this.#editor = code.mountCodeEditor(host, { doc: this.#doc, awareness, onRun, footer: this.#output.element, validName: fileNameProblem });
    return true;
  }

  // The bundle, and the room's document from what was heard so far (the first open, or a compaction).
  async #load() {
    this.#code ??= await import(new URL('./mehfil-code.js', moduleUrl).href);
    const code = this.#code;
    if (this.#doc) return;
    this.#doc = new code.CodeDoc({ send: (bytes) => this.#send?.(code.toBase64(bytes)), tooLarge: () => this.#tooLarge?.(), batchMs: 20 });
    for (const update of this.#heard) this.#doc.receive(code.fromBase64(update));
    this.#heard = [];
  }

  // code:compact: the room asks this page for the document's whole state (it sent the latest update,
  // so it holds every stored one); `put(bytes)` sends it. A failure leaves the room as it was, and
  // it asks again later.
  async compact(put) {
    await this.#load();
    try {
      await put(this.#doc.state());
    } catch (error) {
      console.debug('mehfil: the code compaction was not taken:', error.code, error.message);
    }
  }

  close() {
    if (!this.#host) return false;
    this.#editor?.destroy();
    this.#editor = null;
    if (this.#awareness) {
      this.#awareness.setLocalState(null); // the others drop our cursor now, not after its timeout
      this.#awareness.destroy();
      this.#awareness = null;
    }
    this.#host.remove();
    this.#host = null;
    return true;
  }

  // code:update from the room (someone's, or the stored ones from "server").
  receive(updates, from) {
    if (from === 'server' && this.#rejoin) this.#rejoin.heard.push(...updates);
    if (!this.#doc) return void this.#heard.push(...updates);
    for (const update of updates) this.#doc.receive(this.#code.fromBase64(update));
  }

  // code:running: shown by everyone; run here when the core says it is ours. The file is read by its
  // name as the tab shows it, at this moment: what the room sees is what ran.
  async running(run) {
    this.#output.running(run, run.mine);
    if (!run.mine) return;
    const file = this.#doc?.list().find((f) => f.name === run.file);
    const code = file ? this.#doc.text(file.id).toString() : null;
    let result;
    if (code === null) {
      result = { status: 'error', output: [], error: `${run.file} is gone.`, duration_ms: 0 };
    } else {
      this.#runner ??= new CodeRunner();
      result = await this.#runner.run({ language: run.language, code, file: run.file, limitMs: run.limit_ms },
                                      (chunk) => this.#output.print(chunk));
    }
    this.#feed?.({ type: 'code-output', run_id: run.run_id, ...result });
  }

  // code:output: a run ended (or a joiner hears the last one).
  ran(output) { this.#output.ended(output); }

  // The room would not run it: someone's run is going on, or only hosts run code here.
  refused(message) { this.#output.refused(message); }

  receiveCursor({ state }) {
    if (this.#awareness) this.#code.applyAwarenessUpdate(this.#awareness, this.#code.fromBase64(state), 'remote');
  }

  // In the room again. Edits made while the socket was down were never sent (the core refuses to
  // send into a closed socket), so once the room's stored updates have come again (they follow
  // room:joined; a second is plenty), what this copy holds and they lack goes out as one update.
  rejoined() {
    if (!this.#doc) return;
    clearTimeout(this.#rejoin?.timer);
    const rejoin = { heard: [], timer: null };
    rejoin.timer = setTimeout(() => {
      if (this.#rejoin !== rejoin || !this.#doc) return;
      this.#rejoin = null;
      const missing = this.#doc.missingFrom(rejoin.heard.map((u) => this.#code.fromBase64(u)));
      if (!missing) return;
      if (missing.length > this.#code.MAX_UPDATE_BYTES) this.#tooLarge?.();
      else this.#send?.(this.#code.toBase64(missing));
    }, 1000);
    this.#rejoin = rejoin;
  }

  // A new tile element for TileGrid to place, holding the editor's host while open.
  tile() {
    const element = document.createElement('div');
    element.dataset.kind = 'code';
    element.append(this.#slot);
    return element;
  }

  destroy() {
    clearTimeout(this.#rejoin?.timer);
    this.#runner?.destroy();
    this.close();
    this.#doc?.destroy();
    this.#doc = null;
  }
}
