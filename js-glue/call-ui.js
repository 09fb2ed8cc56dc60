// The in-call chrome (top bar, bottom bar, participant cards), rendered by mehfil.js inside the
// call's shadow root. Built only on the public Call API (mehfil.d.ts).
//   mountCallUi({root, call, stage}) -> {destroy()}
//   createTileCard(participant, call) -> {element, videoSlot, update(p), setConnecting(on)}
import { icon } from './call-ui-icons.js';

// A round control button: an icon, an accessible name, and a pressed state for toggles.
function control(name, label, onClick) {
  const button = document.createElement('button');
  button.type = 'button';
  button.className = `mf-control mf-control-${name}`;
  button.dataset.control = name;
  button.setAttribute('aria-label', label);
  button.title = label;
  button.append(icon(name));
  button.addEventListener('click', onClick);
  return button;
}

function setIcon(button, name) {
  button.replaceChildren(icon(name));
}

export function mountCallUi({ root, call, stage }) {
  const shell = document.createElement('div');
  shell.className = 'mf-shell';
  const top = document.createElement('header');
  top.className = 'mf-topbar';
  const title = document.createElement('span');
  title.className = 'mf-room-name';
  top.append(title);
  const main = document.createElement('main');
  main.className = 'mf-main';
  main.append(stage);
  const bottom = document.createElement('nav');
  bottom.className = 'mf-bottombar';
  bottom.setAttribute('aria-label', 'Call controls');
  const mic = control('mic', 'Turn the microphone off', () => call.setLocalAudio(!(call.self()?.audio ?? true)));
  const camera = control('video', 'Turn the camera off', () => call.setLocalVideo(!(call.self()?.video ?? true)));
  const screen = control('screen', 'Share your screen', () => {
    if (call.self()?.screen) call.stopScreenShare();
    else call.startScreenShare().catch(() => {});
  });
  const board = control('whiteboard', 'Open the whiteboard', () => {
    if (call.whiteboardOpen) call.closeWhiteboard();
    else call.openWhiteboard();
  });
  const leave = control('leave', 'Leave the room', () => call.leave());
  leave.classList.add('mf-control-danger');
  bottom.append(mic, camera, screen, board, leave);
  shell.append(top, main, bottom);
  root.append(shell);
  const refresh = () => {
    const info = call.room();
    title.textContent = info ? `${info.room_name} · ${call.participants().length}/${info.max_participants}` : '';
    const self = call.self();
    const audio = self?.audio ?? true, video = self?.video ?? true;
    setIcon(mic, audio ? 'mic' : 'mic-off');
    mic.setAttribute('aria-pressed', String(!audio));
    mic.setAttribute('aria-label', audio ? 'Turn the microphone off' : 'Turn the microphone on');
    setIcon(camera, video ? 'video' : 'video-off');
    camera.setAttribute('aria-pressed', String(!video));
    camera.setAttribute('aria-label', video ? 'Turn the camera off' : 'Turn the camera on');
    screen.setAttribute('aria-pressed', String(!!self?.screen));
    screen.hidden = info?.settings?.screenshare === false && !call.canManage();
    board.setAttribute('aria-pressed', String(call.whiteboardOpen));
    board.setAttribute('aria-label', call.whiteboardOpen ? 'Close the whiteboard' : 'Open the whiteboard');
  };
  const offs = ['joined', 'participant-joined', 'participant-left', 'participant-updated', 'media-change',
    'whiteboard-change', 'state-change'].map((event) => call.on(event, refresh));
  refresh();
  return {
    destroy() {
      for (const off of offs) off();
      shell.remove();
    },
  };
}

export function createTileCard(participant, call) {
  const element = document.createElement('div');
  element.className = 'mf-card';
  const videoSlot = document.createElement('div');
  videoSlot.className = 'mf-video-slot';
  const name = document.createElement('span');
  name.className = 'mf-card-name';
  element.append(videoSlot, name);
  const update = (p) => {
    name.textContent = p.is_local ? `${p.display_name} (you)` : p.display_name;
    element.classList.toggle('mf-speaking', !!p.speaking);
  };
  update(participant);
  return {
    element,
    videoSlot,
    update,
    setConnecting(on) { element.classList.toggle('mf-connecting', !!on); },
  };
}
