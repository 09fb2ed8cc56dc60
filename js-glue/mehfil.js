// Mehfil embed API (mehfil.d.ts is the contract): a video room inside any element of a page.
//
// This file is the imperative shell around the call engine in mehfil-core.wasm (docs/ARCHITECTURE.md): the
// RoomCore decides (who is polite, when to offer, roll back or restart ICE, the reconnect backoff,
// host rules, which screen to show, the bitrate caps, who is speaking), and this file only carries
// its commands out with WebSocket, RTCPeerConnection, getUserMedia/getDisplayMedia and <video>, then
// reports what happened as events. The browser objects live in maps keyed by the ids the core uses
// (peer ids, timer keys); the core never holds a JS object.
//
//   const call = Mehfil.create(element, { server, room, displayName });
//   call.on('participant-joined', (p) => ...); await call.join();
//
// Besides the kebab-case events of the d.ts, a call emits (for the in-call UI, call-ui.js):
//   'toast' {kind, detail}, 'screen' {screen}, 'media-change' {state, message, audio, video, screen},
//   'chat-history' (after a rejoin), 'layout' (the layout engine's output).
import { RoomCore, computeLayout } from './mehfil-core.mjs';
import { TileGrid } from './tile-grid.js';
import { readLinkSample } from './link-stats.js';
import { PeerConnections } from './peer-connections.js';
import { Emitter, mehfilError } from './emitter.js';
import { BASE_CSS } from './embed-css.js';
import { roomElement } from './mehfil-element.js';

const VERSION = '0.1.0';
const DEBUG = Symbol.for('mehfil.debug');
const now = () => Math.round(performance.now());
const SPEAKING_SAMPLE_MS = 150;
const LINK_TICK_MS = 1000;
// getStats on every link every 2 s (the quality bars and Connection info), and no more than one
// pc a second: a full mesh of ten would otherwise spend a busy machine's CPU on its own statistics.
const LINK_STATS_EVERY_TICKS = 2;
const END_STATES = new Set(['left', 'kicked', 'closed', 'failed']);
const SCREEN_MESSAGES = {
  password: 'This room needs a password.',
  room_not_found: 'This room doesn\'t exist or has expired.',
  room_full: 'This room is full.',
  room_locked: 'The host has locked this room.',
  kicked: 'You were removed from this room by the host.',
  room_closed: 'The host ended this room.',
  expired: 'This room has expired.',
  left: 'You left the room.',
  connection_lost: 'We could not reach the room for a while. Check your connection, then reconnect.',
};

const moduleUrl = import.meta.url;
let uiModule; // the call-ui.js import, shared by every call of the page
const loadUi = () => (uiModule ??= import(new URL('./call-ui.js', moduleUrl).href).catch(() => null));

function randomId() {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return Array.from(bytes, (b) => (b % 36).toString(36)).join('');
}

