// Reports in real Chromium with the real server and SQLite: a member reports someone from their
// card and a chat message from the chat, through the report dialog; the host hears of it without
// the reporter's name and the one reported hears nothing; the reports reach the operator's admin
// list (GET /api/admin/reports with a key from `mehfil-server keys create --admin`) with the chat
// before them, and a session is refused it. Screenshots at desktop and phone size, light and dark.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join as joinPath } from 'node:path';
import { setUp, createRoom, eventually, screenshot, binDir, restCall } from './support.mjs';
import { openCall, join, pressCallControl } from './call_support.mjs';

let room;
const world = setUp({ chromium: { webrtc: true }, prepare: async () => { room = await createRoom(world, { hostName: 'Host' }); } });

const card = (page, name) => page.locator('.mf-card').filter({ has: page.locator('.mf-card-name', { hasText: new RegExp(`^${name}$`) }) });
const toasts = (page) => page.locator('.mf-toast').allTextContents();

test('a card\'s and a chat message\'s Report reach the admin list with the chat, the host is told without the reporter\'s name', async () => {
  const host = await openCall(world, { room: room.code, name: 'Host', token: room.hostToken });
  const bela = await openCall(world, { room: room.code, name: 'Bela', colorScheme: 'dark' });
  const cyrus = await openCall(world, { room: room.code, name: 'Cyrus', viewport: { width: 390, height: 844 } });
  for (const page of [host, bela, cyrus]) assert.equal(await join(page), 'in_room');
  await eventually(async () => (await bela.locator('.mf-card').count()) === 3, { what: 'three cards on Bela\'s page' });
  await cyrus.evaluate(() => window.call.sendChat('cheap followers at example.org, DM me'));

  // From Cyrus's card: the dialog, a reason, a note.
  await card(bela, 'Cyrus').hover();
  await bela.getByRole('button', { name: 'Report Cyrus' }).click();
  const dialog = bela.getByRole('dialog', { name: 'Report' });
  await dialog.getByText('Spam or scams').click();
  await dialog.getByRole('textbox', { name: 'What happened' }).fill('Posting the same link to everyone');
  await screenshot(bela, 'report-dialog-desktop-dark');
  const hostHeard = host.evaluate(() => new Promise((resolve) => { window.call.once('reported', resolve); }));
  await dialog.getByRole('button', { name: 'Send report' }).click();
  await eventually(async () => (await toasts(host)).includes('Cyrus was reported for spam'), { what: 'the host\'s toast' });
  // What the host's page heard names who was reported and why, and nothing about who reported.
  const heard = await hostHeard;
  assert.deepEqual(Object.keys(heard).sort(), ['display_name', 'reason', 'user_id']);
  assert.equal(heard.display_name, 'Cyrus');
  await eventually(async () => (await toasts(bela)).some((t) => t.startsWith('Report sent')), { what: 'Bela\'s confirmation' });

  // From the chat, on the message itself.
  await pressCallControl(bela, 'Open the chat');
  const message = bela.locator('.mf-chat-message', { hasText: 'cheap followers' });
  await message.hover();
  await message.getByRole('button', { name: 'Report this message from Cyrus' }).click();
  await dialog.getByText('Something else').click();
  await dialog.getByRole('button', { name: 'Send report' }).click();
  await screenshot(host, 'report-host-told-desktop');

  // The operator's list: both reports, the chat line with the message reported.
  const key = execFileSync(joinPath(binDir, 'mehfil-server'), ['keys', 'create', '--name', 'moderation', '--admin', '--db', world.server.dbPath],
    { encoding: 'utf8' }).match(/mk_[0-9a-f]{8}_[A-Za-z0-9_-]+/)[0];
  let reports = [];
  await eventually(async () => {
    reports = (await restCall(world.server.url, '/api/admin/reports', { token: key })).reports;
    return reports.length === 2;
  }, { what: 'two reports on the admin list' });
  const [fromChat, fromCard] = reports;  // newest first
  assert.equal(fromCard.reporter_name, 'Bela');
  assert.equal(fromCard.target_name, 'Cyrus');
  assert.equal(fromCard.reason, 'spam');
  assert.equal(fromCard.note, 'Posting the same link to everyone');
  assert.equal(fromChat.reason, 'other');
  assert.ok(fromChat.message_id, 'the chat report names its message');
  assert.equal(fromChat.context.find((line) => line.message_id === fromChat.message_id)?.text, 'cheap followers at example.org, DM me');
  await assert.rejects(restCall(world.server.url, '/api/admin/reports', { token: room.hostToken }), { code: 'not_admin' });

  // "Report sent" is the server's answer: three more are each said once they are kept, and a sixth
  // in ten minutes is refused (rate_limited) and never said to be sent.
  const belasAnswers = await bela.evaluate(async () => {
    const seen = [];
    window.call.on('toast', ({ kind }) => { if (kind === 'report_sent') seen.push('sent'); });
    window.call.on('error', ({ code }) => seen.push(code));
    const cyrusId = window.call.participants().find((p) => p.display_name === 'Cyrus').user_id;
    const settle = () => new Promise((resolve) => { setTimeout(resolve, 400); });
    for (let i = 0; i < 4; ++i) {
      window.call.report(cyrusId, { reason: 'spam' });
      await settle();
    }
    await settle();
    return seen;
  });
  assert.deepEqual(belasAnswers, ['sent', 'sent', 'sent', 'rate_limited']);

  // The one reported heard nothing; on a phone, someone else's Report is on the card too.
  assert.ok(!(await toasts(cyrus)).some((t) => t.includes('reported')), 'Cyrus is not told');
  await card(cyrus, 'Bela').click();
  await screenshot(cyrus, 'report-card-phone');
  await cyrus.emulateMedia({ colorScheme: 'dark' });
  await screenshot(cyrus, 'report-card-phone-dark');
  await host.emulateMedia({ colorScheme: 'dark' });
  await screenshot(host, 'report-host-told-desktop-dark');
});
