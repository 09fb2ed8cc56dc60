// The home page's Live rooms: the public rooms people are in now (GET /api/rooms), each with its
// name, what it is about, its host, how full it is, and Join. The list is read every second while
// the page is visible, with the last answer's version, so an unchanged list costs a few bytes; a
// public room shows within a second or two of its first person coming in and goes when it ends or
// empties. Which rooms are listed is the server's rule (authority/room_authority.h: listed_publicly).
import { api, formatCount } from './site.js';
import { icon } from './call-ui-icons.js';

const POLL_MS = 1000;
const PAGE = 12;
const MOST = 50;  // the server's largest page

function el(tag, props = {}, ...children) {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children.filter((c) => c !== null && c !== undefined && c !== false));
  return node;
}

function card(room) {
  const full = room.participant_count >= room.max_participants;
  const join = full
    ? el('span', { className: 'btn btn-secondary btn-small live-full' }, 'Full')
    : el('a', { className: 'btn btn-primary btn-small', href: `/room/${room.room_code}` }, 'Join');
  if (!full) join.setAttribute('aria-label', `Join ${room.room_name}`);
  const marks = [room.has_password ? el('span', { className: 'live-mark', title: 'Needs a password' }, icon('lock', { size: 14 }), 'Password') : null,
    room.waiting_room ? el('span', { className: 'live-mark', title: 'The host lets each person in' }, icon('door', { size: 14 }), 'Waiting room') : null];
  const item = el('li', { className: 'live-room' },
    el('div', { className: 'live-main' },
      el('strong', { className: 'live-name' }, room.room_name),
      room.topic ? el('span', { className: 'live-topic' }, room.topic) : null,
      el('span', { className: 'live-meta' }, `Hosted by ${room.host_name || 'someone'}`, ...marks)),
    el('span', { className: 'live-count', title: `${room.participant_count} of ${room.max_participants} places taken` },
      icon('users', { size: 14 }), formatCount(room)),
    join);
  item.dataset.room = room.room_code;
  return item;
}

// Puts `rooms` in the list in the server's order, keeping the item of each room that did not change
// (drawn: room code -> {key, item}). A list rebuilt whole every second would take the keyboard's
// focus off the Join link a user is on; a room that changed is redrawn, with the focus moved to it.
function redraw(list, drawn, rooms) {
  const focused = document.activeElement;
  let refocus = null;
  const items = rooms.map((room) => {
    const key = JSON.stringify(room);
    const old = drawn.get(room.room_code);
    if (old?.key === key) return old.item;
    const item = card(room);
    if (old?.item.contains(focused)) refocus = item;
    old?.item.remove();
    drawn.set(room.room_code, { key, item });
    return item;
  });
  const shown = new Set(items);
  for (const [code, { item }] of drawn) {
    if (!shown.has(item)) {
      item.remove();
      drawn.delete(code);
    }
  }
  items.forEach((item, i) => { if (list.children[i] !== item) list.insertBefore(item, list.children[i] ?? null); });
  (refocus?.querySelector('a, .btn') ?? refocus)?.focus();
}

export function mountLiveRooms(section) {
  const list = section.querySelector('.live-list');
  const more = section.querySelector('.live-more');
  const count = section.querySelector('.live-total');
  const drawn = new Map();
  let version = null;
  let limit = PAGE;
  let timer = null;
  const show = (body) => {
    if (body.unchanged) return;
    version = body.version;
    section.hidden = body.total === 0;
    count.textContent = `${body.total} live now`;
    redraw(list, drawn, body.rooms);
    more.hidden = body.next_offset === undefined || limit >= MOST;
  };
  async function poll() {
    timer = null;
    if (document.visibilityState === 'visible') {
      try {
        show(await api('GET', `/api/rooms?limit=${limit}${version ? `&version=${encodeURIComponent(version)}` : ''}`, undefined, { auth: false }));
      } catch { /* the next turn tries again */ }
    }
    timer = setTimeout(poll, POLL_MS);
  }
  more.addEventListener('click', () => {
    limit = Math.min(MOST, limit + PAGE);
    version = null;  // a longer page is a different answer
    clearTimeout(timer);
    poll();
  });
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible' && timer) {
      clearTimeout(timer);
      poll();
    }
  });
  poll();
}
