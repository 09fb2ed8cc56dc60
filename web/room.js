// /room/CODE: the room's preview, the pre-join screen (camera preview, mic level, devices, name,
// password), the call itself (mounted with the embed API, js-glue/mehfil.js) and every screen a
// person can land on: no such room, full, locked, wrong password, camera or mic denied, removed,
// closed by the host. Texts from people (room and display names) are set as text, never as HTML.
import { Mehfil } from './mehfil.js';
import { icon } from './call-ui-icons.js';
import { el } from './dom.js';
import { LevelMeter } from './level-meter.js';
import { devicePicker, listDevices } from './device-picker.js';
import { api, currentSession, ensureSession, forgetSession, isRoomCode } from './site.js';
import { sessionToken } from './session.js';
import { callFriend, startCalls } from './site-calls.js';
import { loadRecordings, recordingItem } from './recording-items.js';

const main = document.getElementById('main');
const callHost = document.getElementById('call-host');
const code = decodeURIComponent(location.pathname.split('/')[2] ?? '');
// A booked meeting's link (meeting.js) brings its passcode after "#": it fills the room's password,
// and leaves the address bar at once.
// Kept for this tab (sessionStorage), so Reconnect and Rejoin, which reload the page, still have it.
const linkPasscode = new URLSearchParams(location.hash.slice(1)).get('passcode') ?? sessionStorage.getItem(`mehfil.passcode.${code}`) ?? '';
if (linkPasscode) sessionStorage.setItem(`mehfil.passcode.${code}`, linkPasscode);
if (location.hash) history.replaceState(null, '', location.pathname + location.search);
let preview = null; // the stream of the camera preview, handed to the call on Join
let meterTimer = 0;
let meterContext = null; // the preview's mic meter, closed with the preview
// The mic level (RMS, level-meter.js) that lights every bar: a voice close to the microphone. The
// core counts 0.03 as speaking, which lights the first bar.
const METER_FULL_SCALE = 0.2;
let previewGeneration = 0; // bumped by stopPreview, so a preview still starting knows it came too late

function show(screen) {
  main.replaceChildren(screen);
  document.body.dataset.screen = screen.dataset.screen ?? '';
  screen.querySelector('h1, button, input')?.focus?.();
}

// One of the screens our users described: an icon, a title, a message, and what to do next.
function errorScreen(name, { title, message, calm = false, actions = [], extra = null }) {
  const screen = el('section', { className: 'screen card error-screen' },
    el('div', { className: `error-icon${calm ? ' calm' : ''}` }, icon(calm ? 'door' : 'alert', { size: 30 })),
    el('h1', { tabIndex: -1 }, title),
    el('p', {}, message),
    extra,
    el('div', { className: 'error-actions' }, ...actions));
  screen.dataset.screen = name;
  return screen;
}

const link = (text, href, primary = false) => el('a', { className: `btn ${primary ? 'btn-primary' : 'btn-secondary'}`, href }, text);
const button = (text, onClick, primary = false) => {
  const b = el('button', { type: 'button', className: `btn ${primary ? 'btn-primary' : 'btn-secondary'}` }, text);
  b.addEventListener('click', onClick);
  return b;
};

function showNotFound() {
  show(errorScreen('room_not_found', {
    title: 'Room not found',
    message: `The room "${code}" doesn't exist or has expired.`,
    actions: [button('Try Again', () => location.reload()), link('Create New Room', '/?create=1', true)],
  }));
}

function showClosed(reason) {
  const over = reason === 'meeting_over';
  show(errorScreen('room_closed', {
    title: over ? 'The meeting is over' : 'The host ended this room',
    message: over ? 'Its booked time is up. Thanks for coming!' : 'The call is over for everyone. Thanks for coming!', calm: true,
    actions: [link('Create Room', '/?create=1'), link('Go Home', '/', true)],
  }));
}

