// The waiting room's door, for the host and co-hosts (the core hands them the queue: the call's
// 'knock' event): a card over the call saying who waits, with Admit and Deny for each of the first
// few and Admit all; it goes when nobody waits, and Later hides it until someone new knocks. The
// participants panel lists everyone waiting too (people-panel.js, waitingSection). Who may answer
// the door and what admitting does are the core's and the server's; this only shows and asks.
//   doorCard(call, {onArrive}) -> {element, update({waiting, arrived})}
//   waitingSection(call) -> {element, render()}
import { el, textButton, initials } from './dom.js';

const SHOWN = 3;  // people on the card; the panel has the rest

// Admit and Deny for one person, named for a screen reader.
function answers(call, k) {
  const deny = textButton('Deny', () => call.deny(k.user_id), 'mf-button mf-button-small mf-button-ghost');
  deny.setAttribute('aria-label', `Deny ${k.display_name}`);
  const admit = textButton('Admit', () => call.admit(k.user_id), 'mf-button mf-button-small mf-button-primary');
  admit.setAttribute('aria-label', `Admit ${k.display_name}`);
  return el('span', { className: 'mf-door-answers' }, deny, admit);
}

function knocker(call, k) {
  return el('li', { className: 'mf-door-person' },
    el('span', { className: 'mf-avatar mf-avatar-small', ariaHidden: 'true' }, initials(k.display_name)),
    el('span', { className: 'mf-door-name' }, k.display_name), answers(call, k));
}

export function doorCard(call, { onArrive } = {}) {
  const title = el('strong', { className: 'mf-door-title' });
  const list = el('ul', { className: 'mf-door-list' });
  const more = el('p', { className: 'mf-door-more' });
  const admitAll = textButton('Admit all', () => call.admitAll(), 'mf-button mf-button-small mf-button-primary');
  const later = textButton('Later', () => { element.hidden = true; }, 'mf-button mf-button-small mf-button-ghost');
  const element = el('section', { className: 'mf-door', hidden: true, role: 'region' },
    el('div', { className: 'mf-door-head' }, title), list, more, el('div', { className: 'mf-row mf-row-end' }, later, admitAll));
  element.setAttribute('aria-label', 'Waiting to join');
  return {
    element,
    update({ waiting, arrived }) {
      if (!waiting.length) {
        element.hidden = true;
        return;
      }
      if (arrived.length) {
        element.hidden = false;  // someone new knocked: the card comes back even after Later
        onArrive?.(arrived);
      }
      title.textContent = waiting.length === 1 ? `${waiting[0].display_name} wants to join` : `${waiting.length} people want to join`;
      list.replaceChildren(...waiting.slice(0, SHOWN).map((k) => knocker(call, k)));
      more.hidden = waiting.length <= SHOWN;
      more.textContent = `and ${waiting.length - SHOWN} more in the participants panel`;
      admitAll.hidden = waiting.length < 2;
    },
  };
}

// The panel's "Waiting" section: everyone at the door, Admit all at its head.
export function waitingSection(call) {
  const head = el('h3', { className: 'mf-people-head' });
  const admitAll = textButton('Admit all', () => call.admitAll(), 'mf-button mf-button-small mf-button-primary');
  const list = el('ul', { className: 'mf-people mf-door-list' });
  list.setAttribute('aria-label', 'Waiting to join');
  const element = el('div', { className: 'mf-waiting-section' }, el('div', { className: 'mf-people-headrow' }, head, admitAll), list);
  return {
    element,
    render() {
      const waiting = call.waitingRoom();
      element.hidden = waiting.length === 0;
      head.textContent = `Waiting · ${waiting.length}`;
      admitAll.hidden = waiting.length < 2;
      list.replaceChildren(...waiting.map((k) => knocker(call, k)));
    },
  };
}
