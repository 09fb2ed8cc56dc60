// The visitor's session on this site, kept in localStorage so every tab shares it. Either a guest's
// (POST /api/session: one token, 30 days, this browser only) or an account's (POST /api/auth/login
// or /register: an access token for 15 minutes and a refresh token the server rotates on each use).
//
// sessionToken() is what every call with the server asks for: it hands back the access token, and
// trades the refresh token for new ones when the access token is about to run out. Only one tab
// refreshes at a time (the Web Locks API; without it, one refresh at a time per tab): a refresh
// token works once, so two tabs spending the same one would look like a stolen copy and end the
// session. The others wait for the lock and find the new tokens already stored. When the server
// says the session has ended (logged out from another device, or revoked), it is forgotten here and
// `mehfil:signed-out` fires on window.
import { restCall } from './rest-client.js';

const KEY = 'mehfil.session';
const EARLY_MS = 60_000; // refresh this long before the access token runs out

function read() {
  try {
    const session = JSON.parse(localStorage.getItem(KEY) ?? 'null');
    return session?.token ? session : null;
  } catch {
    return null;
  }
}

function store(session) {
  localStorage.setItem(KEY, JSON.stringify(session));
  window.dispatchEvent(new CustomEvent('mehfil:session', { detail: session }));
}

const fresh = (session) => !session.expires_at || session.expires_at > Date.now() + EARLY_MS;
export const isAccount = (session) => Boolean(session?.refresh_token);

// The session as stored: an account's even while its access token needs a refresh; a guest's only
// while its token is good.
export function currentSession() {
  const session = read();
  if (!session) return null;
  return isAccount(session) || fresh(session) ? session : null;
}

export function forgetSession() {
  localStorage.removeItem(KEY);
  window.dispatchEvent(new CustomEvent('mehfil:session', { detail: null }));
}

function signedOut(reason) {
  forgetSession();
  window.dispatchEvent(new CustomEvent('mehfil:signed-out', { detail: { reason } }));
}

// `refused`: a token the server just refused though it looked good here (its session may have been
// revoked): refreshed even if fresh.
async function refresh(refused) {
  const session = read();
  if (!isAccount(session)) return session?.token ?? null;
  if (fresh(session) && session.token !== refused) return session.token; // another tab refreshed while this one waited
  try {
    const renewed = await restCall(location.origin, '/api/auth/refresh', { json: { refresh_token: session.refresh_token } });
    store(renewed);
    return renewed.token;
  } catch (error) {
    if (error.code === 'session_revoked' || error.code === 'unauthorized') signedOut(error.code);
    throw error;
  }
}

// A token good for the next request, or null without a session. The call page passes this function
// itself as the call's `token`, so a reconnect an hour into a call gets a fresh one.
export async function sessionToken() {
  const session = read();
  if (!session) return null;
  if (fresh(session)) return session.token;
  if (!isAccount(session)) return null;
  return renewSession();
}

// New tokens for an account's session, one tab at a time; after a refusal of `refused`, even if it
// looked fresh. Throws (and signs out) when the session has ended.
let renewing = null; // this tab's refresh in flight, for browsers without Web Locks
export function renewSession(refused) {
  const run = () => refresh(refused);
  if (navigator.locks) return navigator.locks.request('mehfil.refresh', run);
  renewing ??= run().finally(() => { renewing = null; });
  return renewing;
}

export async function startSession(displayName) {
  const session = await restCall(location.origin, '/api/session', { json: { display_name: displayName.trim() } });
  store(session);
  return session;
}

// The session, making a guest one with `displayName` when there is none (or a guest's name
// changed). An account keeps its name here: it changes in the profile.
export async function ensureSession(displayName) {
  const session = currentSession();
  if (session && (isAccount(session) || !displayName || session.display_name === displayName.trim())) return session;
  return startSession(displayName);
}

// Signing in and out. Registering sends the guest's token along, so the account keeps the guest's
// rooms, friends and calls.
export async function register({ email, displayName, password }) {
  const guest = read();
  const session = await restCall(location.origin, '/api/auth/register', {
    token: guest && !isAccount(guest) && fresh(guest) ? guest.token : undefined,
    json: { email, display_name: displayName.trim(), password },
  });
  store(session);
  return session;
}

export async function logIn({ email, password }) {
  const session = await restCall(location.origin, '/api/auth/login', { json: { email, password } });
  store(session);
  return session;
}

// `everywhere`: every device's session ends, this one too.
export async function logOut({ everywhere = false } = {}) {
  try {
    const token = await sessionToken();
    if (token) await restCall(location.origin, everywhere ? '/api/auth/logout-all' : '/api/auth/logout', { token, json: {} });
  } finally {
    forgetSession();
  }
}

// Other tabs: a sign-in or sign-out there shows here too.
window.addEventListener('storage', (event) => {
  if (event.key === KEY) window.dispatchEvent(new CustomEvent('mehfil:session', { detail: read() }));
});
