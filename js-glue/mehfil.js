// Mehfil embed API (mehfil.d.ts is the contract): a video room inside any element of a page.
//
// The imperative shell around the call engine in mehfil-core.wasm (docs/ARCHITECTURE.md): the RoomCore
// decides (negotiation, reconnect backoff, host rules, screens, who came and went, bitrate caps, who
// speaks, which tiles exist, the pin and the page, who records), and this file carries its commands
// out and reports what happened as events. The carrying is split by job: core-driver.js, join-outcome.js,
// room-socket.js, peer-connections.js, local-media.js, call-stage.js (tiles at the layout engine's
// rects), link-stats.js, call-recorder.js, speaker-verdict.js. Browser objects live in maps keyed by the core's ids.
//
//   const call = Mehfil.create(element, { server, room, displayName });
//   call.on('participant-joined', (p) => ...); await call.join();
//
// Besides the kebab-case events of the d.ts, a call emits (for the in-call UI, call-ui.js):
//   'toast' {kind, detail}, 'screen' {screen}, 'media-change' {state, message, audio, video, screen},
//   'layout' (the layout engine's output).
import { RoomCore } from './mehfil-core.mjs';
import { CallStage } from './call-stage.js';
import { LinkReports } from './link-stats.js';
import { PeerConnections } from './peer-connections.js';
import { LocalMedia } from './local-media.js';
import { RoomSocket } from './room-socket.js';
import { SCREEN_MESSAGES, showPlainScreen, toastText } from './call-messages.js';
import { SharedTools } from './call-tools.js';
import { Friends } from './friends.js';
import { Emitter, mehfilError } from './emitter.js';
import { guestSession, restCall } from './rest-client.js';
import { CallFrame } from './call-frame.js';
import { roomElement } from './mehfil-element.js';
import { CoreDriver, now } from './core-driver.js';
import { connectionRows, inStageOrder, publicParticipant, publicRoom, publicSelf } from './participants.js';
import { JoinOutcome } from './join-outcome.js';
import { ring, onIncomingCall } from './ring.js';
import { onInvite } from './invites.js';
import { ringHere } from './ring-here.js';
import { CallRecorder } from './call-recorder.js';
import { roomRecordings } from './recordings.js';
import { SpeakerVerdict } from './speaker-verdict.js';
import { CallChat } from './call-chat.js';

const VERSION = '0.1.0';
const DEBUG = Symbol.for('mehfil.debug');
const END_STATES = new Set(['left', 'kicked', 'closed', 'failed']);
const ACTIVE_STATES = new Set(['joining', 'password_needed', 'knocking', 'waiting', 'in_room', 'reconnecting']);

