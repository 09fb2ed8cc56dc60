// RoomSocket: the room's WebSocket, and nothing else. It opens /ws on the call's server with the
// session token, hands every text frame to `frame`, and tells `opened` / `closed`. Whether and when to
// reconnect is the core's decision (room/reconnect_backoff.h); a socket replaced or closed on purpose
// reports nothing more, so a late event of an old socket never reaches the core.
import { resolveToken } from './rest-client.js';

export class RoomSocket {
  #ws = null;
  #handlers;
  #attempt = 0; // connect() and close() bump it: a token that arrives for an older attempt opens nothing

  // handlers: {opened(), frame(text), closed()}
  constructor(handlers) {
    this.#handlers = handlers;
  }

  get open() { return this.#ws?.readyState === WebSocket.OPEN; }

  // `token`: a string, or a function giving one (or a promise of one), asked again on every connect
  // so a reconnect late in a long call carries a fresh token (rest-client.js, resolveToken).
  connect(server, token) {
    this.close();
    const attempt = ++this.#attempt;
    resolveToken(token).then(
      (value) => { if (attempt === this.#attempt) this.#open(server, value); },
      () => { if (attempt === this.#attempt) this.#handlers.closed(); }, // no token now: the core retries later
    );
  }

  #open(server, token) {
    const url = new URL('/ws', server);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    url.searchParams.set('token', token ?? '');
    const ws = new WebSocket(url);
    this.#ws = ws;
    ws.onopen = () => this.#handlers.opened();
    ws.onmessage = (event) => {
      if (typeof event.data === 'string') this.#handlers.frame(event.data);
    };
    ws.onclose = () => {
      if (this.#ws !== ws) return;
      this.#ws = null;
      this.#handlers.closed();
    };
  }

  send(text) {
    if (this.open) this.#ws.send(text);
  }

  close() {
    this.#attempt += 1;
    const ws = this.#ws;
    if (!ws) return;
    this.#ws = null;
    ws.onopen = ws.onmessage = ws.onclose = null;
    try { ws.close(1000); } catch { /* already closed */ }
  }
}
