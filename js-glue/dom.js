// The small DOM helpers the call UI files and the room page (web/room.js) share: el(tag, props,
// ...children), a text button with an icon, and a name's initial. Text goes in as text nodes, never
// as HTML.
import { icon } from './call-ui-icons.js';

export function el(tag, props = {}, ...children) {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children.filter((c) => c !== null && c !== undefined && c !== false));
  return node;
}

export function textButton(text, onClick, className = 'mf-button', iconName = null) {
  const button = el('button', { type: 'button', className }, iconName ? icon(iconName, { size: 18 }) : null, el('span', {}, text));
  button.addEventListener('click', onClick);
  return button;
}

export const initials = (name) => [...(name ?? '?').trim()][0]?.toUpperCase() ?? '?';
