// 1:1 calls on the site's pages (the home page and the room page): friends' presence kept live, Call
// and Video call, the incoming-call card, and the call itself full screen over the page. Invites to
// rooms from friends show here too, as cards whose Join opens the room's page. The rules
// are the core's (the lobby, ring.js); this file only places the call on the page and says how it
// ended. A page already in a room leaves it before a 1:1 call starts (`beforeCall`), as answering a
// phone call puts the other one down.
import { Mehfil } from './mehfil.js';
import { Lobby } from './lobby.js';
import { showIncomingCall } from './incoming-call-card.js';
import { showInvite } from './invite-card.js';
import { callEndText } from './call-status.js';
import { currentSession, toast } from './site.js';
import { sessionToken } from './session.js';

const ENDS_QUIETLY = new Set(['hung-up', 'cancelled']);
let view = null; // {overlay, call} while a call is on screen

// The call's element, over the whole page like the room page's (site.css .call-host).
function openCallView() {
  const overlay = document.createElement('div');
  overlay.className = 'call-host call-overlay';
  document.body.append(overlay);
  view = { overlay, call: null };
  return overlay;
}

function show(call, name) {
  view.call = call;
  window.mehfilOneToOne = call;  // for tests and the curious
  const shown = view;
  let closing = false;
  const close = (after) => {
    if (closing) return;
    closing = true;
    setTimeout(() => {
      shown.call.destroy();
      shown.overlay.remove();
      if (view === shown) view = null;
    }, after);
  };
  call.on('call-ended', ({ reason }) => {
    changed();
    if (reason === 'moved-to-room') return toast('This call is a room now: share its code to bring people in.');
    toast(callEndText(reason, name), { tone: ENDS_QUIETLY.has(reason) ? 'info' : 'error' });
    close(1500);
  });
  // A call that became a room ends like a room: leaving it, or the room closing.
  call.on('left', () => close(0));
  call.on('room-closed', () => close(1500));
}

let changed = () => {};
let beforeCall = () => {};

// The page's token for its calls and lobby: a function (session.js refreshes an account's token
// when it runs out) that says whose it is, so the lobby is this user's one (lobby.js).
const pageToken = (session) => Object.assign(() => sessionToken(), { userId: session.user_id });

// Rings this page for the signed-in user; `onChange()` when a friend's presence changes or a call
// ends (the friends list and the call history are then out of date); `before()` just before this
// page places or answers a call.
export function startCalls({ onChange = () => {}, before = () => {} } = {}) {
  const session = currentSession();
  if (!session) return;
  changed = onChange;
  beforeCall = before;
  const token = pageToken(session);
  const lobby = Lobby.for(location.origin, token);
  lobby.on('presence', () => changed());
  lobby.on('invite-gone', () => changed());
  Mehfil.onInvite(location.origin, token, (invite) => {
    showInvite(invite, { onJoin: () => location.assign(`/room/${invite.room_code}`) });
    changed();
  });
  Mehfil.onIncomingCall(location.origin, token, (incoming) => {
    const name = incoming.from.display_name;
    showIncomingCall(incoming, {
      onAccept: () => {
        if (view) return incoming.decline();
        beforeCall();
        show(incoming.accept(openCallView()), name);
      },
    });
    incoming.ended.then(({ reason }) => {
      // Unanswered, whether the caller gave up first or the 30 s ran out: a missed call either way.
      if (reason === 'missed' || reason === 'cancelled') toast(callEndText('missed', name), { tone: 'error' });
      changed();
    });
  });
}

// Dismiss on Your Rooms' Invites list: the server takes it from every tab (invite:gone).
export function dismissInvite(inviteId) {
  const session = currentSession();
  if (session) Lobby.for(location.origin, pageToken(session)).dismissInvite(inviteId);
}

export function callFriend(person, video) {
  const session = currentSession();
  if (!session) return;
  if (view) return toast('You are already in a call.', { tone: 'error' });
  beforeCall();
  const call = Mehfil.ring(openCallView(), {
    server: location.origin, token: pageToken(session), to: person.user_id, toName: person.display_name, video,
  });
  show(call, person.display_name);
}

// How the history words one call of GET /api/calls: {title, line, missed}.
const OUTGOING_ENDS = { declined: 'Declined', no_answer: 'No answer', busy: 'Busy', offline: 'Offline', cancelled: 'Cancelled' };

function duration(ms) {
  const seconds = Math.round(ms / 1000);
  return seconds < 60 ? `${seconds} s` : `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
}

export function describeCall(call) {
  const kind = call.video ? 'Video call' : 'Audio call';
  const when = new Date(call.at).toLocaleString([], { dateStyle: 'medium', timeStyle: 'short' });
  const missed = call.direction === 'incoming' && !call.answered;
  let how;
  if (call.answered) how = `${call.direction === 'outgoing' ? 'Outgoing' : 'Incoming'} · ${duration(call.duration_ms)}`;
  else if (missed) how = call.end === 'declined' ? 'Declined' : 'Missed';
  else how = `Outgoing · ${OUTGOING_ENDS[call.end] ?? 'Not answered'}`;
  return { title: call.display_name || 'Someone', line: `${kind} · ${how} · ${when}`, missed };
}
