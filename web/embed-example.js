// The embedding example (embed-example.html): a room through the API and through <mehfil-room>,
// with every event either one sends written to the log. Query parameters fill the form and can start
// the call at once: ?room=CODE&name=Ana&token=JWT&join=api|element|both.
import { Mehfil } from './mehfil.js';

const EVENTS = ['joined', 'left', 'participant-joined', 'participant-left', 'participant-updated',
  'active-speaker-change', 'chat-message', 'kicked', 'room-closed', 'state-change', 'error'];
const server = location.origin;
const params = new URLSearchParams(location.search);
const $ = (selector) => document.querySelector(selector);
const roomInput = $('#room');
const nameInput = $('#name');
roomInput.value = params.get('room') ?? '';
nameInput.value = params.get('name') ?? nameInput.value;
const token = params.get('token') ?? undefined;

// What the page received, also kept for tests: window.mehfilExample.events.
const received = [];
window.mehfilExample = { events: received, call: null, element: null };

function log(source, event, payload) {
  received.push({ source, event, payload });
  const item = document.createElement('li');
  const what = document.createElement('strong');
  what.textContent = `${source} · ${event}`;
  const detail = document.createElement('span');
  // Text only: display names and chat come from other people.
  detail.textContent = summary(event, payload);
  item.append(what, ' ', detail);
  $('#log').prepend(item);
}

function summary(event, p) {
  if (!p) return '';
  if (event.startsWith('participant-') && p.display_name !== undefined) return p.display_name;
  if (event === 'joined') return `as ${p.self?.display_name} in ${p.room?.room_code}`;
  if (event === 'chat-message') return `${p.display_name}: ${p.text}`;
  if (event === 'state-change') return p.state;
  if (event === 'error') return `${p.code}: ${p.message}`;
  if (event === 'active-speaker-change') return p.user_id ?? 'nobody';
  return JSON.stringify(p);
}

async function createRoom() {
  const session = await fetch('/api/session', {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ display_name: nameInput.value || 'Host' }),
  }).then((r) => r.json());
  const room = await fetch('/api/rooms/create', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${session.token}` },
    body: JSON.stringify({ room_name: 'Embedding demo', max_participants: 10 }),
  }).then((r) => r.json());
  if (!room.room_code) throw new Error(room.error?.message ?? 'The room was not created.');
  roomInput.value = room.room_code;
  return session.token;
}

let hostToken = token;

async function joinWithApi() {
  window.mehfilExample.call?.destroy();
  const call = Mehfil.create($('#api-room'), {
    server, room: roomInput.value.trim(), displayName: nameInput.value, token: hostToken,
  });
  window.mehfilExample.call = call;
  for (const event of EVENTS) call.on(event, (payload) => log('api', event, payload));
  $('#leave').disabled = false;
  try {
    await call.join();
  } catch (error) {
    log('api', 'join() rejected', { code: error.code, message: error.message });
  }
}

function addElement() {
  const element = document.createElement('mehfil-room');
  element.setAttribute('server', server);
  element.setAttribute('room', roomInput.value.trim());
  element.setAttribute('name', `${nameInput.value} (element)`);
  for (const event of EVENTS) element.addEventListener(event, (e) => log('element', event, e.detail));
  $('#element-slot').replaceChildren(element);
  window.mehfilExample.element = element;
  $('#leave').disabled = false;
}

$('#create').addEventListener('click', async () => {
  try {
    hostToken = await createRoom();
    log('page', 'room created', { room_code: roomInput.value });
  } catch (error) {
    log('page', 'error', { code: 'create_failed', message: error.message });
  }
});
$('#setup').addEventListener('submit', (event) => {
  event.preventDefault();
  joinWithApi();
});
$('#join-element').addEventListener('click', addElement);
$('#leave').addEventListener('click', () => {
  window.mehfilExample.call?.destroy(); // idempotent
  window.mehfilExample.call = null;
  window.mehfilExample.element?.remove(); // removing the element ends its call
  window.mehfilExample.element = null;
  $('#leave').disabled = true;
  log('page', 'left', null);
});

const autoJoin = params.get('join');
if (roomInput.value && (autoJoin === 'api' || autoJoin === 'both')) joinWithApi();
if (roomInput.value && (autoJoin === 'element' || autoJoin === 'both')) addElement();
document.body.dataset.ready = 'true';
