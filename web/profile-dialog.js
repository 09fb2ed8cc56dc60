// The Profile dialog (the account menu's Profile): the account's picture, name and email, and its
// room history. The picture is uploaded as the file chosen, and the server makes the small square
// one everyone sees (server-stub/profiles.h); Remove brings back the initials. A new name shows in
// the rooms joined from now on. The history lists the rooms made and joined, newest first, with the
// day, the time spent in each over every stay, and Open for the ones still open.
//
// After a change the session is renewed (session.js), so its stored name and picture, and the
// token's name, are the new ones on every tab.
import { el, initials } from './dom.js';
import { currentSession, renewSession } from './session.js';
import { api, toast, wireDialog } from './site.js';

const $ = (id) => document.getElementById(id);
const MAX_PICTURE_BYTES = 5 * 1024 * 1024; // the server's limit (avatar_image.h)

const day = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });
const dayAndTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

// 45 s → "under a minute", 65 min → "1 h 5 min".
export function spentTime(ms) {
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 1) return ms > 0 ? 'under a minute' : 'never went in';
  const hours = Math.floor(minutes / 60);
  if (!hours) return `${minutes} min`;
  return minutes % 60 ? `${hours} h ${minutes % 60} min` : `${hours} h`;
}

// The account's picture as an element: the image, or its initial on the accent colour (also when
// the picture is gone: removed on another device while this one still has its address).
export function avatarOf(session, className = 'avatar') {
  const initial = () => el('span', { className }, initials(session?.display_name));
  if (!session?.avatar_url) return initial();
  const image = el('img', { className: `${className} avatar-image`, src: session.avatar_url, alt: '' });
  image.addEventListener('error', () => image.replaceWith(initial()), { once: true });
  return image;
}

function historyItem(room) {
  const kind = room.kind === 'call' ? 'Call' : room.kind === 'meeting' ? 'Meeting' : null;
  const when = room.last_joined_at ?? room.created_at;
  const what = [
    room.created ? 'You made it' : 'Joined',
    room.last_joined_at ? dayAndTime.format(when) : `${day.format(when)} · never went in`,
  ];
  if (room.first_joined_at && room.time_in_room_ms > 0) what.push(`in it for ${spentTime(room.time_in_room_ms)}`);
  const badges = [
    kind ? el('span', { className: 'badge' }, kind) : null,
    room.in_room_now ? el('span', { className: 'badge badge-accent' }, 'In it now') : null,
    room.removed ? el('span', { className: 'badge badge-danger' }, 'Removed') : null,
  ];
  const open = room.is_active && !room.removed && room.kind !== 'call'
    ? el('a', { className: 'btn btn-small btn-secondary', href: `/room/${room.room_code}` }, 'Open')
    : el('span', { className: 'history-ended' }, room.is_active ? '' : 'Ended');
  return el('li', { className: 'room-item history-item' },
    el('div', { className: 'room-info' },
      el('strong', {}, room.room_name, ...badges),
      el('span', { className: 'history-meta' }, what.join(' · '))),
    open);
}

export function mountProfileDialog() {
  const dialog = wireDialog($('profile-dialog'));
  const nameForm = $('profile-name-form');
  const nameInput = nameForm.elements.display_name;
  const fileInput = $('profile-picture-input');
  const removeButton = $('profile-picture-remove');
  const error = $('profile-error');

  function renderAccount() {
    const session = currentSession();
    if (!session) return;
    $('profile-avatar').replaceChildren(avatarOf(session, 'avatar avatar-large'));
    $('profile-email').textContent = session.email ?? '';
    $('profile-verified').hidden = !session.email_verified;
    removeButton.hidden = !session.avatar_url;
    if (document.activeElement !== nameInput) nameInput.value = session.display_name ?? '';
  }

  async function renderHistory() {
    const list = $('profile-history');
    const empty = $('profile-history-empty');
    try {
      const { rooms } = await api('GET', '/api/profile/history');
      list.replaceChildren(...rooms.map(historyItem));
      empty.textContent = 'No rooms yet: rooms you make or join show here.';
      empty.hidden = rooms.length > 0;
    } catch (problem) {
      list.replaceChildren();
      empty.hidden = false;
      empty.textContent = problem.message;
    }
  }

  // Runs a change, then renews the session so its name and picture are the new ones everywhere (a
  // session that ended meanwhile signs out: session.js says so).
  async function change(work, done) {
    error.textContent = '';
    try {
      await work();
    } catch (problem) {
      error.textContent = problem.message;
      return;
    }
    toast(done);
    await renewSession(currentSession()?.token).catch(() => {});
  }

  nameForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const name = nameInput.value.trim();
    if (!name) {
      error.textContent = 'Type the name people see in rooms.';
      return;
    }
    if (name === currentSession()?.display_name) return;
    nameInput.blur();
    change(() => api('PATCH', '/api/profile', { display_name: name }), 'Your name is changed');
  });

  fileInput.addEventListener('change', () => {
    const [file] = fileInput.files;
    fileInput.value = ''; // the same file can be chosen again after a refusal
    if (!file) return;
    if (file.size > MAX_PICTURE_BYTES) {
      error.textContent = 'Choose a picture under 5 MB.';
      return;
    }
    $('profile-avatar').setAttribute('aria-busy', 'true');
    change(() => api('PUT', '/api/profile/avatar', undefined, { bytes: file }), 'Your picture is changed')
      .finally(() => $('profile-avatar').removeAttribute('aria-busy'));
  });
  removeButton.addEventListener('click', () => change(() => api('DELETE', '/api/profile/avatar'), 'Your picture is removed'));

  window.addEventListener('mehfil:session', renderAccount);
  return {
    open() {
      error.textContent = '';
      renderAccount();
      renderHistory();
      if (!dialog.open) dialog.showModal();
    },
  };
}