function showConnectionLost(retry) {
  show(errorScreen('connection_lost', {
    title: 'Connection lost', message: 'We could not reach the room. Check your connection, then reconnect.',
    actions: [button('Reconnect', retry, true), link('Leave Room', '/')],
  }));
}

function showProblem(error, room) {
  switch (error.code) {
    case 'room_not_found': case 'expired': case 'http_404': case 'http_410': return showNotFound();
    case 'room_full':
      return show(errorScreen('room_full', {
        title: 'This room is full',
        message: 'Everyone who fits is already here. Try again later, or start a room of your own.',
        extra: el('div', { className: 'big-count' }, room ? `${room.participant_count}/${room.max_participants}` : ''),
        actions: [link('Cancel', '/'), link('Create Room', '/?create=1', true)],
      }));
    case 'room_locked':
      return show(errorScreen('room_locked', {
        title: 'This room is locked',
        message: 'The host has locked the room, so nobody new can come in right now.',
        actions: [button('Try Again', () => location.reload()), link('Create Room', '/?create=1', true)],
      }));
    case 'meeting_not_open':
      return show(errorScreen('meeting_not_open', {
        title: 'This meeting has not opened yet',
        message: 'It opens a few minutes before its start. Open the link you were sent: it waits and lets you in.', calm: true,
        actions: [button('Try Again', () => location.reload(), true), link('Go Home', '/')],
      }));
    case 'knock_denied':
      return show(errorScreen('knock_denied', {
        title: 'The host didn’t let you in',
        message: 'You can knock again in a little while, or ask the host for another way in.', calm: true,
        actions: [button('Knock again', () => location.reload()), link('Go Home', '/', true)],
      }));
    case 'waiting_room_full':
      return show(errorScreen('room_full', {
        title: 'Too many people are waiting',
        message: 'The host has a long queue at the door right now. Try again in a few minutes.',
        actions: [button('Try Again', () => location.reload(), true), link('Go Home', '/')],
      }));
    case 'kicked':
      return show(errorScreen('kicked', {
        title: 'You were removed from this room',
        message: 'The host removed you, so you cannot join it again.', calm: true,
        actions: [link('Go Home', '/', true)],
      }));
    default:
      return show(errorScreen('connection_lost', {
        title: 'Could not join the room', message: error.message || 'Something went wrong.',
        actions: [button('Reconnect', () => location.reload(), true), link('Leave Room', '/')],
      }));
  }
}

// The name gate: a session belongs to a name, asked once per browser.
function askName() {
  return new Promise((done) => {
    const input = el('input', { id: 'display-name', required: true, maxLength: 64, autocomplete: 'name', placeholder: 'How others will see you' });
    const problem = el('p', { className: 'form-error', role: 'alert' });
    const form = el('form', { className: 'screen card gate' },
      el('h1', {}, 'Join room ', el('span', { className: 'code-tag' }, code)),
      el('p', {}, 'What should people call you?'),
      el('label', { className: 'field' }, el('span', {}, 'Your name'), input),
      problem,
      el('button', { type: 'submit', className: 'btn btn-primary' }, 'Continue'));
    form.dataset.screen = 'name';
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      try {
        done(await ensureSession(input.value));
      } catch (error) {
        problem.textContent = error.message;
      }
    });
    show(form);
  });
}

