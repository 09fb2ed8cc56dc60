// The small DOM helpers the call UI files and the room page (web/room.js) share: el(tag, props,
// ...children), a text button with an icon, a round control button, and a name's initial. Text goes in as text nodes, never
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

// A round control button of the call's bars: an icon, an accessible name, and a pressed state for toggles.
export function control(name, label, onClick, iconName = name) {
  const button = el('button', { type: 'button', className: `mf-control mf-control-${name}`, title: label });
  button.dataset.control = name;
  button.setAttribute('aria-label', label);
  button.append(icon(iconName));
  button.addEventListener('click', onClick);
  return button;
}

// A control's icon swapped, keeping its badge.
export function setIcon(button, name) {
  const badge = button.querySelector('.mf-badge');
  button.replaceChildren(icon(name), ...(badge ? [badge] : []));
}

export const initials = (name) => [...(name ?? '?').trim()][0]?.toUpperCase() ?? '?';
