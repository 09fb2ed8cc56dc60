// Lobby: a page's link to its Mehfil server outside any room (wasm/bindings/lobby_bridge.h). One
// socket that rings and is rung, hears friends come and go, and reconnects on the core's table. The
// core decides (the 1:1 call's states, glare, busy, the ring's 30 s); this file carries its commands
// out and tells listeners:
//   'call'     the core's call update {state, reason, call_id, peer_user_id, peer_display_name,
//              video, room_code, remote_ringing}
//   'presence' {user_id, presence}   'friend' {user_id, display_name, friends}   'error' {code, message}
//   'invite' {invite_id, room_code, room_name, from_user_id, from_display_name, sent_at}
//   'invite-gone' {invite_id}   (dismissed or used, on this tab or another)
// One lobby per server and user on a page (Lobby.for): the site's pages, Mehfil.ring and
// Mehfil.onIncomingCall share it, so a page never rings twice.
import { LobbyCore } from './mehfil-core.mjs';
import { RoomSocket } from './room-socket.js';
import { CoreDriver, randomId } from './core-driver.js';
import { Emitter, mehfilError } from './emitter.js';

const lobbies = new Map(); // "origin user" -> Lobby

// Whose lobby: a token function says it (`userId`, as the site's pages set it); a token string
// names it in its `sub` claim (read, not verified: the server verifies). Unreadable: the token itself.
function userOf(token) {
  if (typeof token === 'function') return token.userId ?? token;
  try {
    const payload = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    return JSON.parse(atob(payload)).sub ?? token;
  } catch {
    return token;
  }
}

export class Lobby extends Emitter {
  // The page's one lobby for this server and user, whether asked with a token string or a function.
  static for(server, token) {
    const who = userOf(token);
    const key = typeof who === 'string' ? `${new URL(server, location.href).origin} ${who}` : who;
    let lobby = lobbies.get(key);
    if (!lobby) lobbies.set(key, (lobby = new Lobby(server, token)));
    return lobby;
  }

  #core = new LobbyCore();
  #server;
  #token;
  #opened = null; // resolves when the socket is open (again)
  #markOpen = () => {};
  #socket = new RoomSocket({
    opened: () => {
      this.#driver.feed({ type: 'socket-opened' });
      this.#markOpen();
    },
    frame: (text) => this.#driver.serverFrame(text),
    closed: () => {
      this.#expectOpen();
      this.#driver.feed({ type: 'socket-closed', jitter: Math.random() });
    },
  });
  #driver = new CoreDriver(this.#core, {
    execute: (command) => this.#execute(command),
    after: () => {},
    gone: () => false,
  });
  call = null; // the core's last call update
  #refusal = null; // the core's reason for refusing the last event, if it did

  constructor(server, token) {
    super();
    this.#server = server;
    this.#token = token;
    this.#expectOpen();
    this.#driver.feed({ type: 'start' });
  }

  // Resolves once the socket is open, so a ring placed now is sent, not lost.
  ready() { return this.#opened; }

  // Rings `userId`; the call's id (this page made it: the core has no randomness). Rejects with
  // 'in_another_call' when the core refuses because this page is in a 1:1 call already.
  async ring(userId, { video = false, displayName = '' } = {}) {
    await this.ready();
    const callId = `c${randomId()}`;
    this.#refusal = null;
    this.#driver.feed({ type: 'place', to_user_id: String(userId), to_display_name: displayName, call_id: callId, video: !!video });
    if (this.#refusal) throw mehfilError('in_another_call', 'You are in a call already: hang up first.');
    return callId;
  }

  accept() { this.#driver.feed({ type: 'accept' }); }
  decline() { this.#driver.feed({ type: 'reject' }); }
  cancel() { this.#driver.feed({ type: 'cancel' }); }
  hangUp() { this.#driver.feed({ type: 'hang-up' }); }
  async dismissInvite(inviteId) {
    await this.ready(); // not lost while the socket reconnects
    this.#driver.feed({ type: 'dismiss-invite', invite_id: String(inviteId) });
  }

  #expectOpen() {
    if (this.#socket.open) return;
    this.#opened = new Promise((resolve) => { this.#markOpen = resolve; });
  }

  #execute(c) {
    switch (c.type) {
      case 'send': return this.#socket.send(c.text);
      case 'open-socket': return this.#socket.connect(this.#server, this.#token);
      case 'timer': return this.#driver.schedule(c.key, c.at);
      case 'call':
        this.call = c;
        return this.emit('call', c);
      case 'presence':
      case 'friend':
      case 'invite':
      case 'invite-gone':
      case 'error':
        return this.emit(c.type, c);
      case 'rejected':
        this.#refusal = c.reason;
        return console.debug('mehfil lobby: the core refused:', c.reason);
      default: return undefined;
    }
  }
}
