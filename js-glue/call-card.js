// A person's card in the call grid (createTileCard): their video slot, name, role, mic and camera
// states, the link's quality bars, "Connecting…" and "Can't connect", and the hover actions (Add
// Friend, the host powers the core allows: hostActions, also used by the participants list, and
// Report).
// Rendered by mehfil.js inside the call's shadow root; it shows, the core decides. Every card offers
// Pin / Unpin.
import { icon } from './call-ui-icons.js';
import { el, textButton, initials } from './dom.js';

// Lower hand, mute, kick (asks to confirm) and make co-host, as far as the core's permission table allows this
// user on that participant (a co-host gets none on the host); null when none. The server agrees.
export function hostActions(participant, call) {
  const allowed = call.hostActionsOn(participant.user_id).on;
  const kick = textButton('Kick', () => {
    const run = () => call.kick(participant.user_id);
    if (call.__confirm) {
      call.__confirm({ title: `Remove ${participant.display_name}?`, text: 'They will leave the call and cannot rejoin this room.', ok: 'Remove', run });
    } else if (kick.dataset.confirm) {
      run();
    } else {
      kick.dataset.confirm = 'yes';
      kick.lastChild.textContent = 'Confirm kick';
    }
  }, 'mf-button mf-button-small mf-button-danger', 'user-x');
  kick.setAttribute('aria-label', `Remove ${participant.display_name} from the room`);
  const mute = textButton('Mute', () => call.mute(participant.user_id), 'mf-button mf-button-small', 'mic-off');
  mute.setAttribute('aria-label', `Mute ${participant.display_name}`);
  mute.disabled = participant.audio === false;
  const cohost = textButton('Make Co-Host', () => call.makeCohost(participant.user_id), 'mf-button mf-button-small', 'shield');
  cohost.setAttribute('aria-label', `Make ${participant.display_name} a co-host`);
  const lower = textButton('Lower hand', () => call.lowerHand(participant.user_id), 'mf-button mf-button-small', 'hand');
  lower.setAttribute('aria-label', `Lower ${participant.display_name}'s hand`);
  const shown = [['lower_hand', lower], ['mute', mute], ['kick', kick], ['make_cohost', cohost]].filter(([action]) => allowed.includes(action));
  return shown.length ? el('div', { className: 'mf-host-actions' }, ...shown.map(([, button]) => button)) : null;
}

// Add Friend, for everyone on everyone else's card; what it says follows the server's answer.
function friendButton(participant, call) {
  const relation = call.friendRelation?.(participant.user_id) ?? null;
  const label = { friends: 'Friends', outgoing: 'Request sent', incoming: 'Accept Friend' }[relation] ?? 'Add Friend';
  const button = textButton(label, () => {
    button.disabled = true;
    call.addFriend(participant.user_id).catch((error) => {
      button.disabled = false;
      call.emit('toast', { kind: 'friend', text: error?.message ?? 'Could not send the request' });
    });
  }, 'mf-button mf-button-small mf-friend', relation === 'friends' ? 'check' : 'user-plus');
  button.setAttribute('aria-label', relation ? `${label}: ${participant.display_name}` : `Add ${participant.display_name} as a friend`);
  button.disabled = relation === 'friends' || relation === 'outgoing';
  return button;
}

// Report, on everyone else's card: the call UI's dialog asks why (report-dialog.js).
function reportButton(participant, call) {
  const button = textButton('Report', () => call.__report?.(participant), 'mf-button mf-button-small mf-report-button', 'flag');
  button.setAttribute('aria-label', `Report ${participant.display_name}`);
  return button;
}

// Pin or Unpin, on every tile: a pinned tile holds the stage (the core keeps the pin, room/stage.h).
function pinButton(p, label, call) {
  const button = textButton(p.pinned ? 'Unpin' : 'Pin', () => (p.pinned ? call.unpin() : call.pin(p.tile_id)),
    'mf-button mf-button-small mf-pin', 'pin');
  button.setAttribute('aria-label', `${p.pinned ? 'Unpin' : 'Pin'} ${label}`);
  button.setAttribute('aria-pressed', String(!!p.pinned));
  return button;
}