async function startPreview(video, meter, note, devices) {
  stopPreview();
  const generation = previewGeneration;
  let stream = null;
  try {
    stream = await navigator.mediaDevices.getUserMedia({
      video: devices.camera ? { deviceId: { exact: devices.camera } } : true,
      audio: devices.mic ? { deviceId: { exact: devices.mic } } : true,
    });
    note.hidden = true;
  } catch {
    try {
      stream = await navigator.mediaDevices.getUserMedia({ audio: true });
      note.hidden = false;
      note.lastChild.textContent = 'Your camera is blocked or missing: you can join with audio only.';
    } catch {
      note.hidden = false;
      note.lastChild.textContent = 'Your camera and microphone are blocked: others will not see or hear you.';
    }
  }
  if (generation !== previewGeneration) {  // Join (or another device) came meanwhile: this one is late
    for (const track of stream?.getTracks() ?? []) track.stop();
    return null;
  }
  preview = stream;
  video.srcObject = preview;
  const [audioTrack] = preview?.getAudioTracks() ?? [];
  if (audioTrack && typeof AudioContext !== 'undefined') {
    meterContext = new AudioContext();
    const mic = new LevelMeter(meterContext, audioTrack);
    const bars = [...meter.querySelectorAll('i')];
    meterTimer = setInterval(() => {
      const lit = Math.round(Math.min(1, mic.level() / METER_FULL_SCALE) * bars.length);
      bars.forEach((bar, i) => bar.classList.toggle('lit', i < lit));
    }, 80);
  }
  return preview;
}

function stopPreview() {
  for (const track of takePreview()?.getTracks() ?? []) track.stop();
}

// Ends the preview without stopping its tracks, and returns its stream (null if it never started).
function takePreview() {
  previewGeneration += 1;
  clearInterval(meterTimer);
  meterContext?.close().catch(() => {});
  meterContext = null;
  const stream = preview;
  preview = null;
  return stream;
}

