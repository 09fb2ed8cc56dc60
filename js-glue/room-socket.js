// RoomSocket: the room's WebSocket, and nothing else. It opens /ws on the call's server with the
// session token, hands every text frame to `frame`, and tells `opened` / `closed`. Whether and when to
// reconnect is the core's decision (room/reconnect_backoff.h); a socket replaced or closed on purpose
// reports nothing more, so a late event of an old socket never reaches the core.
export class RoomSocket {
  #ws = null;
  #handlers;

  // handlers: {opened(), frame(text), closed()}
  constructor(handlers) {
    this.#handlers = handlers;
  }

  get open() { return this.#ws?.readyState === WebSocket.OPEN; }

  connect(server, token) {
    this.close();
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
    const ws = this.#ws;
    if (!ws) return;
    this.#ws = null;
    ws.onopen = ws.onmessage = ws.onclose = null;
    try { ws.close(1000); } catch { /* already closed */ }
  }
}
