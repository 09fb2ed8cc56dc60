// The cards that pop up over any Mehfil page: an incoming call (incoming-call-card.js) and an invite
// to a room (invite-card.js). They stack in the bottom right corner (across the bottom on a phone),
// newest at the bottom, each with who it is from, a line of what it is, and two buttons. Light DOM
// with its own stylesheet, so it looks the same on every page that shows one.
//   floatingCard({label, avatar, who, kind, buttons: [{label, className, action}], pulse, focus, host}) → {card, close}
// A button's `className` is 'accept' (green), 'decline' (red) or 'dismiss' (grey). With `focus`, the
// last button takes the keyboard focus: for a ringing call, not for an invite (someone typing in a
// chat must not press Join by accident).

const STYLE_ID = 'mehfil-floating-card-style';
const CSS = `
.mehfil-cards { position: fixed; z-index: 2147483000; right: 16px; bottom: 16px; width: min(340px, calc(100vw - 32px));
  display: flex; flex-direction: column; gap: 10px; }
.mehfil-card { display: grid; grid-template-columns: auto 1fr; gap: 12px 14px; align-items: center; padding: 16px;
  border-radius: 16px; background: #1d2026; color: #f2f4f7; box-shadow: 0 12px 40px rgb(0 0 0 / 0.45);
  font: 15px/1.4 system-ui, sans-serif; animation: mehfil-card-in 180ms ease-out; }
@keyframes mehfil-card-in { from { transform: translateY(12px); opacity: 0; } }
.mehfil-card .avatar { width: 48px; height: 48px; border-radius: 50%; display: grid; place-items: center;
  background: #14806e; font-weight: 600; font-size: 18px; }
.mehfil-card .avatar.pulse { box-shadow: 0 0 0 0 rgb(20 128 110 / 0.6); animation: mehfil-card-pulse 1.6s infinite; }
@keyframes mehfil-card-pulse { 70% { box-shadow: 0 0 0 12px rgb(20 128 110 / 0); } }
.mehfil-card .who { font-weight: 600; font-size: 16px; overflow-wrap: anywhere; }
.mehfil-card .kind { color: #b8bfca; font-size: 14px; overflow-wrap: anywhere; }
.mehfil-card .actions { grid-column: 1 / -1; display: flex; gap: 10px; }
.mehfil-card button { flex: 1; font: inherit; font-weight: 600; min-height: 44px; border-radius: 999px; border: 0;
  cursor: pointer; color: #fff; }
.mehfil-card .accept { background: #1f9d55; }
.mehfil-card .decline { background: #c53030; }
.mehfil-card .dismiss { background: #3a3f48; }
.mehfil-card button:focus-visible { outline: 3px solid #8ab4f8; outline-offset: 2px; }
@media (max-width: 480px) { .mehfil-cards { left: 16px; right: 16px; width: auto; } }
`;

export function initials(name) {
  const words = String(name || '?').trim().split(/\s+/).filter(Boolean);
  return (words.length > 1 ? words[0][0] + words[words.length - 1][0] : (words[0] ?? '?').slice(0, 2)).toUpperCase();
}

function stack(host) {
  if (!document.getElementById(STYLE_ID)) {
    document.head.append(Object.assign(document.createElement('style'), { id: STYLE_ID, textContent: CSS }));
  }
  let cards = host.querySelector(':scope > .mehfil-cards');
  if (!cards) host.append((cards = Object.assign(document.createElement('div'), { className: 'mehfil-cards' })));
  return cards;
}

export function floatingCard({ label, avatar, who, kind, buttons, pulse = false, focus = false, className = '', host = document.body }) {
  const card = document.createElement('div');
  card.className = `mehfil-card ${className}`.trim();
  card.setAttribute('role', 'alertdialog');
  card.setAttribute('aria-label', label);
  const face = Object.assign(document.createElement('div'), { className: pulse ? 'avatar pulse' : 'avatar', textContent: avatar });
  face.setAttribute('aria-hidden', 'true');
  const text = document.createElement('div');
  text.append(Object.assign(document.createElement('div'), { className: 'who', textContent: who }),
    Object.assign(document.createElement('div'), { className: 'kind', textContent: kind }));
  const actions = Object.assign(document.createElement('div'), { className: 'actions' });
  for (const b of buttons) {
    const button = Object.assign(document.createElement('button'), { type: 'button', textContent: b.label, className: b.className });
    button.addEventListener('click', b.action);
    actions.append(button);
  }
  card.append(face, text, actions);
  const cards = stack(host);
  cards.append(card);
  if (focus) actions.lastElementChild?.focus({ preventScroll: true });
  const close = () => {
    card.remove();
    if (!cards.childElementCount) cards.remove();
  };
  return { card, close };
}
