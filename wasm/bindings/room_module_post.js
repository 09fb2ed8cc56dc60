// Appended to mehfil-core.mjs after Emscripten's factory: instantiates the engine once (top-level
// await) and exports `RoomCore` (one call's brain, by handle), `REACTIONS`, `REPORT_REASONS`, `fileNameProblem` and `computeLayout`. At build time the
// layout module's flat-path code (layout_module_post.js, from `const HEADER` on) is appended after
// this file, so both modules lay tiles out with the very same JS.
const wasmUrl = new URL('mehfil-core.wasm', import.meta.url);
const isNode = typeof process === 'object' && typeof process.versions?.node === 'string';
const engine = await createMehfilCore(
  isNode ? { wasmBinary: (await import('node:fs')).readFileSync(wasmUrl) } : {});

/**
 * One call's core: events in, commands out (wasm/bindings/room_bridge.h lists both).
 * Every method returns plain objects; destroy() frees the C++ side.
 */
export class RoomCore {
  #handle;
  constructor() { this.#handle = engine.roomCreate(); }
  /** An event object → the commands to run, in order. */
  event(event, nowMs) { return JSON.parse(engine.roomEvent(this.#handle, JSON.stringify(event), nowMs)); }
  /** A WebSocket text frame from the server → commands. */
  serverFrame(text, nowMs) { return JSON.parse(engine.roomServerFrame(this.#handle, text, nowMs)); }
  mediaStart(camera = true) { return JSON.parse(engine.roomMediaStart(this.#handle, !!camera)); }
  /** granted-both | granted-mic | camera-denied | mic-denied | continue | retry */
  mediaEvent(name) { return JSON.parse(engine.roomMediaEvent(this.#handle, name)); }
  snapshot() { return JSON.parse(engine.roomSnapshot(this.#handle)); }
  actionsOn(userId) { return JSON.parse(engine.roomActionsOn(this.#handle, userId)); }
  /** {tileId: level 0..1} → {speaking: [ids], active: id|null} */
  speaking(levels, nowMs) { return JSON.parse(engine.roomSpeaking(this.#handle, JSON.stringify(levels), nowMs)); }
  /** {peer: getStats counters} → {peer: {quality, path, relayed, rtt_ms, loss_percent, in_bps, out_bps}} */
  linkStats(samples) { return JSON.parse(engine.roomLinkStats(this.#handle, JSON.stringify(samples))); }
  /** The tiles the call shows, the pin and the page: {tiles: [...], page, pinned, pinned_by_user} */
  stage() { return JSON.parse(engine.roomStage(this.#handle)); }
  destroy() {
    if (this.#handle) engine.roomDestroy(this.#handle);
    this.#handle = 0;
  }
}

/** The reactions a room takes (the core's set), in the picker's order: ['👍', '❤️', ...]. */
export const REACTIONS = JSON.parse(engine.reactions());
export const REPORT_REASONS = JSON.parse(engine.reportReasons());

/** What is wrong with a code editor file's name, as a sentence, or null when it is good (the core's rule). */
export function fileNameProblem(name) { return engine.fileNameProblem(String(name)) || null; }

/**
 * A page's lobby core: ringing, presence, its socket's reconnects (wasm/bindings/lobby_bridge.h).
 */
export class LobbyCore {
  #handle;
  constructor() { this.#handle = engine.lobbyCreate(); }
  event(event, nowMs) { return JSON.parse(engine.lobbyEvent(this.#handle, JSON.stringify(event), nowMs)); }
  serverFrame(text, nowMs) { return JSON.parse(engine.lobbyServerFrame(this.#handle, text, nowMs)); }
  destroy() {
    if (this.#handle) engine.lobbyDestroy(this.#handle);
    this.#handle = 0;
  }
}

