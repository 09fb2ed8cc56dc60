// "Invite from Friends List", the lower half of the Invite dialog: the user's friends with a
// checkbox each, whether they are online, and Send Invites. Who may be invited is the server's
// rule (wasm/core/authority/room_authority.h: invite); this lists friends and asks for the ones
// ticked. People already in the room are shown as "Here" and cannot be ticked.
//   inviteFriendsSection(call, {sent}) -> element   (sent(): after Send Invites, to close the dialog)
import { el, textButton, initials } from './dom.js';

const presenceText = { online: 'Online', in_call: 'In a call', offline: 'Offline' };

export function inviteFriendsSection(call, { sent }) {
  const list = el('ul', { className: 'mf-friend-picks' });
  const status = el('p', { className: 'mf-muted' }, 'Loading your friends…');
  const send = textButton('Send Invites', () => {
    const chosen = [...list.querySelectorAll('input:checked')].map((box) => box.value);
    if (chosen.length === 0) return;
    call.inviteFriends(chosen);
    sent();
  }, 'mf-button mf-button-primary', 'send');
  send.disabled = true;
  const section = el('section', { className: 'mf-invite-friends' },
    el('h3', {}, 'Invite from Friends List'), status, list, el('div', { className: 'mf-row mf-row-end' }, send));
  list.addEventListener('change', () => { send.disabled = !list.querySelector('input:checked'); });

  call.friends().then((friends) => {
    const here = new Set(call.participants().map((p) => p.user_id));
    status.textContent = friends.length ? '' : 'No friends yet. Add Friend on someone’s tile in a call, and they will be listed here.';
    status.hidden = friends.length > 0;
    send.hidden = friends.length === 0;
    list.replaceChildren(...friends.map((f) => {
      const box = el('input', { type: 'checkbox', value: f.user_id, disabled: here.has(f.user_id) });
      const state = here.has(f.user_id) ? 'Here' : presenceText[f.presence] ?? 'Offline';
      return el('li', {}, el('label', { className: 'mf-friend-pick' }, box,
        el('span', { className: 'mf-avatar mf-avatar-small', ariaHidden: 'true' }, initials(f.display_name)),
        el('span', { className: 'mf-friend-pick-name' }, f.display_name),
        el('span', { className: `mf-presence mf-presence-${here.has(f.user_id) ? 'here' : f.presence}` }, state)));
    }));
  });
  return section;
}
