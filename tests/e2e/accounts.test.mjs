// Accounts in real Chromium against the real server and a real SMTP server on loopback: someone
// registers (a weak password refused first), confirms the address from the mail, signs in on a
// second device, sees both in Active Sessions, logs the second device out mid-call (its socket
// closes and its page says so) and then logs out everywhere; a forgotten password reset from the
// mail; a guest who registers keeps the room they made; guessing a password is rate_limited.
// Screenshots of Sign in, Create account, the account menu, Active Sessions and the reset pages, on
// desktop and phone, light and dark.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { setUp, newPage, startServer, rest, screenOf, eventually, screenshot } from './support.mjs';
import { startSmtpSink, accountLink } from './smtp_support.mjs';

const PASSWORD = 'violet-kettle-drum-42';
const phoneSize = { width: 390, height: 844 };
const world = setUp({
  server: false,
  chromium: { webrtc: true },
  prepare: async (w) => {
    w.smtp = await startSmtpSink();
    w.server = await startServer(['--smtp-url', w.smtp.url, '--mail-from', 'no-reply@mehfil.test',
      '--login-failures-per-account', '4']);
  },
});
after(() => world.smtp?.close());

const stored = (page) => page.evaluate(() => JSON.parse(localStorage.getItem('mehfil.session') ?? 'null'));

async function signIn(page, email, password) {
  const form = page.locator('#login-form');
  await form.getByLabel('Email').fill(email);
  await form.getByLabel('Password').fill(password);
  await form.getByRole('button', { name: 'Log in' }).click();
}

async function waitSignedIn(page) {
  await page.locator('#account').waitFor({ state: 'visible', timeout: 15000 });
  return stored(page);
}

test('someone registers, confirms by mail, signs in on a phone, logs the phone out mid-call, then logs out everywhere', async () => {
  const url = world.server.url;
  const laptop = await newPage(world, { name: 'laptop' });
  await laptop.goto(`${url}/`);
  await laptop.getByRole('button', { name: 'Sign in' }).click();
  await screenshot(laptop, 'account-login');

  // Create account: a common password is refused with the reason, then a good one goes through.
  await laptop.getByRole('tab', { name: 'Create account' }).click();
  const form = laptop.locator('#register-form');
  await form.getByLabel('Your name').fill('Noor Ahmed');
  await form.getByLabel('Email').fill('Noor@Example.org');
  await form.getByLabel(/^Password/).fill('password1');
  await form.getByRole('button', { name: 'Create account' }).click();
  await eventually(async () => /people try first/.test(await form.locator('.form-error').textContent()), { what: 'the weak password refusal' });
  await screenshot(laptop, 'account-register-refused');
  await form.getByLabel(/^Password/).fill(PASSWORD);
  await form.getByRole('button', { name: 'Create account' }).click();
  const registered = await waitSignedIn(laptop);
  assert.equal(registered.email, 'noor@example.org');
  assert.equal(registered.email_verified, false);
  assert.equal(await laptop.locator('#account-name').textContent(), 'Noor Ahmed');

  // The mail the SMTP server got carries the link; opening it confirms the address.
  const mail = await world.smtp.waitFor('noor@example.org', 'Confirm your email address');
  assert.match(mail, /^From: Mehfil <no-reply@mehfil\.test>/m);
  await laptop.goto(`${url}${accountLink(mail, 'verify')}`);
  await eventually(async () => (await laptop.locator('#verify-title').textContent()) === 'Your email is confirmed', { what: 'the confirmation' });
  assert.ok(!laptop.url().includes('verify='), 'the token leaves the address bar');
  await screenshot(laptop, 'account-verified');
  const me = await rest(world, '/api/auth/me', undefined, registered.token);
  assert.equal(me.email_verified, true);

  // A second device: a phone signs in and joins a call in a room of the account's.
  const phone = await newPage(world, { name: 'phone', viewport: phoneSize });
  const phoneSockets = [];
  phone.on('websocket', (ws) => { if (ws.url().includes('/ws')) phoneSockets.push({ ws, closed: false }); });
  await phone.goto(`${url}/?signin`);
  await signIn(phone, 'noor@example.org', PASSWORD);
  const phoneSession = await waitSignedIn(phone);
  assert.equal(phoneSession.user_id, registered.user_id);
  const room = await rest(world, '/api/rooms/create', { room_name: 'Study group' }, phoneSession.token);
  await phone.goto(`${url}/room/${room.room_code}`);
  assert.equal(await screenOf(phone), 'prejoin');
  await phone.getByRole('button', { name: 'Join Room' }).click();
  await phone.waitForFunction(() => window.mehfilCall?.state === 'in_room', null, { timeout: 45000 });
  const callSocket = phoneSockets.at(-1);
  callSocket.ws.on('close', () => { callSocket.closed = true; });

  // The laptop's account menu and Active Sessions: two sessions, this one marked.
  await laptop.goto(`${url}/`);
  await laptop.getByRole('button', { name: 'Account: Noor Ahmed' }).click();
  await laptop.getByRole('menuitem', { name: 'Active Sessions' }).waitFor();
  await screenshot(laptop, 'account-menu');
  await laptop.getByRole('menuitem', { name: 'Active Sessions' }).click();
  await eventually(async () => (await laptop.locator('.session-item').count()) === 2, { what: 'two sessions' });
  assert.equal(await laptop.locator('.session-item .badge-accent').count(), 1);
  assert.match(await laptop.locator('.session-item').first().textContent(), /127\.0\.0\.1 · active now/);
  await screenshot(laptop, 'account-sessions');

  // Log the phone out: its call's socket closes at once and its page says why.
  await laptop.getByRole('button', { name: /^Log out Chrome on Linux$/ }).click();
  await eventually(() => callSocket.closed, { what: 'the phone\'s call socket to close' });
  assert.equal(await screenOf(phone), 'session_revoked');
  assert.equal(await stored(phone), null, 'the phone forgot the session');
  await screenshot(phone, 'account-logged-out-phone');
  await eventually(async () => (await laptop.locator('.session-item').count()) === 1, { what: 'the list without the phone' });
  await assert.rejects(rest(world, '/api/auth/refresh', { refresh_token: phoneSession.refresh_token }), { code: 'session_revoked' });

  // Log out everywhere: after the confirmation, this device is signed out too.
  const laptopSession = await stored(laptop);
  await laptop.locator('#sessions-logout-all').click();
  await laptop.locator('#confirm-ok').click();
  await laptop.getByRole('button', { name: 'Sign in' }).waitFor({ timeout: 15000 });
  assert.equal(await stored(laptop), null);
  await assert.rejects(rest(world, '/api/auth/refresh', { refresh_token: laptopSession.refresh_token }), { code: 'session_revoked' });
  await assert.rejects(rest(world, '/api/auth/me', undefined, laptopSession.token), { code: 'unauthorized' });
});

