// An embed that rings (Mehfil.create with `ringing: true`): the page shows the incoming-call card
// (incoming-call-card.js) for the embed's user, and an answered call fills the window over the page
// until it ends. Answering leaves the embed's room first, as answering a phone call puts the other
// one down; the embed's call object stays the embedder's (it says 'left').
import { onIncomingCall } from './ring.js';
import { showIncomingCall } from './incoming-call-card.js';

const OVERLAY_CSS = 'position: fixed; inset: 0; z-index: 2147482000; background: #101215;';

// Returns the unsubscribe function (the embed calls it when destroyed).
export function ringHere(create, roomCall, { server, token }) {
  if (typeof token !== 'string' || !token) {
    console.warn('mehfil: `ringing: true` needs the user\'s `token`; this embed will not ring');
    return () => {};
  }
  let overlay = null;
  return onIncomingCall(create, server, token, (incoming) => {
    showIncomingCall(incoming, {
      onAccept: () => {
        if (overlay) return incoming.decline();
        roomCall.leave();
        overlay = Object.assign(document.createElement('div'), { className: 'mehfil-ring-overlay' });
        overlay.style.cssText = OVERLAY_CSS;
        document.body.append(overlay);
        const call = incoming.accept(overlay);
        call.on('call-ended', () => setTimeout(() => {
          call.destroy();
          overlay?.remove();
          overlay = null;
        }, 1500));
      },
    });
  });
}
