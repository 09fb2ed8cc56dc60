// The home page: Create Room (every option) → the success modal, Join Room (8-box code, pasted
// links, password) and Your Rooms (created and joined, Rejoin / Share / Delete; friends, and the
// friend requests made with Add Friend in a call, to accept).
import { hydrateIcons, icon } from './call-ui-icons.js';
import { CodeInput } from './code-input.js';
import {
  api, canShare, copyText, currentSession, ensureSession, formatCount, parseRoomCode, roomLink,
  shareRoom, toast, wireDialog,
} from './site.js';
import { callFriend, describeCall, dismissInvite, startCalls } from './site-calls.js';
import { recordingItem } from './recording-items.js';
import { mountAuthDialog } from './auth-dialog.js';
import { mountAccountMenu } from './account-menu.js';
import { isAccount } from './session.js';
import { mountLiveRooms } from './live-rooms.js';

const $ = (id) => document.getElementById(id);
hydrateIcons();

const createDialog = wireDialog($('create-dialog'));
const successDialog = wireDialog($('success-dialog'));
const joinDialog = wireDialog($('join-dialog'));
const roomsDialog = wireDialog($('rooms-dialog'));
const confirmDialog = $('confirm-dialog');

function showSessionName() {
  const session = currentSession();
  const chip = $('name-chip');
  chip.hidden = !session || isAccount(session);  // an account has its menu instead
  if (session) chip.textContent = `Hi, ${session.display_name}`;
}
showSessionName();

// ---------------------------------------------------------------------------------------------
// Create Room

const createForm = $('create-form');
const maxInput = $('max-input');
maxInput.addEventListener('input', () => {
  $('max-output').textContent = maxInput.value;
  maxInput.setAttribute('aria-valuetext', `${maxInput.value} people`);
  maxInput.style.setProperty('--fill', `${((maxInput.value - 2) / 8) * 100}%`);
});
maxInput.style.setProperty('--fill', '37.5%');
$('use-password').addEventListener('change', (event) => {
  $('password-field').hidden = !event.target.checked;
  if (event.target.checked) createForm.elements.password.focus();
});

function openCreate() {
  $('create-error').textContent = '';
  const needsName = !currentSession();
  $('create-name-field').hidden = !needsName;
  createForm.elements.display_name.required = needsName;
  createDialog.showModal();
  (needsName ? createForm.elements.display_name : createForm.elements.room_name).focus();
}
$('create-button').addEventListener('click', openCreate);

createForm.addEventListener('submit', async (event) => {
  event.preventDefault();
  const form = createForm.elements;
  const error = $('create-error');
  error.textContent = '';
  const name = form.display_name.value.trim();
  if (!currentSession() && !name) {
    error.textContent = 'Please tell us your name first.';
    form.display_name.focus();
    return;
  }
  const usePassword = form.use_password.checked;
  if (usePassword && !form.password.value) {
    error.textContent = 'Type a password, or turn “Require a password” off.';
    form.password.focus();
    return;
  }
  const submit = $('create-submit');
  submit.disabled = true;
  submit.textContent = 'Creating…';
  try {
    if (!currentSession()) await ensureSession(name);
    showSessionName();
    const room = await api('POST', '/api/rooms/create', {
      room_name: form.room_name.value.trim() || undefined,
      topic: form.topic.value.trim() || undefined,
      is_public: form.visibility.value === 'public',
      max_participants: Number(form.max_participants.value),
      password: usePassword ? form.password.value : undefined,
      settings: { screenshare: form.screenshare.checked, chat: form.chat.checked, record_automatically: form.record_automatically.checked,
        waiting_room: form.waiting_room.checked },
    });
    createDialog.close();
    createForm.reset();
    $('password-field').hidden = true;
    maxInput.dispatchEvent(new Event('input'));
    showSuccess(room);
  } catch (problem) {
    error.textContent = problem?.code ? problem.message : 'Something went wrong. Please try again.';
  } finally {
    submit.disabled = false;
    submit.textContent = 'Create Room';
  }
});

// ---------------------------------------------------------------------------------------------
// Success

