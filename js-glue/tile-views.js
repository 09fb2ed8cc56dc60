// TileViews: the DOM inside each tile of the call: a <video> (and, for a remote camera, an <audio>),
// the card call-ui.js draws around it (or a plain name and mic badge without the UI), "Connecting…"
// until the first frame, and "Can't connect" when the core gave up on a link.
//
// Which tiles exist is the core's answer (room/stage.h, read through RoomCore.stage()); this file only
// keeps one view per tile id in step with it, so a <video> is never re-created while its tile lives.
// A tile that goes away is kept for a moment: TileGrid scales it out, and a quick rejoin under the
// same id takes the same view back without a flicker.
const now = () => Math.round(performance.now());
const LEAVE_MS = 400;

export class TileViews {
  #views = new Map(); // tile id -> view
  #leaving = new Map();
  #ui;
  #call;
  #onFirstFrame;

  // ui(): call-ui.js's module once loaded (createTileCard), or null for the plain tiles.
  // onFirstFrame(at): a remote tile showed its first frame (for the join-time marks).
  constructor({ ui, call, onFirstFrame }) {
    this.#ui = ui;
    this.#call = call;
    this.#onFirstFrame = onFirstFrame;
  }

  element(id) { return this.#views.get(id)?.element; }
  video(id) { return this.#views.get(id)?.video ?? null; }
  ids() { return [...this.#views.keys()]; }
  setQuality(id, report) { this.#views.get(id)?.card?.setQuality(report); }

  // wanted: [{id, kind, participant, stream, isLocal, pinned, link}], in stage order. Views not wanted
  // any more are let go.
  sync(wanted, { relation, powersOn }) {
    const ids = new Set(wanted.map((w) => w.id));
    for (const id of [...this.#views.keys()]) {
      if (!ids.has(id)) this.#drop(id);
    }
    for (const w of wanted) this.#sync(w, relation, powersOn);
  }

  destroy() {
    for (const view of [...this.#views.values(), ...this.#leaving.values()]) {
      clearTimeout(view.dropTimer);
      view.video.srcObject = null;
      if (view.audio) view.audio.srcObject = null;
    }
    this.#views.clear();
    this.#leaving.clear();
  }

  #sync({ id, kind, participant, stream, isLocal, pinned, link }, relation, powersOn) {
    let view = this.#views.get(id) ?? this.#revive(id);
    const shown = { ...participant, kind, tile_id: id, pinned: !!pinned };
    if (!view) view = this.#create(id, shown, isLocal);
    if (view.stream !== stream) {
      view.stream = stream;
      view.hasFrame = false;
      view.video.srcObject = stream ?? null;
      if (view.audio) view.audio.srcObject = stream ?? null;
      this.#setConnecting(view, !!stream || !isLocal);
      if (stream) this.#watchFirstFrame(view, isLocal);
      view.video.play?.().catch(() => {});
      view.audio?.play?.().catch(() => {});
    }
    // The card also shows what depends on us: our friendship with them, our host powers over them.
    const powers = participant.is_local ? [] : powersOn(participant.user_id);
    const key = JSON.stringify([shown, relation(participant.user_id), powers]);
    if (key !== view.key) {
      view.key = key;
      if (view.card) {
        view.card.update(shown);
      } else {
        view.body.querySelector('.mehfil-name').textContent = kind === 'screen' ? `${participant.display_name} (screen)`
          : participant.is_local ? `${participant.display_name} (you)` : participant.display_name;
        view.body.querySelector('.mehfil-mic-off').hidden = kind === 'screen' || participant.audio;
        view.body.classList.toggle('mehfil-speaking', !!participant.speaking && kind === 'camera');
      }
      view.element.dataset.audio = String(!!participant.audio);
      view.element.dataset.video = String(!!participant.video);
      view.element.dataset.pinned = String(!!pinned);
    }
    // A camera that is off (or never was) has no frame to wait for: the card shows the name.
    if (kind === 'camera' && !participant.video && view.connecting !== false) this.#setConnecting(view, false);
    else if (kind === 'camera' && participant.video && !view.hasFrame && !isLocal) this.#setConnecting(view, true);
    // The core gave up waiting for this person's link: say so instead of "Connecting…" for ever.
    const unreachable = link?.state === 'unreachable' ? link.unreachable_reason : null;
    if ((view.element.dataset.unreachable ?? '') !== (unreachable ?? '')) {
      view.element.dataset.unreachable = unreachable ?? '';
      if (view.card) view.card.setUnreachable(unreachable);
      else if (view.plainConnecting) view.plainConnecting.textContent = unreachable ? `Can't connect to ${participant.display_name}` : 'Connecting…';
    }
  }

  #create(id, shown, isLocal) {
    const element = document.createElement('div');
    element.dataset.kind = shown.kind;
    element.dataset.local = String(isLocal);
    element.dataset.peer = shown.peer_id;
    const video = document.createElement('video');
    video.autoplay = true;
    video.playsInline = true;
    video.muted = true; // sound plays through one <audio> per peer (below), never twice
    const ui = this.#ui();
    let card = null;
    let body;
    let plainConnecting = null;
    if (ui) {
      card = ui.createTileCard(shown, this.#call);
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
      plainConnecting = document.createElement('div');
      plainConnecting.className = 'mehfil-connecting';
      plainConnecting.textContent = 'Connecting…';
      body.append(video, plainConnecting, name, mic);
    }
    element.append(body);
    let audio = null;
    if (!isLocal && shown.kind === 'camera') {
      audio = document.createElement('audio');
      audio.autoplay = true;
      element.append(audio);
    }
    const view = { element, body, video, audio, card, plainConnecting, stream: null, hasFrame: false, key: '' };
    this.#views.set(id, view);
    this.#setConnecting(view, true);
    return view;
  }

  #watchFirstFrame(view, isLocal) {
    const stream = view.stream;
    const seen = () => {
      if (view.stream !== stream) return;
      view.hasFrame = true;
      this.#setConnecting(view, false);
      if (!isLocal) this.#onFirstFrame(now());
    };
    if (view.video.requestVideoFrameCallback) view.video.requestVideoFrameCallback(seen);
    else view.video.addEventListener('loadeddata', seen, { once: true });
  }

  #setConnecting(view, on) {
    const connecting = on && !view.hasFrame;
    view.connecting = connecting;
    view.element.dataset.connecting = String(connecting);
    if (view.card) view.card.setConnecting(connecting);
    else if (view.plainConnecting) view.plainConnecting.hidden = !connecting;
  }

  #drop(id) {
    const view = this.#views.get(id);
    this.#views.delete(id);
    if (!view) return;
    view.dropTimer = setTimeout(() => {
      this.#leaving.delete(id);
      view.video.srcObject = null;
      if (view.audio) view.audio.srcObject = null;
    }, LEAVE_MS);
    this.#leaving.set(id, view);
  }

  #revive(id) {
    const view = this.#leaving.get(id);
    if (!view) return null;
    this.#leaving.delete(id);
    clearTimeout(view.dropTimer);
    this.#views.set(id, view);
    return view;
  }
}
