// The call's shared tools: the whiteboard (call-whiteboard.js) and the code editor (call-code.js).
// Each is a tile the core's stage places (room/stage.h: with both open, the one opened last holds
// the stage); their traffic goes through the core (board-ops and board-cursor, code-update and
// code-cursor). This file says what opening and closing one means, so the call (mehfil.js) only
// forwards to it.
import { CallWhiteboard } from './call-whiteboard.js';
import { CallCodeEditor } from './call-code.js';

export class SharedTools {
  whiteboard = new CallWhiteboard();
  code = new CallCodeEditor();
  #call;

  // call: {feed(command), feedQuietly(command), emit(name, detail), self(), canManage(), destroyed(),
  // putCodeState(upto, bytes) (PUT /api/rooms/CODE/code-state)}.
  constructor(call) {
    this.#call = call;
  }

  // The tile element for a tool's id ("whiteboard" or "code"), or null for anything else.
  tile(id) {
    if (id === 'whiteboard') return this.whiteboard.tile();
    if (id === 'code') return this.code.tile();
    return null;
  }

  openWhiteboard() {
    const call = this.#call;
    return this.#open('whiteboard', 'whiteboard-change', () => this.whiteboard.mount({
      author: call.self()?.user_id ?? 'guest', isHost: call.canManage(),
      send: (ops) => call.feedQuietly({ type: 'board-ops', ops }),
      sendCursor: (cursor) => call.feedQuietly({ type: 'board-cursor', ...cursor }),
    }));
  }

  openCode() {
    const call = this.#call;
    return this.#open('code', 'code-editor-change', () => this.code.mount({
      user: { user_id: call.self()?.user_id ?? 'guest', display_name: call.self()?.display_name ?? 'Guest' },
      send: (update) => call.feedQuietly({ type: 'code-update', update }),
      sendCursor: (state) => call.feedQuietly({ type: 'code-cursor', state }),
      tooLarge: () => call.emit('error', { code: 'too_large', message: 'That change is too big to share at once: add it in parts.' }),
      feed: (command) => call.feed(command),
    }));
  }

  close(id) {
    const tool = id === 'code' ? this.code : this.whiteboard;
    if (!tool.close()) return;
    this.#call.feed({ type: id, open: false });
    this.#call.emit(id === 'code' ? 'code-editor-change' : 'whiteboard-change', { open: false });
  }

  // A command from the core for a tool: true when it was one.
  command(c) {
    switch (c.type) {
      case 'board-ops': this.whiteboard.receive(c.ops); return true;
      case 'board-cursor': this.whiteboard.receiveCursor(c); return true;
      case 'code-update': this.code.receive(c.updates, c.from); return true;
      case 'code-cursor': this.code.receiveCursor(c); return true;
      case 'code-running': this.code.running(c); return true;
      case 'code-output': this.code.ran(c); return true;
      case 'code-compact': this.code.compact((bytes) => this.#call.putCodeState(c.upto, bytes)); return true;
      default: return false;
    }
  }

  // In the room again (a join, or a reconnect): the tools send what the room missed meanwhile.
  rejoined() { this.code.rejoined(); }

  destroy() {
    this.whiteboard.close();
    this.code.destroy();
  }

  async #open(id, event, mount) {
    const tool = id === 'code' ? this.code : this.whiteboard;
    if (tool.open || this.#call.destroyed()) return;
    const mounted = mount();
    this.#call.feed({ type: id, open: true });
    if (await mounted) this.#call.emit(event, { open: true });
  }
}
