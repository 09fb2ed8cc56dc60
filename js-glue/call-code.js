// The shared code editor as a call carries it: the element it shows in (a tile the layout engine
// places on the stage, as it does the whiteboard), the room's code document once loaded, and every
// code:update heard before that (so an editor opened later starts complete), and the editor itself
// (code-editor/, bundled as mehfil-code.js). Its traffic goes through the core (code-update,
// code-cursor) as base64; whether it is open is the core's stage state.
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


  get open() { return !!this.#host; }
  get editor() { return this.#editor; }
  get doc() { return this.#doc; }

  // Mounts the editor; resolves true once it is up, false when it was already open or was closed
  // while loading. options: {user: {user_id, display_name}, send(base64), sendCursor(base64),
  // tooLarge() (a change too big for the wire, which the others will not get), onRun}.
  async mount({ user, send, sendCursor, tooLarge = () => {}, onRun = null }) {
    if (this.#host) return false;
    const host = Object.assign(document.createElement('div'), { className: 'mehfil-code-host' });
    this.#host = host;
    this.#slot.replaceChildren(host);
    this.#send = send;
    this.#tooLarge = tooLarge;
    this.#code ??= await import(new URL('./mehfil-code.js', moduleUrl).href);
    if (this.#host !== host) return false;
    const code = this.#code;
    if (!this.#doc) {
      this.#doc = new code.CodeDoc({ send: (bytes) => this.#send?.(code.toBase64(bytes)), tooLarge: () => this.#tooLarge?.(), batchMs: 20 });
      for (const update of this.#heard) this.#doc.receive(code.fromBase64(update));
      this.#heard = [];
    }
    const awareness = new code.Awareness(this.#doc.doc);
    awareness.setLocalStateField('user', { name: user.display_name, ...colourOf(user.user_id) });
    awareness.on('update', ({ added, updated, removed }, origin) => {
      if (origin === 'remote') return;
      sendCursor(code.toBase64(code.encodeAwarenessUpdate(awareness, [...added, ...updated, ...removed])));
    });
    this.#awareness = awareness;
    this.#editor = code.mountCodeEditor(host, { doc: this.#doc, awareness, onRun });
    return true;
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
    this.close();
    this.#doc?.destroy();
    this.#doc = null;
  }
}
