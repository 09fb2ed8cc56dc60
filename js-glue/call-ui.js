// The in-call chrome (top bar, bottom bar, participant cards), rendered by mehfil.js inside the
// call's shadow root. Built only on the public Call API (mehfil.d.ts).
//   mountCallUi({root, call, stage}) -> {destroy()}
//   createTileCard(participant, call) -> {element, videoSlot, update(p), setConnecting(on)}

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
  const leave = document.createElement('button');
  leave.type = 'button';
  leave.textContent = 'Leave';
  leave.setAttribute('aria-label', 'Leave the room');
  leave.addEventListener('click', () => call.leave());
  bottom.append(leave);
  shell.append(top, main, bottom);
  root.append(shell);
  const refresh = () => {
    const info = call.room();
    title.textContent = info ? `${info.room_name} · ${call.participants().length}/${info.max_participants}` : '';
  };
  const offs = ['joined', 'participant-joined', 'participant-left'].map((event) => call.on(event, refresh));
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
