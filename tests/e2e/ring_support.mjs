// Pieces shared by the 1:1 call tests and the ring benchmark: people on the site's home page with
// sessions of their own, made friends the server's way, ringing each other from the friends list,
// and what their pages show (the incoming card, the call's status strip, toasts, the call's tiles).
import { newPage, guestSession, rest, eventually } from './support.mjs';

export function ringSupport(world) {
  // A person on the home page with a session of their own.
  async function person(name, { viewport, colorScheme } = {}) {
    const session = await guestSession(world, name);
    const page = await newPage(world, { name, viewport, colorScheme, session: { ...session, display_name: name } });
    page.on('console', (message) => { if (message.type() === 'error') console.error(`[${name}]`, message.text()); });
    await page.goto(`${world.server.url}/`);
    await page.waitForSelector('body[data-ready="true"]');
    return { name, page, session };
  }

  // Friends are made in a call (the server's rule): both go into a room on a socket of their own,
  // ask and accept, and leave.
  async function befriend(a, b) {
    const room = await rest(world, '/api/rooms/create', { room_name: 'Meet', max_participants: 4 }, a.session.token);
    const sockets = await Promise.all([a, b].map((who) => who.page.evaluateHandle(async ({ code, token }) => {
      const ws = new WebSocket(`ws://${location.host}/ws?token=${encodeURIComponent(token)}`);
      await new Promise((opened) => { ws.onopen = opened; });
      ws.send(JSON.stringify({ type: 'room:join', room_code: code }));
      await new Promise((joined) => { ws.onmessage = (e) => { if (JSON.parse(e.data).type === 'room:joined') joined(); }; });
      return ws;
    }, { code: room.room_code, token: who.session.token })));
    await rest(world, '/api/friends/request', { target_user_id: b.session.user_id }, a.session.token);
    await rest(world, '/api/friends/accept', { target_user_id: a.session.user_id }, b.session.token);
    for (const ws of sockets) await ws.evaluate((socket) => socket.close());
  }

  async function openFriends(page) {
    await page.getByRole('button', { name: 'Your Rooms' }).click();
    await page.getByRole('tab', { name: /Friends/ }).click();
  }

  // Rings `callee` from `caller`'s friends list.
  async function ring(caller, callee, { video }) {
    await openFriends(caller.page);
    const row = caller.page.locator('#list-friends li').filter({ hasText: callee.name });
    await row.getByRole('button', { name: video ? 'Video call' : 'Call', exact: true }).click();
  }

  const card = (page) => page.getByRole('alertdialog', { name: /Incoming (video|audio) call from/ });
  const status = (page) => page.locator('.call-overlay [part="call-status"]');
  const toasts = (page) => page.locator('.toasts .toast').allTextContents();

  // The call's tiles on the page: how many, how many play, and the layout engine's PiP tile.
  const callTiles = (page) => page.evaluate(() => {
    // The caller's call is the overlay's own; the callee's is an element inside it (ring.js).
    const overlay = document.querySelector('.call-overlay');
    const root = overlay?.shadowRoot ?? overlay?.querySelector('.mehfil-call')?.shadowRoot;
    const tiles = root ? [...root.querySelectorAll('.tile:not(.tile-leaving)')] : [];
    return {
      tiles: tiles.length,
      playing: tiles.filter((t) => t.querySelector('video')?.videoWidth > 0).length,
      pip: tiles.filter((t) => t.classList.contains('tile-pip')).map((t) => t.dataset.local),
    };
  });

  const bothPlay = (pages) => eventually(async () => {
    for (const page of pages) {
      const seen = await callTiles(page);
      if (seen.tiles !== 2 || seen.playing !== 2 || seen.pip.length !== 1 || seen.pip[0] !== 'true') return false;
    }
    return true;
  }, { timeout: 60000, what: 'both pages playing two tiles, their own in the corner' });

  return { person, befriend, ring, card, status, toasts, callTiles, bothPlay };
}
