// The in-call chrome (top bar, bottom bar, side panel, participant cards, dialogs, toasts), rendered
// by mehfil.js inside the call's shadow root. Built only on the public Call API (mehfil.d.ts) plus
// the engine's extra UI events ('toast', 'media-change', 'whiteboard-change'): every rule (who may
// mute, kick or lock) is the core's and the server's; this file only shows and asks.
//   mountCallUi({root, call, stage}) -> {destroy()}
//   createTileCard(participant, call) -> {element, videoSlot, update(p), setConnecting(on),
//                                         setQuality(report), setUnreachable(reason)}
// People's names and chat are set with textContent, never as HTML.
import { icon } from './call-ui-icons.js';
import { el, textButton, control, setIcon } from './dom.js';
import { createConnectionPane } from './call-connection.js';
import { devicePicker } from './device-picker.js';
import { createTileCard } from './call-card.js';
import { peoplePanel } from './people-panel.js';
import { chatPanel } from './chat-panel.js';
import { reportDialog } from './report-dialog.js';
import { gestureControls } from './call-gestures.js';
import { doorCard } from './door-card.js';
import { inviteFriendsSection } from './invite-friends.js';

export { createTileCard };


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

async function copy(text) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}


// A <dialog> in the shadow root: showModal() gives the focus trap, Escape and an inert page.
function dialog(label, onClose) {
  const node = el('dialog', { className: 'mf-dialog' });
  node.setAttribute('aria-label', label);
  node.addEventListener('click', (event) => { if (event.target === node) node.close(); });
  node.addEventListener('close', () => onClose?.());
  return node;
}