let created = null;
function showSuccess(room) {
  created = room;
  $('success-name').textContent = room.room_name;
  $('success-code').textContent = room.room_code;
  $('success-code').setAttribute('aria-label', `Room code: ${[...room.room_code].join(' ')}`);
  $('success-link').textContent = roomLink(room.room_code);
  $('join-now').href = `/room/${room.room_code}`;
  $('share-room').hidden = !canShare();
  successDialog.showModal();
  $('join-now').focus();
}
$('copy-code').addEventListener('click', async () => {
  toast((await copyText(created.room_code)) ? `Code ${created.room_code} copied` : 'Could not copy the code');
});
$('copy-link').addEventListener('click', async () => {
  toast((await copyText(roomLink(created.room_code))) ? 'Link copied' : 'Could not copy the link');
});
$('share-room').addEventListener('click', () => shareRoom(created.room_code, created.room_name));

// ---------------------------------------------------------------------------------------------
// Join Room

const joinForm = $('join-form');
const codeInput = new CodeInput($('code-boxes'), {
  hint: $('join-error'),
  onChange: () => { $('join-submit').disabled = !codeInput.complete; },
  onSubmit: () => joinForm.requestSubmit(),
});

function openJoin(code) {
  $('join-error').textContent = '';
  codeInput.value = code ?? '';
  joinDialog.showModal();
  if (codeInput.complete) $('join-submit').focus();
  else codeInput.focus();
}
$('join-button').addEventListener('click', () => openJoin());

joinForm.addEventListener('submit', async (event) => {
  event.preventDefault();
  const code = codeInput.value;
  const error = $('join-error');
  if (!codeInput.complete) {
    error.textContent = 'Room codes have 8 characters.';
    codeInput.focus();
    return;
  }
  // Without a session we cannot preview: the room page asks for a name and shows any problem.
  if (currentSession()) {
    const submit = $('join-submit');
    submit.disabled = true;
    try {
      await api('GET', `/api/rooms/${code}`);
    } catch (problem) {
      submit.disabled = false;
      if (problem.code === 'room_not_found' || problem.code === 'expired') {
        error.textContent = `The room “${code}” doesn't exist or has expired. Check the code and try again.`;
        codeInput.focus();
        return;
      }
      // Anything else (full, locked, offline) the room page explains with its own screen.
    }
  }
  location.assign(`/room/${code}`);
});

// ---------------------------------------------------------------------------------------------
// Your Rooms

const TABS = ['created', 'joined', 'invited', 'friends', 'calls', 'recordings'];
const EMPTY_NOTES = {
  created: 'Rooms you create will show up here.',
  joined: 'Rooms you join will show up here.',
  invited: 'When a friend invites you to a room, the invite waits here.',
  friends: 'People you add with Add Friend in a call show up here.',
  calls: 'Calls with your friends show up here.',
  recordings: 'Recordings of the rooms you were in show up here.',
};
const selectedTab = () => TABS.find((name) => $(`tab-${name}`).getAttribute('aria-selected') === 'true') ?? 'created';

function setTab(which) {
  for (const name of TABS) {
    const selected = name === which;
    $(`tab-${name}`).setAttribute('aria-selected', String(selected));
    $(`tab-${name}`).tabIndex = selected ? 0 : -1;
    $(`list-${name}`).hidden = !selected;
  }
  updateEmptyNote();
}
for (const name of TABS) $(`tab-${name}`).addEventListener('click', () => setTab(name));
$('tab-created').parentElement.addEventListener('keydown', (event) => {
  if (event.key !== 'ArrowLeft' && event.key !== 'ArrowRight') return;
  const step = event.key === 'ArrowRight' ? 1 : TABS.length - 1;
  const next = TABS[(TABS.indexOf(selectedTab()) + step) % TABS.length];
  setTab(next);
  $(`tab-${next}`).focus();
});

function updateEmptyNote() {
  const which = selectedTab();
  $('rooms-empty').hidden = !!$(`list-${which}`).children.length;
  $('rooms-empty').textContent = EMPTY_NOTES[which];
}

function actionButton(label, iconName, onClick, extraClass = '') {
  const button = document.createElement('button');
  button.type = 'button';
  button.className = `btn btn-small ${extraClass}`;
  button.append(icon(iconName, { size: 16 }));
  const text = document.createElement('span');
  text.textContent = label;
  button.append(text);
  button.addEventListener('click', onClick);
  return button;
}

// One row of the Your Rooms lists: a title (set as text), a line under it, and room for actions.
function listItem(title, metaText) {
  const item = document.createElement('li');
  item.className = 'room-item';
  const info = document.createElement('div');
  info.className = 'room-info';
  const name = document.createElement('strong');
  name.textContent = title;
  const meta = document.createElement('span');
  meta.className = 'room-meta';
  meta.textContent = metaText;
  info.append(name, meta);
  const actions = document.createElement('div');
  actions.className = 'room-actions';
  item.append(info, actions);
  return { item, meta, actions };
}

