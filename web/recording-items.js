// A recording as a row of the site's lists (Your Rooms → Recordings, the room page): its poster, the
// room, when and how long, and Watch (the player page), Download and, for the room's host, Delete.
// The server says what each person may do (`can_delete`, authority/recording_rules.h); the URLs carry
// the member's token because a <video> or a download cannot send a header (js-glue/recordings.js).
import { icon } from './call-ui-icons.js';
import { el } from './dom.js';
import { deleteRecording, recordingUrl } from './recordings.js';
import { api, toast } from './site.js';

export const formatDuration = (ms) => {
  const seconds = Math.floor(ms / 1000);  // as a player's clock shows it
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = String(seconds % 60).padStart(2, '0');
  return h ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
};

export const formatWhen = (ms) => new Date(ms).toLocaleString([], { dateStyle: 'medium', timeStyle: 'short' });

const STATES = { recording: 'Recording now', paused: 'Paused', stopping: 'Finishing…', failed: 'Could not be saved' };

// The user's recordings of every room (Your Rooms), or one room's.
export async function loadRecordings(roomCode) {
  const path = roomCode ? `/api/rooms/${encodeURIComponent(roomCode)}/recordings` : '/api/user/recordings';
  return (await api('GET', path)).recordings;
}

export function downloadName(recording) {
  const day = new Date(recording.started_at).toISOString().slice(0, 16).replace(/[T:]/g, '-');
  return `mehfil-${recording.room_code}-${day}.webm`;
}

// `session`: the site's session (for Delete); `deleted()`: after a Delete.
export function recordingItem(recording, session, deleted) {
  const ready = recording.state === 'ready';
  const title = recording.room_name || recording.room_code;
  const meta = `${formatWhen(recording.started_at)} · ${ready ? formatDuration(recording.duration_ms) : STATES[recording.state] ?? recording.state}`;
  const poster = recording.has_poster
    ? el('img', { className: 'recording-poster', alt: '', loading: 'lazy', src: recordingUrl(location.origin, recording, '/poster') })
    : el('span', { className: 'recording-poster' }, icon('record', { size: 20 }));
  const actions = el('div', { className: 'room-actions' });
  if (ready) {
    const watch = el('a', { className: 'btn btn-small btn-primary', href: `/recording/${recording.recording_id}` },
      icon('play', { size: 16 }), el('span', {}, 'Watch'));
    watch.setAttribute('aria-label', `Watch the recording of ${title} from ${formatWhen(recording.started_at)}`);
    const download = el('a', { className: 'btn btn-small', href: recordingUrl(location.origin, recording), download: downloadName(recording) },
      icon('download', { size: 16 }), el('span', {}, 'Download'));
    actions.append(watch, download);
  }
  if (recording.can_delete && (ready || recording.state === 'failed')) {
    const remove = el('button', { type: 'button', className: 'btn btn-small btn-danger-ghost' }, icon('trash', { size: 16 }), el('span', {}, 'Delete'));
    remove.setAttribute('aria-label', `Delete the recording of ${title} from ${formatWhen(recording.started_at)}`);
    remove.addEventListener('click', async () => {
      if (!window.confirm(`Delete this recording of “${title}”? Nobody will be able to watch it again.`)) return;
      try {
        await deleteRecording(location.origin, session.token, recording.recording_id);
        toast('Recording deleted');
        deleted?.();
      } catch (problem) {
        toast(problem.message, { tone: 'error' });
      }
    });
    actions.append(remove);
  }
  const item = el('li', { className: 'room-item recording-item' },
    poster, el('div', { className: 'room-info' }, el('strong', {}, title), el('span', { className: 'room-meta' }, meta)), actions);
  item.dataset.state = recording.state;
  return item;
}
