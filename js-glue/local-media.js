// LocalMedia: this user's camera, microphone and screen share. It asks the browser for them the way
// the core's MediaAccess says (room/media_access.h: both, then the microphone alone when the camera is
// refused, then listening only), switches devices mid-call and starts and stops the screen share,
// and hands every track to the peer connections. What happens after a refusal is the core's rule;
// this file only calls getUserMedia and getDisplayMedia and reports back.
import { mehfilError } from './emitter.js';

const CAMERA = { width: { ideal: 640 }, height: { ideal: 480 } };
const MICROPHONE = { echoCancellation: true, noiseSuppression: true };

export class LocalMedia {
  camera = null;  // MediaStream from getUserMedia (audio and maybe video), or a stream the embedder gave
  screen = null;  // MediaStream from getDisplayMedia
  audioOn = true;
  videoOn = true;
  state = { state: 'requesting', message: '' };
  #core;
  #peers;
  #report;
  #gone;
  #answered;
  #adding = null; // the camera being asked for (#addCamera)

  // core: RoomCore (mediaStart/mediaEvent); peers: PeerConnections; report(code, message): an error
  // event for the embedder; gone(): the call was destroyed meanwhile; answered(): a promise to wait
  // for before asking for anything (a callee's call waiting in its room while it rings, ring.js).
  constructor({ core, peers, report, gone, answered = () => null }) {
    this.#core = core;
    this.#peers = peers;
    this.#report = report;
    this.#gone = gone;
    this.#answered = answered;
  }

  get sendsAudio() { return this.audioOn && !!this.camera?.getAudioTracks().length; }
  get sendsVideo() { return this.videoOn && !!this.camera?.getVideoTracks().length; }

  setAudio(on) {
    this.audioOn = !!on;
    for (const track of this.camera?.getAudioTracks() ?? []) track.enabled = this.audioOn;
  }

  // Returns a promise when turning the camera on has to ask for it first (a call that started with
  // it off: MediaAccess camera_off); it resolves once the camera is on, or refused.
  setVideo(on) {
    this.videoOn = !!on;
    for (const track of this.camera?.getVideoTracks() ?? []) track.enabled = this.videoOn;
    if (this.videoOn && this.state.state === 'camera_off') return this.#addCamera();
    return null;
  }

