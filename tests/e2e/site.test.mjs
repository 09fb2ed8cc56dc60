// The site in real Chromium against the real server: a room created through the home page's modals
// and joined from its success modal, and every screen a joiner can hit before the call — invalid
// code, full room, locked room, wrong password. Saves screenshots of each.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchChromium, screenshot } from './support.mjs';

let server;
let browser;
before(async () => {
  server = await startServer();
  browser = await launchChromium({ webrtc: true });
});
after(async () => {
  await browser?.close();
  await server?.close();
});

async function api(path, body, token) {
  const response = await fetch(`${server.url}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return response.json();
}

async function newPage(viewport = { width: 1280, height: 720 }) {
  const context = await browser.newContext({ viewport, reducedMotion: 'reduce' });
  const page = await context.newPage();
  page.on('pageerror', (error) => console.error('page error:', error.message));
  return page;
}

// A fresh browser meets the name gate first.
async function openRoom(page, code, name = 'Visitor') {
  await page.goto(`${server.url}/room/${code}`);
  const gate = page.locator('[data-screen="name"] input');
  if (await gate.isVisible({ timeout: 3000 }).catch(() => false)) {
    await gate.fill(name);
    await page.getByRole('button', { name: 'Continue' }).click();
  }
}

const screenOf = (page) => page.waitForFunction(() => document.body.dataset.screen, null, { timeout: 15000 })
  .then(() => page.evaluate(() => document.body.dataset.screen));

test('a room created through the home page is joined from its success modal', async () => {
  const page = await newPage();
  await page.goto(`${server.url}/`);
  await screenshot(page, 'site-home');
  await page.getByRole('button', { name: 'Create Room' }).first().click();
  await page.locator('#create-form input[name="display_name"]').fill('Ana');
  await page.locator('#create-form input[name="room_name"]').fill('Tea time');
  await screenshot(page, 'site-create-modal');
  await page.locator('#create-submit').click();
  await page.waitForFunction(() => document.querySelector('#success-code')?.textContent.trim().length === 8);
  const code = (await page.locator('#success-code').textContent()).trim();
  assert.match(code, /^[A-HJ-NP-Za-km-z2-9]{8}$/);
  await screenshot(page, 'site-success-modal');
  await page.locator('#join-now').click();
  await page.waitForURL(`**/room/${code}`);
  assert.equal(await screenOf(page), 'prejoin');
  assert.equal(await page.locator('.join-pane h1').textContent(), 'Tea time');
  await screenshot(page, 'site-prejoin');
  await page.getByRole('button', { name: 'Join Room' }).click();
  await page.waitForFunction(() => window.mehfilCall?.state === 'in_room', null, { timeout: 45000 });
});

test('an invalid code, a full room, a locked room and a wrong password each show their screen', async () => {
  const host = await api('/api/session', { display_name: 'Host' });
  const page = await newPage();

  await openRoom(page, 'XYZ789');
  assert.equal(await screenOf(page), 'room_not_found');
  assert.match(await page.locator('main').textContent(), /The room "XYZ789" doesn't exist or has expired\./);
  await screenshot(page, 'site-room-not-found');

  const full = (await api('/api/rooms/create', { max_participants: 2 }, host.token)).room_code;
  for (const name of ['One', 'Two']) {
    const guest = await api('/api/session', { display_name: name });
    await api(`/api/rooms/${full}/join`, {}, guest.token);
  }
  await openRoom(page, full);
  assert.equal(await screenOf(page), 'room_full');
  assert.match(await page.locator('main').textContent(), /2\/2/);

  const locked = (await api('/api/rooms/create', {}, host.token)).room_code;
  // The host locks the room from a socket of their own, as the call's settings panel would.
  const lockPage = await newPage();
  await lockPage.goto(`${server.url}/healthz`);
  await lockPage.evaluate(({ url, token, room }) => new Promise((done) => {
    const ws = new WebSocket(`${url.replace('http', 'ws')}/ws?token=${token}`);
    ws.onopen = () => ws.send(JSON.stringify({ type: 'room:join', room_code: room }));
    ws.onmessage = (event) => {
      const message = JSON.parse(event.data);
      if (message.type === 'room:joined') ws.send(JSON.stringify({ type: 'room:lock', locked: true, id: 1 }));
      if (message.type === 'ack') done();
    };
  }), { url: server.url, token: host.token, room: locked });
  await page.goto(`${server.url}/room/${locked}`);
  assert.equal(await screenOf(page), 'room_locked');

  const secret = (await api('/api/rooms/create', { password: 'sesame', room_name: 'Secret' }, host.token)).room_code;
  await page.goto(`${server.url}/room/${secret}`);
  assert.equal(await screenOf(page), 'prejoin');
  await page.locator('#room-password').fill('open sesame');
  await page.getByRole('button', { name: 'Join Room' }).click();
  await page.waitForFunction(() => /password is not right/.test(document.querySelector('.form-error')?.textContent ?? ''), null, { timeout: 45000 });
  await screenshot(page, 'site-wrong-password');

  const phone = await newPage({ width: 390, height: 844 });
  await openRoom(phone, secret, 'Phone');
  await screenOf(phone);
  await screenshot(phone, 'site-prejoin-phone');
});
