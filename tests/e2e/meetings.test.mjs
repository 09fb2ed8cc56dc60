// A booked meeting's link in real Chromium (web/meeting.js): a wrong passcode gets its own screen; a
// meeting that opens later shows the waiting screen with its countdown; one that opens in a few
// seconds waits, then goes in by itself, and the room page has the passcode filled in from the link
// and joins the call. The booking site is this test, with an API key made by the operator's command.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { setUp, newPage, binDir, restCall, passNameGate, screenOf, screenshot } from './support.mjs';

const world = setUp({ chromium: { webrtc: true } });
const phoneSize = { width: 390, height: 844 };
let apiKey;

async function book(start, end, extra = {}) {
  apiKey ??= execFileSync(join(binDir, 'mehfil-server'), ['keys', 'create', '--name', 'tutor-site', '--db', world.server.dbPath], { encoding: 'utf8' })
    .match(/(mk_[0-9a-f]{8}_[A-Za-z0-9_-]+)/)[1];
  return restCall(world.server.url, '/api/meetings', {
    token: apiKey,
    json: { title: 'Algebra lesson', scheduled_start: start, scheduled_end: end, host: { id: 'tutor-7', name: 'Ms Rao' },
      participants: [{ id: 'student-3', name: 'Ali' }], ...extra },
  });
}

const screen = (page) => page.waitForFunction(() => document.body.dataset.screen, null, { timeout: 15000 })
  .then(() => page.evaluate(() => document.body.dataset.screen));

test('a wrong passcode and a meeting that opens later each get their screen', async () => {
  const meeting = await book(Date.now() + 3_600_000, Date.now() + 7_200_000);
  const wrong = await newPage(world, { name: 'wrong' });
  await wrong.goto(`${world.server.url}/video-room/${meeting.meeting_id}?passcode=NotTheOne`);
  assert.equal(await screen(wrong), 'meeting_wrong_passcode');
  await screenshot(wrong, 'meeting-wrong-passcode');

  for (const [name, options] of [['meeting-waiting', {}], ['meeting-waiting-phone-dark', { viewport: phoneSize, colorScheme: 'dark' }]]) {
    const page = await newPage(world, { name, ...options });
    await page.goto(`${world.server.url}${meeting.join_url}`);
    assert.equal(await screen(page), 'meeting_waiting');
    assert.equal(await page.locator('#meeting-title').textContent(), 'Algebra lesson');
    assert.match(await page.locator('#meeting-countdown').textContent(), /Opens in 50 minutes/);  // 60 minus 10 early-join minutes
    await screenshot(page, name);
  }
});

test('a meeting that opens in a few seconds lets the waiting page in by itself, with the passcode filled in', async () => {
  const meeting = await book(Date.now() + 4000, Date.now() + 3_600_000, { early_join_minutes: 0 });
  const page = await newPage(world, { name: 'student' });
  await page.goto(`${world.server.url}${meeting.join_url}`);
  assert.equal(await screen(page), 'meeting_waiting');
  await page.waitForURL(`**/room/${meeting.room_code}`, { timeout: 20000 });
  assert.ok(!page.url().includes('passcode'), 'the passcode leaves the address bar');
  if (await screenOf(page) === 'name') await passNameGate(page, 'Ali');
  assert.equal(await screenOf(page), 'prejoin');
  assert.equal(await page.locator('#room-password').inputValue(), meeting.passcode);
  await page.getByRole('button', { name: 'Join Room' }).click();
  await page.waitForFunction(() => window.mehfilCall?.state === 'in_room', null, { timeout: 45000 });
  const status = await restCall(world.server.url, `/api/meetings/${meeting.meeting_id}`, { token: apiKey });
  assert.equal(status.status, 'active');
  assert.equal(status.attended.length, 1);
});
