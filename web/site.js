// What the home page and the room page share: REST calls with the session (session.js), room-code
// parsing, clipboard/share helpers and toasts. Plain module, no framework.
import { restCall } from './rest-client.js';
import { currentSession, isAccount, renewSession, sessionToken } from './session.js';
import { CODE_ALPHABET, CODE_LENGTH } from './room-code.js';

// Room codes: the core's rule (wasm/core/protocol/validation.h, written into room-code.js by the
// build), the one the server issues and checks codes by.
export { CODE_LENGTH };
export const isCodeChar = (ch) => typeof ch === 'string' && ch.length === 1 && CODE_ALPHABET.includes(ch);
export const isRoomCode = (text) => typeof text === 'string' && text.length === CODE_LENGTH && [...text].every(isCodeChar);

// A code typed or pasted by a person: a bare code, or any link with /room/CODE in it.
export function parseRoomCode(text) {
  const value = String(text ?? '').trim();
  const fromLink = value.match(/\/room\/([A-Za-z0-9]+)/);
  const candidate = fromLink ? fromLink[1] : value.replace(/[\s-]/g, '');
  return isRoomCode(candidate) ? candidate : null;
}

export const roomLink = (code) => `${location.origin}/room/${code}`;

export { currentSession, ensureSession, forgetSession, startSession } from './session.js';

// ---------------------------------------------------------------------------------------------
// REST: js-glue/rest-client.js on this site's own origin, with the session's token (session.js). A
// refusal is an Error with the server's `code`.

// `bytes`: a body sent as it is (a Blob, a File) instead of `json`.
export async function api(method, path, json, { auth = true, bytes } = {}) {
  if (!auth) return restCall(location.origin, path, { method, json, bytes });
  const token = await sessionToken();
  try {
    return await restCall(location.origin, path, { method, json, bytes, token });
  } catch (error) {
    // An account's token refused before it expired: its session may have ended elsewhere. A refresh
    // tells (and signs out if so); else the request goes again with the new token.
    if (error.code !== 'unauthorized' || !isAccount(currentSession())) throw error;
    return restCall(location.origin, path, { method, json, bytes, token: await renewSession(token) });
  }
}

// ---------------------------------------------------------------------------------------------
// clipboard, share, toasts

export async function copyText(text) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // Older browsers and non-secure origins: the hidden-textarea fallback.
    const area = document.createElement('textarea');
    area.value = text;
    area.setAttribute('readonly', '');
    area.style.position = 'fixed';
    area.style.opacity = '0';
    document.body.append(area);
    area.select();
    const ok = document.execCommand?.('copy') ?? false;
    area.remove();
    return ok;
  }
}

export const canShare = () => typeof navigator.share === 'function';

export async function shareRoom(code, roomName) {
  const url = roomLink(code);
  if (canShare()) {
    try {
      await navigator.share({ title: `Join ${roomName || 'my room'} on Mehfil`, text: `Join my Mehfil room (code ${code})`, url });
      return true;
    } catch (error) {
      if (error?.name === 'AbortError') return false;
    }
  }
  const ok = await copyText(url);
  toast(ok ? 'Link copied — paste it anywhere to invite people' : 'Could not copy the link');
  return ok;
}

let toastHost;
export function toast(message, { tone = 'info', timeout = 3200 } = {}) {
  if (!toastHost) {
    toastHost = document.createElement('div');
    toastHost.className = 'toasts';
    toastHost.setAttribute('role', 'status');
    toastHost.setAttribute('aria-live', 'polite');
    document.body.append(toastHost);
  }
  const item = document.createElement('div');
  item.className = `toast toast-${tone}`;
  item.textContent = message;
  toastHost.append(item);
  setTimeout(() => {
    item.classList.add('toast-out');
    setTimeout(() => item.remove(), 250);
  }, timeout);
}

// A dialog's close buttons and backdrop clicks; showModal() already traps focus and handles Escape.
export function wireDialog(dialog) {
  for (const button of dialog.querySelectorAll('[data-close]')) button.addEventListener('click', () => dialog.close());
  dialog.addEventListener('click', (event) => {
    if (event.target === dialog) dialog.close();  // a click on the backdrop
  });
  return dialog;
}

export function formatCount(room) {
  return `${room.participant_count ?? 0}/${room.max_participants ?? '?'}`;
}