export function createTileCard(participant, call) {
  const element = el('div', { className: 'mf-card', tabIndex: 0 });
  const videoSlot = el('div', { className: 'mf-video-slot' });
  const avatar = el('div', { className: 'mf-card-avatar', hidden: true }, el('span', { className: 'mf-avatar' }));
  const name = el('span', { className: 'mf-card-name' });
  const roleIcon = el('span', { className: 'mf-card-role' });
  const states = el('span', { className: 'mf-card-states' });
  const connecting = el('div', { className: 'mf-card-connecting', hidden: true }, el('span', {}, 'Connecting…'));
  const overlay = el('div', { className: 'mf-card-overlay' });
  const unreachable = el('div', { className: 'mf-card-unreachable', hidden: true, role: 'status' });
  const quality = el('span', { className: 'mf-card-quality', hidden: true }, el('i'), el('i'), el('i'));
  const hand = el('span', { className: 'mf-card-hand', hidden: true, title: 'Hand raised' }, icon('hand', { size: 18 }));
  element.append(videoSlot, avatar, connecting, unreachable, hand, el('div', { className: 'mf-card-label' }, quality, roleIcon, name), states, overlay);
  let current = participant;
  let isConnecting = false;
  const update = (p) => {
    current = p;
    const label = p.kind === 'screen' ? `${p.display_name}’s screen` : p.is_local ? `${p.display_name} (you)` : p.display_name;
    name.textContent = label;
    roleIcon.replaceChildren(...(p.kind !== 'screen' && (p.is_host || p.is_cohost) ? [icon(p.is_host ? 'crown' : 'shield', { size: 14 })] : []));
    roleIcon.title = p.is_host ? 'Host' : p.is_cohost ? 'Co-host' : '';
    element.classList.toggle('mf-speaking', !!p.speaking && p.kind !== 'screen');
    element.classList.toggle('mf-card-screen', p.kind === 'screen');
    const micOff = p.kind !== 'screen' && p.audio === false;
    const camOff = p.kind !== 'screen' && p.video === false;
    const marks = [];
    if (micOff) marks.push(el('span', { className: 'mf-state mf-state-off', title: 'Microphone off' }, icon('mic-off', { size: 14 })));
    if (camOff) marks.push(el('span', { className: 'mf-state', title: 'Camera off' }, icon('video-off', { size: 14 })));
    states.replaceChildren(...marks);
    avatar.hidden = !camOff;
    avatar.firstChild.textContent = initials(p.display_name);
    videoSlot.hidden = camOff;
    connecting.hidden = !isConnecting || camOff;
    const raised = p.kind !== 'screen' && p.hand_raised_at != null;
    hand.hidden = !raised;
    element.classList.toggle('mf-hand-raised', raised);
    const facts = [label, p.is_host ? 'host' : p.is_cohost ? 'co-host' : '', raised ? 'hand raised' : '', micOff ? 'microphone off' : '',
      camOff ? 'camera off' : '', p.speaking ? 'speaking' : '']
      .filter(Boolean).join(', ');
    element.setAttribute('aria-label', facts);
    const remoteCamera = !p.is_local && p.kind !== 'screen';
    element.classList.toggle('mf-pinned', !!p.pinned);
    overlay.replaceChildren(...(p.tile_id ? [pinButton(p, label, call)] : []), ...(remoteCamera ? [friendButton(p, call)] : []),
      ...(remoteCamera ? [hostActions(p, call)].filter(Boolean) : []), ...(remoteCamera && call.__report ? [reportButton(p, call)] : []));
  };
  update(participant);
  return {
    element,
    videoSlot,
    update,
    setConnecting(on) {
      isConnecting = !!on;
      element.classList.toggle('mf-connecting', isConnecting);
      connecting.hidden = !isConnecting || current.video === false;
    },
    // The core's LinkReport for this person (room/link_quality.h): three bars, good / fair / poor.
    setQuality(report) {
      const known = report && report.quality !== 'unknown';
      quality.hidden = !known;
      if (!known) return;
      quality.dataset.quality = report.quality;
      const facts = [`Connection: ${report.quality}`, report.rtt_ms != null ? `${Math.round(report.rtt_ms)} ms` : '',
        report.loss_percent >= 0.5 ? `${report.loss_percent.toFixed(0)}% loss` : '', report.path].filter(Boolean);
      quality.title = facts.join(' · ');
      quality.setAttribute('aria-label', quality.title);
    },
    // `reason` from the core (PeerLink::unreachable_reason): "no_relay", "relay_failed", or null.
    setUnreachable(reason) {
      unreachable.hidden = !reason;
      element.classList.toggle('mf-unreachable', !!reason);
      if (!reason) return;
      unreachable.replaceChildren(
        icon('wifi-off', { size: 22 }),
        el('strong', {}, `Can’t connect to ${current.display_name}`),
        el('span', {}, UNREACHABLE_REASONS[reason] ?? UNREACHABLE_REASONS.no_relay));
    },
  };
}

const UNREACHABLE_REASONS = {
  no_relay: 'Your networks block a direct connection, and this server has no relay (TURN) to go through.',
  relay_failed: 'Neither a direct connection nor the relay server got through. Still trying…',
};
