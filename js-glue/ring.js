// 1:1 calls in the embed API: Mehfil.ring (call someone) and Mehfil.onIncomingCall (be called).
//
// The ringing is the lobby core's (lobby.js, room/call.h); the media meets in the call's own room,
// which the server makes when the ring goes through (authority/call_rules.h). So a 1:1 call is an
// ordinary call object (mehfil.js) whose room code comes later: the caller's call opens its camera
// and goes into the room while it rings. So does one of the callee's ringing tabs (the one the
// core names, with the ring's room_code), out of sight and with no camera: the core holds it back
// and the caller sends it no media (Participant::ringing), but its link connects, so Accept only
// shows the call and opens the camera. Any other tab's call joins once they accept. This file ties
// the two together: it hands the call its room when the core names it, turns the core's call
// updates into the call's events and its status strip, and ends one when the other ends (hanging
// up leaves the room; the room closing ends the ring).
//
// Events on the call object (mehfil.d.ts): 'call-ringing', 'call-accepted', 'call-ended' {reason},
// and, for the call UI's status strip (call-status.js), 'call-status' {phase, name, video, since}.
import { Lobby } from './lobby.js';

// The core's end reasons (room/call.h) as the embed API spells them.
const REASONS = {
  rejected: 'declined', no_answer: 'no-answer', busy: 'busy', offline: 'offline', cancelled: 'cancelled',
  hung_up: 'hung-up', missed: 'missed', refused: 'refused', moved_to_room: 'moved-to-room', elsewhere: 'answered-elsewhere',
};

export function endReason(coreReason) { return REASONS[coreReason] ?? coreReason; }

// The room a call will meet in: a promise the call's join() waits for, and how to settle it.
function laterRoom() {
  let give;
  const room = new Promise((resolve) => { give = resolve; });
  return { room, give };
}

// Follows the lobby's call for one call object until it ends. `name`: the other person's name;
// giveRoom(code) hands the call its room once the core names it.
function follow(call, lobby, giveRoom, { name, video }) {
  let accepted = false;
  let ended = false;
  const stop = () => {
    offCall();
    offLeft();
    offClosed();
  };
  const end = (reason) => {
    if (ended) return;
    ended = true;
    stop();
    giveRoom(null); // a call still waiting for its room stops waiting (and closes its camera)
    call.emit('call-status', { phase: reason === 'moved-to-room' ? 'moved' : 'ended', name, video, reason });
    call.emit('call-ended', { reason });
    if (reason !== 'moved-to-room') call.leave(); // Add people: the call goes on as an ordinary room
  };
  const offCall = lobby.on('call', (u) => {
    if (u.peer_display_name) name = u.peer_display_name;
    if (u.room_code) giveRoom(u.room_code);
    if (u.state === 'calling') {
      call.emit('call-status', { phase: u.remote_ringing ? 'ringing' : 'calling', name, video });
      if (u.remote_ringing) call.emit('call-ringing', { call_id: u.call_id });
    } else if (u.state === 'connected' && !accepted) {
      accepted = true;
      call.emit('call-status', { phase: 'connected', name, video, since: Date.now() });
      call.emit('call-accepted', { call_id: u.call_id });
    } else if (u.state === 'ended') {
      end(endReason(u.reason));
    }
  });
  // Leaving the call's room (the UI's Leave, call.leave()) ends the 1:1 call for both.
  const offLeft = call.on('left', () => {
    if (ended) return;
    if (lobby.call?.state === 'calling') lobby.cancel();
    else if (lobby.call?.state === 'connected') lobby.hangUp();
  });
  // The server closed the call's room: the call is over, whatever the lobby heard first.
  const offClosed = call.on('room-closed', () => end('hung-up'));
}

