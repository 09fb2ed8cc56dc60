// The invite card: a friend asks you into a room (room:invite). Who, which room, Join and Dismiss,
// as a floating card (floating-card.js) on any page that hears invites (Mehfil.onInvite). It goes
// away when the invite is over: dismissed or used, here or in another tab.
//   showInvite(invite, {onJoin(invite), host}) → close()
// Join is the page's to carry out (the site opens the room's page; an embed opens the room over
// itself); Dismiss tells the server, which takes the invite from every tab and from Your Rooms.
import { floatingCard, initials } from './floating-card.js';

export function showInvite(invite, { onJoin, host = document.body } = {}) {
  const name = invite.from.display_name || 'A friend';
  const room = invite.room_name || invite.room_code;
  const shown = floatingCard({
    label: `${name} invites you to ${room}`,
    avatar: initials(name),
    who: `${name} invites you`,
    kind: `to “${room}”`,
    className: 'mehfil-invite',
    host,
    buttons: [
      { label: 'Dismiss', className: 'dismiss', action: () => { shown.close(); invite.dismiss(); } },
      { label: 'Join', className: 'accept', action: () => { shown.close(); onJoin?.(invite); } },
    ],
  });
  invite.gone.then(shown.close);
  return shown.close;
}
