// Mehfil embed API: a video room inside any element of your page.
//
//   import { Mehfil } from 'https://your-mehfil-server/mehfil.js';
//   const call = Mehfil.create(document.querySelector('#room'), { server: 'https://your-mehfil-server', room: 'Gt7Km2Pq' });
//   call.on('participant-joined', (p) => console.log(p.display_name, 'joined'));
//   await call.join();
//
// The whole call UI, <video> tiles included, renders inside the container (in an open shadow root).
// Or declaratively: <mehfil-room server="https://..." room="Gt7Km2Pq" name="Ana"></mehfil-room>
// (the same events are re-dispatched as CustomEvents with the payload in `detail`).

export type CallState =
  | 'idle' | 'previewing' | 'joining' | 'password_needed' | 'knocking' | 'waiting' | 'in_room' | 'reconnecting'
  | 'left' | 'kicked' | 'closed' | 'failed';

// A host power by the name the core uses (wasm/core/room/host_rules.h).
export type HostAction = 'mute' | 'kick' | 'make_cohost' | 'transfer' | 'lock' | 'settings' | 'end' | 'mute_all' | 'lower_hand'
  | 'admit' | 'deny';

// Someone at the door of a room with the waiting room on.
export interface Knocker { user_id: string; display_name: string; knocked_at: number }

// The reactions a room takes, in the picker's order (the core's set; anything else is refused).
export type Reaction = '👍' | '❤️' | '😂' | '👏' | '🎉' | '😮';

export interface Participant {
  user_id: string;
  peer_id: string;
  display_name: string;
  is_host: boolean;
  is_cohost: boolean;
  audio: boolean;
  video: boolean;
  screen: boolean;
  is_local: boolean;
  speaking: boolean;
  hand_raised_at: number | null; // when they raised their hand (the server's clock, ms), or null
}

export interface ChatMessage {
  id: string;
  from_user_id: string;
  display_name: string;
  text: string;      // plain text: render with textContent, never as HTML
  sent_at: number;   // ms since the epoch
  client_msg_id: string;
  file?: ChatFile;   // a file shared in the chat: its message may have no text
}

// A file shared in a room's chat (POST /api/rooms/:code/files). Only the room's members may fetch it.
export interface ChatFile {
  file_id: string;
  name: string;
  size: number;          // bytes served (a picture: the WebP the server made of it)
  content_type: string;
  image: boolean;        // a picture, shown inline with a thumbnail; anything else is a download
  width: number;         // a picture's, in pixels; 0 otherwise
  height: number;
}

// A room's settings, in the one shape the messages, the REST API and the server's store share
// (wasm/core/protocol/messages.h, RoomSettings).
export interface RoomSettings {
  screenshare: boolean; // off: only the host and co-hosts may share a screen
  chat: boolean;        // off: the server refuses chat messages (chat_disabled)
  video: boolean;       // carried for older clients; nothing enforces it (true unless set)
  audio: boolean;       // carried for older clients; nothing enforces it (true unless set)
  record_automatically?: boolean; // the host's arrival starts a recording (false unless set)
  code_run_hosts_only?: boolean;  // only the host and co-hosts may run the code editor's files (false unless set)
  waiting_room?: boolean;         // joiners knock and wait until the host or a co-host lets them in (false unless set)
}

export interface RoomInfo {
  room_code: string;
  room_name: string;
  host_user_id: string;
  max_participants: number;
  is_locked: boolean;
  host_away: boolean; // the host's connection dropped; anyone may claimHost() until they are back
  is_call: boolean;   // a 1:1 call's own room (Mehfil.ring): the two of them only, and no host
  recording: 'recording' | 'paused' | 'off'; // the room's recording, as the server last said
  recording_id: string; // which one ('' when none runs)
  recording_height: 720 | 1080; // its picture's height (1280×720 or 1920×1080)
  settings: RoomSettings;
  link: string;      // absolute URL of the room page
}

// A finished (or finishing) recording of a room (GET /api/rooms/CODE/recordings).
export interface MehfilRecording {
  recording_id: string;
  room_code: string;
  started_by: string; // user id
  state: 'recording' | 'paused' | 'stopping' | 'ready' | 'failed';
  started_at: number; // ms since the epoch
  duration_ms: number;
  size_bytes: number;
  has_poster: boolean;
  url: string;        // the WebM, for a <video src> (seekable; carries its media_token, for it alone, two hours)
  media_token: string; // the pass url and poster_url carry (GET ?access=): this recording only, two hours
  poster_url: string | null;
}

