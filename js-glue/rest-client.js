// One call to the Mehfil server's REST API (the README's REST table), for the site's pages and the
// embed API alike, so they all speak it the same way: JSON in and out, the session's Bearer token,
// and a refusal thrown as a MehfilError (emitter.js) carrying the server's stable `code`, because
// pages decide by code ("room_not_found", "unauthorized"), never by the words of a message.
//
//   const room = await restCall(server, '/api/rooms/create', { token, json: { room_name: 'Tea' } });
//
// `method` defaults to POST when there is a `json` body and GET when there is none. An answer that
// is not the server's own error body (a proxy's 502 page) gets the code `http_<status>`; a server
// that cannot be reached at all, `connection_lost`.
import { mehfilError } from './emitter.js';

// A guest session for someone without a token: its token (POST /api/session).
export async function guestSession(server, displayName) {
  const body = await restCall(server, '/api/session', { json: { display_name: displayName || 'Guest' } });
  if (!body.token) throw mehfilError('unauthorized', 'No session could be made.');
  return body.token;
}

// A token, or a function that gives one (or a promise of one): a page whose sessions expire (an
// account's access token lasts 15 minutes) passes a function that refreshes it.
export async function resolveToken(token) {
  return typeof token === 'function' ? token() : token;
}

// `bytes` (a Uint8Array) is sent as it is instead of JSON. `token`: see resolveToken.
export async function restCall(server, path, { token, json, bytes, method = json === undefined && bytes === undefined ? 'GET' : 'POST' } = {}) {
  const headers = { accept: 'application/json' };
  const bearer = await resolveToken(token);
  if (bearer) headers.authorization = `Bearer ${bearer}`;
  if (json !== undefined) headers['content-type'] = 'application/json';
  if (bytes !== undefined) headers['content-type'] = 'application/octet-stream';
  let response;
  try {
    response = await fetch(new URL(path, server), { method, headers, body: bytes ?? (json === undefined ? undefined : JSON.stringify(json)) });
  } catch {
    throw mehfilError('connection_lost', 'Could not reach Mehfil. Check your connection and try again.');
  }
  const body = await response.json().catch(() => ({}));
  if (!response.ok) {
    throw mehfilError(body.error?.code ?? `http_${response.status}`, body.error?.message ?? `The server answered ${response.status}.`);
  }
  return body;
}
