// CallChat: a call's chat as the embed API shows it (mehfil.d.ts: chat(), sendChat(), shareFile(),
// chatFileUrl() and the 'chat-message' event). Messages come from the core: the room's history when
// we join, then each new one; the last 500 are kept here for chat(). A line is sent through the core,
// which checks the room's chat switch and its limits; a file goes over HTTP (chat-files.js), since
// a socket frame is no place for megabytes.
import { uploadChatFile, chatFileUrl, forgetChatFiles } from './chat-files.js';
import { randomId } from './core-driver.js';

const KEPT = 500;

export class CallChat {
  #messages = [];
  #feed;
  #server;
  #token;
  #roomCode;
  #emit;

  // feed(event): to the core. server(), token(), roomCode(): the call's, as of now. emit(name, detail).
  constructor({ feed, server, token, roomCode, emit }) {
    this.#feed = feed;
    this.#server = server;
    this.#token = token;
    this.#roomCode = roomCode;
    this.#emit = emit;
  }

  list() { return this.#messages.map((m) => ({ ...m })); }

  send(text) {
    const body = String(text ?? '').trim();
    if (body) this.#feed({ type: 'chat', text: body, client_msg_id: randomId() });
  }

  shareFile(file, { onProgress, signal } = {}) {
    return uploadChatFile({ server: this.#server(), token: this.#token, roomCode: this.#roomCode(), file, clientMsgId: randomId(), onProgress, signal });
  }

  fileUrl(fileId, { thumbnail = false } = {}) {
    return chatFileUrl({ server: this.#server(), token: this.#token, roomCode: this.#roomCode(), fileId, thumbnail });
  }

  // A message the core handed us (the 'chat' command).
  append(message) {
    this.#messages.push(message);
    if (this.#messages.length > KEPT) this.#messages.shift();
    this.#emit('chat-message', { ...message });
  }

  // The call ended: the files fetched for it (blob: URLs) are let go.
  ended() { forgetChatFiles(); }
}
