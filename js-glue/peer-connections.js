// The call's peer connections: one RTCPeerConnection per remote peer, in a map keyed by the core's
// peer ids (the core never holds a JS object). It carries out the core's per-peer commands
// (create-peer, create-offer, set-remote, restart-ice, send-cap, ...) and reports what each pc does
// back as the core's peer events. A callback from a pc that has since been closed or replaced is
// dropped: the map is asked whether the pc is still the one for that id before anything is reported
// (datachannel-wasm's handle maps work the same way).
//
// What a link does next (offer, roll back, restart, give up) is the core's decision
// (wasm/core/room/peer_link.h); the caps on what each sender sends are too (room/bitrate.h).

const PEER_COMMANDS = new Set(['create-peer', 'create-offer', 'create-answer', 'set-local', 'set-remote', 'add-ice',
  'restart-ice', 'set-ice-servers', 'use-relay-only', 'close-peer', 'send-cap', 'hold-media']);

// A copy of a track that sends black frames or silence (MediaStreamTrack.enabled false).
function blank(track) {
  const copy = track.clone();
  copy.enabled = false;
  return copy;
}

export class PeerConnections {
  // peer id -> {pc, cap, streams: Map, localSenders: [], screenSenders: [], held, sending: Map}
  // `sending`: the track each camera sender is meant to send; a held sender sends a disabled copy
  // of it instead (hold-media)
  #peers = new Map();
  #report;
  #changed;
  #connected;
  #media;

  // `report(peerId, event)`: a core peer event; `changed()`: a remote track came or went (redraw);
  // `connected()`: a pc reached "connected"; `media()`: {camera, screen} streams to send.
  constructor({ report, changed, connected, media }) {
    this.#report = report;
    this.#changed = changed;
    this.#connected = connected;
    this.#media = media;
  }

