// The Profile in real Chromium against the real server (server-stub/profiles.h, web/profile-dialog.js):
// someone who was in a room opens Profile from the account menu and finds it in their room history
// with the time they spent; they change their name and the header shows it; they upload a photo,
// which comes back as the server's 256×256 picture in the header and the dialog; a file that is no
// picture is refused with the reason; Remove brings the initial back. Screenshots of the dialog on
// desktop and phone, light and dark.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setUp, newPage, rest, eventually, screenshot } from './support.mjs';

const PASSWORD = 'violet-kettle-drum-42';
const world = setUp({ chromium: { webrtc: true } });
const scratch = mkdtempSync(join(tmpdir(), 'mehfil-profile-'));

const stored = (page) => page.evaluate(() => JSON.parse(localStorage.getItem('mehfil.session') ?? 'null'));

async function openProfile(page, name) {
  await page.getByRole('button', { name: `Account: ${name}` }).click();
  await page.getByRole('menuitem', { name: 'Profile' }).click();
  await page.locator('#profile-dialog').waitFor({ state: 'visible' });
}

test('someone finds their room in the history, changes their name and picture, and a file that is no picture is refused', async () => {
  const url = world.server.url;
  const session = await rest(world, '/api/auth/register', { email: 'lena@example.org', display_name: 'Lena', password: PASSWORD });
  const club = await rest(world, '/api/rooms/create', { room_name: 'Book club' }, session.token);
  await rest(world, '/api/rooms/create', { room_name: 'Never used' }, session.token);

  // In the room for a few seconds, then back home.
  const page = await newPage(world, { name: 'lena', session });
  await page.goto(`${url}/room/${club.room_code}`);
  await page.getByRole('button', { name: 'Join Room' }).click();
  await page.waitForFunction(() => window.mehfilCall?.state === 'in_room', null, { timeout: 45000 });
  await page.waitForTimeout(2500);
  await page.evaluate(() => window.mehfilCall.leave());
  await page.goto(`${url}/`);

  await openProfile(page, 'Lena');
  const items = page.locator('#profile-history .history-item');
  await eventually(async () => (await items.count()) === 2, { what: 'two rooms in the history' });
  const visited = items.filter({ hasText: 'Book club' });
  assert.match(await visited.textContent(), /You made it · .+ · in it for under a minute/);
  assert.equal(await visited.getByRole('link', { name: 'Open' }).getAttribute('href'), `/room/${club.room_code}`);
  assert.match(await items.filter({ hasText: 'Never used' }).textContent(), /You made it · .+never went in/);
  assert.equal(await page.locator('#profile-email').textContent(), 'lena@example.org');

  // A new name: the header shows it, and the stored session (and its token) carry it.
  await page.locator('#profile-name-form input').fill('Lena Berg');
  await page.locator('#profile-name-form').getByRole('button', { name: 'Save' }).click();
  await eventually(async () => (await page.locator('#account-name').textContent()) === 'Lena Berg', { what: 'the new name in the header' });
  assert.equal((await stored(page)).display_name, 'Lena Berg');
  assert.equal((await rest(world, '/api/auth/me', undefined, (await stored(page)).token)).display_name, 'Lena Berg');

  // A photo, wider than tall: the header and the dialog show the server's square picture.
  const photo = join(scratch, 'photo.jpg');
  execFileSync('ffmpeg', ['-nostdin', '-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc=size=1024x640', '-frames:v', '1', photo]);
  await page.locator('#profile-picture-input').setInputFiles(photo);
  const header = page.locator('#account-avatar img');
  await header.waitFor({ state: 'attached', timeout: 15000 });
  await eventually(() => header.evaluate((img) => img.complete && img.naturalWidth === 256 && img.naturalHeight === 256),
    { what: 'the 256×256 picture to load in the header' });
  assert.equal(await page.locator('#profile-avatar img').evaluate((img) => img.naturalWidth), 256);
  assert.match((await stored(page)).avatar_url, /^\/api\/avatars\/.+\?v=\d+$/);
  await page.locator('#profile-name-form input').blur();
  await screenshot(page, 'profile-desktop');

  // Not a picture: refused with the reason, and the picture stays.
  const text = join(scratch, 'notes.png');
  writeFileSync(text, 'these are my notes, not a picture');
  await page.locator('#profile-picture-input').setInputFiles(text);
  await eventually(async () => /not a picture we can use/.test(await page.locator('#profile-error').textContent()), { what: 'the refusal' });
  assert.equal(await header.count(), 1);

  // The other sizes and schemes, signed in as the same account.
  for (const [name, viewport, colorScheme] of [
    ['profile-desktop-dark', { width: 1280, height: 720 }, 'dark'],
    ['profile-phone', { width: 390, height: 844 }, 'light'],
    ['profile-phone-dark', { width: 390, height: 844 }, 'dark'],
  ]) {
    const other = await newPage(world, { name, viewport, colorScheme, session: await stored(page) });
    await other.goto(`${url}/`);
    await openProfile(other, 'Lena Berg');
    await eventually(async () => (await other.locator('#profile-history .history-item').count()) === 2, { what: 'the history' });
    await eventually(() => other.locator('#profile-avatar img').evaluate((img) => img.complete && img.naturalWidth > 0), { what: 'the picture' });
    await screenshot(other, name);
    await other.context().close();
  }

  // Remove: the initial comes back.
  await page.locator('#profile-picture-remove').click();
  await eventually(async () => (await page.locator('#account-avatar').textContent()) === 'L', { what: 'the initial in the header' });
  assert.equal((await stored(page)).avatar_url, null);
});
