// /recording/ID: the player. A recording's id begins with its room's code ("<code>-<ms>"), so the
// page asks for that room's recordings (members only: the server's rule) and plays this one in a
// <video> that seeks through Range requests, with Download and, for the room's host, Delete.
import { el } from './dom.js';
import { icon } from './call-ui-icons.js';
import { currentSession } from './site.js';
import { recordingUrl } from './recordings.js';
import { downloadName, formatDuration, formatWhen, loadRecordings, recordingItem } from './recording-items.js';

const main = document.getElementById('main');
const id = decodeURIComponent(location.pathname.split('/')[2] ?? '');
const roomCode = id.split('-')[0];

function show(...children) {
  main.replaceChildren(...children);
  document.body.dataset.ready = 'true';
}

function problem(title, text) {
  show(el('section', { className: 'screen card error-screen', role: 'alert' },
    el('h1', {}, title), el('p', {}, text), el('a', { className: 'btn btn-primary', href: '/' }, 'Go to Mehfil')));
}

async function start() {
  const session = currentSession();
  if (!session) return problem('Sign in to watch', 'Recordings are for the people who were in the room. Open Mehfil in the browser you joined from.');
  let recordings;
  try {
    recordings = await loadRecordings(roomCode);
  } catch (error) {
    if (error.code === 'not_member') return problem('Not your recording', 'Only the people who were in the room can watch its recordings.');
    return problem('No such recording', error.message);
  }
  const recording = recordings.find((r) => r.recording_id === id);
  if (!recording || recording.state !== 'ready') return problem('No such recording', 'It may have been deleted, or it is still being saved.');
  const title = recording.room_name || recording.room_code;
  document.title = `${title} — recording — Mehfil`;
  const url = recordingUrl(location.origin, recording);
  const video = el('video', { className: 'recording-video', controls: true, preload: 'metadata', src: url, playsInline: true });
  if (recording.has_poster) video.poster = recordingUrl(location.origin, recording, '/poster');
  video.setAttribute('aria-label', `Recording of ${title}`);
  const download = el('a', { className: 'btn', href: url, download: downloadName(recording) }, icon('download', { size: 18 }), el('span', {}, 'Download'));
  // The row's Delete (host only) goes back to the room's page afterwards.
  const row = recordingItem(recording, session, () => location.assign(`/room/${recording.room_code}`));
  const remove = row.querySelector('.btn-danger-ghost');
  show(el('article', { className: 'screen card recording-player' },
    el('h1', {}, title),
    el('p', { className: 'room-meta' }, `${formatWhen(recording.started_at)} · ${formatDuration(recording.duration_ms)}`),
    video,
    el('div', { className: 'room-actions' }, download, remove,
      el('a', { className: 'btn btn-ghost', href: `/room/${recording.room_code}` }, icon('enter', { size: 18 }), el('span', {}, 'Open the room')))));
}

start();
