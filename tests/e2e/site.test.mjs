// The site in real Chromium against the real server: a room created through the home page's modals
// and joined from its success modal, the join modal taking a pasted link, the keyboard path, and
// every screen a joiner can hit before the call — invalid code, full room, locked room, wrong
// password. Saves screenshots of each, at phone size and in the dark theme too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setUp, newPage, guestSession, createRoom, takeSeats, openRoomPage, passNameGate, screenOf, screenshot } from './support.mjs';

// Full rooms here are filled by REST joins that never open a socket; the server holds such a seat
// for the reservation time only (15 s by default), which a loaded machine can outlast.
const world = setUp({ serverFlags: ['--reservation-ms', '300000'], chromium: { webrtc: true } });
const phoneSize = { width: 390, height: 844 };

test('a room created through the home page is joined from its success modal', async () => {
  const page = await newPage(world);
  await page.goto(`${world.server.url}/`);
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
  // The preview's mic meter (level-meter.js) lights up with the fake microphone's beeps.
  await page.waitForFunction(() => document.querySelectorAll('.meter-bars i.lit').length > 0, null, { timeout: 15000 });
  // The camera and microphone pickers (device-picker.js) list the fake devices.
  for (const label of ['Camera', 'Microphone']) {
    await page.waitForFunction((name) => [...document.querySelectorAll('.devices label')]
      .find((l) => l.querySelector('span')?.textContent === name)?.querySelector('select')?.options.length > 0, label);
  }
  await screenshot(page, 'site-prejoin');
  await page.getByRole('button', { name: 'Join Room' }).click();
  await page.waitForFunction(() => window.mehfilCall?.state === 'in_room', null, { timeout: 45000 });
});

