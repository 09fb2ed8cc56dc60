// A room's recordings as its members see them (GET /api/rooms/CODE/recordings, README "Recording"),
// each with the addresses a <video> and an <img> can load: a <video> sends no Authorization header,
// so the recording's own pass (its media_token, good for that recording alone and for two hours)
// goes in the query; the session's token never goes into a URL.
import { restCall } from './rest-client.js';

export async function roomRecordings(server, token, roomCode) {
  const { recordings } = await restCall(server, `/api/rooms/${encodeURIComponent(roomCode)}/recordings`, { token });
  return recordings.map((r) => ({
    ...r,
    url: recordingUrl(server, r),
    poster_url: r.has_poster ? recordingUrl(server, r, '/poster') : null,
  }));
}

// `recording`: a row of a recordings list (recording_id, media_token).
export function recordingUrl(server, recording, part = '') {
  const url = new URL(`/api/recordings/${encodeURIComponent(recording.recording_id)}${part}`, server);
  url.searchParams.set('access', recording.media_token);
  return url.href;
}

export function deleteRecording(server, token, recordingId) {
  return restCall(server, `/api/recordings/${encodeURIComponent(recordingId)}`, { token, method: 'DELETE' });
}
