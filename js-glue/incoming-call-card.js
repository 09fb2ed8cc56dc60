// The incoming-call card: who is calling, audio or video, Accept and Decline, and a ringtone, on any
// page that rings (the site's pages; an embed with `ringing: true`). It shows one incoming ring from
// Mehfil.onIncomingCall (ring.js) and goes away when that ring ends, however it ends: answered here,
// declined, answered in another tab, cancelled by the caller, or unanswered after 30 s.
//
//   showIncomingCall(incoming, { onAccept(incoming), host }) → close()
// The card is a light-DOM element appended to `host` (document.body by default), styled by its own
// stylesheet so it looks the same on every page.

const STYLE_ID = 'mehfil-incoming-call-style';
const CSS = `
.mehfil-incoming { position: fixed; z-index: 2147483000; right: 16px; bottom: 16px; width: min(340px, calc(100vw - 32px));
  display: grid; grid-template-columns: auto 1fr; gap: 12px 14px; align-items: center; padding: 16px;
  border-radius: 16px; background: #1d2026; color: #f2f4f7; box-shadow: 0 12px 40px rgb(0 0 0 / 0.45);
  font: 15px/1.4 system-ui, sans-serif; animation: mehfil-incoming-in 180ms ease-out; }
@keyframes mehfil-incoming-in { from { transform: translateY(12px); opacity: 0; } }
.mehfil-incoming .avatar { width: 48px; height: 48px; border-radius: 50%; display: grid; place-items: center;
  background: #14806e; font-weight: 600; font-size: 18px; box-shadow: 0 0 0 0 rgb(20 128 110 / 0.6);
  animation: mehfil-incoming-pulse 1.6s infinite; }
@keyframes mehfil-incoming-pulse { 70% { box-shadow: 0 0 0 12px rgb(20 128 110 / 0); } }
.mehfil-incoming .who { font-weight: 600; font-size: 16px; overflow-wrap: anywhere; }
.mehfil-incoming .kind { color: #b8bfca; font-size: 14px; }
.mehfil-incoming .actions { grid-column: 1 / -1; display: flex; gap: 10px; }
.mehfil-incoming button { flex: 1; font: inherit; font-weight: 600; min-height: 44px; border-radius: 999px; border: 0;
  cursor: pointer; color: #fff; }
.mehfil-incoming .accept { background: #1f9d55; }
.mehfil-incoming .decline { background: #c53030; }
.mehfil-incoming button:focus-visible { outline: 3px solid #8ab4f8; outline-offset: 2px; }
@media (max-width: 480px) { .mehfil-incoming { left: 16px; right: 16px; width: auto; bottom: 16px; } }
`;

function initials(name) {
  const words = String(name || '?').trim().split(/\s+/).filter(Boolean);
  return (words.length > 1 ? words[0][0] + words[words.length - 1][0] : (words[0] ?? '?').slice(0, 2)).toUpperCase();
}

// A soft two-note chime every two seconds, made with WebAudio (no sound file to fetch). A browser
// that blocks audio before the page was touched simply stays silent; the card still shows.
function ringtone() {
  let context;
  try {
    context = new AudioContext();
  } catch {
    return () => {};
  }
  const chime = () => {
    const start = context.currentTime;
    for (const [offset, frequency] of [[0, 784], [0.22, 659]]) {
      const tone = context.createOscillator();
      const gain = context.createGain();
      tone.frequency.value = frequency;
      gain.gain.setValueAtTime(0.0001, start + offset);
      gain.gain.exponentialRampToValueAtTime(0.18, start + offset + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, start + offset + 0.4);
      tone.connect(gain).connect(context.destination);
      tone.start(start + offset);
      tone.stop(start + offset + 0.45);
    }
  };
  chime();
  const every = setInterval(chime, 2000);
  return () => {
    clearInterval(every);
    context.close().catch(() => {});
  };
}

export function showIncomingCall(incoming, { onAccept, host = document.body } = {}) {
  if (!document.getElementById(STYLE_ID)) {
    document.head.append(Object.assign(document.createElement('style'), { id: STYLE_ID, textContent: CSS }));
  }
  const name = incoming.from.display_name || 'Someone';
  const card = document.createElement('div');
  card.className = 'mehfil-incoming';
  card.setAttribute('role', 'alertdialog');
  card.setAttribute('aria-label', `Incoming ${incoming.video ? 'video' : 'audio'} call from ${name}`);
  const avatar = Object.assign(document.createElement('div'), { className: 'avatar', textContent: initials(name) });
  avatar.setAttribute('aria-hidden', 'true');
  const text = document.createElement('div');
  text.append(Object.assign(document.createElement('div'), { className: 'who', textContent: name }),
    Object.assign(document.createElement('div'), { className: 'kind', textContent: incoming.video ? 'Incoming video call…' : 'Incoming audio call…' }));
  const button = (label, className, action) => {
    const element = Object.assign(document.createElement('button'), { type: 'button', textContent: label, className });
    element.addEventListener('click', action);
    return element;
  };
  const stopRinging = ringtone();
  const close = () => {
    stopRinging();
    card.remove();
  };
  const actions = Object.assign(document.createElement('div'), { className: 'actions' });
  actions.append(
    button('Decline', 'decline', () => { close(); incoming.decline(); }),
    button('Accept', 'accept', () => { close(); onAccept?.(incoming); }),
  );
  card.append(avatar, text, actions);
  host.append(card);
  actions.lastElementChild.focus({ preventScroll: true });
  incoming.ended.then(close);
  return close;
}