// Mehfil.ring(container, {server, token, to, video, toName}) → a call object that rings `to`.
export function ring(create, container, options) {
  if (!options || typeof options.server !== 'string' || !['string', 'function'].includes(typeof options.token) || !options.token || !options.to) {
    throw new TypeError('Mehfil.ring needs {server, token, to}');
  }
  const video = !!options.video;
  const lobby = Lobby.for(options.server, options.token);
  const name = options.toName ?? '';
  const { room, give } = laterRoom();
  const call = create(container, { ...options, video, room });
  call.emit('call-status', { phase: 'calling', name, video });
  // Followed only once the core took the ring: a page in another call must not follow that one.
  lobby.ring(options.to, { video, displayName: name }).then(() => {
    follow(call, lobby, give, { name, video });
    return call.join();
  }).catch((error) => {
    if (error?.code !== 'in_another_call') return;
    give(null);
    call.emit('error', { code: error.code, message: error.message });
    call.emit('call-status', { phase: 'ended', name, video, reason: 'in-another-call' });
    call.emit('call-ended', { reason: 'in-another-call' });
  });
  return call;
}

// The call's element inside the page's container: a call answered here may have been made before the
// page had a container for it (waitInRoom).
function callElement() {
  const element = document.createElement('div');
  element.className = 'mehfil-call';
  element.style.cssText = 'display: block; width: 100%; height: 100%';
  return element;
}

// The callee's call while it rings, in the call's room already, in an element on no page yet. It
// opens no camera until answered (`mediaAfter`). answer(container) puts it on the page and opens the
// camera; drop() ends it.
function waitInRoom(create, { server, token, video, room }) {
  const element = callElement();
  let answered;
  const mediaAfter = new Promise((resolve) => { answered = resolve; });
  const call = create(element, { audio: true, server, token, video, room, mediaAfter });
  call.join().catch(() => {});
  return {
    // Whether it is still in the room, or on its way in (a join that failed answers nothing).
    usable: () => !['left', 'kicked', 'closed', 'failed'].includes(call.state),
    answer(container) {
      container.append(element);
      answered();
      return call;
    },
    drop() {
      answered();
      call.destroy();
    },
  };
}

// Mehfil.onIncomingCall(server, token, handler) → unsubscribe. handler gets
// {call_id, from: {user_id, display_name}, video, accept(container, options) → call, decline(), ended}
// where `ended` resolves with {reason} if the ring stops without an answer here.
export function onIncomingCall(create, server, token, handler) {
  const lobby = Lobby.for(server, token);
  let current = null;
  return lobby.on('call', (u) => {
    if (u.state === 'ringing' && current?.call_id !== u.call_id) {
      let settle;
      const ended = new Promise((resolve) => { settle = resolve; });
      const waiting = u.room_code ? waitInRoom(create, { server, token, video: u.video, room: u.room_code }) : null;
      current = { call_id: u.call_id, settle, answered: false, waiting };
      const ringing = current;
      handler({
        call_id: u.call_id,
        from: { user_id: u.peer_user_id, display_name: u.peer_display_name },
        video: u.video,
        ended,
        // With no options, the call that waits in the room answers (the fastest); options of
        // its own (no video, a stream, no UI...) make a new call.
        accept(container, options = {}) {
          ringing.answered = true;
          const video = u.video && options.video !== false;
          if (waiting?.usable() && !Object.keys(options).length) {
            ringing.waiting = null;
            lobby.accept();
            const call = waiting.answer(container);
            follow(call, lobby, () => {}, { name: u.peer_display_name, video });
            return call;
          }
          ringing.waiting?.drop(); // it leaves the room before this call comes in as a newcomer
          ringing.waiting = null;
          const { room, give } = laterRoom();
          const element = container.appendChild(callElement());
          const call = create(element, { audio: true, ...options, server, token, video, room });
          follow(call, lobby, give, { name: u.peer_display_name, video });
          lobby.accept();
          call.join().catch(() => {});
          return call;
        },
        decline() { lobby.decline(); },
      });
      return;
    }
    if (u.state === 'ringing' || !current) return;
    current.waiting?.drop();
    // The ring is over: unanswered here, or answered through another handler on this page.
    if (!current.answered) current.settle({ reason: u.state === 'ended' ? endReason(u.reason) : 'answered-elsewhere' });
    current = null;
  });
}