test('an invalid code, a full room, a locked room and a wrong password each show their screen', async () => {
  const host = await guestSession(world, 'Host');
  const page = await newPage(world);

  await openRoomPage(world, page, 'XYZ789');
  assert.equal(await screenOf(page), 'room_not_found');
  assert.match(await page.locator('main').textContent(), /The room "XYZ789" doesn't exist or has expired\./);
  await screenshot(page, 'site-room-not-found');

  const full = (await createRoom(world, { host, max_participants: 2 })).code;
  await takeSeats(world, full, ['One', 'Two']);
  await openRoomPage(world, page, full);
  assert.equal(await screenOf(page), 'room_full');
  assert.match(await page.locator('main').textContent(), /2\/2/);

  const locked = (await createRoom(world, { host })).code;
  // The host locks the room from a socket of their own, as the call's settings panel would.
  const lockPage = await newPage(world);
  await lockPage.goto(`${world.server.url}/healthz`);
  await lockPage.evaluate(({ url, token, room }) => new Promise((done) => {
    const ws = new WebSocket(`${url.replace('http', 'ws')}/ws?token=${token}`);
    ws.onopen = () => ws.send(JSON.stringify({ type: 'room:join', room_code: room }));
    ws.onmessage = (event) => {
      const message = JSON.parse(event.data);
      if (message.type === 'room:joined') ws.send(JSON.stringify({ type: 'room:lock', locked: true, id: 1 }));
      if (message.type === 'ack') done();
    };
  }), { url: world.server.url, token: host.token, room: locked });
  await page.goto(`${world.server.url}/room/${locked}`);
  assert.equal(await screenOf(page), 'room_locked');

  const secret = (await createRoom(world, { host, password: 'sesame', room_name: 'Secret' })).code;
  await page.goto(`${world.server.url}/room/${secret}`);
  assert.equal(await screenOf(page), 'prejoin');
  await page.locator('#room-password').fill('open sesame');
  await page.getByRole('button', { name: 'Join Room' }).click();
  await page.waitForFunction(() => /password is not right/.test(document.querySelector('.form-error')?.textContent ?? ''), null, { timeout: 45000 });
  await screenshot(page, 'site-wrong-password');

  const phone = await newPage(world, { viewport: phoneSize });
  await openRoomPage(world, phone, secret, 'Phone');
  await screenOf(phone);
  await screenshot(phone, 'site-prejoin-phone');
});

// A paste event carrying `text`, as the clipboard would deliver it to the focused box.
const paste = (page, selector, text) => page.$eval(selector, (box, value) => {
  const data = new DataTransfer();
  data.setData('text/plain', value);
  box.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
}, text);

test('the join modal takes a pasted link, fixes nothing it should not, and lands on the room', async () => {
  const room = await createRoom(world, { room_name: 'Pasted' });
  const page = await newPage(world);
  await page.goto(`${world.server.url}/`);
  await page.getByRole('button', { name: 'Join Room' }).click();
  const boxes = page.locator('#code-boxes input');
  assert.equal(await boxes.count(), 8);
  assert.equal(await boxes.first().evaluate((box) => box === document.activeElement), true, 'the first box has the focus');

  // Typing advances, a refused character stays out, Backspace goes back.
  await page.keyboard.type('Ab');
  assert.equal(await boxes.nth(2).evaluate((box) => box === document.activeElement), true);
  await page.keyboard.type('0');
  assert.equal(await boxes.nth(2).inputValue(), '', '0 is not in the code alphabet');
  assert.match(await page.locator('#join-error').textContent(), /never use 0, O, 1, I or l/);
  await page.keyboard.press('Backspace');
  assert.equal(await boxes.nth(1).inputValue(), '');
  assert.equal(await boxes.nth(1).evaluate((box) => box === document.activeElement), true);

  // A whole link pasted into any box fills all eight.
  await paste(page, '#code-boxes input:nth-child(2)', `  http://example.test/room/${room.code}?from=chat `);
  assert.equal((await boxes.evaluateAll((all) => all.map((box) => box.value).join(''))), room.code);
  assert.equal(await page.locator('#join-submit').isEnabled(), true);
  await screenshot(page, 'site-join-modal');
  await page.locator('#join-submit').click();
  await page.waitForURL(`**/room/${room.code}`);
  await passNameGate(page, 'Paster');
  assert.equal(await screenOf(page), 'prejoin');
  assert.equal(await page.locator('.join-pane h1').textContent(), 'Pasted');
});

test('the keyboard reaches Create Room and Join Room, and Escape closes a modal', async () => {
  const page = await newPage(world);
  await page.goto(`${world.server.url}/`);
  await page.waitForSelector('body[data-ready="true"]');
  const focused = () => page.evaluate(() => document.activeElement?.textContent.trim() ?? '');
  const reached = new Set();
  for (let i = 0; i < 12 && reached.size < 2; i++) {
    await page.keyboard.press('Tab');
    const text = await focused();
    if (text === 'Create Room' || text === 'Join Room') reached.add(text);
  }
  assert.deepEqual([...reached].sort(), ['Create Room', 'Join Room']);
  // Join Room has the focus now: Enter opens its modal, Escape closes it and gives the focus back.
  await page.keyboard.press('Enter');
  await page.waitForSelector('#join-dialog[open]');
  await page.keyboard.press('Escape');
  await page.waitForSelector('#join-dialog:not([open])', { state: 'attached' });
  assert.equal(await focused(), 'Join Room');
  // Create Room: Shift+Tab back, Space opens, Escape closes.
  await page.keyboard.press('Shift+Tab');
  assert.equal(await focused(), 'Create Room');
  await page.keyboard.press('Space');
  await page.waitForSelector('#create-dialog[open]');
  assert.equal(await page.evaluate(() => document.activeElement?.closest('dialog')?.id), 'create-dialog', 'the focus moves into the modal');
  await page.keyboard.press('Escape');
  await page.waitForSelector('#create-dialog:not([open])', { state: 'attached' });
  // Every button on the page has a name a screen reader can say.
  const unnamed = await page.evaluate(() => [...document.querySelectorAll('button, a[href]')]
    .filter((b) => !(b.getAttribute('aria-label') || b.textContent.trim())).map((b) => b.outerHTML));
  assert.deepEqual(unnamed, []);
});

test('phones and the dark theme: the home page, its modals, an error screen and the pre-join', async () => {
  const host = await guestSession(world, 'Host');
  const full = (await createRoom(world, { host, max_participants: 2, room_name: 'Packed' })).code;
  await takeSeats(world, full, ['One', 'Two']);
  const phone = await newPage(world, { viewport: phoneSize });
  await phone.goto(`${world.server.url}/`);
  await phone.waitForSelector('body[data-ready="true"]');
  const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.equal(overflow, 0, 'nothing sticks out sideways on a phone');
  await screenshot(phone, 'site-home-phone');
  await phone.getByRole('button', { name: 'Create Room' }).click();
  await screenshot(phone, 'site-create-modal-phone');

  const dark = await newPage(world, { colorScheme: 'dark' });
  await dark.goto(`${world.server.url}/`);
  await dark.waitForSelector('body[data-ready="true"]');
  const background = await dark.evaluate(() => getComputedStyle(document.body).backgroundColor);
  assert.equal(background, 'rgb(18, 19, 22)', 'the dark tokens apply');
  await screenshot(dark, 'site-home-dark');
  await dark.getByRole('button', { name: 'Join Room' }).click();
  await screenshot(dark, 'site-join-modal-dark');
  await dark.keyboard.press('Escape');
  await openRoomPage(world, dark, full, 'Late');
  assert.equal(await screenOf(dark), 'room_full');
  await screenshot(dark, 'site-room-full-dark');

  const darkPhone = await newPage(world, { viewport: phoneSize, colorScheme: 'dark' });
  const open = (await createRoom(world, { host, room_name: 'Evening' })).code;
  await openRoomPage(world, darkPhone, open, 'Night owl');
  assert.equal(await screenOf(darkPhone), 'prejoin');
  await darkPhone.waitForFunction(() => document.querySelector('.self-view video')?.videoWidth > 0, null, { timeout: 15000 });
  await screenshot(darkPhone, 'site-prejoin-phone-dark');
});
