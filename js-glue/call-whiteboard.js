// The whiteboard as a call carries it: the element it draws in (a tile the layout engine places on
// the stage), every batch of ops heard since joining (so a board opened later starts complete), and
// the board itself (js-glue/whiteboard.js, the whiteboard wasm module) once loaded. Its traffic goes
// through the core (board-ops, board-cursor); whether it is open is the core's stage state.
const moduleUrl = import.meta.url;

export class CallWhiteboard {
  // What the board's tile holds, one for the call's life: the grid may bring back a tile still
  // scaling out (closed and opened again at once), and that tile must show the board open now.
  #slot = Object.assign(document.createElement('div'), { className: 'mehfil-whiteboard-slot' });
  #host = null;
  #board = null;
  #heard = [];

  get open() { return !!this.#host; }
  get board() { return this.#board; }

  // Mounts the board; resolves true once it is up, false when it was already open or was closed
  // while loading. options: {author, isHost, send(ops), sendCursor(cursor)} for mountWhiteboard.
  async mount(options) {
    if (this.#host) return false;
    const host = document.createElement('div');
    host.className = 'mehfil-whiteboard-host';
    this.#host = host;
    this.#slot.replaceChildren(host);
    const { mountWhiteboard } = await import(new URL('./whiteboard.js', moduleUrl).href);
    if (this.#host !== host) return false;
    const board = await mountWhiteboard(host, options);
    if (this.#host !== host) {
      board.destroy();
      return false;
    }
    this.#board = board;
    for (const ops of this.#heard) board.receive(ops);
    return true;
  }

  close() {
    if (!this.#host) return false;
    this.#board?.destroy();
    this.#board = null;
    this.#host.remove();
    this.#host = null;
    return true;
  }

  receive(ops) {
    this.#heard.push(ops);
    this.#board?.receive(ops);
  }

  receiveCursor(cursor) { this.#board?.receiveCursor(cursor); }

  // A new tile element for TileGrid to place, holding the board's host while open.
  tile() {
    const element = document.createElement('div');
    element.dataset.kind = 'whiteboard';
    element.append(this.#slot);
    return element;
  }
}
