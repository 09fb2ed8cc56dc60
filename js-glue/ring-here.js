// An embed that rings (Mehfil.create with `ringing: true`): the page shows the incoming-call card
// (incoming-call-card.js) and friends' invite cards (invite-card.js) for the embed's user. An
// answered call, or a joined invite, fills the window over the page until it ends. Either leaves
// the embed's room first, as answering a phone call puts the other one down; the embed's call
// object stays the embedder's (it says 'left').
import { onIncomingCall } from './ring.js';
import { onInvite } from './invites.js';
import { showIncomingCall } from './incoming-call-card.js';
import { showInvite } from './invite-card.js';

const OVERLAY_CSS = 'position: fixed; inset: 0; z-index: 2147482000; background: #101215;';

// Returns the unsubscribe function (the embed calls it when destroyed).
export function ringHere(create, roomCall, { server, token }) {
  if (!token || (typeof token !== 'string' && typeof token !== 'function')) {
    console.warn('mehfil: `ringing: true` needs the user\'s `token`; this embed will not ring');
    return () => {};
  }
  let overlay = null;
  // Opens `start(overlay)`'s call over the page; it goes when the call ends or is left.
  const cover = (start) => {
    roomCall.leave();
    overlay = Object.assign(document.createElement('div'), { className: 'mehfil-ring-overlay' });
    overlay.style.cssText = OVERLAY_CSS;
    document.body.append(overlay);
    const shown = overlay;
    const call = start(overlay);
    let closing = false;
    const close = (after) => {
      if (closing) return;
      closing = true;
      setTimeout(() => {
        call.destroy();
        shown.remove();
        if (overlay === shown) overlay = null;
      }, after);
    };
    call.on('call-ended', () => close(1500));
    call.on('left', () => close(0));
    call.on('room-closed', () => close(1500));
    call.on('kicked', () => close(3000));
    return { call, close };
  };
  const stopCalls = onIncomingCall(create, server, token, (incoming) => {
    showIncomingCall(incoming, {
      onAccept: () => (overlay ? incoming.decline() : cover((into) => incoming.accept(into))),
    });
  });
  const stopInvites = onInvite(server, token, (invite) => {
    showInvite(invite, {
      onJoin: () => {
        if (overlay) return;
        const { call, close } = cover((into) => create(into, { server, token, room: invite.room_code }));
        call.join().catch(() => close(3000)); // full, locked, ended: its screen says why, then the page is back
      },
    });
  });
  return () => {
    stopCalls();
    stopInvites();
  };
}