export function mountCallUi({ root, call, stage }) {
  const offs = [];
  const on = (event, fn) => offs.push(call.on(event, fn));
  const names = new Map(); // user_id -> display name, so a leave can still be named
  const hands = new Map(); // user_id -> hand_raised_at as last drawn, so a hand going up is told once

  // toasts
  const toasts = el('div', { className: 'mf-toasts', role: 'status' });
  toasts.setAttribute('aria-live', 'polite');
  const toast = (text) => {
    const item = el('div', { className: 'mf-toast' }, text);
    toasts.append(item);
    setTimeout(() => item.remove(), 3500);
  };
  const copyCode = async () => toast((await copy(call.room()?.room_code ?? '')) ? 'Code copied' : 'Could not copy');
  const copyLink = async () => toast((await copy(call.room()?.link ?? '')) ? 'Link copied' : 'Could not copy');

  // top bar: what room this is, and the room-wide actions
  const title = el('strong', { className: 'mf-room-name' });
  const codeTag = el('span', { className: 'mf-code' });
  // Red while the room is recorded, for everyone in it (room().recording, the server's word).
  const recordingTag = el('span', { className: 'mf-recording', role: 'status', hidden: true });
  const count = el('span', { className: 'mf-count' });
  count.setAttribute('aria-label', 'People in the room');
  const copyButton = textButton('Copy Code', copyCode, 'mf-button', 'copy');
  const inviteButton = textButton('Invite', () => openInvite(), 'mf-button', 'user-plus');
  const settingsButton = textButton('Settings', () => togglePanel('settings'), 'mf-button', 'settings');
  const leaveTop = textButton('Leave', () => call.leave(), 'mf-button mf-button-danger', 'leave');
  const addPeople = textButton('Add people', () => call.addPeople(), 'mf-button', 'user-plus');
  // Narrow calls show these as icons only: the name must not depend on the visible text.
  for (const [button, label] of [[copyButton, 'Copy Code'], [inviteButton, 'Invite'], [settingsButton, 'Settings'], [leaveTop, 'Leave']]) {
    button.setAttribute('aria-label', label);
    button.title = label;
  }
  const top = el('header', { className: 'mf-topbar' },
    el('div', { className: 'mf-title' }, title, codeTag, el('span', { className: 'mf-count-pill' }, icon('users', { size: 14 }), count), recordingTag),
    el('div', { className: 'mf-top-actions' }, addPeople, copyButton, inviteButton, settingsButton, leaveTop));

  // the stage, with a waiting card while alone and a notice bar for connection trouble
  const waitingCode = el('span', { className: 'mf-waiting-code' });
  const waiting = el('div', { className: 'mf-waiting', hidden: true },
    el('p', { className: 'mf-waiting-title' }, 'Waiting for participants…'),
    el('p', {}, 'Share the code ', waitingCode, ' to bring people in.'),
    textButton('Invite people', () => openInvite(), 'mf-button mf-button-primary', 'user-plus'));
  const noticeText = el('span', { className: 'mf-notice-text' });
  const noticeActions = el('div', { className: 'mf-notice-actions' });
  const notice = el('div', { className: 'mf-notice', hidden: true, role: 'alert' }, el('span', { className: 'mf-spinner' }), noticeText, noticeActions);
  // Who knocks at the door (the host and co-hosts): a card over the stage, a sound, a badge on People.
  const door = doorCard(call, { onArrive: (arrived) => { chime(); toast(`${arrived.map((k) => k.display_name).join(', ')} ${arrived.length === 1 ? 'is' : 'are'} waiting to join`); } });
  const main = el('main', { className: 'mf-main' }, stage, waiting, notice, door.element);

  // side panel: chat, people, settings
  const panelTitle = el('h2', { id: 'mf-panel-title' });
  const panelBody = el('div', { className: 'mf-panel-body' });
  const panelClose = control('close', 'Close the panel', () => closePanel());
  panelClose.classList.add('mf-control-flat');
  const panel = el('aside', { className: 'mf-panel', hidden: true },
    el('div', { className: 'mf-panel-head' }, panelTitle, panelClose), panelBody);
  panel.setAttribute('aria-labelledby', 'mf-panel-title');
  let panelKind = null;
  let unread = 0;

  const chatPane = chatPanel(call, { toast });

  const peopleList = peoplePanel(call);

  const setting = (label, hint, onChange) => {
    const input = el('input', { type: 'checkbox' });
    input.setAttribute('role', 'switch');
    input.addEventListener('change', () => onChange(input.checked));
    const row = el('label', { className: 'mf-setting' }, el('span', { className: 'mf-setting-text' }, el('span', {}, label), el('small', {}, hint)),
      input, el('span', { className: 'mf-switch', ariaHidden: 'true' }));
    return { row, input };
  };
  const lock = setting('Lock the room', 'No one new can join', (locked) => call.lockRoom(locked));
  // updateSettings keeps the flags it is not given (mehfil.d.ts).
  const chatOn = setting('Chat', 'Everyone can send messages', (chat) => call.updateSettings({ chat }));
  const screenOn = setting('Screen sharing', 'Everyone can share a screen', (screenshare) => call.updateSettings({ screenshare }));
  const autoRecord = setting('Record automatically', 'Recording starts when the host joins', (on) => call.updateSettings({ record_automatically: on }));
  const hostsRun = setting('Only hosts run code', 'Everyone can still edit', (on) => call.updateSettings({ code_run_hosts_only: on }));
  const waitingRoom = setting('Waiting room', 'You let each person in', (on) => call.updateSettings({ waiting_room: on }));
  const endButton = textButton('End room for all', () => confirmAsk({
    title: 'End the room for everyone?', text: 'Everyone will be disconnected and the code will stop working.',
    ok: 'End room', run: () => call.endForAll(),
  }), 'mf-button mf-button-danger', 'leave');
  const settingsPane = el('div', { className: 'mf-settings' }, lock.row, waitingRoom.row, chatOn.row, screenOn.row, autoRecord.row, hostsRun.row, endButton);

  // Camera and microphone, for everyone: the call switches the track under every connection.
  const picker = (kind) => devicePicker(kind, {
    fieldClass: 'mf-field', selectClass: 'mf-select',
    onPick: (deviceId) => call.useDevice(kind, deviceId)
      .catch((error) => { toast(error?.message ?? `Could not switch the ${kind}`); fillDevices(); }),
  });
  const cameraPick = picker('camera');
  const micPick = picker('microphone');
  const devicesNote = el('p', { className: 'mf-empty', hidden: true }, 'This call has no camera or microphone to switch.');
  const devicesPane = el('div', { className: 'mf-settings' }, cameraPick.element, micPick.element, devicesNote);
  async function fillDevices() {
    const found = await call.devices().catch(() => null);
    cameraPick.fill(found?.cameras, found?.camera);
    micPick.fill(found?.microphones, found?.microphone);
    cameraPick.element.hidden = !found?.camera;
    micPick.element.hidden = !found?.microphone;
    devicesNote.hidden = !!(found?.camera || found?.microphone);
  }

  const connectionPane = createConnectionPane(call);
  call.on('connection-stats', () => { if (panelKind === 'connection') connectionPane.refresh(); });

  function openPanel(kind) {
    panelKind = kind;
    panel.hidden = false;
    panelTitle.textContent = { chat: 'Chat', people: 'Participants', settings: 'Room settings', devices: 'Camera and microphone', connection: 'Connection info' }[kind];
    panelBody.replaceChildren({ chat: chatPane.element, people: peopleList.element, settings: settingsPane, devices: devicesPane, connection: connectionPane.element }[kind]);
    if (kind === 'connection') connectionPane.refresh();
    if (kind === 'devices') fillDevices();
    if (kind === 'chat') {
      unread = 0;
      chatPane.input.focus();
    } else {
      panelClose.focus();
    }
    refresh();
  }
  function closePanel() {
    const was = panelKind;
    panelKind = null;
    panel.hidden = true;
    refresh();
    ({ chat, people, settings: settingsButton })[was]?.focus?.();
  }
  const togglePanel = (kind) => (panelKind === kind ? closePanel() : openPanel(kind));
  panel.addEventListener('keydown', (event) => { if (event.key === 'Escape') { event.stopPropagation(); closePanel(); } });

  // invite
  const inviteDialog = dialog('Invite people');
  function openInvite() {
    closeMore();
    const info = call.room();
    const url = info?.link ?? '';
    const text = encodeURIComponent(`Join me on Mehfil${info?.room_name ? ` in “${info.room_name}”` : ''}: ${url}`);
    const share = (label, iconName, href) => {
      const a = el('a', { className: 'mf-button mf-share', href, target: '_blank', rel: 'noopener noreferrer' }, icon(iconName, { size: 18 }), el('span', {}, label));
      return a;
    };
    const shareNative = typeof navigator.share === 'function'
      ? textButton('Share…', () => navigator.share({ title: 'Join me on Mehfil', url }).catch(() => {}), 'mf-button', 'share') : null;
    inviteDialog.replaceChildren(el('div', { className: 'mf-modal-card' },
      el('div', { className: 'mf-modal-head' }, el('h2', {}, 'Invite people'),
        (() => { const c = control('close', 'Close', () => inviteDialog.close()); c.classList.add('mf-control-flat'); return c; })()),
      el('p', { className: 'mf-muted' }, 'Share this code or link. Anyone with it can ask to join.'),
      el('p', { className: 'mf-big-code' }, info?.room_code ?? ''),
      el('p', { className: 'mf-link' }, url),
      el('div', { className: 'mf-row' },
        textButton('Copy Code', copyCode, 'mf-button', 'copy'),
        textButton('Copy Link', copyLink, 'mf-button', 'link'), shareNative),
      el('div', { className: 'mf-row' },
        share('WhatsApp', 'whatsapp', `https://wa.me/?text=${text}`),
        share('Email', 'mail', `mailto:?subject=${encodeURIComponent('Join my Mehfil room')}&body=${text}`),
        share('Twitter', 'twitter', `https://twitter.com/intent/tweet?text=${text}`)),
      info?.is_call ? null : inviteFriendsSection(call, { sent: () => inviteDialog.close() })));
    inviteDialog.showModal();
  }

  // confirmations (kick, end room)
  const confirmDialog = dialog('Confirm');
  function confirmAsk({ title: heading, text, ok, run }) {
    const okButton = textButton(ok, () => { confirmDialog.close(); run(); }, 'mf-button mf-button-danger');
    confirmDialog.replaceChildren(el('div', { className: 'mf-modal-card' },
      el('h2', {}, heading), el('p', { className: 'mf-muted' }, text),
      el('div', { className: 'mf-row mf-row-end' }, textButton('Cancel', () => confirmDialog.close(), 'mf-button mf-button-ghost'), okButton)));
    confirmDialog.showModal();
    okButton.focus();
  }
  call.__confirm = confirmAsk; // cards use the same dialog (createTileCard gets only the call)
  const reporting = reportDialog(call);
  call.__report = reporting.open;  // a card's and a chat message's Report

  // bottom bar
  const mic = control('mic', 'Turn the microphone off', () => call.setLocalAudio(!(call.self()?.audio ?? true)));
  const camera = control('video', 'Turn the camera off', () => call.setLocalVideo(!(call.self()?.video ?? true)));
  const screen = control('screen', 'Share your screen', () => {
    if (call.self()?.screen) call.stopScreenShare();
    else call.startScreenShare().catch((error) => error?.name !== 'NotAllowedError' && toast(error?.message ?? 'Could not share the screen'));
  });
  const chat = control('chat', 'Open the chat', () => togglePanel('chat'));
  const badge = el('span', { className: 'mf-badge', hidden: true });
  chat.append(badge);
  const board = control('whiteboard', 'Open the whiteboard', () => {
    if (call.whiteboardOpen) call.closeWhiteboard();
    else call.openWhiteboard();
  });
  const codeButton = control('code', 'Open the code editor', () => {
    if (call.codeEditorOpen) call.closeCodeEditor();
    else call.openCodeEditor();
  });
  const people = control('users', 'Participants', () => togglePanel('people'));
  const waitingBadge = el('span', { className: 'mf-badge', hidden: true });
  people.append(waitingBadge);
  const more = control('more', 'More options', () => (moreMenu.hidden ? openMore() : closeMore()));
  more.setAttribute('aria-haspopup', 'menu');
  more.setAttribute('aria-expanded', 'false');
  const leave = control('leave', 'Leave the room', () => call.leave());
  leave.classList.add('mf-control-danger');

  // "More": the room-wide actions again (on phones the top bar's buttons live here), as a menu.
  const menuItem = (label, iconName, run) => {
    const item = textButton(label, () => { closeMore(); run(); }, 'mf-menu-item', iconName);
    item.setAttribute('role', 'menuitem');
    item.tabIndex = -1;
    return item;
  };
  const settingsItem = menuItem('Room settings', 'settings', () => openPanel('settings'));
  // Recording, for the host and co-hosts: start or pause or resume, and stop.
  const recordItem = menuItem('Start recording', 'record', () => {
    const state = call.room()?.recording;
    if (state === 'recording') call.pauseRecording();
    else if (state === 'paused') call.resumeRecording();
    else call.startRecording();
  });
  // Full HD is a choice at the start: a recording keeps one size to the end.
  const recordFullHdItem = menuItem('Start recording in 1080p', 'record', () => call.startRecording({ height: 1080 }));
  const stopRecordItem = menuItem('Stop recording', 'stop', () => call.stopRecording());
  // A phone's bar has no room for these two (call-ui.css hides their buttons there): the menu has them.
  const screenItem = menuItem('Share your screen', 'screen', () => screen.click());
  const codeItem = menuItem('Open the code editor', 'code', () => codeButton.click());
  for (const item of [screenItem, codeItem]) item.classList.add('mf-menu-narrow');
  const sharingItems = [menuItem('Invite people', 'user-plus', () => openInvite()),
    menuItem('Copy room code', 'copy', copyCode), menuItem('Copy room link', 'link', copyLink)];
  const moreMenu = el('div', { className: 'mf-menu', role: 'menu', hidden: true },
    ...sharingItems, screenItem, codeItem,
    menuItem('Show participants', 'users', () => openPanel('people')),
    menuItem('Camera and microphone', 'video', () => openPanel('devices')),
    menuItem('Connection info', 'wifi', () => openPanel('connection')),
    settingsItem, recordItem, recordFullHdItem, stopRecordItem,
    menuItem('Leave room', 'leave', () => call.leave()));
  moreMenu.setAttribute('aria-label', 'More options');
  // The ones shown: hidden ones, and the phone-only ones on a wide call (hidden by call-ui.css), are skipped.
  const items = () => [...moreMenu.querySelectorAll('[role="menuitem"]')].filter((i) => !i.hidden && i.getClientRects().length > 0);
  function openMore() {
    moreMenu.hidden = false;
    shell.classList.add('mf-menu-open');
    more.setAttribute('aria-expanded', 'true');
    items()[0]?.focus();
  }
  function closeMore(focusButton = false) {
    if (moreMenu.hidden) return;
    moreMenu.hidden = true;
    shell.classList.remove('mf-menu-open');
    more.setAttribute('aria-expanded', 'false');
    if (focusButton) more.focus();
  }
  moreMenu.addEventListener('keydown', (event) => {
    const list = items();
    const at = list.indexOf(root.activeElement);
    if (event.key === 'ArrowDown') list[(at + 1) % list.length].focus();
    else if (event.key === 'ArrowUp') list[(at - 1 + list.length) % list.length].focus();
    else if (event.key === 'Home') list[0].focus();
    else if (event.key === 'End') list[list.length - 1].focus();
    else if (event.key === 'Escape' || event.key === 'Tab') { closeMore(event.key === 'Escape'); return; } else return;
    event.preventDefault();
  });
  const onOutside = (event) => { if (!event.composedPath().includes(moreMenu) && !event.composedPath().includes(more)) closeMore(); };
  root.addEventListener('pointerdown', onOutside);

  const gestures = gestureControls(call, root);
  const bottom = el('nav', { className: 'mf-bottombar' },
    el('div', { className: 'mf-bar-group' }, mic, camera, screen),
    el('div', { className: 'mf-bar-group' }, gestures.hand, gestures.reactions, chat, board, codeButton, people, el('div', { className: 'mf-more-wrap' }, more, moreMenu)),
    el('div', { className: 'mf-bar-group' }, leave));
  bottom.setAttribute('aria-label', 'Call controls');
  const floatingInvite = control('invite', 'Invite people', () => openInvite(), 'user-plus');
  floatingInvite.classList.add('mf-floating-invite');

  const shell = el('div', { className: 'mf-shell' }, top, el('div', { className: 'mf-body' }, main, panel), bottom,
    floatingInvite, inviteDialog, confirmDialog, reporting.element, toasts);
  root.append(shell);

  // Connection trouble and a missing host, as a bar over the stage: media may still be flowing.
  function showNotice(kind) {
    if ((notice.dataset.kind ?? '') === (kind ?? '')) return;  // unchanged: keep the buttons (and focus)
    notice.hidden = !kind;
    notice.dataset.kind = kind ?? '';
    if (!kind) return;
    const leaveButton = textButton('Leave Room', () => call.leave().catch(() => call.destroy()), 'mf-button mf-button-ghost');
    if (kind === 'reconnecting') {
      noticeText.textContent = 'Connection lost. Trying to reconnect…';
      // Try now instead of waiting for the backoff; the core owns the reconnecting.
      const reconnect = textButton('Reconnect', () => call.reconnect(), 'mf-button mf-button-primary', 'refresh');
      noticeActions.replaceChildren(reconnect, leaveButton);
    } else if (kind === 'host-left') {
      noticeText.textContent = 'The host left the call. Someone can take over as host.';
      const claim = textButton('Become Host', () => call.claimHost(), 'mf-button mf-button-primary', 'crown');
      noticeActions.replaceChildren(claim, leaveButton);
    }
  }

  function refresh() {
    const info = call.room();
    const everyone = call.participants();
    for (const p of everyone) {
      names.set(p.user_id, p.display_name);
      hands.set(p.user_id, p.hand_raised_at);
    }
    title.textContent = info?.room_name ?? '';
    codeTag.textContent = info?.room_code ?? '';
    waitingCode.textContent = info?.room_code ?? '';
    count.textContent = info ? `${everyone.length}/${info.max_participants}` : '';
    // A 1:1 call's room is for the two of them: no code to share, nobody to invite, no host.
    const isCall = !!info?.is_call;
    for (const part of [codeTag, count.parentElement, copyButton, inviteButton, floatingInvite, ...sharingItems]) part.hidden = isCall;
    addPeople.hidden = !isCall;
    const recording = info?.recording ?? 'off';
    recordingTag.hidden = recording === 'off';
    recordingTag.textContent = recording === 'paused' ? 'Recording paused' : 'Recording';
    recordingTag.classList.toggle('mf-recording-paused', recording === 'paused');
    recordItem.hidden = isCall || !call.mayRecord();
    recordItem.querySelector('span').textContent = { recording: 'Pause recording', paused: 'Resume recording' }[recording] ?? 'Start recording';
    stopRecordItem.hidden = recordItem.hidden || recording === 'off';
    recordFullHdItem.hidden = recordItem.hidden || recording !== 'off';
    waiting.hidden = isCall || !(call.state === 'in_room' || call.state === 'waiting') || everyone.length > 1 || !!call.whiteboardOpen || !!call.codeEditorOpen;
    showNotice(call.state === 'reconnecting' ? 'reconnecting' : call.state === 'in_room' && info?.host_away ? 'host-left' : null);
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
    screen.setAttribute('aria-label', self?.screen ? 'Stop sharing your screen' : 'Share your screen');
    screen.hidden = !self?.screen && !call.mayShareScreen();
    chat.hidden = info?.settings?.chat === false;
    chat.setAttribute('aria-pressed', String(panelKind === 'chat'));
    chat.setAttribute('aria-label', panelKind === 'chat' ? 'Close the chat' : 'Open the chat');
    board.setAttribute('aria-pressed', String(!!call.whiteboardOpen));
    board.setAttribute('aria-label', call.whiteboardOpen ? 'Close the whiteboard' : 'Open the whiteboard');
    codeButton.setAttribute('aria-pressed', String(!!call.codeEditorOpen));
    codeButton.setAttribute('aria-label', call.codeEditorOpen ? 'Close the code editor' : 'Open the code editor');
    screenItem.hidden = screen.hidden;
    screenItem.querySelector('span').textContent = screen.getAttribute('aria-label');
    codeItem.querySelector('span').textContent = codeButton.getAttribute('aria-label');
    people.setAttribute('aria-pressed', String(panelKind === 'people'));
    badge.hidden = unread === 0;
    badge.textContent = String(unread);
    chat.title = unread ? `Chat (${unread} unread)` : 'Chat';
    const manager = call.canManage();
    settingsButton.hidden = !manager;
    settingsItem.hidden = !manager;
    endButton.hidden = !call.hostActionsOn(call.self()?.user_id).room.includes('end');
    lock.input.checked = !!info?.is_locked;
    chatOn.input.checked = info?.settings?.chat !== false;
    screenOn.input.checked = info?.settings?.screenshare !== false;
    autoRecord.input.checked = !!info?.settings?.record_automatically;
    hostsRun.input.checked = !!info?.settings?.code_run_hosts_only;
    waitingRoom.input.checked = !!info?.settings?.waiting_room;
    const knocking = call.waitingRoom().length;
    waitingBadge.hidden = knocking === 0;
    waitingBadge.textContent = String(knocking);
    people.title = knocking ? `Participants (${knocking} waiting)` : 'Participants';
    people.setAttribute('aria-label', people.title);
    chatPane.empty.hidden = chatPane.count > 0;
    gestures.refresh();
    if (panelKind === 'people') peopleList.render();
    if (panelKind === 'settings' && !manager) closePanel();
  }

  on('joined', () => {
    chatPane.render();
    refresh();
  });
  on('participant-joined', (p) => {
    names.set(p.user_id, p.display_name);
    toast(`${p.display_name} joined`);
    chime();
    refresh();
  });
  on('participant-left', ({ user_id: userId }) => {
    toast(`${names.get(userId) || 'Someone'} left`);
    refresh();
  });
  on('chat-message', (m) => {
    chatPane.append(m);
    if (panelKind !== 'chat') unread += 1;
    refresh();
  });
  on('toast', ({ text }) => text && toast(text));
  const reasonWords = { harassment: 'harassment', hate: 'hate speech', sexual: 'sexual or violent content', spam: 'spam', other: 'something else' };
  on('reported', ({ display_name: name, reason }) => toast(`${name} was reported for ${reasonWords[reason] ?? reason}`));
  on('error', ({ code, message }) => {
    if (['camera_denied', 'microphone_denied', 'not_allowed', 'rate_limited', 'not_host', 'not_reportable', 'storage_full', 'internal'].includes(code)) toast(message);
  });
  on('knock', (knock) => {
    door.update(knock);
    refresh();
  });
  on('participant-updated', (p) => {
    if (!p.is_local && p.hand_raised_at != null && hands.get(p.user_id) == null) toast(`${p.display_name} raised their hand`);
  });
  for (const event of ['participant-updated', 'media-change', 'whiteboard-change', 'code-editor-change', 'state-change', 'room-updated']) on(event, refresh);
  refresh();
  return {
    destroy() {
      for (const off of offs) off();
      gestures.destroy();
      root.removeEventListener('pointerdown', onOutside);
      delete call.__confirm;
      delete call.__report;
      shell.remove();
    },
  };
}
