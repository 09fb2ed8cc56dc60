// How join() ends, and which error a call reports: read off the core's state changes and the
// screens it shows (room/room_client.h decides both; this only words them for the embed API).
//
// join() resolves when the core is in the room (or waiting for its host) and rejects with a
// MehfilError whose code says why it is not: the server's refusal (room_full, wrong_password...),
// kicked, room_closed, connection_lost, or left. `lastError` is what the call last reported, so a
// later end says the same thing.
import { mehfilError } from './emitter.js';
import { SCREEN_MESSAGES } from './call-messages.js';

// Screens that are no error: the preview, the password prompt (its own error), the waiting room
// (join() goes on waiting), and two that have their own events (kicked, room-closed).
const NOT_ERRORS = new Set(['preview', 'password', 'waiting_room', 'kicked', 'room_closed']);

export class JoinOutcome {
  #waiters = [];
  lastError = null;   // {code, message}
  screenName = null;  // the screen the core showed last

  wait() {
    return new Promise((resolve, reject) => this.#waiters.push({ resolve, reject }));
  }

  resolve() {
    for (const waiter of this.#waiters) waiter.resolve();
    this.#waiters = [];
  }

  reject(error) {
    for (const waiter of this.#waiters) waiter.reject(mehfilError(error.code, error.message));
    this.#waiters = [];
  }

  // A failure before the core was asked (no session could be made): reported and rejected.
  fail(code, message) {
    this.lastError = { code, message };
    this.reject(this.lastError);
  }

  // The core showed a screen: remember what it is about. Returns the error to report, or null.
  screen({ screen, code, message }) {
    this.screenName = screen;
    if (screen === 'password') this.lastError = { code: code || 'wrong_password', message: message || SCREEN_MESSAGES.password };
    if (NOT_ERRORS.has(screen)) return null;
    this.lastError = { code: code || screen, message: message || SCREEN_MESSAGES[screen] || screen };
    return this.lastError;
  }

  // The call reached a state: settle join() if that state decides it.
  state(state) {
    if (state === 'in_room' || state === 'waiting') return this.resolve();
    if (state === 'password_needed') return this.reject(this.lastError ?? { code: 'wrong_password', message: SCREEN_MESSAGES.password });
    const ends = {
      failed: () => this.lastError ?? { code: this.screenName ?? 'connection_lost', message: SCREEN_MESSAGES[this.screenName] ?? 'Could not join the room.' },
      kicked: () => ({ code: 'kicked', message: SCREEN_MESSAGES.kicked }),
      closed: () => ({ code: 'room_closed', message: SCREEN_MESSAGES.room_closed }),
      left: () => ({ code: 'left', message: 'Left before joining.' }),
    };
    if (ends[state]) this.reject(ends[state]());
  }

  destroyed() { this.reject({ code: 'destroyed', message: 'This call was destroyed.' }); }
}
