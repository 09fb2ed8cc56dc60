// The in-call chrome (top bar, bottom bar, side panel, participant cards, toasts), rendered by
// mehfil.js inside the call's shadow root. Built only on the public Call API (mehfil.d.ts): every
// rule (who may mute, kick or lock) is the core's and the server's; this file only shows and asks.
//   mountCallUi({root, call, stage}) -> {destroy()}
//   createTileCard(participant, call) -> {element, videoSlot, update(p), setConnecting(on)}
// People's names and chat are set with textContent, never as HTML.
import { icon } from './call-ui-icons.js';

function el(tag, props = {}, ...children) {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children.filter((c) => c !== null && c !== undefined && c !== false));
  return node;
}

// A round control button: an icon, an accessible name, and a pressed state for toggles.
function control(name, label, onClick) {
  const button = el('button', { type: 'button', className: `mf-control mf-control-${name}`, title: label });
  button.dataset.control = name;
  button.setAttribute('aria-label', label);
  button.append(icon(name));
  button.addEventListener('click', onClick);
  return button;
}

function textButton(text, onClick, className = 'mf-button') {
  const button = el('button', { type: 'button', className }, text);
  button.addEventListener('click', onClick);
  return button;
}

function setIcon(button, name) {
  button.replaceChildren(icon(name));
}

// A short two-note chime for someone joining, from WebAudio: no sound file to fetch.
function chime() {
  try {
    const context = new AudioContext();
    const gain = context.createGain();
    gain.gain.value = 0.04;
    gain.connect(context.destination);
    [660, 880].forEach((frequency, i) => {
      const tone = context.createOscillator();
      tone.frequency.value = frequency;
      tone.connect(gain);
      tone.start(context.currentTime + i * 0.12);
      tone.stop(context.currentTime + i * 0.12 + 0.1);
    });
    setTimeout(() => context.close(), 600);
  } catch { /* no audio: the toast says it */ }
}

function roomUrl(call) {
  return call.room()?.link ?? '';
}

async function copy(text) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}