class Call extends Emitter {
  #options;
  #frame; // CallFrame: the shadow root, the stage, the banner, the overlay, the call UI
  #tiles; // CallStage: the grid of tiles drawn there
  #uiReady;
  #core = new RoomCore();
  #driver = new CoreDriver(this.#core, {
    execute: (command) => this.#execute(command),
    after: () => this.#afterCommands(),
    gone: () => this.#destroyed,
  });
  #join = new JoinOutcome();
  #state = 'idle';
  #destroyed = false;
  #token = null;
  #socket = new RoomSocket({
    opened: () => {
      if (!this.#marks.ws) this.#marks.ws = now();
      this.#driver.feed({ type: 'socket-opened' });
    },
    frame: (text) => this.#serverFrame(text),
    closed: () => this.#driver.feed({ type: 'socket-closed', jitter: Math.random() }),
  });
  #peers = new PeerConnections({
    report: (peer, event) => this.#driver.feed({ type: 'peer', peer, ...event }),
    changed: () => { if (!this.#destroyed) this.#render(); },
    connected: () => { if (!this.#marks.ice) this.#marks.ice = now(); },
    media: () => ({ camera: this.#media.camera, screen: this.#media.screen }),
  });
  #media = new LocalMedia({
    core: this.#core, peers: this.#peers, gone: () => this.#destroyed, answered: () => this.#options.mediaAfter,
    report: (code, message) => this.emit('error', { code, message }),
  });
  #mediaReady = null;
  #snapshot = null;
  #participants = []; // the others, as the core last applied them, in join order
  #knocking = [];     // who waits at the door (the host and co-hosts hear it), in knock order
  #chat = new CallChat({
    feed: (event) => this.#driver.feed(event), server: () => this.#options.server, token: () => this.#token,
    roomCode: () => this.room()?.room_code ?? '', emit: (name, detail) => this.emit(name, detail),
  });
  #speakers = new SpeakerVerdict(this.#core, {
    changed: () => this.#render(),
    activeChanged: (peerId) => {
      const self = this.#snapshot?.self;
      const userId = peerId === self?.peer_id ? self?.user_id : this.#participants.find((p) => p.peer_id === peerId)?.user_id;
      this.emit('active-speaker-change', { user_id: userId ?? null });
    },
  });
  #lastRejection = null;
  #marks = {};
  #tools = new SharedTools({
    feed: (c) => this.#driver.feed(c), feedQuietly: (c) => this.#driver.feedQuietly(c), emit: (n, d) => this.emit(n, d),
    self: () => this.self(), canManage: () => this.canManage(), destroyed: () => this.#destroyed,
    putCodeState: (upto, bytes) => restCall(this.#options.server, `/api/rooms/${this.room()?.room_code}/code-state?upto=${upto}`,
      { token: this.#token, bytes, method: 'PUT' }) });
  #friends = new Friends((path, json) => this.#api(path, json));
  #links = new LinkReports();
  #stopRinging = () => {};
  #recorder; // CallRecorder: records the room here while the core says this browser is the recorder

  constructor(container, options) {
    super();
    if (!(container instanceof HTMLElement)) throw new TypeError('Mehfil.create needs an element to render into');
    // The room is a code, or a promise of one (a 1:1 call's room is named once it rings: ring.js).
    if (!options || typeof options.server !== 'string' || (typeof options.room !== 'string' && typeof options.room?.then !== 'function')) {
      throw new TypeError('Mehfil.create needs {server, room}');
    }
    this.#options = { audio: true, video: true, ui: true, ...options };
    this.#media.audioOn = this.#options.audio !== false;
    this.#media.videoOn = this.#options.video !== false;
    this.#frame = new CallFrame(container);
    this.#tiles = new CallStage({
      element: this.#frame.stage, call: this, ui: () => this.#frame.ui,
      toolTile: (id) => this.#tools.tile(id),
      onLayout: (layout) => this.emit('layout', layout),
      onFirstFrame: (at) => { if (!this.#marks.frame) this.#marks.frame = at; },
      onLevels: (levels) => { if (!this.#destroyed) this.#speakers.heard(levels, now()); },
      showPage: (page) => this.showPage(page),
    });
    this.#uiReady = this.#frame.mount(this, this.#options.ui !== false, () => this.#destroyed);
    this.on('call-status', (status) => this.#frame.callStatus.show(status, () => this.leave()));
    this.#recorder = new CallRecorder({ server: this.#options.server, token: () => this.#token,
      scene: () => this.#tiles.scene(), report: (code, message) => this.emit('error', { code, message }) });
    // `ringing: true`: the page also rings for this user while this call lives (ring-here.js).
    if (this.#options.ringing) this.#stopRinging = ringHere(create, this, this.#options);
  }

  // ---------------------------------------------------------------------------------------------
  // the public API (mehfil.d.ts)

  get state() { return this.#state; }

  async join() {
    if (this.#destroyed) throw mehfilError('destroyed', 'This call was destroyed.');
    if (this.#state === 'in_room' || this.#state === 'waiting') return;
    if (this.#state === 'password_needed' && this.#options.password) {
      const waiting = this.#join.wait();
      this.#driver.feed({ type: 'submit-password', password: this.#options.password });
      return waiting;
    }
    this.#marks = { join: now() };
    this.#join.lastError = null;
    const waiting = this.#join.wait();
    // The camera first: it is the slowest step, and nothing it does waits for the UI.
    if (!this.#mediaReady) this.#mediaReady = this.#startMedia();
    await this.#uiReady;
    try {
      this.#token = this.#options.token ?? this.#token ?? (await guestSession(this.#options.server, this.#options.displayName));
    } catch (error) {
      this.#join.fail(error.code ?? 'connection_lost', error.message);
      this.emit('error', { ...this.#join.lastError });
      return waiting;
    }
    this.#marks.token = now();
    const roomCode = await this.#options.room;
    if (this.#destroyed || !roomCode) { // a 1:1 call that ended before it had a room
      this.#stopLocalMedia();
      this.#join.fail('cancelled', 'The call ended before it connected.');
      return waiting;
    }
    this.#driver.feed({
      type: 'join', room_code: roomCode, display_name: this.#options.displayName ?? '',
      ...(this.#options.password ? { password: this.#options.password } : {}),
      // An embedder's own STUN/TURN servers and policy; the core checks them like the server's.
      ...(this.#options.iceServers ? { ice_servers: this.#options.iceServers } : {}),
      ...(this.#options.iceTransportPolicy ? { ice_transport_policy: this.#options.iceTransportPolicy } : {}),
    });
    return waiting;
  }

  async leave() {
    if (this.#destroyed || !ACTIVE_STATES.has(this.#state)) return;
    this.#driver.feed({ type: 'leave' });
    this.#stopLocalMedia();
    this.emit('left', { reason: 'left' });
  }

  destroy() {
    if (this.#destroyed) return;
    try {
      if (ACTIVE_STATES.has(this.#state)) this.#driver.feed({ type: 'leave' });
    } catch { /* tearing down regardless */ }
    this.#destroyed = true;
    this.#stopRinging();
    this.#recorder.stop();
    this.#peers.closeAll();
    this.#socket.close();
    this.#driver.stop();
    this.#links.stopHeartbeat();
    this.#stopLocalMedia();
    this.#tools.destroy();
    this.#tiles.destroy();
    this.#frame.destroy();
    this.#core.destroy();
    this.#join.destroyed();
    this.clear();
  }

  setLocalAudio(on) { this.#media.setAudio(on); this.#announceMedia(); }

  setLocalVideo(on) {
    this.#media.setVideo(on)?.then(() => this.#announceMedia()); // a camera asked for only now
    this.#announceMedia();
  }

  // Add Friend: a request to someone in this call (a request back makes friends, and the server tells
  // every tab of both). Resolves to the relation now: 'outgoing' (request sent), 'friends'.
  async addFriend(userId) {
    const relation = await this.#friends.add(userId);
    if (relation === 'outgoing') this.#toast('friend_sent', userId);
    this.#render();
    return relation;
  }

  // 'friends', 'outgoing' (you asked), 'incoming' (they asked) or null, as of joining and since.
  friendRelation(userId) { return this.#friends.relation(userId); }

  // One REST call with this call's session (rest-client.js): a refusal is a MehfilError with the server's code.
  #api(path, json) { return restCall(this.#options.server, path, { token: this.#token, json }); }

  devices() { return this.#media.devices(); }

  async useDevice(kind, deviceId) {
    await this.#media.useDevice(kind, deviceId);
    this.#announceMedia();
    this.#render();
  }

  async startScreenShare() {
    if (!this.mayShareScreen()) {
      throw mehfilError('screenshare_disabled', 'The host has turned screen sharing off.');
    }
    if (await this.#media.startScreen(() => this.stopScreenShare())) this.#announceMedia();
  }

  stopScreenShare() {
    if (this.#media.stopScreen()) this.#announceMedia();
  }

  // Per person in the call: how the link to them is doing (the core's LinkReport), for the
  // "Connection info" panel. Also sent as the `connection-stats` event every 2 s.
  connectionStats() { return connectionRows(this.#participants, this.#snapshot, this.#links); }

  async #sampleLinks() {
    const reports = await this.#links.refresh(this.#peers, this.#core, now);
    if (!reports || this.#destroyed) return;
    for (const [id, report] of Object.entries(reports)) this.#tiles.setQuality(id, report);
    this.emit('connection-stats', this.connectionStats());
  }

  // Everyone in the room, self included, in the stage's order (those who were here before us first).
  participants() { return inStageOrder(this.#core.stage(), this.self(), this.#participants, this.#speakers.speaking); }

  self() { return publicSelf(this.#snapshot, this.#media, this.#speakers.speaking); }
  room() { return publicRoom(this.#snapshot, this.#options.server); }

  chat() { return this.#chat.list(); }
  sendChat(text) { this.#chat.send(text); }
  shareFile(file, options) { return this.#chat.shareFile(file, options); }
  chatFileUrl(fileId, options) { return this.#chat.fileUrl(fileId, options); }

  canManage() { return !!(this.#snapshot?.role?.is_host || this.#snapshot?.role?.is_cohost); }
  // Whether the room lets this user start a screen share (the core's rule; the server enforces it).
  mayShareScreen() { return this.#snapshot?.may_share_screen !== false; }
  // The host actions this user may take on that user, and on the room ({on: [...], room: [...]}),
  // read off the core's permission table (wasm/core/authority): the UI offers exactly these.
  hostActionsOn(userId) { return this.#core.actionsOn(String(userId ?? '')); }
  mute(userId) { this.#host({ action: 'mute', target_user_id: String(userId) }); }
  kick(userId) { this.#host({ action: 'kick', target_user_id: String(userId) }); }
  makeCohost(userId) { this.#host({ action: 'make_cohost', target_user_id: String(userId) }); }
  lockRoom(locked) { this.#host({ action: 'lock', locked: !!locked }); }
  updateSettings(settings) { this.#host({ action: 'settings', settings: { ...this.#snapshot?.room?.settings, ...settings } }); }
  endForAll() { this.#host({ action: 'end' }); }
  muteAll() { this.#host({ action: 'mute_all' }); }
  // The waiting room's door, for the host and co-hosts: who waits, and letting them in or not.
  waitingRoom() { return this.#knocking.map((k) => ({ ...k })); }
  admit(userId) { this.#host({ action: 'admit', target_user_id: String(userId) }); }
  admitAll() { this.#host({ action: 'admit' }); }
  deny(userId) { this.#host({ action: 'deny', target_user_id: String(userId) }); }
  lowerHand(userId) { this.#host({ action: 'lower_hand', target_user_id: String(userId) }); }
  // Our hand (self().hand_raised_at), and a reaction from the room's set (REACTIONS) over our tile.
  raiseHand(raised = true) { this.#request({ type: 'raise-hand', raised: !!raised }, this.#notInRoom('raise your hand')); }
  react(emoji) { this.#request({ type: 'react', emoji: String(emoji) }, this.#notInRoom('react')); }
  // Reports someone here to the server's operator (reason: one of the core's REPORT_REASONS).
  report(userId, { reason = 'other', note = '', messageId } = {}) {
    return this.#request({ type: 'report', target_user_id: String(userId), reason: String(reason), note: String(note),
      ...(messageId ? { message_id: String(messageId) } : {}) }, this.#notInRoom('report someone'));
  }
  #notInRoom(what) { return this.#state === 'in_room' ? undefined : `You can ${what} once you are in the room.`; }

  // The stage: pin a tile (a person's peer id, "<peer id>:screen", or "whiteboard") to hold it on the
  // stage, unpin, or look at another page of the grid. The core keeps them (room/stage.h).
  pin(tileId) { this.#driver.feed({ type: 'pin', tile: String(tileId ?? '') }); }
  unpin() { this.#driver.feed({ type: 'unpin' }); }
  pinned() { return this.#core.stage().pinned_by_user; }
  showPage(page) { this.#driver.feed({ type: 'page', page: Math.max(0, Math.trunc(Number(page) || 0)) }); }

  // Try again now, while the backoff waits or after "Connection lost"; the core decides (room_client.h).
  reconnect() { this.#request({ type: 'reconnect' }, 'The call is connected.'); }

  // "Add people": a 1:1 call's room becomes an ordinary room (room().is_call turns false).
  addPeople() { this.#request({ type: 'grow' }); }
  // The Invite dialog's friends (presence fresh from the server), and its Send Invites.
  async friends() { return (await this.#friends.load()) ? this.#friends.list() : []; }
  inviteFriends(userIds) { this.#request({ type: 'invite', user_ids: [...userIds].map(String) }); }

  // Recording the room (host and co-hosts; the server decides). room().recording is its state.
  startRecording({ height = 720 } = {}) { this.#record('start', { height }); }
  pauseRecording() { this.#record('pause'); }
  resumeRecording() { this.#record('resume'); }
  stopRecording() { this.#record('stop'); }
  mayRecord() { return !!this.#snapshot?.may_record; }
  // The room's recordings (its members only), each with `url` and `poster_url` to play it.
  recordings() { return roomRecordings(this.#options.server, this.#token, this.room()?.room_code ?? ''); }
  #record(action, more) { this.#request({ type: 'record', action, ...more }, 'Only the host or a co-host can record the room.'); }

  // "Become Host" while the host is away (room().host_away); the server lets the first claim win.
  claimHost() { this.#request({ type: 'claim-host' }, 'The room has a host.'); }

  // The shared tools take the stage like a screen share (call-tools.js): the whiteboard (its board
  // object: exportSvg, exportPng, ...) and the code editor (its editor: view, open(file)).
  get whiteboardOpen() { return this.#tools.whiteboard.open; }
  openWhiteboard() { return this.#tools.openWhiteboard(); }
  closeWhiteboard() { this.#tools.close('whiteboard'); }
  whiteboard() { return this.#tools.whiteboard.board; }
  get codeEditorOpen() { return this.#tools.code.open; }
  openCodeEditor() { return this.#tools.openCode(); }
  closeCodeEditor() { this.#tools.close('code'); }
  codeEditor() { return this.#tools.code.editor; }

  // The engine's insides for tests, benchmarks and the stats overlay; not part of the contract.
  [DEBUG]() {
    return {
      marks: { ...this.#marks }, trace: this.#driver.trace, snapshot: this.#core.snapshot(), layout: this.#tiles.layout,
      tiles: this.#tiles.tileIds(), scene: this.#tiles.scene(), localStream: this.#media.camera, screenStream: this.#media.screen,
      peers: this.#peers.ids(), pcs: this.#peers.pcs(), stage: this.#frame.stage, screen: this.#join.screenName, mediaState: { ...this.#media.state },
    };
  }

  // ---------------------------------------------------------------------------------------------
  // the core: events in, commands out

  #serverFrame(text) {
    if (!this.#marks.theirs && /"type":"signal:(offer|answer)"/.test(text)) this.#marks.theirs = now();
    this.#driver.serverFrame(text);
  }

  #execute(c) {
    switch (c.type) {
      case 'send':
        this.#socket.send(c.text);
        // The first description we sent: our offer, or our answer to theirs (whoever offered first).
        if (!this.#marks.offer && /"type":"signal:(offer|answer)"/.test(c.text)) this.#marks.offer = now();
        break;
      case 'open-socket': this.#socket.connect(this.#options.server, this.#token); break;
      case 'close-socket': this.#socket.close(); break;
      case 'toast': this.#toast(c.kind, c.detail); break;
      case 'screen': this.#showScreen(c); break;
      case 'error':
        this.#join.lastError = { code: c.code, message: c.message };
        this.emit('error', { ...this.#join.lastError });
        // The switch went off while this share was being picked: the server refused it, so end it.
        if (c.code === 'screenshare_disabled') this.stopScreenShare();
        if (c.code?.startsWith('run_')) this.#tools.code.refused(c.message);  // the Run button's answer
        break;
      case 'participants': this.#applyParticipants(c); break;
      case 'friend': this.#friends.set(c.user_id, c.relation); break;
      case 'board-ops': case 'board-cursor': case 'code-update': case 'code-cursor': case 'code-running': case 'code-output': case 'code-compact':
        this.#tools.command(c); break;
      case 'chat': this.#chat.append(c.message); break;
      case 'mute-microphone': this.setLocalAudio(false); break;
      case 'reported': this.emit('reported', { user_id: c.user_id, display_name: c.display_name, reason: c.reason }); break;
      case 'reaction': this.#tiles.react(c.peer_id, c.emoji); this.emit('reaction', { user_id: c.user_id, emoji: c.emoji }); break;
      case 'knocks': this.#knocking = c.waiting; this.emit('knock', { waiting: this.waitingRoom(), arrived: c.arrived }); break;
      case 'rejected': console.debug('mehfil: the core refused:', c.reason); this.#lastRejection = c.reason; break;
      case 'timer': this.#driver.schedule(c.key, c.at); break;
      default: if (!this.#peers.execute(c)) console.debug('mehfil: unknown command', c);
    }
  }

  // After every batch: mirror the core's state, settle join(), redraw.
  #afterCommands() {
    if (this.#destroyed) return;
    const roomBefore = JSON.stringify(this.#snapshot?.room ?? null);
    const handBefore = this.#snapshot?.self?.hand_raised_at ?? null;
    this.#snapshot = this.#core.snapshot();
    this.#recorder.follow(this.#snapshot);
    const state = this.#snapshot.state;
    if (state !== this.#state) {
      const previous = this.#state;
      this.#state = state;
      this.#onState(state, previous);
      this.emit('state-change', { state });
    }
    if (this.#snapshot.room && JSON.stringify(this.#snapshot.room) !== roomBefore) this.emit('room-updated', this.room());
    if ((this.#snapshot.self?.hand_raised_at ?? null) !== handBefore) this.emit('participant-updated', this.self());
    this.#render();
  }

  #onState(state, previous) {
    if (state === 'in_room' || state === 'waiting') {
      if (!this.#marks.joined) this.#marks.joined = now();
      this.#frame.banner.hidden = true;
      this.#frame.overlay.hidden = true;
      if (previous === 'joining' || previous === 'password_needed' || previous === 'knocking') {
        this.#friends.load().then((loaded) => loaded && this.#render());
        this.#announceMedia();
        this.emit('joined', { self: this.self(), room: this.room() });
      } else if (previous === 'reconnecting') {
        this.#announceMedia();
      }
      this.#links.heartbeat({ tick: () => this.#driver.feed({ type: 'tick' }), sample: () => this.#sampleLinks(), links: () => this.#peers.size });
      if (state === 'in_room') this.#tools.rejoined();
    }
    // At the door the core still watches its socket (pings), so the ticks go on.
    if (state === 'knocking') this.#links.heartbeat({ tick: () => this.#driver.feed({ type: 'tick' }), sample: () => {}, links: () => 0 });
    this.#join.state(state);
    if (state === 'reconnecting') {
      this.#frame.banner.textContent = 'Connection lost. Trying to reconnect…';
      this.#frame.banner.hidden = false;
    }
    if (END_STATES.has(state)) {
      this.#links.stopHeartbeat();
      this.#chat.ended();
      this.#frame.banner.hidden = true;
      // Gave up reconnecting: the camera stays open for Reconnect; leave() or destroy() closes it.
      if (state !== 'left' && this.#join.screenName !== 'connection_lost') this.#stopLocalMedia();
    }
  }

  #host(intent) { this.#request({ type: 'host', ...intent }); }

  // Feeds a user's request to the core; a refusal is an 'error' event (`message`, else the core's
  // reason), and the reason is returned (else null).
  #request(event, message) {
    this.#lastRejection = null;
    this.#driver.feed(event);
    const refused = this.#lastRejection;
    if (refused) this.emit('error', { code: 'not_allowed', message: message ?? refused });
    return refused;
  }

  #toast(kind, detail) {
    const nameOf = (userId) => this.participants().find((p) => p.user_id === userId)?.display_name ?? '';
    this.emit('toast', { kind, detail, text: toastText(kind, detail, nameOf) });
    if (kind === 'recording') this.emit(`recording-${{ off: 'stopped', paused: 'paused' }[detail] ?? 'started'}`, { state: detail });
  }

  // The core's screen, with what it is about: the server's code and message, who removed us, why
  // the room closed.
  #showScreen({ screen, code, message, by, reason }) {
    if (screen === 'kicked') this.emit('kicked', { by });
    if (screen === 'room_closed' || screen === 'expired') this.emit('room-closed', { reason: reason || screen });
    const error = this.#join.screen({ screen, code, message });
    if (error) this.emit('error', { ...error });
    this.emit('screen', { screen, message: SCREEN_MESSAGES[screen] ?? '' });
    // call-ui.js may draw the screens itself (it exports handlesScreens = true); else a plain one here.
    if (!this.#frame.ui?.handlesScreens && screen !== 'preview') {
      showPlainScreen(this.#frame.overlay, {
        screen, message: screen === 'kicked' || screen === 'room_closed' ? '' : this.#join.lastError?.message,
        reconnect: () => this.reconnect(), leave: () => this.destroy(),
      });
    }
  }

  // ---------------------------------------------------------------------------------------------
  // participants

  // The core names who came, went and changed (the first list after joining names nobody).
  #applyParticipants({ participants, joined, left, updated }) {
    this.#participants = participants;
    for (const p of joined) this.emit('participant-joined', publicParticipant(p, false, this.#speakers.speaking));
    for (const p of updated) this.emit('participant-updated', publicParticipant(p, false, this.#speakers.speaking));
    for (const p of left) this.emit('participant-left', { user_id: p.user_id, peer_id: p.peer_id });
  }

  // ---------------------------------------------------------------------------------------------
  // local media

  async #startMedia() {
    const given = this.#options.stream;
    this.#options.stream = null; // used once
    await this.#media.start(given, () => { if (!this.#marks.media) this.#marks.media = now(); });
    if (this.#destroyed) return;
    this.#announceMedia();
  }

  #stopLocalMedia() {
    this.#media.stop();
    this.#mediaReady = null;
  }

  #announceMedia() {
    const media = { audio: this.#media.sendsAudio, video: this.#media.sendsVideo, screen: !!this.#media.screen };
    this.emit('media-change', { ...this.#media.state, ...media });
    if (this.#state === 'in_room' || this.#state === 'waiting') this.#driver.feed({ type: 'own-media', ...media });
    else this.#render();
  }

  // ---------------------------------------------------------------------------------------------
  // tiles: the core's stage, drawn

  #render() {
    if (this.#destroyed) return;
    const stage = this.#core.stage();
    this.#tiles.draw({
      stage,
      people: new Map(inStageOrder(stage, this.self(), this.#participants, this.#speakers.speaking).map((p) => [p.peer_id, p])),
      streamOf: (tile) => (tile.is_local ? (tile.content === 'screen' ? this.#media.screen : this.#media.camera)
        : this.#peers.remoteStreams(tile.peer_id)[tile.content === 'screen' ? 'screen' : 'camera']),
      linkOf: (tile) => (tile.is_local || tile.content !== 'camera' ? null : this.#snapshot?.links?.[tile.peer_id]),
      relation: (userId) => this.#friends.relation(userId),
      powersOn: (userId) => this.hostActionsOn(userId).on,
    });
  }
}

const create = (container, options) => new Call(container, options);
export const Mehfil = {
  version: VERSION,
  create,
  ring: (container, options) => ring(create, container, options),
  onIncomingCall: (server, token, handler) => onIncomingCall(create, server, token, handler),
  onInvite,
};
export default Mehfil;

// <mehfil-room server room name password token ui>: the same call, declaratively.
export const MehfilRoomElement = roomElement((container, options) => Mehfil.create(container, options));
if (globalThis.customElements && !customElements.get('mehfil-room')) customElements.define('mehfil-room', MehfilRoomElement);