test('a forgotten password is reset from the mail, in the dark on a phone', async () => {
  const url = world.server.url;
  await rest(world, '/api/auth/register', { email: 'omar@example.org', display_name: 'Omar', password: PASSWORD });
  const page = await newPage(world, { name: 'reset', viewport: phoneSize, colorScheme: 'dark' });
  await page.goto(`${url}/?signin`);
  await screenshot(page, 'account-login-phone-dark');
  await page.getByRole('button', { name: 'Forgot your password?' }).click();
  await page.locator('#forgot-form').getByLabel('Email').fill('omar@example.org');
  await page.getByRole('button', { name: 'Send the link' }).click();
  await eventually(async () => /on its way/.test(await page.locator('#forgot-form .form-ok').textContent()), { what: 'the link sent' });
  await screenshot(page, 'account-forgot-phone-dark');

  const mail = await world.smtp.waitFor('omar@example.org', 'Reset your Mehfil password');
  await page.goto(`${url}${accountLink(mail, 'reset')}`);
  const form = page.locator('#reset-form');
  await form.getByLabel('New password').fill('12345678');
  await form.getByRole('button', { name: 'Save the new password' }).click();
  await eventually(async () => /people try first/.test(await form.locator('.form-error').textContent()), { what: 'the weak password refusal' });
  await screenshot(page, 'account-reset-phone-dark');
  const fresh = 'amber-lantern-ocean-7';
  await form.getByLabel('New password').fill(fresh);
  await form.getByRole('button', { name: 'Save the new password' }).click();
  await page.locator('#reset-done').waitFor({ state: 'visible' });
  await page.getByRole('link', { name: 'Log in' }).click();
  await signIn(page, 'omar@example.org', fresh);
  const session = await waitSignedIn(page);
  assert.equal(session.email_verified, true);
  await page.getByRole('button', { name: 'Account: Omar' }).click();
  await screenshot(page, 'account-menu-phone-dark');
  await assert.rejects(rest(world, '/api/auth/login', { email: 'omar@example.org', password: PASSWORD }), { code: 'invalid_credentials' });
});

test('a guest who creates a room and then registers finds it in Your Rooms', async () => {
  const page = await newPage(world, { name: 'guest' });
  await page.goto(`${world.server.url}/`);
  await page.getByRole('button', { name: 'Create Room' }).first().click();
  await page.locator('#create-form input[name="display_name"]').fill('Pia');
  await page.locator('#create-form input[name="room_name"]').fill('Piano practice');
  await page.locator('#create-submit').click();
  await page.waitForFunction(() => document.querySelector('#success-code')?.textContent.trim().length === 8);
  const guest = await stored(page);
  await page.locator('#success-dialog [data-close]').first().click();
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('tab', { name: 'Create account' }).click();
  const form = page.locator('#register-form');
  assert.ok(await page.locator('#register-note').isVisible(), 'the guest is told their things come along');
  await form.getByLabel('Your name').fill('Pia Lund');
  await form.getByLabel('Email').fill('pia@example.org');
  await form.getByLabel(/^Password/).fill(PASSWORD);
  await form.getByRole('button', { name: 'Create account' }).click();
  const account = await waitSignedIn(page);
  assert.equal(account.user_id, guest.user_id);
  await page.getByRole('button', { name: 'Account: Pia Lund' }).click();
  await page.getByRole('menuitem', { name: 'Your Rooms' }).click();
  await eventually(async () => (await page.locator('#list-created').textContent()).includes('Piano practice'), { what: 'the guest\'s room' });
});

test('guessing a password is refused as rate_limited after four wrong tries', async () => {
  await rest(world, '/api/auth/register', { email: 'quinn@example.org', display_name: 'Quinn', password: PASSWORD });
  const page = await newPage(world, { name: 'guesser' });
  await page.goto(`${world.server.url}/?signin`);
  const error = page.locator('#login-form .form-error');
  for (let i = 0; i < 4; i += 1) {
    await signIn(page, 'quinn@example.org', `wrong-guess-${i}`);
    await eventually(async () => /do not match/.test(await error.textContent()), { what: `wrong try ${i + 1}` });
    await page.evaluate(() => { document.querySelector('#login-form .form-error').textContent = ''; });
  }
  await signIn(page, 'quinn@example.org', PASSWORD);
  await eventually(async () => /Too many wrong passwords/.test(await error.textContent()), { what: 'the limit' });
  assert.equal(await stored(page), null);
});
