// Mehfil.onInvite(server, token, handler) → unsubscribe: invites to rooms from friends, live, on any
// page that has the lobby (lobby.js). handler gets
//   {invite_id, room_code, room_name, from: {user_id, display_name}, sent_at, dismiss(), gone}
// where `gone` resolves once the invite is over: dismissed or used to join, here or in another tab.
// The server keeps invites until then (Your Rooms lists them), so a page only shows the ones that
// arrive while it is open.
import { Lobby } from './lobby.js';

export function onInvite(server, token, handler) {
  const lobby = Lobby.for(server, token);
  const open = new Map(); // invite id -> resolves its `gone`
  const offInvite = lobby.on('invite', (i) => {
    if (open.has(i.invite_id)) return;
    const gone = new Promise((resolve) => open.set(i.invite_id, resolve));
    handler({
      invite_id: i.invite_id,
      room_code: i.room_code,
      room_name: i.room_name,
      from: { user_id: i.from_user_id, display_name: i.from_display_name },
      sent_at: i.sent_at,
      dismiss: () => lobby.dismissInvite(i.invite_id),
      gone,
    });
  });
  const offGone = lobby.on('invite-gone', ({ invite_id: id }) => {
    open.get(id)?.();
    open.delete(id);
  });
  return () => {
    offInvite();
    offGone();
    for (const settle of open.values()) settle();
    open.clear();
  };
}
