// CodeDoc: the room's code files as one Yjs document, and the bytes it trades with the room.
//
// Why Yjs: several people type into the same file at once, and every copy must end with the same
// text whatever order the edits arrive in, duplicated or late. That is a sequence CRDT's job, and
// Yjs is the well-kept one (y-codemirror.next binds it to CodeMirror). This file knows nothing of
// the editor or the socket: updates go out through `send(bytes)` and come in through
// `receive(bytes)`, so the convergence tests run it headless in Node, as the page runs it.
//
// The document: `files`, a Y.Map from file id to a Y.Map {name, language, created, text: Y.Text}.
// A file id is made by the person who creates it (their client id and a counter), so two people
// creating files at once never collide.
//
//   const doc = new CodeDoc({ send: (bytes) => socket.send(...) });
//   const id = doc.createFile('main.py', 'python');
//   doc.text(id).insert(0, 'print(1)');       // or CodeMirror, through y-codemirror.next
//   doc.receive(bytesFromTheRoom);            // false when they are not a Yjs update
import * as Y from 'yjs';

export const LANGUAGES = ['javascript', 'python', 'cpp', 'java', 'html', 'css', 'sql'];
// The most bytes one code:update may carry: its base64 must fit the wire's 60000 characters
// (protocol/validation.h, kMaxCodeUpdateChars). The editor pastes big texts in pieces (PASTE_PIECE).
export const MAX_UPDATE_BYTES = 45000;
export const PASTE_PIECE = 8000;  // characters: at most 3 bytes each in UTF-8, with room for Yjs's own
// Files a room's editor holds. The server cannot count them (it never reads Yjs; it holds the room
// to its bytes and updates, authority/code_rules.h), so the document keeps to this itself.
export const MAX_FILES = 50;

// Where a remote update came from, so the local-update listener does not send it back.
const REMOTE = Symbol('remote');
const clock = () => globalThis.performance?.now() ?? Date.now();

export class CodeDoc {
  #send;
  #batchMs;
  #pending = [];
  #pendingBytes = 0;
  #timer = null;
  #sentAt = -Infinity;
  #counter = 0;

  // send(bytes): a change goes out at once when nothing went out in the last `batchMs`, so a key
  // pressed alone costs no wait; the changes of a burst (fast typing, a paste in pieces) that come
  // sooner go out merged when the `batchMs` are up, never more than MAX_UPDATE_BYTES in one.
  // tooLarge(bytes): a single change over that, which cannot be sent (the editor splits pastes so
  // that it does not happen).
  constructor({ send = () => {}, tooLarge = () => {}, batchMs = 0, clientId } = {}) {
    this.doc = new Y.Doc();
    if (clientId !== undefined) this.doc.clientID = clientId;
    this.#send = send;
    this.#batchMs = batchMs;
    this.files = this.doc.getMap('files');
    this.doc.on('update', (update, origin) => {
      if (origin === REMOTE) return;
      if (update.length > MAX_UPDATE_BYTES) return tooLarge(update);
      if (this.#pendingBytes + update.length > MAX_UPDATE_BYTES) this.flush();
      this.#pending.push(update);
      this.#pendingBytes += update.length;
      if (this.#timer) return;
      const wait = this.#sentAt + this.#batchMs - clock();
      if (wait <= 0) this.flush();
      else this.#timer = setTimeout(() => this.flush(), wait);
    });
  }

  // Sends what is waiting now (one merged update), if anything is.
  flush() {
    clearTimeout(this.#timer);
    this.#timer = null;
    if (!this.#pending.length) return;
    const update = this.#pending.length === 1 ? this.#pending[0] : Y.mergeUpdates(this.#pending);
    this.#pending = [];
    this.#pendingBytes = 0;
    this.#sentAt = clock();
    this.#send(update);
  }

  // Applies an update from the room. Bytes that are not a Yjs update change nothing and return
  // false; applying the same update twice, or out of order, is what Yjs is for.
  receive(update) {
    let decoded;
    try {
      decoded = Y.decodeUpdate(update);  // reads it whole first: nothing is applied from a broken one
    } catch {
      return false;
    }
    if (!decoded.structs.length && !decoded.ds.clients.size) return true;
    try {
      Y.applyUpdate(this.doc, update, REMOTE);
    } catch {
      return false;
    }
    return true;
  }

  // The whole document as one update: what a late joiner needs, and what compaction stores.
  state() { return Y.encodeStateAsUpdate(this.doc); }

  // What this copy holds that `updates` (the room's stored ones, as a rejoin hears them) lack, as one
  // update, or null when they hold it all: edits made while the socket was down never reached the
  // room, and this is how they get there after a reconnect. Deletions count too.
  missingFrom(updates) {
    const server = new Y.Doc();
    for (const update of updates) Y.applyUpdate(server, update);
    const before = Y.encodeStateAsUpdate(server);
    const diff = Y.encodeStateAsUpdate(this.doc, Y.encodeStateVector(server));
    Y.applyUpdate(server, diff);
    const after = Y.encodeStateAsUpdate(server);
    server.destroy();
    const same = before.length === after.length && before.every((byte, i) => byte === after[i]);
    return same ? null : diff;
  }

  // The files, oldest first: [{id, name, language}].
  list() {
    return [...this.files.entries()]
      .map(([id, file]) => ({ id, name: file.get('name'), language: file.get('language'), created: file.get('created') ?? 0 }))
      .sort((a, b) => a.created - b.created || (a.id < b.id ? -1 : 1))
      .map(({ id, name, language }) => ({ id, name, language }));
  }

  // The new file's id, or null when the room holds MAX_FILES already.
  createFile(name, language = 'javascript', content = '') {
    if (this.files.size >= MAX_FILES) return null;
    const id = `${this.doc.clientID.toString(36)}-${(this.#counter += 1).toString(36)}`;
    this.doc.transact(() => {
      const file = new Y.Map();
      file.set('name', name);
      file.set('language', language);
      file.set('created', Date.now());
      const text = new Y.Text();
      if (content) text.insert(0, content);
      file.set('text', text);
      this.files.set(id, file);
    });
    return id;
  }

  rename(id, name) { this.files.get(id)?.set('name', name); }
  setLanguage(id, language) { this.files.get(id)?.set('language', language); }
  remove(id) { this.files.delete(id); }

  // The file's Y.Text (what CodeMirror binds to), or null.
  text(id) { return this.files.get(id)?.get('text') ?? null; }

  destroy() {
    clearTimeout(this.#timer);
    this.doc.destroy();
  }
}