export function mountCallUi({ root, call, stage }) {
  const offs = [];
  const on = (event, fn) => offs.push(call.on(event, fn));

  // top bar
  const title = el('strong', { className: 'mf-room-name' });
  const codeTag = el('span', { className: 'mf-code' });
  const count = el('span', { className: 'mf-count' });
  const toasts = el('div', { className: 'mf-toasts', role: 'status' });
  const toast = (text) => {
    const item = el('div', { className: 'mf-toast' }, text);
    toasts.append(item);
    setTimeout(() => item.remove(), 3500);
  };
  const copyCode = textButton('Copy Code', async () => toast((await copy(call.room()?.room_code ?? '')) ? 'Code copied' : 'Could not copy'));
  const inviteButton = textButton('Invite', () => openInvite());
  const settingsButton = textButton('Settings', () => openPanel('settings'));
  const top = el('header', { className: 'mf-topbar' },
    el('div', { className: 'mf-title' }, title, codeTag, count),
    el('div', { className: 'mf-top-actions' }, copyCode, inviteButton, settingsButton));

  // the stage, and a waiting card over it while alone
  const waiting = el('div', { className: 'mf-waiting', hidden: true },
    el('p', { className: 'mf-waiting-title' }, 'Waiting for participants…'),
    el('p', {}, 'Share the code '), textButton('Invite people', () => openInvite(), 'mf-button mf-button-primary'));
  const main = el('main', { className: 'mf-main' }, stage, waiting);

  // side panel: chat, people, settings
  const panelTitle = el('h2', {});
  const panelBody = el('div', { className: 'mf-panel-body' });
  const panel = el('aside', { className: 'mf-panel', hidden: true, ariaLabel: 'Side panel' },
    el('div', { className: 'mf-panel-head' }, panelTitle, textButton('Close', () => closePanel(), 'mf-button mf-button-ghost')),
    panelBody);
  let panelKind = null;
  let unread = 0;

  const chatList = el('ol', { className: 'mf-chat-list' });
  const chatInput = el('input', { className: 'mf-chat-input', maxLength: 4000, placeholder: 'Say something…', ariaLabel: 'Message' });
  const chatForm = el('form', { className: 'mf-chat-form' }, chatInput,
    ...['👍', '😂', '🎉'].map((emoji) => textButton(emoji, () => { chatInput.value += emoji; chatInput.focus(); }, 'mf-emoji')),
    el('button', { type: 'submit', className: 'mf-button mf-button-primary' }, 'Send'));
  chatForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const text = chatInput.value.trim();
    if (!text) return;
    call.sendChat(text);
    chatInput.value = '';
  });
  const chatMessage = (m) => el('li', { className: 'mf-chat-message' },
    el('span', { className: 'mf-chat-from' }, m.display_name), el('span', { className: 'mf-chat-text' }, m.text));
  const chatPane = el('div', { className: 'mf-chat' }, chatList, chatForm);

  const peopleList = el('ul', { className: 'mf-people' });
  function renderPeople() {
    peopleList.replaceChildren(...call.participants().map((p) => {
      const badges = [p.is_host ? 'host' : p.is_cohost ? 'co-host' : null, p.audio ? null : 'muted'].filter(Boolean).join(' · ');
      const item = el('li', { className: 'mf-person' },
        el('span', { className: 'mf-person-name' }, p.is_local ? `${p.display_name} (you)` : p.display_name),
        el('span', { className: 'mf-person-badges' }, badges));
      if (call.canManage() && !p.is_local) item.append(hostActions(p, call));
      return item;
    }));
  }

  const lock = el('input', { type: 'checkbox' });
  const chatOn = el('input', { type: 'checkbox' });
  const screenOn = el('input', { type: 'checkbox' });
  lock.addEventListener('change', () => call.lockRoom(lock.checked));
  chatOn.addEventListener('change', () => call.updateSettings({ chat: chatOn.checked }));
  screenOn.addEventListener('change', () => call.updateSettings({ screenshare: screenOn.checked }));
  const endButton = textButton('End room for all', () => {
    if (endButton.dataset.confirm) return call.endForAll();
    endButton.dataset.confirm = 'yes';
    endButton.textContent = 'Click again to end the room for everyone';
  }, 'mf-button mf-button-danger');
  const settingsPane = el('div', { className: 'mf-settings' },
    el('label', { className: 'mf-setting' }, lock, 'Lock the room (no one new can join)'),
    el('label', { className: 'mf-setting' }, chatOn, 'Chat'),
    el('label', { className: 'mf-setting' }, screenOn, 'Screen sharing'),
    endButton);

  function openPanel(kind) {
    panelKind = kind;
    panel.hidden = false;
    panelTitle.textContent = { chat: 'Chat', people: 'Participants', settings: 'Room settings' }[kind];
    panelBody.replaceChildren(kind === 'chat' ? chatPane : kind === 'people' ? peopleList : settingsPane);
    if (kind === 'chat') {
      unread = 0;
      refresh();
      chatInput.focus();
    }
    if (kind === 'people') renderPeople();
  }
  function closePanel() {
    panelKind = null;
    panel.hidden = true;
  }

  // invite
  const inviteDialog = el('div', { className: 'mf-modal', hidden: true, role: 'dialog', ariaLabel: 'Invite people' });
  function openInvite() {
    const url = roomUrl(call);
    const text = encodeURIComponent(`Join my Mehfil room: ${url}`);
    const share = (label, href) => el('a', { className: 'mf-button', href, target: '_blank', rel: 'noopener' }, label);
    inviteDialog.replaceChildren(el('div', { className: 'mf-modal-card' },
      el('h2', {}, 'Invite people'),
      el('p', { className: 'mf-big-code' }, call.room()?.room_code ?? ''),
      el('p', { className: 'mf-link' }, url),
      el('div', { className: 'mf-row' },
        textButton('Copy Code', async () => toast((await copy(call.room()?.room_code ?? '')) ? 'Code copied' : 'Could not copy')),
        textButton('Copy Link', async () => toast((await copy(url)) ? 'Link copied' : 'Could not copy'))),
      el('div', { className: 'mf-row' },
        share('WhatsApp', `https://wa.me/?text=${text}`),
        share('Email', `mailto:?subject=${encodeURIComponent('Join my Mehfil room')}&body=${text}`),
        share('Twitter', `https://twitter.com/intent/tweet?text=${text}`)),
      textButton('Close', () => { inviteDialog.hidden = true; }, 'mf-button mf-button-ghost')));
    inviteDialog.hidden = false;
  }
  inviteDialog.addEventListener('keydown', (event) => { if (event.key === 'Escape') inviteDialog.hidden = true; });

  // bottom bar
  const mic = control('mic', 'Turn the microphone off', () => call.setLocalAudio(!(call.self()?.audio ?? true)));
  const camera = control('video', 'Turn the camera off', () => call.setLocalVideo(!(call.self()?.video ?? true)));
  const screen = control('screen', 'Share your screen', () => {
    if (call.self()?.screen) call.stopScreenShare();
    else call.startScreenShare().catch(() => {});
  });
  const chat = control('chat', 'Open the chat', () => (panelKind === 'chat' ? closePanel() : openPanel('chat')));
  const badge = el('span', { className: 'mf-badge', hidden: true });
  chat.append(badge);
  const board = control('whiteboard', 'Open the whiteboard', () => {
    if (call.whiteboardOpen) call.closeWhiteboard();
    else call.openWhiteboard();
  });
  const people = control('users', 'Participants', () => (panelKind === 'people' ? closePanel() : openPanel('people')));
  const leave = control('leave', 'Leave the room', () => call.leave());
  leave.classList.add('mf-control-danger');
  const bottom = el('nav', { className: 'mf-bottombar', ariaLabel: 'Call controls' }, mic, camera, screen, chat, board, people, leave);
  const floatingInvite = control('plus', 'Invite people', () => openInvite());
  floatingInvite.classList.add('mf-floating-invite');

  const shell = el('div', { className: 'mf-shell' }, top, el('div', { className: 'mf-body' }, main, panel), bottom,
    floatingInvite, inviteDialog, toasts);
  root.append(shell);

  function refresh() {
    const info = call.room();
    const everyone = call.participants();
    title.textContent = info?.room_name ?? '';
    codeTag.textContent = info?.room_code ?? '';
    count.textContent = info ? `${everyone.length}/${info.max_participants}` : '';
    waiting.hidden = !(call.state === 'in_room' || call.state === 'waiting') || everyone.length > 1;
    waiting.children[1].textContent = `Share the code ${info?.room_code ?? ''} to bring people in.`;
    const self = call.self();
    const audio = self?.audio ?? true;
    const video = self?.video ?? true;
    setIcon(mic, audio ? 'mic' : 'mic-off');
    mic.setAttribute('aria-pressed', String(!audio));
    mic.setAttribute('aria-label', audio ? 'Turn the microphone off' : 'Turn the microphone on');
    setIcon(camera, video ? 'video' : 'video-off');
    camera.setAttribute('aria-pressed', String(!video));
    camera.setAttribute('aria-label', video ? 'Turn the camera off' : 'Turn the camera on');
    screen.setAttribute('aria-pressed', String(!!self?.screen));
    screen.hidden = info?.settings?.screenshare === false && !call.canManage();
    chat.hidden = info?.settings?.chat === false;
    board.setAttribute('aria-pressed', String(call.whiteboardOpen));
    board.setAttribute('aria-label', call.whiteboardOpen ? 'Close the whiteboard' : 'Open the whiteboard');
    badge.hidden = unread === 0;
    badge.textContent = String(unread);
    settingsButton.hidden = !call.canManage();
    lock.checked = !!info?.is_locked;
    chatOn.checked = info?.settings?.chat !== false;
    screenOn.checked = info?.settings?.screenshare !== false;
    if (panelKind === 'people') renderPeople();
  }

  on('joined', () => {
    chatList.replaceChildren(...call.chat().map(chatMessage));
    refresh();
  });
  on('participant-joined', (p) => {
    toast(`${p.display_name} joined`);
    chime();
    refresh();
  });
  on('participant-left', () => {
    toast('Someone left');
    refresh();
  });
  on('chat-message', (m) => {
    chatList.append(chatMessage(m));
    chatList.lastChild.scrollIntoView?.({ block: 'end' });
    if (panelKind !== 'chat') unread += 1;
    refresh();
  });
  on('toast', ({ text }) => text && toast(text));
  for (const event of ['participant-updated', 'media-change', 'whiteboard-change', 'state-change']) on(event, refresh);
  refresh();
  return {
    destroy() {
      for (const off of offs) off();
      shell.remove();
    },
  };
}

