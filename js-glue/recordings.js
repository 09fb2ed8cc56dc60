// A room's recordings as its members see them (GET /api/rooms/CODE/recordings, README "Recording"),
// each with the addresses a <video> and an <img> can load: a <video> sends no Authorization header,
// so the member's token goes in the query, as for the room's socket.
import { restCall } from './rest-client.js';

export async function roomRecordings(server, token, roomCode) {
  const { recordings } = await restCall(server, `/api/rooms/${encodeURIComponent(roomCode)}/recordings`, { token });
  return recordings.map((r) => ({
    ...r,
    url: recordingUrl(server, token, r.recording_id),
    poster_url: r.has_poster ? recordingUrl(server, token, r.recording_id, '/poster') : null,
  }));
}

export function recordingUrl(server, token, recordingId, part = '') {
  const url = new URL(`/api/recordings/${encodeURIComponent(recordingId)}${part}`, server);
  url.searchParams.set('token', token);
  return url.href;
}

export function deleteRecording(server, token, recordingId) {
  return restCall(server, `/api/recordings/${encodeURIComponent(recordingId)}`, { token, method: 'DELETE' });
}