export interface MehfilError {
  code: string;      // a stable code: room_not_found, room_full, room_locked, wrong_password, expired,
                     // unauthorized, camera_denied, microphone_denied, connection_lost, ...
  message: string;
}

export interface CodeEditor {
  readonly current: string | null; // the open file's id
  open(fileId: string): void;      // show another of the room's files
}

export interface Whiteboard {
  exportSvg(): string;             // generated by the whiteboard core: the same board, the same bytes
  exportPng(): Promise<string>;    // a data: URL of the canvas
  selectTool(tool: 'pen' | 'eraser' | 'line' | 'arrow' | 'rectangle' | 'ellipse' | 'text' | 'select' | 'pan'): void;
}

export interface MediaDeviceChoice { deviceId: string; label: string }
export interface Devices {
  cameras: MediaDeviceChoice[];
  microphones: MediaDeviceChoice[];
  camera: string | null;       // deviceId in use
  microphone: string | null;
}

export interface CreateOptions {
  server: string;            // the Mehfil server's origin, e.g. "https://meet.example.com"
  room: string | Promise<string>; // the 8-character room code (join() waits for a promised one)
  // A JWT minted by your site (README, "Embedding"), or a function giving one (or a promise of one),
  // asked again before each connect and request, for sessions that expire; else a guest session is made.
  token?: string | (() => string | Promise<string>);
  displayName?: string;      // for a guest session
  password?: string;
  audio?: boolean;           // start with the microphone on (default true)
  video?: boolean;           // start with the camera on (default true)
  // A camera/microphone stream already open (a pre-join preview, with the devices the user picked).
  // The call takes it over instead of asking for the camera again, and stops its tracks when it
  // ends. Without audio it is ignored (stopped) and the call asks for the camera and mic itself.
  stream?: MediaStream;
  ui?: boolean;              // render the call UI (default true); false renders the video grid only
  // This page also rings for the user of `token` (needed) while the call object lives: an incoming
  // 1:1 call shows a card with Accept / Decline, and an answered call fills the window over the page
  // (the room is left first).
  ringing?: boolean;
  // Your own STUN/TURN servers, used instead of the ones the Mehfil server hands out.
  iceServers?: RTCIceServer[];
  // "relay": every connection goes through your TURN server (no addresses of the user are shared).
  iceTransportPolicy?: RTCIceTransportPolicy;
}

export interface CallEvents {
  'joined': { self: Participant; room: RoomInfo };
  'left': { reason: 'left' };
  'participant-joined': Participant;
  'participant-left': { user_id: string; peer_id: string };
  'participant-updated': Participant;
  'active-speaker-change': { user_id: string | null };
  'reaction': { user_id: string; emoji: Reaction }; // floats over their tile; ours too
  'reported': { user_id: string; display_name: string; reason: string }; // hosts and co-hosts: someone here was reported
  // The host and co-hosts: who waits at the door now, and who of them is new.
  'knock': { waiting: Knocker[]; arrived: Knocker[] };
  'chat-message': ChatMessage;
  'kicked': { by: string };
  'room-closed': { reason: string };
  'state-change': { state: CallState };
  'room-updated': RoomInfo;      // the host, the lock, the settings or host_away changed
  'whiteboard-change': { open: boolean };
  'code-editor-change': { open: boolean };
  'error': MehfilError;
  // Call or Video call pressed for a friend in the participants panel: ring them (Mehfil.ring) if
  // your page wants that; the site's room page leaves the room and rings.
  'ring-request': { user_id: string; display_name: string; video: boolean };
  // A 1:1 call (Mehfil.ring, IncomingCall.accept) only:
  'call-ringing': { call_id: string };   // the callee's phone rings now
  'call-accepted': { call_id: string };  // answered: the two meet in the call's room
  'call-ended': { reason: CallEndReason };
  // The room's recording changed (someone started, resumed, paused or stopped it).
  'recording-started': { state: 'recording' };
  'recording-paused': { state: 'paused' };
  'recording-stopped': { state: 'off' };
}

// How a 1:1 call ended: the callee declined, nobody answered in 30 s, the callee was in another
// call, was offline, the caller cancelled, either side hung up; 'missed' is the callee's side of
// 'no-answer', 'refused' a ring the server would not place (not a friend, nobody in a room with you),
// 'answered-elsewhere' the callee's other tab answered or declined it, 'moved-to-room' someone
// pressed Add people: the call object goes on, in an ordinary room; 'in-another-call' Mehfil.ring on a
// page already in a 1:1 call (nothing was rung; an 'error' {code: 'in_another_call'} comes first).
export type CallEndReason =
  | 'declined' | 'no-answer' | 'busy' | 'offline' | 'cancelled' | 'hung-up' | 'missed' | 'refused' | 'answered-elsewhere'
  | 'moved-to-room' | 'in-another-call';