  get size() { return this.#peers.size; }
  has(peerId) { return this.#peers.has(peerId); }
  ids() { return [...this.#peers.keys()]; }
  pcs() { return Object.fromEntries([...this.#peers].map(([id, peer]) => [id, peer.pc])); }

  // Whether `command` is one of ours; if so it is carried out.
  execute(c) {
    if (!PEER_COMMANDS.has(c.type)) return false;
    switch (c.type) {
      case 'create-peer': this.#create(c.peer, c.offers_first, c.ice_servers, c.relay_only); break;
      case 'create-offer': this.#op(c, (pc) => pc.createOffer(), (d) => ({ event: 'description-created', sdp_type: 'offer', sdp: d.sdp })); break;
      case 'create-answer': this.#op(c, (pc) => pc.createAnswer(), (d) => ({ event: 'description-created', sdp_type: 'answer', sdp: d.sdp })); break;
      case 'set-local':
        this.#op(c, (pc) => pc.setLocalDescription(c.sdp_type === 'rollback' ? { type: 'rollback' } : { type: c.sdp_type, sdp: c.sdp }),
          () => ({ event: 'local-set' }));
        break;
      case 'set-remote': this.#op(c, (pc) => pc.setRemoteDescription({ type: c.sdp_type, sdp: c.sdp }), () => ({ event: 'remote-set' })); break;
      case 'add-ice': this.#op(c, (pc) => pc.addIceCandidate(c.candidate), () => ({ event: 'ice-added' })); break;
      case 'restart-ice': this.#peers.get(c.peer)?.pc.restartIce(); break;
      case 'set-ice-servers': this.#configure(c.peer, { iceServers: c.ice_servers }); break;  // used by the next ICE restart
      case 'use-relay-only': this.#configure(c.peer, { iceTransportPolicy: 'relay' }); break;
      case 'close-peer': this.close(c.peer); break;
      case 'hold-media': this.#hold(c.peer, c.held); break;
      case 'send-cap': {
        const peer = this.#peers.get(c.peer);
        if (peer) {
          peer.cap = { bps: c.bps, scale: c.scale, fps: c.fps };
          this.#applyCap(peer);
        }
        break;
      }
    }
    return true;
  }

  // The camera and microphone go to every peer (once the camera is open).
  sendCamera() { for (const peer of this.#peers.values()) this.#addCamera(peer); }
  sendScreen() { for (const peer of this.#peers.values()) this.#addScreen(peer); }
  stopScreen() {
    for (const peer of this.#peers.values()) {
      for (const sender of peer.screenSenders) {
        try { peer.pc.removeTrack(sender); } catch { /* closed */ }
      }
      peer.screenSenders = [];
    }
  }

  // A new camera or microphone in place of `old` on every sender that sends it.
  replaceTrack(old, track) {
    return Promise.all([...this.#peers.values()].flatMap((peer) => {
      for (const [sender, meant] of peer.sending) if (meant === old) peer.sending.set(sender, track);
      if (peer.held) return [];
      return peer.pc.getSenders().filter((sender) => sender.track === old).map((sender) => sender.replaceTrack(track).catch(() => {}));
    }));
  }

  // Which of a peer's streams is the camera and which the screen: the camera stream carries the
  // microphone too (MediaAccess never sends a camera without a microphone); a video-only stream is
  // a screen.
  remoteStreams(peerId) {
    let camera = null;
    let screen = null;
    for (const stream of this.#peers.get(peerId)?.streams.values() ?? []) {
      const videos = stream.getVideoTracks().filter((t) => t.readyState === 'live');
      if (stream.getAudioTracks().length) camera = stream;
      else if (videos.length) screen = stream;
    }
    return { camera, screen };
  }

  // One getStats sample per pc, read by `read(pc)`; only pcs still current are kept.
  async sample(read) {
    const peers = [...this.#peers];
    const samples = await Promise.all(peers.map(([, peer]) => read(peer.pc).catch(() => null)));
    const out = {};
    peers.forEach(([id, peer], i) => { if (samples[i] && this.#peers.get(id) === peer) out[id] = samples[i]; });
    return out;
  }

  close(peerId) {
    const peer = this.#peers.get(peerId);
    if (!peer) return;
    this.#peers.delete(peerId);
    // A held sender's copy of the camera keeps the camera open until it is stopped.
    for (const [sender, track] of peer.sending) if (sender.track && sender.track !== track) sender.track.stop();
    peer.pc.onnegotiationneeded = peer.pc.onicecandidate = peer.pc.onconnectionstatechange = null;
    peer.pc.onsignalingstatechange = peer.pc.ontrack = null;
    peer.pc.close();
  }

  closeAll() { for (const peerId of this.ids()) this.close(peerId); }

  // `iceServers`: the STUN/TURN servers the server gave us in hello, or the embedder's own
  // (RTCIceServer objects); `relayOnly`: TURN relay candidates only.
  #create(peerId, offersFirst, iceServers = [], relayOnly = false) {
    if (this.#peers.has(peerId)) return;
    const pc = new RTCPeerConnection({ iceServers, iceTransportPolicy: relayOnly ? 'relay' : 'all' });
    const peer = { pc, cap: null, streams: new Map(), localSenders: [], screenSenders: [], held: false, sending: new Map() };
    this.#peers.set(peerId, peer);
    const report = (event) => {
      if (this.#peers.get(peerId) === peer) this.#report(peerId, event);
    };
    pc.onnegotiationneeded = () => report({ event: 'negotiation-needed' });
    pc.onicecandidate = ({ candidate }) => {
      if (candidate && candidate.candidate) report({ event: 'ice-gathered', candidate: candidate.toJSON() });
    };
    pc.onconnectionstatechange = () => {
      if (pc.connectionState === 'connected') this.#connected();
      report({ event: 'connection-state', state: pc.connectionState });
    };
    pc.onsignalingstatechange = () => report({ event: 'signaling-state', state: pc.signalingState });
    pc.ontrack = ({ track, streams }) => {
      const stream = streams[0] ?? new MediaStream([track]);
      peer.streams.set(stream.id, stream);
      const refresh = () => { if (this.#peers.get(peerId) === peer) this.#changed(); };
      stream.addEventListener('removetrack', refresh);
      for (const type of ['mute', 'unmute', 'ended']) track.addEventListener(type, refresh);
      this.#changed();
    };
    this.#addCamera(peer);
    this.#addScreen(peer);
    // The end that offers first does not wait for its camera: receive-only transceivers make the
    // offer now, the other end's media flows at once, and addTrack takes them over later.
    if (offersFirst) {
      for (const kind of ['audio', 'video']) {
        if (!pc.getTransceivers().some((t) => t.receiver.track.kind === kind)) pc.addTransceiver(kind, { direction: 'recvonly' });
      }
    }
  }

  // The core holds a peer's media (a 1:1 callee whose phone still rings). Each camera sender sends
  // a disabled copy of its track: black frames and silence, nothing of the picture or the sound.
  // The encoders run all along, so on release the next camera frame goes out as it is: no
  // renegotiation, and no encoder starting cold (which took a quarter of a second and more when
  // a held sender had no track at all). A screen shared meanwhile is added on release.
  #hold(peerId, held) {
    const peer = this.#peers.get(peerId);
    if (!peer || peer.held === held) return;
    peer.held = held;
    for (const [sender, track] of peer.sending) {
      const previous = sender.track;
      sender.replaceTrack(held ? blank(track) : track).then(() => { if (previous !== track) previous?.stop(); }, () => {});
    }
    if (!held) this.#addScreen(peer);
  }

  #configure(peerId, change) {
    const pc = this.#peers.get(peerId)?.pc;
    if (pc) pc.setConfiguration({ ...pc.getConfiguration(), ...change });
  }

  // Every track of the camera stream not yet sent to this peer: all of them at first, and the camera
  // alone when a call that started with it off turns it on (addTrack renegotiates).
  #addCamera(peer) {
    const { camera } = this.#media();
    if (!camera || peer.pc.signalingState === 'closed') return;
    const sent = new Set(peer.sending.values());
    for (const track of camera.getTracks()) {
      if (sent.has(track)) continue;
      const sender = peer.pc.addTrack(peer.held ? blank(track) : track, camera);
      peer.localSenders.push(sender);
      peer.sending.set(sender, track);
    }
    this.#applyCap(peer);
  }

  #addScreen(peer) {
    const { screen } = this.#media();
    if (!screen || peer.held || peer.pc.signalingState === 'closed' || peer.screenSenders.length) return;
    for (const track of screen.getVideoTracks()) peer.screenSenders.push(peer.pc.addTrack(track, screen));
    this.#applyCap(peer);
  }

  // Runs one pc operation now (so operations reach the pc's chain in command order) and reports
  // its outcome with the command's op id.
  #op(command, start, done) {
    const peer = this.#peers.get(command.peer);
    if (!peer) return;
    let promise;
    try {
      promise = start(peer.pc);
    } catch (error) {
      promise = Promise.reject(error);
    }
    const current = () => this.#peers.get(command.peer) === peer;
    promise.then(
      (result) => { if (current()) this.#report(command.peer, { op: command.op, ...done(result) }); },
      (error) => {
        if (current()) this.#report(command.peer, { op: command.op, event: 'op-failed', error: String(error?.message ?? error) });
      });
  }

  // The core's send cap (room/bitrate.h) on every sender to this peer: the bitrate on all, the
  // camera's resolution and frame rate on the camera alone (a shared screen keeps its detail).
  #applyCap(peer) {
    if (!peer.cap) return;
    for (const sender of peer.pc.getSenders()) {
      if (!sender.track) continue;
      const parameters = sender.getParameters();
      if (!parameters.encodings?.length) continue; // not negotiated yet; applied again when it is
      const camera = sender.track.kind === 'video' && peer.localSenders.includes(sender);
      const wanted = {
        maxBitrate: sender.track.kind === 'audio' ? Math.min(peer.cap.bps, 64000) : peer.cap.bps,
        ...(camera ? { scaleResolutionDownBy: peer.cap.scale, maxFramerate: peer.cap.fps } : {}),
      };
      let changed = false;
      for (const encoding of parameters.encodings) {
        for (const [key, value] of Object.entries(wanted)) {
          if (encoding[key] !== value) {
            encoding[key] = value;
            changed = true;
          }
        }
      }
      if (changed) sender.setParameters(parameters).catch(() => {});
    }
  }
}