async function prejoin(session, room, { passwordProblem = '' } = {}) {
  const video = el('video', { autoplay: true, muted: true, playsInline: true });
  const meter = el('div', { className: 'mic-meter' }, icon('mic', { size: 16 }), el('span', { className: 'meter-bars' }, ...Array.from({ length: 8 }, () => el('i'))));
  const note = el('p', { className: 'media-note', hidden: true }, icon('alert', { size: 18 }), el('span'));
  // Camera or mic blocked: ask again, or go in without video.
  const grant = button('Grant Permission', () => startPreview(video, meter, note, devices));
  const audioOnly = button('Join with Audio Only', () => {
    preference.video = false;
    form.requestSubmit();
  });
  const mediaActions = el('div', { className: 'error-actions', hidden: true }, grant, audioOnly);
  const devices = { camera: '', mic: '' };
  const preference = { audio: true, video: true };
  const toggle = (kind, label) => {
    const b = el('button', { type: 'button', className: 'round-btn', ariaLabel: label }, icon(kind === 'audio' ? 'mic' : 'video'));
    b.setAttribute('aria-pressed', 'true');
    b.addEventListener('click', () => {
      preference[kind] = !preference[kind];
      b.setAttribute('aria-pressed', String(preference[kind]));
      for (const track of (kind === 'audio' ? preview?.getAudioTracks() : preview?.getVideoTracks()) ?? []) track.enabled = preference[kind];
    });
    return b;
  };
  // The name others see. A session belongs to a name, so a new name is a new guest session; the host
  // keeps theirs (their session is what makes them host).
  const isHost = room.host_user_id === session.user_id;
  const nameInput = el('input', { id: 'display-name', value: session.display_name, maxLength: 64, autocomplete: 'nickname', required: true, readOnly: isHost });
  const nameField = el('label', { className: 'field' }, el('span', {}, 'Your name'), nameInput,
    isHost ? el('span', { className: 'hint' }, 'You are the host of this room.') : null);
  const password = room.has_password ? el('input', { id: 'room-password', type: 'password', autocomplete: 'off', required: true, value: linkPasscode }) : null;
  const problem = el('p', { className: 'form-error', role: 'alert' }, passwordProblem);
  const join = el('button', { type: 'submit', className: 'btn btn-primary btn-lg' }, 'Join Room');
  const devicesRow = el('div', { className: 'devices' });
  const form = el('form', { className: 'screen prejoin' },
    el('div', { className: 'preview-pane' },
      el('div', { className: 'self-view' }, video, meter,
        el('div', { className: 'self-controls' }, toggle('audio', 'Microphone'), toggle('video', 'Camera'))),
      note, mediaActions, devicesRow),
    el('div', { className: 'card join-pane' },
      el('h1', {}, room.room_name),
      el('ul', { className: 'room-facts' },
        el('li', {}, icon('crown', { size: 18 }), `Hosted by ${room.host_name || 'someone'}`),
        el('li', {}, icon('users', { size: 18 }), `${room.participant_count}/${room.max_participants} in the room`),
        el('li', {}, icon('link', { size: 18 }), el('span', { className: 'code-tag' }, room.room_code)),
        // Told before joining, as the room's rules promise (authority/room_authority.h).
        room.recording && room.recording !== 'off'
          ? el('li', { className: 'recording-notice', role: 'note' }, icon('record', { size: 18 }), 'This room is being recorded')
          : null,
        room.admission === 'knock'
          ? el('li', { role: 'note' }, icon('door', { size: 18 }), 'The host lets each person in: you will wait at the door')
          : null),
      nameField,
      password ? el('label', { className: 'field' }, el('span', {}, 'Room password'), password) : null,
      problem,
      join));
  form.dataset.screen = 'prejoin';
  // Listening before the camera is up: a quick click on Join must not submit the form natively.
  // Until the preview has answered, the call itself finds out what the camera and mic allow.
  let previewed = false;
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const wanted = nameInput.value.trim();
    if (!wanted) {
      problem.textContent = 'Please type your name.';
      nameInput.focus();
      return;
    }
    if (!isHost && wanted !== session.display_name) {
      try {
        session = await ensureSession(wanted);
      } catch (error) {
        problem.textContent = error.message;
        nameInput.focus();
        return;
      }
    }
    const hasVideo = !previewed || preview?.getVideoTracks().length > 0;
    const hasAudio = !previewed || preview?.getAudioTracks().length > 0;
    // The call takes the preview's camera and mic over: the devices picked here, and no second wait
    // for the camera to start.
    const stream = takePreview();
    enterCall(session, room, {
      password: password?.value, audio: preference.audio && hasAudio, video: preference.video && hasVideo, stream,
    });
  });
  show(form);
  showRecordings(form, session, room);
  await startPreview(video, meter, note, devices);
  previewed = true;
  const noteObserver = new MutationObserver(() => { mediaActions.hidden = note.hidden; });
  noteObserver.observe(note, { attributes: true, attributeFilter: ['hidden'] });
  mediaActions.hidden = note.hidden;
  const restart = () => startPreview(video, meter, note, devices);
  const cameraPick = devicePicker('camera', { onPick: (id) => { devices.camera = id; restart(); } });
  const micPick = devicePicker('microphone', { onPick: (id) => { devices.mic = id; restart(); } });
  const found = await listDevices();
  cameraPick.fill(found.cameras, devices.camera);
  micPick.fill(found.microphones, devices.mic);
  devicesRow.append(cameraPick.element, micPick.element);
}

