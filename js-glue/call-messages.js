// What a call says to its user: the words of each full-screen message and each toast, and the plain
// overlay a call without call-ui.js shows. Which screen or toast comes is the core's decision
// (room/screens.h, RoomClient's Toast); the words are here, in one place, for every face.
export const SCREEN_MESSAGES = {
  password: 'This room needs a password.',
  room_not_found: 'This room doesn\'t exist or has expired.',
  room_full: 'This room is full.',
  room_locked: 'The host has locked this room.',
  kicked: 'You were removed from this room by the host.',
  room_closed: 'The host ended this room.',
  expired: 'This room has expired.',
  left: 'You left the room.',
  connection_lost: 'We could not reach the room for a while. Check your connection, then reconnect.',
  waiting_room: 'The host will let you in soon.',
  knock_denied: 'The host did not let you in.',
};

const TITLES = {
  kicked: 'Removed from the room', room_closed: 'Room closed', connection_lost: 'Connection lost',
  waiting_room: 'Waiting for the host to let you in', knock_denied: 'Not let in',
};

// Fills `overlay` with the screen's title and message; connection_lost also offers Reconnect / Leave.
export function showPlainScreen(overlay, { screen, message, reconnect, leave }) {
  const title = document.createElement('h2');
  title.textContent = TITLES[screen] ?? 'Can\'t join this room';
  const text = document.createElement('p');
  text.textContent = message || SCREEN_MESSAGES[screen] || screen;
  overlay.replaceChildren(title, text);
  if (screen === 'connection_lost') {
    const button = (label, action) => Object.assign(document.createElement('button'), { type: 'button', textContent: label, onclick: action });
    const actions = document.createElement('div');
    actions.className = 'mehfil-overlay-actions';
    actions.append(button('Reconnect', reconnect), button('Leave', leave));
    overlay.append(actions);
  }
  overlay.dataset.screen = screen;
  overlay.hidden = false;
}

// A toast's text. `detail` is what the core attached (a user id or a display name, by kind); nameOf
// turns a user id into the name the room knows.
export function toastText(kind, detail, nameOf) {
  switch (kind) {
    case 'host_muted_you': return 'The host muted your microphone.';
    case 'you_are_host': return 'You are now the host.';
    case 'reconnecting': return 'Connection lost. Trying to reconnect…';
    case 'reconnected': return 'Reconnected.';
    case 'participant_removed': return `${nameOf(detail) || 'Someone'} was removed by the host.`;
    case 'friend_request': return `${detail} wants to be your friend`;
    case 'friend_sent': return `Friend request sent to ${nameOf(detail) || 'them'}`;
    case 'now_friends': return `You and ${detail} are now friends`;
    case 'recording': return { recording: 'This call is being recorded.', paused: 'Recording paused.', off: 'Recording stopped.' }[detail] ?? '';
    case 'report_sent': return `Report sent. ${nameOf(detail) || 'They'} won't be told who reported them.`;
    case 'invites_sent': return detail === '1' ? 'Invite sent' : `Invites sent to ${detail} friends`;
    case 'room_ending': {
      const minutes = Math.max(1, Math.round((Number(detail) - Date.now()) / 60_000));
      return `This meeting ends in ${minutes} minute${minutes === 1 ? '' : 's'}.`;
    }
    default: return detail;
  }
}