function roomItem(room, canDelete) {
  const ended = room.is_active === false;
  const { item, meta, actions } = listItem(room.room_name,
    `${room.room_code} · ${formatCount(room)} ${ended ? '· ended' : room.participant_count ? '· live now' : ''}`.trim());
  if (room.has_password) meta.prepend(icon('lock', { size: 14 }));
  if (!ended) {
    const rejoin = document.createElement('a');
    rejoin.className = 'btn btn-small btn-primary';
    rejoin.href = `/room/${room.room_code}`;
    rejoin.append(icon('enter', { size: 16 }));
    const label = document.createElement('span');
    label.textContent = 'Rejoin';
    rejoin.append(label);
    rejoin.setAttribute('aria-label', `Rejoin ${room.room_name}`);
    actions.append(rejoin);
    const share = actionButton('Share', 'share', () => shareRoom(room.room_code, room.room_name));
    share.setAttribute('aria-label', `Share ${room.room_name}`);
    actions.append(share);
  }
  if (canDelete && !ended) {
    const remove = actionButton('Delete', 'trash', () => deleteRoom(room), 'btn-danger-ghost');
    remove.setAttribute('aria-label', `Delete ${room.room_name}`);
    actions.append(remove);
  }
  return item;
}

// An invite from a friend to a room still open: Join, or Dismiss (gone from every tab too).
function inviteItem(invite) {
  const when = new Date(invite.sent_at).toLocaleString([], { dateStyle: 'medium', timeStyle: 'short' });
  const { item, actions } = listItem(invite.room_name, `${invite.from_display_name} invited you · ${invite.room_code} · ${when}`);
  const join = document.createElement('a');
  join.className = 'btn btn-small btn-primary';
  join.href = `/room/${invite.room_code}`;
  join.append(icon('enter', { size: 16 }), Object.assign(document.createElement('span'), { textContent: 'Join' }));
  join.setAttribute('aria-label', `Join ${invite.room_name}`);
  const dismiss = actionButton('Dismiss', 'close', () => {
    dismissInvite(invite.invite_id);
    item.remove();
    $('count-invited').textContent = String($('list-invited').children.length);
    updateEmptyNote();
  });
  dismiss.setAttribute('aria-label', `Dismiss the invite to ${invite.room_name}`);
  actions.append(join, dismiss);
  return item;
}

// What a friend is doing, as the server's presence rule says (authority/presence.h).
const PRESENCE = { online: 'Online', in_call: 'In a call', offline: 'Offline' };

// A friend (online, in a call or offline), or a request either way; a request to us can be
// accepted here.
function friendItem(person) {
  const presence = person.relation === 'friends' ? PRESENCE[person.presence] : null;
  const { item, meta, actions } = listItem(person.display_name,
    presence ?? { friends: 'Friend', incoming: 'Wants to be your friend', outgoing: 'Request sent' }[person.relation] ?? '');
  if (presence) {
    const dot = document.createElement('span');
    dot.className = 'presence-dot';
    dot.dataset.presence = person.presence;
    dot.setAttribute('aria-hidden', 'true');
    meta.prepend(dot);
    item.dataset.presence = person.presence;
  }
  if (person.relation === 'incoming') {
    const accept = actionButton('Accept', 'check', async () => {
      try {
        await api('POST', '/api/friends/accept', { target_user_id: person.user_id });
        toast(`You and ${person.display_name} are now friends`);
      } catch (problem) {
        toast(problem.message, { tone: 'error' });
      }
      loadRooms();
    }, 'btn-primary');
    accept.setAttribute('aria-label', `Accept ${person.display_name} as a friend`);
    actions.append(accept);
  }
  if (person.relation === 'friends') {
    // Their accessible names are the words "Call" and "Video call"; the row names the friend.
    for (const [label, iconName, video] of [['Call', 'phone', false], ['Video call', 'video', true]]) {
      const call = actionButton(label, iconName, () => {
        roomsDialog.close();
        callFriend(person, video);
      });
      call.title = `${label} ${person.display_name}`;
      actions.append(call);
    }
  }
  return item;
}