  // Camera and microphone, as MediaAccess decides; `given` is options.stream (used once). Resolves
  // when the core's media state is final.
  async start(given, onStream) {
    await this.#answered();
    if (this.#gone()) return;
    if (!navigator.mediaDevices?.getUserMedia && !given) {
      this.#core.mediaEvent('camera-denied');
      this.#core.mediaEvent('mic-denied');
      this.state = this.#core.mediaEvent('continue');
      return;
    }
    let result = this.#core.mediaStart(this.videoOn);
    const stream = this.#usable(given);
    if (stream) {
      // The same answers the camera would have given: no video in it means the camera was refused.
      const hasVideo = stream.getVideoTracks().length > 0;
      if (!hasVideo) {
        result = this.#core.mediaEvent('camera-denied');
        this.#report('camera_denied', result.message);
      }
      result = this.#core.mediaEvent(hasVideo ? 'granted-both' : 'granted-mic');
      this.#use(stream, onStream);
    }
    while (!stream) {
      const request = result.commands.find((c) => c.type === 'request-media');
      if (!request) break;
      try {
        const got = await navigator.mediaDevices.getUserMedia({
          audio: request.audio ? MICROPHONE : false, video: request.video ? CAMERA : false,
        });
        if (this.#gone()) return void got.getTracks().forEach((t) => t.stop());
        result = this.#core.mediaEvent(request.video && got.getVideoTracks().length ? 'granted-both' : 'granted-mic');
        this.#use(got, onStream);
        break;
      } catch {
        if (this.#gone()) return;
        result = this.#core.mediaEvent(request.video ? 'camera-denied' : 'mic-denied');
        if (result.state === 'camera_denied') this.#report('camera_denied', result.message);
      }
    }
    if (result.state === 'mic_denied') {
      this.#report('microphone_denied', result.message);
      result = this.#core.mediaEvent('continue'); // an embed joins to listen; the UI may offer retry
    }
    this.state = { state: result.state, message: result.message };
  }

  // The cameras and microphones this browser offers, and the ones in use. Labels are empty until the
  // page has been granted the camera or the microphone once.
  async devices() {
    const all = (await navigator.mediaDevices?.enumerateDevices?.()) ?? [];
    const list = (kind) => all.filter((d) => d.kind === kind).map((d) => ({ deviceId: d.deviceId, label: d.label }));
    const inUse = (track) => track?.getSettings?.().deviceId ?? null;
    return {
      cameras: list('videoinput'), microphones: list('audioinput'),
      camera: inUse(this.camera?.getVideoTracks()[0]), microphone: inUse(this.camera?.getAudioTracks()[0]),
    };
  }

  // Switches the camera or the microphone mid-call: the new track replaces the old one in every
  // peer connection's sender (no renegotiation), keeps its on/off state, and the old one is stopped.
  async useDevice(kind, deviceId) {
    const video = kind === 'camera';
    if (!video && kind !== 'microphone') throw mehfilError('bad_request', 'kind must be "camera" or "microphone".');
    const old = video ? this.camera?.getVideoTracks()[0] : this.camera?.getAudioTracks()[0];
    if (!old) throw mehfilError('no_media', `There is no ${kind} in this call to switch.`);
    const exact = { deviceId: { exact: String(deviceId) } };
    const stream = await navigator.mediaDevices.getUserMedia(video ? { video: { ...exact, ...CAMERA } } : { audio: { ...exact, ...MICROPHONE } });
    const [track] = video ? stream.getVideoTracks() : stream.getAudioTracks();
    if (this.#gone() || !this.camera?.getTracks().includes(old)) return void track.stop();
    track.enabled = video ? this.videoOn : this.audioOn;
    await this.#peers.replaceTrack(old, track);
    this.camera.removeTrack(old);
    this.camera.addTrack(track);
    old.stop();
  }

  // Resolves true once sharing; false when it was already on.
  async startScreen(onEnded) {
    if (this.screen) return false;
    let stream;
    try {
      stream = await navigator.mediaDevices.getDisplayMedia({ video: true, audio: false });
    } catch (error) {
      throw mehfilError('screenshare_denied', `Screen sharing was not started: ${error.message}`);
    }
    if (this.#gone()) return void stream.getTracks().forEach((t) => t.stop());
    this.screen = stream;
    stream.getVideoTracks()[0].addEventListener('ended', onEnded);
    this.#peers.sendScreen();
    return true;
  }

  stopScreen() {
    if (!this.screen) return false;
    this.#peers.stopScreen();
    for (const track of this.screen.getTracks()) track.stop();
    this.screen = null;
    return true;
  }

  stop() {
    for (const track of this.camera?.getTracks() ?? []) track.stop();
    this.camera = null;
    for (const track of this.screen?.getTracks() ?? []) track.stop();
    this.screen = null;
  }

  // The camera, asked for only now: added to the call's stream and sent to every peer (which
  // renegotiates). One request at a time, however often the button is pressed.
  #addCamera() {
    this.#adding ??= (async () => {
      const request = this.#core.mediaEvent('add-camera').commands.find((c) => c.type === 'request-media');
      if (!request) return;
      let result;
      try {
        const [track] = (await navigator.mediaDevices.getUserMedia({ video: CAMERA })).getVideoTracks();
        if (this.#gone() || !this.camera) return void track.stop();
        track.enabled = this.videoOn;
        this.camera.addTrack(track);
        result = this.#core.mediaEvent('granted-both');
        this.#peers.sendCamera();
      } catch {
        if (this.#gone()) return;
        result = this.#core.mediaEvent('camera-denied');
        this.#report('camera_denied', result.message);
      }
      this.state = { state: result.state, message: result.message };
    })().finally(() => { this.#adding = null; });
    return this.#adding;
  }

  // options.stream: live and with a microphone, or stopped and forgotten.
  #usable(stream) {
    if (!stream) return null;
    const live = stream.getTracks().filter((t) => t.readyState === 'live');
    if (live.some((t) => t.kind === 'audio')) return stream;
    for (const track of stream.getTracks()) track.stop();
    return null;
  }

  #use(stream, onStream) {
    this.camera = stream;
    for (const track of stream.getAudioTracks()) track.enabled = this.audioOn;
    for (const track of stream.getVideoTracks()) track.enabled = this.videoOn;
    onStream?.();
    this.#peers.sendCamera();
  }
}
