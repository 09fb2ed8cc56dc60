// CallRecorder: runs the room's recording in this browser while the core says this browser is the
// recorder (RoomCore's snapshot: records_here, room.recording, room.recording_id; the server's rules
// pick the recorder and hand it over, authority/room_authority.h). It starts a RoomRecorder
// (room-recorder.js) feeding a ChunkUploader (chunk-uploader.js) for the recording, pauses and
// resumes it with the room, and on stop (or when the part passes to someone else, or we leave)
// sends the last chunk and marks the segment complete. A reconnecting socket stops nothing: the
// picture goes on, and the rejoin's room:joined says whether the recording still runs.
//
// Each browser that records a recording uploads its own segment: a tab that reloads, or a co-host
// who takes over, starts a new one; the server joins them when it finishes the file.
import { RoomRecorder } from './room-recorder.js';
import { ChunkUploader } from './chunk-uploader.js';

const RECORDING_STATES = new Set(['in_room', 'waiting', 'reconnecting']); // a reconnect does not stop the picture

export class CallRecorder {
  #server;
  #token;
  #scene;
  #report;
  #current = null; // {id, recorder, uploader}
  #failed = null; // the recording this browser could not record: not tried again

  // token(): the call's session token. scene(): CallStage.scene(). report(code, message): an error event.
  constructor({ server, token, scene, report }) {
    this.#server = server;
    this.#token = token;
    this.#scene = scene;
    this.#report = report;
  }

  // The core's snapshot after every batch of commands.
  follow(snapshot) {
    const room = snapshot?.room;
    const here = !!snapshot?.records_here && RECORDING_STATES.has(snapshot.state) && room?.recording !== 'off';
    const id = here ? room.recording_id : null;
    if (this.#current && this.#current.id !== id) this.stop();
    if (!id) return;
    if (!this.#current && this.#failed !== id) this.#start(id, room.recording_height);
    if (!this.#current) return;
    if (room.recording === 'paused') this.#current.recorder.pause();
    else this.#current.recorder.resume();
  }

  // Stops recording here: the last chunk goes up and the segment is marked complete.
  stop() {
    const current = this.#current;
    if (!current) return Promise.resolve();
    this.#current = null;
    return current.recorder.stop().then(() => current.uploader.finish());
  }

  // height: 720 or 1080, the recording's (every segment of it the same, so they join into one file).
  #start(id, height) {
    const uploader = new ChunkUploader({
      server: this.#server, token: this.#token(), recordingId: id, segment: `s${Date.now().toString(36)}`,
      onRefused: (code) => this.#report(code, 'The recording could not be uploaded from this browser.'),
    });
    const recorder = new RoomRecorder({ scene: this.#scene, size: height, onChunk: (blob) => uploader.push(blob) });
    this.#current = { id, recorder, uploader };
    try {
      recorder.start();
    } catch (error) {
      this.#current = null;
      this.#failed = id;
      this.#report('recording_failed', `This browser cannot record: ${error?.message ?? error}`);
    }
  }
}
