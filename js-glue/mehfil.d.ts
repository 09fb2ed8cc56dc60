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
  | 'idle' | 'previewing' | 'joining' | 'password_needed' | 'waiting' | 'in_room' | 'reconnecting'
  | 'left' | 'kicked' | 'closed' | 'failed';

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
}

export interface ChatMessage {
  id: string;
  from_user_id: string;
  display_name: string;
  text: string;      // plain text: render with textContent, never as HTML
  sent_at: number;   // ms since the epoch
  client_msg_id: string;
}

export interface RoomSettings {
  video: boolean;
  audio: boolean;
  screenshare: boolean;
  chat: boolean;
}

export interface RoomInfo {
  room_code: string;
  room_name: string;
  host_user_id: string;
  max_participants: number;
  is_locked: boolean;
  settings: RoomSettings;
  link: string;      // absolute URL of the room page
}

export interface MehfilError {
  code: string;      // a stable code: room_not_found, room_full, room_locked, wrong_password, expired,
                     // unauthorized, camera_denied, microphone_denied, connection_lost, ...
  message: string;
}

export interface CreateOptions {
  server: string;            // the Mehfil server's origin, e.g. "https://meet.example.com"
  room: string;              // the 8-character room code
  token?: string;            // a JWT minted by your site (README, "Embedding"); else a guest session is made
  displayName?: string;      // for a guest session
  password?: string;
  audio?: boolean;           // start with the microphone on (default true)
  video?: boolean;           // start with the camera on (default true)
  ui?: boolean;              // render the call UI (default true); false renders the video grid only
}

export interface CallEvents {
  'joined': { self: Participant; room: RoomInfo };
  'left': { reason: 'left' };
  'participant-joined': Participant;
  'participant-left': { user_id: string; peer_id: string };
  'participant-updated': Participant;
  'active-speaker-change': { user_id: string | null };
  'chat-message': ChatMessage;
  'kicked': { by: string };
  'room-closed': { reason: string };
  'state-change': { state: CallState };
  'error': MehfilError;
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
  // Host and co-host powers (the server decides; these reject with a MehfilError if not allowed).
  canManage(): boolean;
  mute(userId: string): void;
  kick(userId: string): void;
  makeCohost(userId: string): void;
  lockRoom(locked: boolean): void;
  updateSettings(settings: RoomSettings): void;
  endForAll(): void;
  on<E extends keyof CallEvents>(event: E, listener: (payload: CallEvents[E]) => void): () => void;
  once<E extends keyof CallEvents>(event: E, listener: (payload: CallEvents[E]) => void): () => void;
  off<E extends keyof CallEvents>(event: E, listener: (payload: CallEvents[E]) => void): void;
}

export declare const Mehfil: {
  create(container: HTMLElement, options: CreateOptions): Call;
  version: string;
};
export default Mehfil;

declare global {
  interface HTMLElementTagNameMap {
    'mehfil-room': HTMLElement;
  }
}