export interface RingOptions extends Omit<CreateOptions, 'room' | 'token'> {
  token: string | (() => string | Promise<string>);  // the caller's session (a JWT your site minted, or a guest session)
  to: string;                // the user id to ring: a friend, or someone in a room with the caller
  video?: boolean;           // a video call (default false: audio only)
  toName?: string;           // their name, for "Calling Ben…"
}

// A ring coming in (Mehfil.onIncomingCall): show your own card, then accept or decline.
export interface IncomingCall {
  call_id: string;
  from: { user_id: string; display_name: string };
  video: boolean;
  // The call, rendered into an element added to `container`. With no options this page's call is
  // usually connected already (it waited in the call's room while it rang, with no camera), and
  // the caller's picture arrives at once; options of its own make a new call that joins now.
  accept(container: HTMLElement, options?: Partial<Omit<CreateOptions, 'server' | 'room' | 'token'>>): Call;
  decline(): void;
  // Settles if the ring stops without being answered here: 'cancelled', 'missed', 'answered-elsewhere'.
  ended: Promise<{ reason: CallEndReason }>;
}

// A friend's invite to a room (Mehfil.onInvite), live while it lasts: join it with
// Mehfil.create(container, {server, token, room: room_code}) or your own room page.
export interface Invite {
  invite_id: string;
  room_code: string;
  room_name: string;
  from: { user_id: string; display_name: string };
  sent_at: number; // ms since the epoch
  dismiss(): void; // gone from every tab and from Your Rooms
  // Resolves when the invite is over: dismissed, or used to join, here or in another tab.
  gone: Promise<void>;
}

