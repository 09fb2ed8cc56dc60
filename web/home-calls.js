// The home page's 1:1 calls: friends' presence kept live, Call and Video call, the incoming-call
// card, and the call itself full screen over the page. The rules are the core's (the lobby, ring.js);
// this file only places the call on the page and says how it ended.
import { Mehfil } from './mehfil.js';
import { Lobby } from './lobby.js';
import { showIncomingCall } from './incoming-call-card.js';
import { callEndText } from './call-status.js';
import { currentSession, toast } from './site.js';

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
  call.on('call-ended', ({ reason }) => {
    toast(callEndText(reason, name), { tone: ENDS_QUIETLY.has(reason) ? 'info' : 'error' });
    const ending = view;
    setTimeout(() => {
      ending.call.destroy();
      ending.overlay.remove();
      if (view === ending) view = null;
    }, 1500);
  });
}

// Rings this page for the signed-in user and keeps `onPresence({user_id, presence})` told.
export function startCalls({ onPresence }) {
  const session = currentSession();
  if (!session) return;
  Lobby.for(location.origin, session.token).on('presence', onPresence);
  Mehfil.onIncomingCall(location.origin, session.token, (incoming) => {
    const name = incoming.from.display_name;
    showIncomingCall(incoming, {
      onAccept: () => {
        if (view) return incoming.decline();
        show(incoming.accept(openCallView()), name);
      },
    });
    incoming.ended.then(({ reason }) => {
      if (reason === 'missed') toast(callEndText('missed', name), { tone: 'error' });
    });
  });
}

export function callFriend(person, video) {
  const session = currentSession();
  if (!session) return;
  if (view) return toast('You are already in a call.', { tone: 'error' });
  const call = Mehfil.ring(openCallView(), {
    server: location.origin, token: session.token, to: person.user_id, toName: person.display_name, video,
  });
  show(call, person.display_name);
}