// One call of the history: who, which way, audio or video, how it went, and Call back.
function callItem(call) {
  const { title, line, missed } = describeCall(call);
  const { item, actions } = listItem(title, line);
  item.dataset.end = missed ? 'missed' : call.end;
  const back = actionButton('Call back', call.video ? 'video' : 'phone', () => {
    roomsDialog.close();
    callFriend({ user_id: call.user_id, display_name: call.display_name }, call.video);
  });
  back.title = `Call ${call.display_name} back`;
  actions.append(back);
  return item;
}

async function loadRooms() {
  const lists = { created: [], joined: [], invited: [], friends: [], calls: [], recordings: [] };
  if (currentSession()) {
    try {
      const [rooms, friends, calls, recordings] = await Promise.all([api('GET', '/api/user/rooms'), api('GET', '/api/friends'),
        api('GET', '/api/calls'), api('GET', '/api/user/recordings')]);
      Object.assign(lists, rooms, friends, calls, recordings);
    } catch (problem) {
      toast(problem.message, { tone: 'error' });
    }
  }
  // Requests to accept first, then friends (online, in a call, offline), then requests sent.
  const rank = { incoming: 0, friends: 1, outgoing: 2 };
  const awake = { online: 0, in_call: 1, offline: 2 };
  const people = lists.friends.sort((a, b) => rank[a.relation] - rank[b.relation] ||
    (awake[a.presence] ?? 3) - (awake[b.presence] ?? 3));
  $('list-friends').replaceChildren(...people.map(friendItem));
  $('count-friends').textContent = String(people.length);
  $('list-invited').replaceChildren(...lists.invited.map(inviteItem));
  $('count-invited').textContent = String(lists.invited.length);
  $('list-calls').replaceChildren(...lists.calls.map(callItem));
  $('count-calls').textContent = String(lists.calls.length);
  $('list-recordings').replaceChildren(...lists.recordings.map((r) => recordingItem(r, currentSession(), loadRooms)));
  $('count-recordings').textContent = String(lists.recordings.length);
  // Live rooms first, newest first.
  const order = (a, b) => (a.is_active === b.is_active ? (b.created_at ?? 0) - (a.created_at ?? 0) : a.is_active ? -1 : 1);
  for (const which of ['created', 'joined']) {
    const rooms = lists[which].sort(order);
    $(`list-${which}`).replaceChildren(...rooms.map((room) => roomItem(room, which === 'created')));
    $(`count-${which}`).textContent = String(rooms.length);
  }
  updateEmptyNote();
}

function confirm(title, text, okLabel) {
  $('confirm-title').textContent = title;
  $('confirm-text').textContent = text;
  $('confirm-ok').textContent = okLabel;
  confirmDialog.returnValue = '';
  confirmDialog.showModal();
  return new Promise((done) => confirmDialog.addEventListener('close', () => done(confirmDialog.returnValue === 'ok'), { once: true }));
}

async function deleteRoom(room) {
  if (!(await confirm(`Delete “${room.room_name}”?`, 'Everyone in it will be disconnected and the code will stop working.', 'Delete room'))) return;
  try {
    await api('DELETE', `/api/rooms/${room.room_code}`);
    toast(`“${room.room_name}” deleted`);
  } catch (problem) {
    toast(problem.message, { tone: 'error' });
  }
  loadRooms();
}

async function openRooms(tab = selectedTab()) {
  await loadRooms();
  setTab(tab);
  roomsDialog.showModal();
  $(`tab-${tab}`).focus();
}
$('your-rooms-button').addEventListener('click', () => openRooms());

// ---------------------------------------------------------------------------------------------
// Accounts: Sign in, and the account menu. Signing in or out reloads the page, so its calls and
// lists start again as the new session.

const auth = mountAuthDialog({ signedIn: () => location.reload() });
mountAccountMenu({ openRooms, openAuth: () => auth.open(), confirm });

// ---------------------------------------------------------------------------------------------
// Deep links from other pages: /?create, /?join, /?join=CODE

const params = new URLSearchParams(location.search);
if (params.has('create')) openCreate();
else if (params.has('signin')) auth.open(params.get('signin') === 'register' ? 'register' : 'login');
else if (params.has('join')) openJoin(parseRoomCode(params.get('join')) ?? '');
if (['create', 'join', 'signin'].some((name) => params.has(name))) history.replaceState(null, '', '/');
// Friends' presence changes, a call ended, or an invite came or went while the list is open: it is
// read again.
startCalls({ onChange: () => { if (roomsDialog.open) loadRooms(); } });
mountLiveRooms($('live-rooms'));
document.body.dataset.ready = 'true';