export interface Call {
  readonly state: CallState;
  join(): Promise<void>;          // resolves once in the room (or waiting); rejects with a MehfilError
  leave(): Promise<void>;
  destroy(): void;                // idempotent: leaves, stops tracks, removes the UI
  setLocalAudio(on: boolean): void;
  setLocalVideo(on: boolean): void;
  startScreenShare(): Promise<void>;
  stopScreenShare(): void;
  participants(): Participant[];  // everyone, the local participant included, in join order
  self(): Participant | null;
  room(): RoomInfo | null;
  chat(): ChatMessage[];
  sendChat(text: string): void;
  // Shares a file in the chat: resolves once the server kept it (the room then hears a message
  // carrying it); rejects with the server's code (file_type_mismatch, too_large, rate_limited...).
  shareFile(file: File, options?: { onProgress?: (fraction: number) => void; signal?: AbortSignal }): Promise<{ message_id: string; file: ChatFile }>;
  // A blob: URL of a chat file, or of a picture's thumbnail, fetched with this session.
  chatFileUrl(fileId: string, options?: { thumbnail?: boolean }): Promise<string>;
  // Reports someone here to the server's operator, with the recent chat; the room's hosts are told,
  // not by whom. Returns the core's reason when it refused at once (else null; the server may still
  // answer with an 'error' event: not_reportable, rate_limited).
  report(userId: string, options?: { reason?: 'harassment' | 'hate' | 'sexual' | 'spam' | 'other'; note?: string; messageId?: string }): string | null;
  // Host and co-host powers (the server decides; these reject with a MehfilError if not allowed).
  canManage(): boolean;
  // What this user may do to that user and to the room, as the permission table says; the buttons to offer.
  hostActionsOn(userId: string): { on: HostAction[]; room: HostAction[] };
  // Whether startScreenShare() may start one now (false while the host has turned sharing off and this user is no host or co-host).
  mayShareScreen(): boolean;
  mute(userId: string): void;
  kick(userId: string): void;
  makeCohost(userId: string): void;
  claimHost(): void; // "Become Host", only while room().host_away; 'error' otherwise
  muteAll(): void;              // everyone whose microphone is on, but you (and the host)
  // The waiting room (settings.waiting_room): a joiner's call is in state 'knocking' and join() waits
  // until a host lets them in; a turned-away one rejects with 'knock_denied'. The host and co-hosts:
  waitingRoom(): Knocker[];
  admit(userId: string): void;
  admitAll(): void;              // as many as the room has places for
  deny(userId: string): void;
  lowerHand(userId: string): void;
  // Raise or lower your hand (self().hand_raised_at), and react; both rate-limited ('error' rate_limited).
  raiseHand(raised?: boolean): void;
  react(emoji: Reaction): void;
  // Recording the room: the host and co-hosts only (mayRecord()); anyone else gets an 'error'. The
  // room's state is room().recording; everyone in the room gets the recording-* events.
  // height: 720 (1280×720, the default) or 1080 (1920×1080), kept to the recording's end.
  startRecording(options?: { height?: 720 | 1080 }): void;
  pauseRecording(): void;
  resumeRecording(): void;
  stopRecording(): void;
  mayRecord(): boolean;
  // The room's recordings, newest first (for the people who were in the room; anyone else gets a
  // MehfilError 'not_member'). The browser the server picks records and uploads while it runs.
  recordings(): Promise<MehfilRecording[]>;
  // "Add people" in a 1:1 call: its room becomes an ordinary room with both inside (its code and
  // link work for others now) and the one who did it hosts it; the call ends as 'moved-to-room'.
  addPeople(): void;
  // The user's friends and whether each is online now (loaded from the server on each call).
  friends(): Promise<{ user_id: string; display_name: string; presence: 'online' | 'in_call' | 'offline' }[]>;
  // "Send Invites": each friend gets an invite card (Join / Dismiss) wherever they have Mehfil open,
  // and the invite under Your Rooms; an 'invites_sent' toast follows. Only in an open room (not a
  // 1:1 call before addPeople()).
  inviteFriends(userIds: string[]): void;
  /** Tries to reach the room again now: while reconnecting, or after "Connection lost" (the tries ran out). */
  reconnect(): void;
  addFriend(userId: string): Promise<'outgoing' | 'friends'>; // a friend request to someone in this call
  friendRelation(userId: string): 'friends' | 'outgoing' | 'incoming' | null;
  devices(): Promise<Devices>;   // cameras and microphones, and the ones in use
  useDevice(kind: 'camera' | 'microphone', deviceId: string): Promise<void>; // switch mid-call, no renegotiation
  lockRoom(locked: boolean): void;
  updateSettings(settings: Partial<RoomSettings>): void; // the flags left out keep their values
  endForAll(): void;
  // The stage. A tile's id is a participant's peer_id (their camera), `${peer_id}:screen` (their
  // screen share), 'whiteboard' or 'code'. A pinned tile holds the stage until unpinned or gone; it
  // outranks an open whiteboard or code editor. When the grid has more pages than one, showPage picks one (the pager under
  // the tiles does the same; the 'layout' event carries {page, pages}).
  pin(tileId: string): void;
  unpin(): void;
  pinned(): string | null;
  showPage(page: number): void;
  // The shared whiteboard takes the stage while open; everyone in the room draws on the same board.
  readonly whiteboardOpen: boolean;
  openWhiteboard(): Promise<void>;
  closeWhiteboard(): void;
  whiteboard(): Whiteboard | null;
  // The shared code editor (CodeMirror 6 over Yjs) takes the stage while open, like the whiteboard;
  // with both open, the one opened last holds the stage. Everyone edits the same files at once.
  readonly codeEditorOpen: boolean;
  openCodeEditor(): Promise<void>;
  closeCodeEditor(): void;
  codeEditor(): CodeEditor | null;
  on<E extends keyof CallEvents>(event: E, listener: (payload: CallEvents[E]) => void): () => void;
  once<E extends keyof CallEvents>(event: E, listener: (payload: CallEvents[E]) => void): () => void;
  off<E extends keyof CallEvents>(event: E, listener: (payload: CallEvents[E]) => void): void;
}

export declare const Mehfil: {
  create(container: HTMLElement, options: CreateOptions): Call;
  // Rings a friend: the call object shows "Calling…", then "Ringing…" (with Cancel), then the call;
  // call.leave() cancels or hangs up. Events: call-ringing, call-accepted, call-ended.
  ring(container: HTMLElement, options: RingOptions): Call;
  // Calls `handler` for each ring coming in for this user on this page; returns the unsubscribe.
  onIncomingCall(server: string, token: string, handler: (incoming: IncomingCall) => void): () => void;
  // Invites from friends as they arrive on this page; returns the unsubscribe function.
  onInvite(server: string, token: string, handler: (invite: Invite) => void): () => void;
  version: string;
};
export default Mehfil;

declare global {
  interface HTMLElementTagNameMap {
    'mehfil-room': HTMLElement;
  }
}