class Call extends Emitter {
  #container;
  #options;
  #root;
  #stage;
  #grid;
  #ui = null;
  #uiReady;
  #overlay;
  #banner;
  #core = new RoomCore();
  #state = 'idle';
  #destroyed = false;
  #token = null;
  #ws = null;
  #queue = [];
  #running = false;
  #peers = new PeerConnections({
    report: (peer, event) => this.#feed({ type: 'peer', peer, ...event }),
    changed: () => { if (!this.#destroyed) this.#render(); },
    connected: () => { if (!this.#marks.ice) this.#marks.ice = now(); },
    media: () => ({ camera: this.#localStream, screen: this.#screenStream }),
  });
  #timers = new Map(); // timer key -> timeout id
  #linkTicker = 0;
  #snapshot = null;
  #participants = []; // the others, as the core last applied them, in join order
  #beforeMe = new Set(); // peer ids that were in the room when we joined (they come before us)
  #chat = [];
  #localStream = null;
  #audioOn = true;
  #videoOn = true;
  #screenStream = null;
  #mediaState = { state: 'requesting', message: '' };
  #mediaReady = null;
  #tiles = new Map(); // tile id -> {element, body, video, card, connecting, participant, kind}
  #speaking = new Set();
  #activeSpeaker = null;
  #audio = null; // {context, sources: Map tileId -> {source, analyser, buffer, track}}
  #speakingTimer = 0;
  #joinWaiters = [];
  #lastError = null;
  #lastFrame = null;
  #screenName = null;
  #marks = {};
  #whiteboard = null; // {host element, board (js-glue/whiteboard.js) once loaded}
  #whiteboardOps = []; // every wb:ops batch heard, so a board opened later starts complete

  constructor(container, options) {
    super();
    if (!(container instanceof HTMLElement)) throw new TypeError('Mehfil.create needs an element to render into');
    if (!options || typeof options.server !== 'string' || typeof options.room !== 'string') {
      throw new TypeError('Mehfil.create needs {server, room}');
    }
    this.#container = container;
    this.#options = { audio: true, video: true, ui: true, ...options };
    this.#audioOn = this.#options.audio !== false;
    this.#videoOn = this.#options.video !== false;
    this.#root = container.shadowRoot ?? container.attachShadow({ mode: 'open' });
    this.#root.replaceChildren();
    const style = document.createElement('style');
    style.textContent = BASE_CSS;
    const gridCss = document.createElement('link');
    gridCss.rel = 'stylesheet';
    gridCss.href = new URL('./tile-grid.css', moduleUrl).href;
    this.#root.append(style, gridCss);
    this.#stage = document.createElement('div');
    this.#stage.className = 'mehfil-stage';
    this.#stage.setAttribute('part', 'stage');
    this.#banner = document.createElement('div');
    this.#banner.className = 'mehfil-banner';
    this.#banner.hidden = true;
    this.#banner.setAttribute('role', 'status');
    this.#overlay = document.createElement('div');
    this.#overlay.className = 'mehfil-overlay';
    this.#overlay.hidden = true;
    this.#overlay.setAttribute('role', 'alert');
    this.#grid = new TileGrid(this.#stage, {
      computeLayout: (input) => {
        const layout = computeLayout(input);
        this.emit('layout', layout);
        return layout;
      },
      createTile: (id) => (id === 'whiteboard' ? this.#whiteboardTile() : this.#tiles.get(id)?.element ?? document.createElement('div')),
    });
    this.#uiReady = this.#mountUi();
  }

  async #mountUi() {
    const ui = this.#options.ui !== false ? await loadUi() : null;
    if (this.#destroyed) return;
    if (ui?.mountCallUi && ui?.createTileCard) {
      const css = document.createElement('link');
      css.rel = 'stylesheet';
      css.href = new URL('./call-ui.css', moduleUrl).href;
      this.#root.append(css);
      this.#ui = { module: ui, handle: null };
      this.#ui.handle = ui.mountCallUi({ root: this.#root, call: this, stage: this.#stage });
      this.#root.append(this.#banner, this.#overlay);
    } else {
      const frame = document.createElement('div');
      frame.className = 'mehfil-root';
      frame.append(this.#stage, this.#banner, this.#overlay);
      this.#root.append(frame);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // the public API (mehfil.d.ts)

  get state() { return this.#state; }

  async join() {
    if (this.#destroyed) throw mehfilError('destroyed', 'This call was destroyed.');
    if (this.#state === 'in_room' || this.#state === 'waiting') return;
    if (this.#state === 'password_needed' && this.#options.password) {
      const waiting = this.#waitForJoin();
      this.#feed({ type: 'submit-password', password: this.#options.password });
      return waiting;
    }
    this.#marks = { join: now() };
    this.#lastError = null;
    const waiting = this.#waitForJoin();
    await this.#uiReady;
    if (!this.#mediaReady) this.#mediaReady = this.#startMedia();
    try {
      this.#token = this.#options.token ?? this.#token ?? (await this.#guestSession());
    } catch (error) {
      this.#fail(error.code ?? 'connection_lost', error.message);
      return waiting;
    }
    this.#marks.token = now();
    this.#feed({
      type: 'join', room_code: this.#options.room, display_name: this.#options.displayName ?? '',
      ...(this.#options.password ? { password: this.#options.password } : {}),
      // An embedder's own STUN/TURN servers and policy; the core checks them like the server's.
      ...(this.#options.iceServers ? { ice_servers: this.#options.iceServers } : {}),
      ...(this.#options.iceTransportPolicy ? { ice_transport_policy: this.#options.iceTransportPolicy } : {}),
    });
    return waiting;
  }

  async leave() {
    if (this.#destroyed) return;
    if (!['joining', 'password_needed', 'waiting', 'in_room', 'reconnecting'].includes(this.#state)) return;
    this.#feed({ type: 'leave' });
    this.#stopLocalMedia();
    this.emit('left', { reason: 'left' });
  }

  destroy() {
    if (this.#destroyed) return;
    try {
      if (['joining', 'password_needed', 'waiting', 'in_room', 'reconnecting'].includes(this.#state)) this.#feed({ type: 'leave' });
    } catch { /* tearing down regardless */ }
    this.#destroyed = true;
    this.#peers.closeAll();
    this.#closeSocket();
    for (const timer of this.#timers.values()) clearTimeout(timer);
    this.#timers.clear();
    clearInterval(this.#linkTicker);
    clearInterval(this.#speakingTimer);
    this.#stopLocalMedia();
    this.#audio?.context.close().catch(() => {});
    this.#audio = null;
    this.#ui?.handle?.destroy?.();
    this.#grid.destroy();
    this.#root.replaceChildren();
    this.#core.destroy();
    for (const waiter of this.#joinWaiters) waiter.reject(mehfilError('destroyed', 'This call was destroyed.'));
    this.#joinWaiters = [];
    this.clear();
  }

  setLocalAudio(on) {
    this.#audioOn = !!on;
    for (const track of this.#localStream?.getAudioTracks() ?? []) track.enabled = this.#audioOn;
    this.#announceMedia();
  }

  setLocalVideo(on) {
    this.#videoOn = !!on;
    for (const track of this.#localStream?.getVideoTracks() ?? []) track.enabled = this.#videoOn;
    this.#announceMedia();
  }

  // Add Friend: a friend request to someone in this call (the server keeps it; a request back, or
  // adding someone who asked you, makes you friends). Resolves to the relation now: 'outgoing'
  // (request sent), 'friends'.
  async addFriend(userId) {
    const body = await this.#api('/api/friends/request', { target_user_id: String(userId) });
    this.#friends.set(String(userId), body.relation);
    const name = this.#participants.find((p) => p.user_id === userId)?.display_name ?? 'them';
    // "You are now friends" comes from the server (friend:update) to every tab of both people.
    if (body.relation === 'outgoing') this.emit('toast', { kind: 'friend', detail: userId, text: `Friend request sent to ${name}` });
    this.#render();
    return body.relation;
  }

  // 'friends', 'outgoing' (you asked), 'incoming' (they asked) or null, as of joining and since.
  friendRelation(userId) { return this.#friends.get(userId) ?? null; }
  #friends = new Map();

  async #loadFriends() {
    const body = await this.#api('/api/friends').catch(() => null);
    if (!body || this.#destroyed) return;
    this.#friends = new Map(body.friends.map((f) => [f.user_id, f.relation]));
    this.#render();
  }

  // One REST call: GET without a body, POST with one; a failure becomes a MehfilError with the
  // server's stable code.
  async #api(path, json, { auth = true } = {}) {
    const headers = { ...(auth ? { authorization: `Bearer ${this.#token}` } : {}), ...(json ? { 'content-type': 'application/json' } : {}) };
    const response = await fetch(new URL(path, this.#options.server), {
      method: json ? 'POST' : 'GET', headers, ...(json ? { body: JSON.stringify(json) } : {}),
    }).catch((error) => { throw mehfilError('connection_lost', `The Mehfil server could not be reached: ${error.message}`); });
    const body = await response.json().catch(() => ({}));
    if (!response.ok) throw mehfilError(body.error?.code ?? 'bad_request', body.error?.message ?? `HTTP ${response.status}`);
    return body;
  }

  // The cameras and microphones this browser offers, and the ones the call uses now. Labels are
  // empty until the page has been granted the camera or the microphone once.
  async devices() {
    const all = (await navigator.mediaDevices?.enumerateDevices?.()) ?? [];
    const list = (kind) => all.filter((d) => d.kind === kind).map((d) => ({ deviceId: d.deviceId, label: d.label }));
    const inUse = (track) => track?.getSettings?.().deviceId ?? null;
    return {
      cameras: list('videoinput'), microphones: list('audioinput'),
      camera: inUse(this.#localStream?.getVideoTracks()[0]), microphone: inUse(this.#localStream?.getAudioTracks()[0]),
    };
  }

  // Switches the camera or the microphone mid-call: the new track replaces the old one in every
  // peer connection's sender (no renegotiation), keeps its on/off state, and the old one is stopped.
  async useDevice(kind, deviceId) {
    const video = kind === 'camera';
    if (!video && kind !== 'microphone') throw mehfilError('bad_request', 'kind must be "camera" or "microphone".');
    const old = video ? this.#localStream?.getVideoTracks()[0] : this.#localStream?.getAudioTracks()[0];
    if (!old) throw mehfilError('no_media', `There is no ${kind} in this call to switch.`);
    const constraints = { deviceId: { exact: String(deviceId) } };
    const stream = await navigator.mediaDevices.getUserMedia(video
      ? { video: { ...constraints, width: { ideal: 640 }, height: { ideal: 480 } } }
      : { audio: { ...constraints, echoCancellation: true, noiseSuppression: true } });
    const [track] = video ? stream.getVideoTracks() : stream.getAudioTracks();
    if (this.#destroyed || !this.#localStream?.getTracks().includes(old)) return void track.stop();
    track.enabled = video ? this.#videoOn : this.#audioOn;
    await this.#peers.replaceTrack(old, track);
    this.#localStream.removeTrack(old);
    this.#localStream.addTrack(track);
    old.stop();
    this.#announceMedia();
    this.#render();
  }

  async startScreenShare() {
    if (this.#screenStream) return;
    if (this.#snapshot?.room?.settings?.screenshare === false && !this.canManage()) {
      throw mehfilError('screenshare_disabled', 'The host has turned screen sharing off.');
    }
    let stream;
    try {
      stream = await navigator.mediaDevices.getDisplayMedia({ video: true, audio: false });
    } catch (error) {
      throw mehfilError('screenshare_denied', `Screen sharing was not started: ${error.message}`);
    }
    if (this.#destroyed) return void stream.getTracks().forEach((t) => t.stop());
    this.#screenStream = stream;
    const [track] = stream.getVideoTracks();
    track.addEventListener('ended', () => this.stopScreenShare());
    this.#peers.sendScreen();
    this.#announceMedia();
    this.#render();
  }

  stopScreenShare() {
    if (!this.#screenStream) return;
    this.#peers.stopScreen();
    for (const track of this.#screenStream.getTracks()) track.stop();
    this.#screenStream = null;
    this.#announceMedia();
    this.#render();
  }

  // Per person in the call: how the link to them is doing (the core's LinkReport), for the
  // "Connection info" panel. Also sent as the `connection-stats` event every 2 s.
  connectionStats() {
    return this.#participants.map((p) => ({
      user_id: p.user_id, peer_id: p.peer_id, display_name: p.display_name,
      link_state: this.#snapshot?.links?.[p.peer_id]?.state ?? null,
      ...(this.#linkReports[p.peer_id] ?? { quality: 'unknown', path: '' }),
    }));
  }

  #linkReports = {};
  #sampling = false;  // one round of getStats at a time, however slow the machine
  async #sampleLinks() {
    this.#sampling = true;
    const input = await this.#peers.sample((pc) => readLinkSample(pc, now()));
    this.#sampling = false;
    if (this.#destroyed) return;
    this.#linkReports = this.#core.linkStats(input);
    for (const [id, report] of Object.entries(this.#linkReports)) this.#tiles.get(id)?.card?.setQuality(report);
    this.emit('connection-stats', this.connectionStats());
  }

  participants() {
    const others = this.#participants.map((p) => this.#publicParticipant(p, false));
    const self = this.self();
    if (!self) return others;
    const at = others.reduce((index, p, i) => (this.#beforeMe.has(p.peer_id) ? i + 1 : index), 0);
    others.splice(at, 0, self);
    return others;
  }

  self() {
    const self = this.#snapshot?.self;
    if (!self) return null;
    return {
      user_id: self.user_id, peer_id: self.peer_id, display_name: self.display_name,
      is_host: !!this.#snapshot.role?.is_host, is_cohost: !!this.#snapshot.role?.is_cohost,
      audio: this.#sendsAudio(), video: this.#sendsVideo(), screen: !!this.#screenStream,
      is_local: true, speaking: this.#speaking.has(self.peer_id),
    };
  }

  room() {
    const room = this.#snapshot?.room;
    if (!room) return null;
    return { ...room, settings: { ...room.settings }, link: new URL(`/room/${room.room_code}`, this.#options.server).href };
  }

  chat() { return this.#chat.map((m) => ({ ...m })); }

  sendChat(text) {
    const body = String(text ?? '').trim();
    if (!body) return;
    this.#feed({ type: 'chat', text: body, client_msg_id: randomId() });
  }

  canManage() { return !!(this.#snapshot?.role?.is_host || this.#snapshot?.role?.is_cohost); }
  // The host actions this user may take on that user, and on the room ({on: [...], room: [...]}),
  // read off the core's permission table (wasm/core/authority): the UI offers exactly these.
  hostActionsOn(userId) { return this.#core.actionsOn(String(userId ?? '')); }

  // The shared whiteboard: it takes the stage like a screen share (the layout engine places it as a
  // screen tile). Its ops travel on this call's socket as wb:ops; the board itself (merging, tools,
  // drawing) is the whiteboard wasm module.
  get whiteboardOpen() { return !!this.#whiteboard; }

  async openWhiteboard() {
    if (this.#whiteboard || this.#destroyed) return;
    const host = document.createElement('div');
    host.className = 'mehfil-whiteboard-host';
    this.#whiteboard = { host, board: null };
    this.#render();
    const { mountWhiteboard } = await import(new URL('./whiteboard.js', moduleUrl).href);
    if (this.#whiteboard?.host !== host) return;  // closed while loading
    const self = this.self();
    const board = await mountWhiteboard(host, {
      author: self?.user_id ?? 'guest', isHost: this.canManage(),
      send: (ops) => this.#ws?.readyState === WebSocket.OPEN && this.#ws.send(JSON.stringify({ type: 'wb:ops', ops })),
      sendCursor: (cursor) => this.#ws?.readyState === WebSocket.OPEN && this.#ws.send(JSON.stringify({ type: 'wb:cursor', ...cursor })),
    });
    if (this.#whiteboard?.host !== host) return board.destroy();
    this.#whiteboard.board = board;
    for (const ops of this.#whiteboardOps) board.receive(ops);
    this.emit('whiteboard-change', { open: true });
  }

  closeWhiteboard() {
    if (!this.#whiteboard) return;
    this.#whiteboard.board?.destroy();
    this.#whiteboard = null;
    this.#render();
    this.emit('whiteboard-change', { open: false });
  }

  // The whiteboard's board object (exportSvg, exportPng, ...) once open, for the UI and tests.
  whiteboard() { return this.#whiteboard?.board ?? null; }
  mute(userId) { this.#host({ action: 'mute', target_user_id: String(userId) }); }
  kick(userId) { this.#host({ action: 'kick', target_user_id: String(userId) }); }
  makeCohost(userId) { this.#host({ action: 'make_cohost', target_user_id: String(userId) }); }
  lockRoom(locked) { this.#host({ action: 'lock', locked: !!locked }); }
  updateSettings(settings) { this.#host({ action: 'settings', settings: { ...this.#snapshot?.room?.settings, ...settings } }); }
  endForAll() { this.#host({ action: 'end' }); }
  // "Become Host" while the host is away (room().host_away); the server lets the first claim win.
  // Try to reach the room again now: while the backoff waits, or after the core gave up
  // ("Connection lost"). The core decides whether that makes sense (room/room_client.h).
  reconnect() {
    if (this.#ask({ type: 'reconnect' })) this.emit('error', { code: 'not_allowed', message: 'The call is connected.' });
  }

  claimHost() {
    if (this.#ask({ type: 'claim-host' })) this.emit('error', { code: 'not_allowed', message: 'The room has a host.' });
  }

  // The engine's insides for tests, benchmarks and the stats overlay; not part of the contract.
  [DEBUG]() {
    return {
      marks: { ...this.#marks },
      trace: [...this.#trace],
      snapshot: this.#core.snapshot(),
      layout: this.#grid.lastLayout,
      tiles: [...this.#tiles.keys()],
      localStream: this.#localStream,
      screenStream: this.#screenStream,
      peers: this.#peers.ids(),
      pcs: this.#peers.pcs(),
      stage: this.#stage,
      screen: this.#screenName,
      mediaState: { ...this.#mediaState },
    };
  }

  // ---------------------------------------------------------------------------------------------
  // the core: events in, commands out

  #feed(event) {
    if (this.#destroyed) return;
    if (event.peer) this.#note(`in ${event.peer} ${event.event ?? ''} ${event.op ?? ''} ${event.state ?? ''} ${event.error ?? ''}`);
    this.#run(this.#core.event(event, now()));
  }

  // The last few hundred peer events, commands and signals, for the debug view when a link sticks.
  #trace = [];
  #note(line) {
    this.#trace.push(`${now()} ${line}`);
    if (this.#trace.length > 400) this.#trace.shift();
  }

  #run(commands) {
    this.#queue.push(...commands);
    if (this.#running) return;
    this.#running = true;
    try {
      while (this.#queue.length) {
        const command = this.#queue.shift();
        try {
          this.#execute(command);
        } catch (error) {
          console.error('mehfil: command failed', command.type, error);
        }
      }
    } finally {
      this.#running = false;
    }
    this.#afterCommands();
  }

  #execute(c) {
    // Signals only: chat text has no place in a debug trace.
    if (c.peer) this.#note(`do ${c.type} ${c.peer} ${c.op ?? ''} ${c.sdp_type ?? ''}`);
    else if (c.type === 'send' && c.text.includes('"signal:')) this.#note(`do send ${c.text.slice(0, 60)}`);
    switch (c.type) {
      case 'send':
        if (this.#ws?.readyState === WebSocket.OPEN) this.#ws.send(c.text);
        // The first description we sent: our offer, or our answer to theirs (whoever offered first).
        if (!this.#marks.offer && /"type":"signal:(offer|answer)"/.test(c.text)) this.#marks.offer = now();
        break;
      case 'open-socket': this.#openSocket(); break;
      case 'close-socket': this.#closeSocket(); break;
      case 'toast': this.#toast(c.kind, c.detail); break;
      case 'screen': this.#showScreen(c.screen); break;
      case 'participants': this.#applyParticipants(c.participants); break;
      case 'chat': this.#appendChat(c.message); break;
      case 'mute-microphone': this.setLocalAudio(false); break;
      case 'rejected': console.debug('mehfil: the core refused:', c.reason); this.#lastRejection = c.reason; break;
      case 'timer': this.#schedule(c.key, c.at); break;
      default: if (!this.#peers.execute(c)) console.debug('mehfil: unknown command', c);
    }
  }
  #lastRejection = null;

  // After every batch: mirror the core's state, settle join(), redraw.
  #afterCommands() {
    if (this.#destroyed) return;
    const roomBefore = JSON.stringify(this.#snapshot?.room ?? null);
    this.#snapshot = this.#core.snapshot();
    const state = this.#snapshot.state;
    if (state !== this.#state) {
      const previous = this.#state;
      this.#state = state;
      this.#onState(state, previous);
      this.emit('state-change', { state });
    }
    if (this.#snapshot.room && JSON.stringify(this.#snapshot.room) !== roomBefore) this.emit('room-updated', this.room());
    this.#render();
  }

  #onState(state, previous) {
    const inside = state === 'in_room' || state === 'waiting';
    if (inside) {
      if (!this.#marks.joined) this.#marks.joined = now();
      this.#banner.hidden = true;
      this.#overlay.hidden = true;
      if (previous === 'joining' || previous === 'password_needed') {
        this.#beforeMe = new Set(this.#participants.map((p) => p.peer_id));
        this.#loadFriends();
        this.#announceMedia();
        this.emit('joined', { self: this.self(), room: this.room() });
      } else if (previous === 'reconnecting') {
        this.#announceMedia();
      }
      clearInterval(this.#linkTicker);
      let ticks = 0;
      this.#linkTicker = setInterval(() => {
        this.#feed({ type: 'tick' });
        if (++ticks % Math.max(LINK_STATS_EVERY_TICKS, this.#peers.size) === 0 && !this.#sampling) this.#sampleLinks();
      }, LINK_TICK_MS);
      for (const waiter of this.#joinWaiters) waiter.resolve();
      this.#joinWaiters = [];
    }
    if (state === 'reconnecting') {
      this.#banner.textContent = 'Connection lost. Trying to reconnect…';
      this.#banner.hidden = false;
    }
    if (state === 'password_needed') {
      this.#rejectJoin(this.#lastError ?? { code: 'wrong_password', message: 'This room needs a password.' });
    }
    if (END_STATES.has(state)) {
      clearInterval(this.#linkTicker);
      this.#banner.hidden = true;
      if (state === 'failed') {
        const error = this.#lastError ?? { code: this.#screenName ?? 'connection_lost', message: SCREEN_MESSAGES[this.#screenName] ?? 'Could not join the room.' };
        this.#rejectJoin(error);
      } else if (state === 'kicked') {
        this.#rejectJoin({ code: 'kicked', message: SCREEN_MESSAGES.kicked });
      } else if (state === 'closed') {
        this.#rejectJoin({ code: 'room_closed', message: SCREEN_MESSAGES.room_closed });
      } else {
        this.#rejectJoin({ code: 'left', message: 'Left before joining.' });
      }
      // Gave up reconnecting: the camera stays open for Reconnect; leave() or destroy() closes it.
      if (state !== 'left' && this.#screenName !== 'connection_lost') this.#stopLocalMedia();
    }
  }

  #waitForJoin() {
    return new Promise((resolve, reject) => this.#joinWaiters.push({ resolve, reject }));
  }

  #rejectJoin(error) {
    for (const waiter of this.#joinWaiters) waiter.reject(mehfilError(error.code, error.message));
    this.#joinWaiters = [];
  }

  #fail(code, message) {
    this.#lastError = { code, message };
    this.emit('error', { code, message });
    this.#rejectJoin(this.#lastError);
  }

  #host(intent) {
    const refused = this.#ask({ type: 'host', ...intent });
    if (refused) this.emit('error', { code: 'not_allowed', message: refused });
  }

  // Feeds a user's request to the core; returns the core's reason if it refused, else null.
  #ask(event) {
    this.#lastRejection = null;
    this.#feed(event);
    return this.#lastRejection;
  }

  // ---------------------------------------------------------------------------------------------
  // WebSocket and session

  async #guestSession() {
    const body = await this.#api('/api/session', { display_name: this.#options.displayName || 'Guest' }, { auth: false });
    if (!body.token) throw mehfilError('unauthorized', 'No session could be made.');
    return body.token;
  }

  #openSocket() {
    this.#closeSocket();
    const url = new URL('/ws', this.#options.server);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    url.searchParams.set('token', this.#token ?? '');
    const ws = new WebSocket(url);
    this.#ws = ws;
    ws.onopen = () => {
      if (!this.#marks.ws) this.#marks.ws = now();
      this.#feed({ type: 'socket-opened' });
    };
    ws.onmessage = (event) => {
      if (typeof event.data !== 'string' || this.#destroyed) return;
      this.#lastFrame = event.data;
      if (event.data.includes('"signal:')) this.#note(`ws< ${event.data.slice(0, 80)}`);
      if (!this.#marks.theirs && /"type":"signal:(offer|answer)"/.test(event.data)) this.#marks.theirs = now();
      this.#noteFrame(event.data);
      if (event.data.includes('"wb:ops"') || event.data.includes('"wb:cursor"')) this.#whiteboardFrame(event.data);
      this.#run(this.#core.serverFrame(event.data, now()));
    };
    ws.onclose = () => {
      if (this.#ws !== ws) return;
      this.#ws = null;
      this.#feed({ type: 'socket-closed', jitter: Math.random() });
    };
  }

  #whiteboardFrame(text) {
    let message;
    try { message = JSON.parse(text); } catch { return; }
    if (message.type === 'wb:cursor') return this.#whiteboard?.board?.receiveCursor(message);
    if (message.type !== 'wb:ops' || !Array.isArray(message.ops)) return;
    this.#whiteboardOps.push(message.ops);
    this.#whiteboard?.board?.receive(message.ops);
  }

  #closeSocket() {
    const ws = this.#ws;
    if (!ws) return;
    this.#ws = null;
    ws.onopen = ws.onmessage = ws.onclose = null;
    try { ws.close(1000); } catch { /* already closed */ }
  }

  // Payload for the events the core has no field for (the error code, who kicked, why it closed).
  // Only read for reporting: nothing here decides anything.
  #noteFrame(text) {
    if (!text.startsWith('{"') || !/"type":"(error|room:host-action|room:closed|friend:update)"/.test(text)) return;
    let frame;
    try { frame = JSON.parse(text); } catch { return; }
    if (frame.type === 'error') {
      this.#lastError = { code: frame.code, message: frame.message };
      if (this.#state !== 'joining' && this.#state !== 'reconnecting') this.emit('error', { ...this.#lastError });
    } else if (frame.type === 'room:host-action' && frame.action === 'kick' && frame.target_user_id === this.#snapshot?.self?.user_id) {
      this.#kickedBy = frame.by;
    } else if (frame.type === 'room:closed') {
      this.#closedReason = frame.reason;
    } else if (frame.type === 'friend:update' && typeof frame.user_id === 'string') {
      this.#friends.set(frame.user_id, frame.friends ? 'friends' : 'incoming');  // the core toasts it
    }
  }
  #kickedBy = '';
  #closedReason = '';

  #schedule(key, at) {
    clearTimeout(this.#timers.get(key));
    this.#timers.set(key, setTimeout(() => {
      this.#timers.delete(key);
      this.#feed({ type: 'tick' });
    }, Math.max(0, at - now())));
  }

  #toast(kind, detail) {
    const name = (userId) => this.participants().find((p) => p.user_id === userId)?.display_name ?? '';
    let text = detail;
    if (kind === 'host_muted_you') text = 'The host muted your microphone.';
    else if (kind === 'you_are_host') text = 'You are now the host.';
    else if (kind === 'reconnecting') text = 'Connection lost. Trying to reconnect…';
    else if (kind === 'reconnected') text = 'Reconnected.';
    else if (kind === 'participant_removed') text = `${name(detail) || 'Someone'} was removed by the host.`;
    else if (kind === 'friend_request') text = `${detail} wants to be your friend`;
    else if (kind === 'now_friends') text = `You and ${detail} are now friends`;
    this.emit('toast', { kind, detail, text });
  }

  #showScreen(screen) {
    this.#screenName = screen;
    if (screen === 'kicked') this.emit('kicked', { by: this.#kickedBy });
    if (screen === 'room_closed' || screen === 'expired') this.emit('room-closed', { reason: this.#closedReason || screen });
    if (screen !== 'password' && screen !== 'preview' && screen !== 'kicked' && screen !== 'room_closed') {
      const code = screen === 'expired' ? 'expired' : screen;
      this.#lastError = { code, message: this.#lastError?.message ?? SCREEN_MESSAGES[screen] ?? screen };
      this.emit('error', { ...this.#lastError });
    }
    this.emit('screen', { screen, message: SCREEN_MESSAGES[screen] ?? '' });
    // call-ui.js may draw the screens itself (it exports handlesScreens = true); else a plain one here.
    if (!this.#ui?.module.handlesScreens && screen !== 'preview') {
      const message = document.createElement('p');
      message.textContent = this.#lastError?.message && screen !== 'kicked' && screen !== 'room_closed'
        ? this.#lastError.message : (SCREEN_MESSAGES[screen] ?? screen);
      const title = document.createElement('h2');
      title.textContent = screen === 'kicked' ? 'Removed from the room' : screen === 'room_closed' ? 'Room closed'
        : screen === 'connection_lost' ? 'Connection lost' : 'Can\'t join this room';
      this.#overlay.replaceChildren(title, message);
      if (screen === 'connection_lost') {
        const button = (label, action) => Object.assign(document.createElement('button'), { type: 'button', textContent: label, onclick: action });
        const actions = document.createElement('div');
        actions.className = 'mehfil-overlay-actions';
        actions.append(button('Reconnect', () => this.reconnect()), button('Leave', () => this.destroy()));
        this.#overlay.append(actions);
      }
      this.#overlay.dataset.screen = screen;
      this.#overlay.hidden = false;
    }
  }

  // ---------------------------------------------------------------------------------------------
  // participants, chat

  #publicParticipant(p, isLocal) {
    return {
      user_id: p.user_id, peer_id: p.peer_id, display_name: p.display_name, is_host: p.is_host, is_cohost: p.is_cohost,
      audio: p.audio, video: p.video, screen: p.screen, is_local: isLocal, speaking: this.#speaking.has(p.peer_id),
    };
  }

  #applyParticipants(list) {
    const previous = new Map(this.#participants.map((p) => [p.peer_id, p]));
    this.#participants = list;
    const quiet = this.#state === 'joining' || this.#state === 'password_needed';
    const seen = new Set();
    for (const p of list) {
      seen.add(p.peer_id);
      const before = previous.get(p.peer_id);
      if (quiet) continue;
      if (!before) this.emit('participant-joined', this.#publicParticipant(p, false));
      else if (JSON.stringify(before) !== JSON.stringify(p)) this.emit('participant-updated', this.#publicParticipant(p, false));
    }
    if (quiet) return;
    for (const [peerId, p] of previous) {
      if (!seen.has(peerId)) this.emit('participant-left', { user_id: p.user_id, peer_id: peerId });
    }
  }

  #appendChat(message) {
    this.#chat.push(message);
    if (this.#chat.length > 500) this.#chat.shift();
    this.emit('chat-message', { ...message });
  }

  // ---------------------------------------------------------------------------------------------
  // local media

  async #startMedia() {
    if (!navigator.mediaDevices?.getUserMedia) {
      this.#core.mediaEvent('camera-denied');
      this.#core.mediaEvent('mic-denied');
      this.#mediaState = this.#core.mediaEvent('continue');
      return;
    }
    let result = this.#core.mediaStart();
    const given = this.#takeGivenStream();
    if (given) {
      // The same answers the camera would have given: no video in it means the camera was refused.
      const hasVideo = given.getVideoTracks().length > 0;
      if (!hasVideo) {
        result = this.#core.mediaEvent('camera-denied');
        this.emit('error', { code: 'camera_denied', message: result.message });
      }
      result = this.#core.mediaEvent(hasVideo ? 'granted-both' : 'granted-mic');
      this.#useLocalStream(given);
    }
    while (!given) {
      const request = result.commands.find((c) => c.type === 'request-media');
      if (!request) break;
      try {
        const stream = await navigator.mediaDevices.getUserMedia({
          audio: request.audio ? { echoCancellation: true, noiseSuppression: true } : false,
          video: request.video ? { width: { ideal: 640 }, height: { ideal: 480 } } : false,
        });
        if (this.#destroyed) return void stream.getTracks().forEach((t) => t.stop());
        result = this.#core.mediaEvent(request.video && stream.getVideoTracks().length ? 'granted-both' : 'granted-mic');
        this.#useLocalStream(stream);
        break;
      } catch (error) {
        if (this.#destroyed) return;
        result = this.#core.mediaEvent(request.video ? 'camera-denied' : 'mic-denied');
        if (result.state === 'camera_denied') this.emit('error', { code: 'camera_denied', message: result.message });
      }
    }
    if (result.state === 'mic_denied') {
      this.emit('error', { code: 'microphone_denied', message: result.message });
      result = this.#core.mediaEvent('continue'); // an embed joins to listen; the UI may offer retry
    }
    this.#mediaState = { state: result.state, message: result.message };
    this.#announceMedia();
    this.#render();
  }

  // options.stream, once: live and with a microphone, or stopped and forgotten.
  #takeGivenStream() {
    const stream = this.#options.stream;
    this.#options.stream = null;
    if (!stream) return null;
    const live = stream.getTracks().filter((t) => t.readyState === 'live');
    if (live.some((t) => t.kind === 'audio')) return stream;
    for (const track of stream.getTracks()) track.stop();
    return null;
  }

  #useLocalStream(stream) {
    if (!this.#marks.media) this.#marks.media = now();
    this.#localStream = stream;
    for (const track of stream.getAudioTracks()) track.enabled = this.#audioOn;
    for (const track of stream.getVideoTracks()) track.enabled = this.#videoOn;
    this.#peers.sendCamera();
  }

  #stopLocalMedia() {
    for (const track of this.#localStream?.getTracks() ?? []) track.stop();
    this.#localStream = null;
    for (const track of this.#screenStream?.getTracks() ?? []) track.stop();
    this.#screenStream = null;
    this.#mediaReady = null;
  }

  #sendsAudio() { return this.#audioOn && !!this.#localStream?.getAudioTracks().length; }
  #sendsVideo() { return this.#videoOn && !!this.#localStream?.getVideoTracks().length; }

  #announceMedia() {
    const media = { audio: this.#sendsAudio(), video: this.#sendsVideo(), screen: !!this.#screenStream };
    this.emit('media-change', { ...this.#mediaState, ...media });
    if (this.#state === 'in_room' || this.#state === 'waiting') this.#feed({ type: 'own-media', ...media });
    else this.#render();
  }

  // ---------------------------------------------------------------------------------------------
  // tiles and layout

  #render() {
    if (this.#destroyed) return;
    const inside = ['in_room', 'waiting', 'reconnecting'].includes(this.#state);
    const wanted = []; // {id, kind, participant, stream, isLocal}
    if (inside) {
      for (const p of this.participants()) {
        if (p.is_local) {
          wanted.push({ id: p.peer_id, kind: 'camera', participant: p, stream: this.#localStream, isLocal: true });
          if (this.#screenStream) wanted.push({ id: `${p.peer_id}:screen`, kind: 'screen', participant: p, stream: this.#screenStream, isLocal: true });
          continue;
        }
        const { camera, screen } = this.#peers.remoteStreams(p.peer_id);
        wanted.push({ id: p.peer_id, kind: 'camera', participant: p, stream: camera, isLocal: false });
        if (screen && p.screen) wanted.push({ id: `${p.peer_id}:screen`, kind: 'screen', participant: p, stream: screen, isLocal: false });
      }
    }
    const ids = new Set(wanted.map((w) => w.id));
    for (const id of [...this.#tiles.keys()]) {
      if (!ids.has(id)) this.#dropTile(id);
    }
    for (const w of wanted) this.#syncTile(w);
    const tiles = wanted.map((w) => ({
      id: w.id, kind: w.kind, pinned: false, speaking: w.kind === 'camera' && this.#speaking.has(w.participant.peer_id),
      has_video: w.kind === 'screen' || !!w.participant.video, is_local: w.isLocal,
    }));
    // The open whiteboard is pinned: it keeps the stage even while someone shares a screen.
    if (inside && this.#whiteboard) tiles.push({ id: 'whiteboard', kind: 'screen', pinned: true, has_video: true });
    this.#grid.update(tiles, { mode: 'auto' });
    this.#syncAudioMeters(wanted);
  }

  #syncTile({ id, kind, participant, stream, isLocal }) {
    let tile = this.#tiles.get(id);
    if (!tile && this.#leavingTiles.has(id)) {
      tile = this.#leavingTiles.get(id);
      this.#leavingTiles.delete(id);
      clearTimeout(tile.dropTimer);
      this.#tiles.set(id, tile);
    }
    const shown = kind === 'screen' ? { ...participant, display_name: `${participant.display_name} (screen)` } : participant;
    if (!tile) {
      const element = document.createElement('div');
      element.dataset.kind = kind;
      element.dataset.local = String(isLocal);
      element.dataset.peer = participant.peer_id;
      const video = document.createElement('video');
      video.autoplay = true;
      video.playsInline = true;
      video.muted = true; // sound plays through one <audio> per peer (below), never twice
      let card = null;
      let body;
      let connecting = null;
      if (this.#ui) {
        card = this.#ui.module.createTileCard({ ...shown, kind }, this);
        card.videoSlot.append(video);
        body = card.element;
      } else {
        body = document.createElement('div');
        body.className = 'mehfil-tile-body';
        const name = document.createElement('span');
        name.className = 'mehfil-name';
        const mic = document.createElement('span');
        mic.className = 'mehfil-mic-off';
        mic.textContent = '🔇';
        mic.setAttribute('aria-label', 'Microphone off');
        connecting = document.createElement('div');
        connecting.className = 'mehfil-connecting';
        connecting.textContent = 'Connecting…';
        body.append(video, connecting, name, mic);
      }
      element.append(body);
      let audio = null;
      if (!isLocal && kind === 'camera') {
        audio = document.createElement('audio');
        audio.autoplay = true;
        element.append(audio);
      }
      tile = { element, body, video, audio, card, connecting, kind, stream: null, hasFrame: false, participantKey: '' };
      this.#tiles.set(id, tile);
      this.#setConnecting(tile, true);
    }
    if (tile.stream !== stream) {
      tile.stream = stream;
      tile.hasFrame = false;
      tile.video.srcObject = stream ?? null;
      if (tile.audio) tile.audio.srcObject = stream ?? null;
      this.#setConnecting(tile, !!stream || !isLocal);
      if (stream) this.#watchFirstFrame(id, tile, isLocal);
      tile.video.play?.().catch(() => {});
      tile.audio?.play?.().catch(() => {});
    }
    // The card also shows what depends on us: our friendship with them, and our host powers over them.
    const powers = participant.is_local ? [] : this.hostActionsOn(participant.user_id).on;
    const key = JSON.stringify([shown, this.#friends.get(participant.user_id) ?? null, powers]);
    if (key !== tile.participantKey) {
      tile.participantKey = key;
      if (tile.card) {
        tile.card.update({ ...shown, kind });
      } else {
        tile.body.querySelector('.mehfil-name').textContent = participant.is_local ? `${shown.display_name} (you)` : shown.display_name;
        tile.body.querySelector('.mehfil-mic-off').hidden = kind === 'screen' || participant.audio;
        tile.body.classList.toggle('mehfil-speaking', !!participant.speaking && kind === 'camera');
      }
      tile.element.dataset.audio = String(!!participant.audio);
      tile.element.dataset.video = String(!!participant.video);
    }
    // A camera that is off (or never was) has no frame to wait for: the card shows the name.
    if (kind === 'camera' && !participant.video && tile.connecting !== false) this.#setConnecting(tile, false);
    else if (kind === 'camera' && participant.video && !tile.hasFrame && !isLocal) this.#setConnecting(tile, true);
    // The core gave up waiting for this person's link: say so instead of "Connecting…" for ever.
    const link = isLocal || kind !== 'camera' ? null : this.#snapshot?.links?.[participant.peer_id];
    const unreachable = link?.state === 'unreachable' ? link.unreachable_reason : null;
    if ((tile.element.dataset.unreachable ?? '') !== (unreachable ?? '')) {
      tile.element.dataset.unreachable = unreachable ?? '';
      if (tile.card) tile.card.setUnreachable(unreachable);
      else if (tile.connecting) tile.connecting.textContent = unreachable ? `Can't connect to ${shown.display_name}` : 'Connecting…';
    }
  }

  #watchFirstFrame(id, tile, isLocal) {
    const video = tile.video;
    const stream = tile.stream;
    const seen = () => {
      if (tile.stream !== stream) return;
      tile.hasFrame = true;
      this.#setConnecting(tile, false);
      if (!isLocal && !this.#marks.frame) this.#marks.frame = now();
    };
    if (video.requestVideoFrameCallback) video.requestVideoFrameCallback(seen);
    else video.addEventListener('loadeddata', seen, { once: true });
  }

  #setConnecting(tile, on) {
    const connecting = on && !tile.hasFrame;
    tile.element.dataset.connecting = String(connecting);
    if (tile.card) tile.card.setConnecting(connecting);
    else if (tile.connecting) tile.connecting.hidden = !connecting;
  }

  #whiteboardTile() {
    const element = document.createElement('div');
    element.dataset.kind = 'whiteboard';
    if (this.#whiteboard) element.append(this.#whiteboard.host);
    return element;
  }

  #dropTile(id) {
    const tile = this.#tiles.get(id);
    this.#tiles.delete(id);
    if (!tile) return;
    // TileGrid scales the element out and removes it; if the same id comes back meanwhile (a quick
    // rejoin), TileGrid revives that element, and #syncTile takes this view back with it.
    tile.dropTimer = setTimeout(() => {
      this.#leavingTiles.delete(id);
      tile.video.srcObject = null;
      if (tile.audio) tile.audio.srcObject = null;
    }, 400);
    this.#leavingTiles.set(id, tile);
  }
  #leavingTiles = new Map();

  // ---------------------------------------------------------------------------------------------
  // who is speaking: WebAudio levels in, the core's verdict out

  #syncAudioMeters(wanted) {
    if (typeof AudioContext === 'undefined') return;
    const tracks = new Map(); // peer id -> audio track
    for (const w of wanted) {
      if (w.kind !== 'camera' || !w.stream) continue;
      const [track] = w.stream.getAudioTracks();
      if (track) tracks.set(w.participant.peer_id, track);
    }
    if (!tracks.size && !this.#audio) return;
    this.#audio ??= { context: new AudioContext(), sources: new Map() };
    const { context, sources } = this.#audio;
    if (context.state === 'suspended') context.resume().catch(() => {});
    for (const [id, meter] of sources) {
      if (tracks.get(id) !== meter.track) {
        meter.source.disconnect();
        sources.delete(id);
      }
    }
    for (const [id, track] of tracks) {
      if (sources.has(id)) continue;
      const source = context.createMediaStreamSource(new MediaStream([track]));
      const analyser = context.createAnalyser();
      analyser.fftSize = 512;
      source.connect(analyser);
      sources.set(id, { source, analyser, track, buffer: new Float32Array(analyser.fftSize) });
    }
    if (!this.#speakingTimer) this.#speakingTimer = setInterval(() => this.#sampleLevels(), SPEAKING_SAMPLE_MS);
  }

  #sampleLevels() {
    if (!this.#audio || this.#destroyed) return;
    const levels = {};
    const selfId = this.#snapshot?.self?.peer_id;
    for (const [id, meter] of this.#audio.sources) {
      const muted = id === selfId ? !this.#sendsAudio() : this.#participants.find((p) => p.peer_id === id)?.audio === false;
      if (muted || !meter.track.enabled) {
        levels[id] = 0;
        continue;
      }
      meter.analyser.getFloatTimeDomainData(meter.buffer);
      let sum = 0;
      for (const v of meter.buffer) sum += v * v;
      levels[id] = Math.sqrt(sum / meter.buffer.length);
    }
    const verdict = this.#core.speaking(levels, now());
    const speaking = new Set(verdict.speaking);
    const changed = speaking.size !== this.#speaking.size || [...speaking].some((id) => !this.#speaking.has(id));
    this.#speaking = speaking;
    if (changed) this.#render();
    if (verdict.active !== this.#activeSpeaker) {
      this.#activeSpeaker = verdict.active;
      const userId = verdict.active === selfId ? this.#snapshot?.self?.user_id
        : this.#participants.find((p) => p.peer_id === verdict.active)?.user_id;
      this.emit('active-speaker-change', { user_id: userId ?? null });
    }
  }
}

export const Mehfil = {
  version: VERSION,
  create(container, options) { return new Call(container, options); },
};
export default Mehfil;

// <mehfil-room server room name password token ui>: the same call, declaratively.
export const MehfilRoomElement = roomElement((container, options) => Mehfil.create(container, options));
if (globalThis.customElements && !customElements.get('mehfil-room')) customElements.define('mehfil-room', MehfilRoomElement);
