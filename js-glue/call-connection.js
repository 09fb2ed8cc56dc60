// The "Connection info" panel: per person in the call, how the link to them is doing, as other
// call apps show it: the path (direct, or relayed through the TURN server), round-trip time,
// bitrate each way and packet loss, with the core's good / fair / poor verdict. The figures come
// from call.connectionStats() (the core's LinkReport per peer, refreshed every 2 s); this file only
// lays them out.
import { el } from './dom.js';

const QUALITY_WORDS = { good: 'Good', fair: 'Fair', poor: 'Poor', unknown: '—' };
const STATE_WORDS = { new: 'Connecting…', negotiating: 'Connecting…', reconnecting: 'Reconnecting…', unreachable: 'Can’t connect' };

const kbps = (bps) => (bps >= 1e6 ? `${(bps / 1e6).toFixed(1)} Mb/s` : `${Math.round(bps / 1e3)} kb/s`);

function row(person) {
  const waiting = STATE_WORDS[person.link_state];
  const path = person.path === 'relayed' ? 'Relayed (TURN)' : person.path === 'direct' ? 'Direct' : waiting ?? '—';
  const figure = (label, value) => el('div', { className: 'mf-conn-figure' }, el('dt', {}, label), el('dd', {}, value));
  const quality = el('span', { className: 'mf-conn-quality' }, QUALITY_WORDS[person.quality] ?? '—');
  quality.dataset.quality = person.quality;
  return el('li', { className: 'mf-conn-person' },
    el('div', { className: 'mf-conn-head' }, el('strong', {}, person.display_name), quality),
    el('dl', { className: 'mf-conn-figures' },
      figure('Path', path),
      figure('Round trip', person.rtt_ms != null ? `${Math.round(person.rtt_ms)} ms` : '—'),
      figure('Receiving', person.in_bps ? kbps(person.in_bps) : '—'),
      figure('Sending', person.out_bps ? kbps(person.out_bps) : '—'),
      figure('Loss', person.path ? `${(person.loss_percent ?? 0).toFixed(1)} %` : '—')));
}

export function createConnectionPane(call) {
  const list = el('ul', { className: 'mf-conn-list' });
  const empty = el('p', { className: 'mf-empty' }, 'Nobody else is here yet.');
  const element = el('div', { className: 'mf-conn' }, list, empty);
  return {
    element,
    refresh() {
      const people = call.connectionStats?.() ?? [];
      list.replaceChildren(...people.map(row));
      empty.hidden = people.length > 0;
    },
  };
}
