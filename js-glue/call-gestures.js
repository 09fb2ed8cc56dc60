// Raise hand and reactions in the call's bottom bar: the hand button (and the H key anywhere in the
// page but a text field) and the reaction picker. Whether they go through, and how often, is the
// core's and the server's (authority/gestures.h); the set of reactions is the core's (REACTIONS).
//   gestureControls(call, root) -> {hand, reactions, refresh(), destroy()}
import { REACTIONS } from './mehfil-core.mjs';
import { el, control } from './dom.js';

// What a screen reader says for each, in the picker.
const SPOKEN = { '👍': 'thumbs up', '❤️': 'heart', '😂': 'laughing', '👏': 'applause', '🎉': 'celebrate', '😮': 'surprised' };

// A key press that means "H" to this call, not a letter typed into something: not in a text field,
// the code editor or the whiteboard (its text tool reads keys on its canvas), not taken by someone
// else already, and aimed at this call or at nothing in particular (a page may hold several calls).
function isHandKey(event, root) {
  if (event.key !== 'h' && event.key !== 'H') return false;
  if (event.ctrlKey || event.metaKey || event.altKey || event.repeat || event.defaultPrevented) return false;
  const path = event.composedPath();
  const target = path[0];
  if (!(target === document.body || target === document.documentElement || path.includes(root))) return false;
  return !(target instanceof HTMLElement && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT|CANVAS)$/.test(target.tagName)));
}

export function gestureControls(call, root) {
  // One name; aria-pressed says whether it is up.
  const hand = control('hand', 'Raise hand (H)', () => call.raiseHand(call.self()?.hand_raised_at == null));
  // A toolbar of buttons that stays open, so a burst of applause is a few clicks.
  const picker = el('div', { className: 'mf-reaction-picker', role: 'toolbar', hidden: true });
  picker.setAttribute('aria-label', 'Reactions');
  const react = control('react', 'Send a reaction', () => (picker.hidden ? open() : close()), 'smile');
  react.setAttribute('aria-expanded', 'false');
  for (const emoji of REACTIONS) {
    const choice = el('button', { type: 'button', className: 'mf-reaction-choice', textContent: emoji, title: SPOKEN[emoji] ?? emoji });
    choice.setAttribute('aria-label', `React with ${SPOKEN[emoji] ?? emoji}`);
    choice.addEventListener('click', () => call.react(emoji));  // the picker stays open for a burst
    picker.append(choice);
  }
  function open() {
    picker.hidden = false;
    react.setAttribute('aria-expanded', 'true');
    picker.firstChild?.focus();
  }
  function close(focusButton = false) {
    if (picker.hidden) return;
    picker.hidden = true;
    react.setAttribute('aria-expanded', 'false');
    if (focusButton) react.focus();
  }
  picker.addEventListener('keydown', (event) => {
    const choices = [...picker.children];
    const at = choices.indexOf(root.activeElement);
    if (event.key === 'ArrowRight' || event.key === 'ArrowDown') choices[(at + 1) % choices.length].focus();
    else if (event.key === 'ArrowLeft' || event.key === 'ArrowUp') choices[(at - 1 + choices.length) % choices.length].focus();
    else if (event.key === 'Home') choices[0].focus();
    else if (event.key === 'End') choices[choices.length - 1].focus();
    else if (event.key === 'Escape' || event.key === 'Tab') return close(event.key === 'Escape');
    else return;
    event.preventDefault();
  });
  const onOutside = (event) => { if (!event.composedPath().includes(reactions)) close(); };
  const onKey = (event) => {
    if (!isHandKey(event, root) || call.state !== 'in_room') return;
    event.preventDefault();
    call.raiseHand(call.self()?.hand_raised_at == null);
  };
  root.addEventListener('pointerdown', onOutside);
  window.addEventListener('keydown', onKey);
  const reactions = el('div', { className: 'mf-more-wrap' }, react, picker);
  return {
    hand,
    reactions,
    refresh() {
      const up = call.self()?.hand_raised_at != null;
      hand.setAttribute('aria-pressed', String(up));
      hand.title = up ? 'Lower your hand (H)' : 'Raise your hand (H)';
      const inRoom = call.state === 'in_room';
      hand.disabled = react.disabled = !inRoom;
      if (!inRoom) close();
    },
    destroy() {
      root.removeEventListener('pointerdown', onOutside);
      window.removeEventListener('keydown', onKey);
    },
  };
}