async function enterCall(session, room, { password, audio, video, stream }) {
  document.body.classList.add('in-call');
  callHost.hidden = false;
  main.replaceChildren();
  const call = Mehfil.create(callHost, {
    server: location.origin, room: room.room_code, token: sessionToken, displayName: session.display_name,
    password, audio, video, stream,
  });
  window.mehfilCall = call;  // for tests and the curious
  // Call or Video call in the participants panel: a 1:1 call with that friend (this room is left).
  call.on('ring-request', ({ user_id, display_name, video }) => callFriend({ user_id, display_name }, video));
  const leaveCall = (screen) => {
    call.destroy();
    callHost.hidden = true;
    document.body.classList.remove('in-call');
    show(screen);
  };
  call.on('kicked', () => leaveCall(errorScreen('kicked', {
    title: 'You were removed from this room', message: 'The host removed you from the call.', calm: true,
    actions: [link('Go Home', '/', true)],
  })));
  call.on('room-closed', ({ reason }) => {
    leaveCall(document.createElement('div'));
    showClosed(reason);
  });
  // This account was logged out (on another device, or everywhere): the server closed the socket.
  call.on('error', ({ code }) => {
    if (code !== 'session_revoked') return;
    // Forgotten unless another tab signed in again meanwhile (then the stored session is a new one).
    if (currentSession()?.session_id === session.session_id) forgetSession();
    leaveCall(errorScreen('session_revoked', {
      title: 'You were logged out', message: 'This device was logged out of your account, so the call ended here.', calm: true,
      actions: [link('Sign in', '/?signin', true), link('Go Home', '/')],
    }));
  });
  let joined = false;
  call.on('joined', () => { joined = true; });
  // The waiting room: the call waits at the door behind this screen until a host lets us in.
  call.on('state-change', ({ state }) => {
    if (state === 'knocking') {
      callHost.hidden = true;
      document.body.classList.remove('in-call');
      show(errorScreen('waiting_room', {
        title: 'Waiting for the host to let you in',
        message: `You asked to join “${room.room_name}”. Stay on this page: you will be let in as soon as the host answers.`,
        calm: true, extra: el('div', { className: 'spinner', role: 'status', ariaLabel: 'Waiting' }),
        actions: [button('Leave', () => call.leave())],
      }));
    } else if (state === 'in_room' && callHost.hidden) {
      main.replaceChildren();
      callHost.hidden = false;
      document.body.classList.add('in-call');
    }
  });
  call.on('state-change', ({ state }) => {
    if (state === 'failed' && joined) {  // the core gave up reconnecting mid-call
      leaveCall(document.createElement('div'));
      showConnectionLost(() => enterCall(session, room, { password, audio, video }));
    }
  });
  call.on('left', () => leaveCall(errorScreen('left', {
    title: 'You left the room', message: `You can come back while the room is open.`, calm: true,
    actions: [button('Rejoin', () => location.reload(), true), link('Go Home', '/')],
  })));
  try {
    await call.join();
  } catch (error) {
    call.destroy();
    callHost.hidden = true;
    document.body.classList.remove('in-call');
    if (error.code === 'wrong_password') return prejoin(session, room, { passwordProblem: 'That password is not right. Try again.' });
    showProblem(error, room);
  }
}

// The room's recordings under the pre-join screen, for the people who were in it (the server says
// not_member to anyone else, and then nothing is shown).
async function showRecordings(form, session, room) {
  let recordings;
  try {
    recordings = await loadRecordings(room.room_code);
  } catch {
    return;
  }
  if (!recordings.length || !form.isConnected) return;
  const list = el('ul', {});
  const section = el('section', { className: 'card room-recordings', ariaLabel: 'Recordings of this room' },
    el('h2', {}, 'Recordings'), list);
  const refresh = async () => list.replaceChildren(...(await loadRecordings(room.room_code)).map((r) => recordingItem(r, session, refresh)));
  list.replaceChildren(...recordings.map((r) => recordingItem(r, session, refresh)));
  form.append(section);
}

async function start() {
  if (!isRoomCode(code)) return showNotFound();
  const session = currentSession() ?? (await askName());
  // This page rings too; answering (or placing) a 1:1 call leaves the room first.
  startCalls({ before: () => window.mehfilCall?.leave() });
  let room;
  try {
    room = await api('GET', `/api/rooms/${code}`);
  } catch (error) {
    if (['unauthorized', 'session_revoked'].includes(error.code)) {  // a session the server no longer knows
      forgetSession();
      return start();
    }
    return showProblem(error);
  }
  document.title = `${room.room_name} — Mehfil`;
  if (room.is_active === false) return showClosed();
  // The server's rules say whether this person may come in: a stranger meets "full" before the
  // camera opens, while someone who has a place already (after a reload) goes straight back in.
  if (['room_full', 'room_locked', 'kicked', 'waiting_room_full'].includes(room.admission)) return showProblem({ code: room.admission }, room);
  return prejoin(session, room);
}

start();