// Mute, kick (asks to confirm) and make co-host, for hosts and co-hosts. The server decides.
function hostActions(participant, call) {
  const kick = textButton('Kick', () => {
    if (kick.dataset.confirm) return call.kick(participant.user_id);
    kick.dataset.confirm = 'yes';
    kick.textContent = 'Confirm kick';
  }, 'mf-button mf-button-danger');
  kick.setAttribute('aria-label', `Remove ${participant.display_name} from the room`);
  const mute = textButton('Mute', () => call.mute(participant.user_id));
  mute.setAttribute('aria-label', `Mute ${participant.display_name}`);
  const cohost = textButton('Make Co-Host', () => call.makeCohost(participant.user_id));
  cohost.setAttribute('aria-label', `Make ${participant.display_name} a co-host`);
  return el('div', { className: 'mf-host-actions' }, mute, kick, participant.is_cohost || participant.is_host ? null : cohost);
}

export function createTileCard(participant, call) {
  const element = el('div', { className: 'mf-card', tabIndex: 0 });
  const videoSlot = el('div', { className: 'mf-video-slot' });
  const name = el('span', { className: 'mf-card-name' });
  const micOff = el('span', { className: 'mf-card-mic-off', ariaLabel: 'Microphone off', hidden: true }, icon('mic-off', { size: 14 }));
  const connecting = el('div', { className: 'mf-card-connecting', hidden: true }, 'Connecting…');
  const overlay = el('div', { className: 'mf-card-overlay' });
  element.append(videoSlot, connecting, name, micOff, overlay);
  let current = participant;
  const update = (p) => {
    current = p;
    name.textContent = p.is_local ? `${p.display_name} (you)` : p.display_name;
    element.classList.toggle('mf-speaking', !!p.speaking);
    micOff.hidden = p.kind === 'screen' || p.audio !== false;
    // Add Friend waits for friend requests on the server; until then the overlay holds host powers only.
    overlay.replaceChildren(...(p.is_local || p.kind === 'screen' || !call.canManage() ? [] : [hostActions(p, call)]));
  };
  update(participant);
  return {
    element,
    videoSlot,
    update,
    setConnecting(on) {
      element.classList.toggle('mf-connecting', !!on);
      connecting.hidden = !on || current.video === false;
    },
  };
}
