// Files in chat in real Chromium with the real server and ffmpeg: the host attaches a picture with
// the paperclip and it shows as a thumbnail on the other page, which downloads the picture the
// server made; a PDF dropped on the chat arrives as a card whose Download saves it under its name;
// someone outside the room is refused the file; a file whose bytes are not its type is refused with
// the reason on the sender's page. Screenshots at desktop and phone size, light and dark.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import { setUp, createRoom, eventually, screenshot, guestSession, restCall } from './support.mjs';
import { openCall, join, pressCallControl } from './call_support.mjs';

let room;
const world = setUp({ chromium: { webrtc: true }, prepare: async () => { room = await createRoom(world, { hostName: 'Host' }); } });

const folder = mkdtempSync(joinPath(tmpdir(), 'mehfil-chat-files-'));
function picture(name, size) {
  const path = joinPath(folder, name);
  execFileSync('ffmpeg', ['-nostdin', '-v', 'error', '-y', '-f', 'lavfi', '-i', `testsrc=size=${size}`, '-frames:v', '1', path]);
  return path;
}
const PDF = '%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n';

const messagesWithFiles = (page) => page.locator('.mf-chat-message:not(.mf-chat-pending) .mf-chat-file');

test('a picture and a PDF shared in chat reach the other page, download from there, are refused to outsiders, and a false picture is refused', async () => {
  const host = await openCall(world, { room: room.code, name: 'Host', token: room.hostToken });
  const bela = await openCall(world, { room: room.code, name: 'Bela', colorScheme: 'dark', viewport: { width: 390, height: 844 } });
  for (const page of [host, bela]) assert.equal(await join(page), 'in_room');
  await pressCallControl(host, 'Open the chat');
  await pressCallControl(bela, 'Open the chat');

  // The paperclip's file picker: a 1600x900 PNG.
  await host.locator('.mf-chat input[type=file]').setInputFiles(picture('Chart.png', '1600x900'));
  const thumbnail = bela.locator('.mf-chat-image img');
  await eventually(() => thumbnail.evaluate((img) => img.complete && img.naturalWidth > 0).catch(() => false), { what: 'the thumbnail on Bela\'s page' });
  assert.equal(await thumbnail.evaluate((img) => img.naturalWidth), 320, 'the thumbnail the server made');
  assert.match(await thumbnail.getAttribute('src'), /^blob:/, 'no token in an address');
  assert.equal(await thumbnail.getAttribute('alt'), 'Chart.webp');
  await eventually(async () => (await host.locator('.mf-chat-pending').count()) === 0, { what: 'the host\'s upload line to go' });
  assert.equal(await messagesWithFiles(host).count(), 1);

  const [savedPicture] = await Promise.all([bela.waitForEvent('download'), bela.getByRole('button', { name: 'Download Chart.webp' }).click()]);
  assert.equal(savedPicture.suggestedFilename(), 'Chart.webp');
  const pictureBytes = readFileSync(await savedPicture.path());
  assert.equal(pictureBytes.subarray(8, 12).toString(), 'WEBP');

  // A PDF dropped on the chat pane.
  await host.locator('.mf-chat').evaluate((pane, text) => {
    const transfer = new DataTransfer();
    transfer.items.add(new File([text], 'Week 1 notes.pdf', { type: 'application/pdf' }));
    pane.dispatchEvent(new DragEvent('dragover', { dataTransfer: transfer, bubbles: true, cancelable: true }));
    pane.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
  }, PDF);
  const card = bela.locator('.mf-chat-file', { hasText: 'Week 1 notes.pdf' });
  await card.waitFor({ timeout: 15000 });
  const [savedPdf] = await Promise.all([bela.waitForEvent('download'), card.getByRole('button', { name: 'Download Week 1 notes.pdf' }).click()]);
  assert.equal(savedPdf.suggestedFilename(), 'Week 1 notes.pdf');
  assert.equal(readFileSync(await savedPdf.path()).toString(), PDF);

  // Someone outside the room, with a session of their own, is refused both.
  const fileIds = await bela.evaluate(() => window.call.chat().filter((m) => m.file).map((m) => m.file.file_id));
  assert.equal(fileIds.length, 2);
  const outsider = await guestSession(world, 'Outsider');
  for (const id of fileIds) {
    await assert.rejects(restCall(world.server.url, `/api/rooms/${room.code}/files/${id}`, { token: outsider.token }), { code: 'not_member' });
  }

  // Text that calls itself a PNG: the sender's line says why, and nobody else sees anything.
  await host.locator('.mf-chat input[type=file]').setInputFiles({ name: 'fake.png', mimeType: 'image/png', buffer: Buffer.from('not a picture') });
  const failed = host.locator('.mf-chat-failed');
  await failed.waitFor({ timeout: 10000 });
  assert.match(await failed.locator('[role=alert]').textContent(), /not image\/png/);
  await new Promise((done) => setTimeout(done, 500));
  assert.equal(await messagesWithFiles(bela).count(), 2);

  // On a phone the open chat covers the stage, and the floating Invite button goes with it (it sat
  // over Send); closing the chat brings it back.
  assert.equal(await bela.locator('.mf-floating-invite').isVisible(), false);
  await screenshot(host, 'chat-files-desktop');
  await screenshot(bela, 'chat-files-phone-dark');
  await host.emulateMedia({ colorScheme: 'dark' });
  await bela.emulateMedia({ colorScheme: 'light' });
  await screenshot(host, 'chat-files-desktop-dark');
  await screenshot(bela, 'chat-files-phone');
  await pressCallControl(bela, 'Close the chat');
  assert.equal(await bela.locator('.mf-floating-invite').isVisible(), true);
});
