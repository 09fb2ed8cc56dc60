// The call's chat pane: the messages, the box to write in, and files shared in the chat (the
// paperclip, a file dropped on the pane, or pasted into the box). A file goes up with its progress
// shown in a line of its own until the room's message carrying it arrives; pictures show as
// thumbnails that open full size, other files as a card with Download. Which files are taken, and
// who may fetch them, is the server's (authority/chat_files.h); this pane shows its answers.
//   chatPanel(call, {toast}) -> {element, input, render(), append(message), empty}
// Names, text and file names are set with textContent, never as HTML.
import { icon } from './call-ui-icons.js';
import { el, textButton } from './dom.js';

const EMOJI = ['👍', '😂', '🎉', '❤️', '👋', '🙏'];
const THUMB_BOX = { width: 240, height: 180 };

export function formatBytes(bytes) {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(bytes < 10 * 1024 * 1024 ? 1 : 0)} MB`;
}

// Opens (a picture, in a new tab) or saves (anything else, under its name) a chat file.
async function openFile(call, file, toast, { save }) {
  try {
    const link = el('a', { href: await call.chatFileUrl(file.file_id) });
    if (save) link.download = file.name;
    else link.target = '_blank';
    link.click();
  } catch (error) {
    toast(error.message);
  }
}

function fileView(call, file, toast) {
  const download = el('button', { type: 'button', className: 'mf-chat-file-download' }, icon('download', { size: 16 }), el('span', {}, 'Download'));
  download.setAttribute('aria-label', `Download ${file.name}`);
  download.addEventListener('click', () => openFile(call, file, toast, { save: true }));
  if (!file.image) {
    return el('div', { className: 'mf-chat-file' }, icon('file', { size: 28 }),
      el('span', { className: 'mf-chat-file-about' }, el('span', { className: 'mf-chat-file-name' }, file.name),
        el('span', { className: 'mf-chat-file-size' }, formatBytes(file.size))),
      download);
  }
  // The box keeps the picture's shape before its thumbnail arrives: the list does not jump.
  const scale = Math.min(1, THUMB_BOX.width / (file.width || 1), THUMB_BOX.height / (file.height || 1));
  const picture = el('img', { alt: file.name, width: Math.max(1, Math.round((file.width || 1) * scale)), height: Math.max(1, Math.round((file.height || 1) * scale)) });
  call.chatFileUrl(file.file_id, { thumbnail: true }).then((url) => { picture.src = url; }, () => picture.classList.add('mf-chat-image-missing'));
  const open = el('button', { type: 'button', className: 'mf-chat-image' }, picture);
  open.setAttribute('aria-label', `Open ${file.name}`);
  open.addEventListener('click', () => openFile(call, file, toast, { save: false }));
  return el('div', { className: 'mf-chat-file mf-chat-file-image' }, open, download);
}

export function chatPanel(call, { toast }) {
  const list = el('ol', { className: 'mf-chat-list', role: 'log' });
  list.setAttribute('aria-label', 'Messages');
  const input = el('input', { className: 'mf-chat-input', maxLength: 4000, placeholder: 'Say something…', autocomplete: 'off' });
  input.setAttribute('aria-label', 'Message');
  const emojiRow = el('div', { className: 'mf-emoji-row' }, ...EMOJI.map((emoji) => {
    const b = textButton(emoji, () => { input.value += emoji; input.focus(); }, 'mf-emoji');
    b.setAttribute('aria-label', `Add ${emoji}`);
    return b;
  }));
  const picker = el('input', { type: 'file', multiple: true, hidden: true });
  const attach = el('button', { type: 'button', className: 'mf-button mf-chat-attach' }, icon('paperclip', { size: 18 }));
  attach.setAttribute('aria-label', 'Share a file');
  attach.title = 'Share a file (or drop it here)';
  attach.addEventListener('click', () => picker.click());
  picker.addEventListener('change', () => {
    share([...picker.files]);
    picker.value = '';
  });
  const send = el('button', { type: 'submit', className: 'mf-button mf-button-primary mf-send' }, icon('send', { size: 18 }));
  send.setAttribute('aria-label', 'Send');
  const form = el('form', { className: 'mf-chat-form' }, emojiRow, el('div', { className: 'mf-chat-row' }, attach, input, send, picker));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    call.sendChat(text);
    input.value = '';
  });
  input.addEventListener('paste', (event) => {
    const files = [...(event.clipboardData?.files ?? [])];
    if (files.length === 0) return;
    event.preventDefault();
    share(files);
  });
  const empty = el('p', { className: 'mf-empty' }, 'No messages yet. Say hello!');
  const dropHint = el('div', { className: 'mf-chat-drop', hidden: true }, icon('paperclip', { size: 28 }), el('span', {}, 'Drop to share in the chat'));
  const element = el('div', { className: 'mf-chat' }, empty, list, form, dropHint);
  const carriesFiles = (event) => [...(event.dataTransfer?.types ?? [])].includes('Files');
  element.addEventListener('dragover', (event) => {
    if (!carriesFiles(event)) return;
    event.preventDefault();
    dropHint.hidden = false;
  });
  element.addEventListener('dragleave', (event) => { if (!element.contains(event.relatedTarget)) dropHint.hidden = true; });
  element.addEventListener('drop', (event) => {
    if (!carriesFiles(event)) return;
    event.preventDefault();
    dropHint.hidden = true;
    share([...event.dataTransfer.files]);
  });

  function message(m) {
    const self = m.from_user_id === call.self()?.user_id;
    const time = new Date(m.sent_at || Date.now()).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
    const item = el('li', { className: `mf-chat-message${self ? ' mf-chat-mine' : ''}` },
      el('span', { className: 'mf-chat-meta' }, el('span', { className: 'mf-chat-from' }, self ? 'You' : m.display_name), ` · ${time}`));
    if (m.text) item.append(el('span', { className: 'mf-chat-text' }, m.text));
    if (m.file) item.append(fileView(call, m.file, toast));
    if (!self && call.__report) {
      const report = el('button', { type: 'button', className: 'mf-chat-report', title: 'Report this message' }, icon('flag', { size: 14 }));
      report.setAttribute('aria-label', `Report this message from ${m.display_name}`);
      report.addEventListener('click', () => call.__report({ user_id: m.from_user_id, display_name: m.display_name, message_id: m.id }));
      item.append(report);
    }
    return item;
  }

  // One line per file on its way: its name, a progress bar and Cancel; then why, if it was refused.
  function share(files) {
    for (const file of files) {
      const progress = el('progress', { max: 1, value: 0 });
      progress.setAttribute('aria-label', `Sending ${file.name}`);
      const controller = new AbortController();
      const cancel = textButton('Cancel', () => controller.abort(), 'mf-chat-file-cancel');
      const status = el('span', { className: 'mf-chat-file-size' }, formatBytes(file.size));
      const item = el('li', { className: 'mf-chat-message mf-chat-mine mf-chat-pending' },
        el('div', { className: 'mf-chat-file' }, icon('file', { size: 28 }),
          el('span', { className: 'mf-chat-file-about' }, el('span', { className: 'mf-chat-file-name' }, file.name), status, progress),
          cancel));
      list.append(item);
      item.scrollIntoView?.({ block: 'end' });
      empty.hidden = true;
      call.shareFile(file, { signal: controller.signal, onProgress: (fraction) => { progress.value = fraction; } }).then(
        () => item.remove(),
        (error) => {
          if (error.code === 'cancelled') return item.remove();
          item.classList.add('mf-chat-failed');
          progress.remove();
          status.textContent = error.message;
          status.setAttribute('role', 'alert');
          cancel.textContent = 'Dismiss';
          cancel.onclick = () => item.remove();
        });
    }
  }

  return {
    element,
    input,
    empty,
    // The whole history again (on joining): files on their way stay at the end.
    render() { list.replaceChildren(...call.chat().map(message), ...list.querySelectorAll('.mf-chat-pending')); },
    append(m) {
      const pending = list.querySelector('.mf-chat-pending');
      list.insertBefore(message(m), pending);
      list.lastChild.scrollIntoView?.({ block: 'end' });
    },
    get count() { return list.children.length; },
  };
}
