// The participants panel of the call UI: for the host and co-hosts who waits at the door (the
// waiting room), then raised hands, in the order they went up, then
// everyone in the stage's order, each with their role, microphone and camera, the host powers the
// core allows on them (call-card.js hostActions: mute, remove, make co-host, lower hand), and Call /
// Video call for a friend. Mute all heads it for those whose role holds it. Everything shown is
// the core's answer (the call's participants() and hostActionsOn()); this file only lays it out.
//   peoplePanel(call) -> {element, render()}
import { icon } from './call-ui-icons.js';
import { el, textButton, initials } from './dom.js';
import { hostActions } from './call-card.js';
import { raisedHands } from './participants.js';
import { waitingSection } from './door-card.js';

function person(p, call, queuePlace) {
  const badges = [p.is_host ? 'host' : p.is_cohost ? 'co-host' : null, p.audio ? null : 'muted', p.video ? null : 'camera off']
    .filter(Boolean).join(' · ');
  const hand = queuePlace ? el('span', { className: 'mf-person-hand', title: `Hand raised (${queuePlace})` },
    el('span', { className: 'mf-visually-hidden' }, 'Hand raised, in line: '), icon('hand', { size: 16 }), String(queuePlace)) : null;
  const item = el('li', { className: `mf-person${queuePlace ? ' mf-person-raised' : ''}` },
    el('span', { className: 'mf-avatar mf-avatar-small', ariaHidden: 'true' }, initials(p.display_name)),
    el('span', { className: 'mf-person-text' },
      el('span', { className: 'mf-person-name' }, p.is_local ? `${p.display_name} (you)` : p.display_name),
      el('span', { className: 'mf-person-badges' }, badges)),
    hand,
    el('span', { className: 'mf-person-icons' },
      icon(p.audio ? 'mic' : 'mic-off', { size: 16 }), icon(p.video ? 'video' : 'video-off', { size: 16 })));
  const actions = !p.is_local && hostActions(p, call);
  if (actions) item.append(actions);
  // A friend here can be rung 1:1; the page decides what that means for this room (ring-request).
  if (!p.is_local && !call.room()?.is_call && call.friendRelation(p.user_id) === 'friends') {
    item.append(el('span', { className: 'mf-person-calls' }, ...[['Call', 'phone', false], ['Video call', 'video', true]].map(([label, name, video]) => {
      const button = textButton(label, () => call.emit('ring-request', { user_id: p.user_id, display_name: p.display_name, video }), 'mf-button mf-button-small', name);
      button.title = `${label} ${p.display_name}`;
      return button;
    })));
  }
  return item;
}

export function peoplePanel(call) {
  const muteAll = textButton('Mute all', () => call.muteAll(), 'mf-button mf-button-small', 'mic-off');
  muteAll.setAttribute('aria-label', 'Mute everyone');
  const handsHead = el('h3', { className: 'mf-people-head' });
  const hands = el('ul', { className: 'mf-people mf-people-hands' });
  hands.setAttribute('aria-label', 'Raised hands');
  const everyoneHead = el('h3', { className: 'mf-people-head' });
  const everyone = el('ul', { className: 'mf-people' });
  everyone.setAttribute('aria-label', 'Everyone here');
  const door = waitingSection(call);
  const element = el('div', { className: 'mf-people-panel' },
    el('div', { className: 'mf-row mf-people-tools' }, muteAll), door.element, handsHead, hands, everyoneHead, everyone);
  return {
    element,
    render() {
      door.render();
      const people = call.participants();
      const raised = raisedHands(people);
      const place = new Map(raised.map((p, i) => [p.peer_id, i + 1]));
      muteAll.parentElement.hidden = !call.hostActionsOn(call.self()?.user_id).room.includes('mute_all');
      handsHead.hidden = hands.hidden = raised.length === 0;
      handsHead.textContent = `Raised hands · ${raised.length}`;
      hands.replaceChildren(...raised.map((p) => person(p, call, place.get(p.peer_id))));
      everyoneHead.textContent = `In the room · ${people.length}`;
      everyone.replaceChildren(...people.map((p) => person(p, call, place.get(p.peer_id))));
    },
  };
}
