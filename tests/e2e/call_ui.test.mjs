// The call's chrome in real Chromium: chat (as text, never HTML, with an unread badge), the
// participants panel with the host's powers, the settings panel locking the room, the invite
// dialog, toasts, Add Friend on the cards, switching the microphone mid-call, and Become Host when
// the host's tab goes away. Screenshots of the chat, the cards, the devices, the host-left notice
// and the phone layout.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setUp, createRoom, rest, eventually, screenshot } from './support.mjs';
import { openCall, join } from './call_support.mjs';

let room;
const world = setUp({ chromium: { webrtc: true }, prepare: async () => { room = await createRoom(world, { hostName: 'Host' }); } });

test('chat, the participants panel, settings and invite work from the call UI', async () => {
  const host = await openCall(world, { room: room.code, name: 'Host', token: room.hostToken });
  const guest = await openCall(world, { room: room.code, name: 'Bela' });
  assert.equal(await join(host), 'in_room');
  assert.equal(await join(guest), 'in_room');
  await eventually(async () => (await host.locator('.mf-toast').allTextContents()).some((t) => t.includes('Bela joined')),
    { what: 'the join toast' });

  // Chat: the guest writes markup; the host sees it as text, with an unread badge until opening.
  await guest.getByRole('button', { name: 'Open the chat' }).click();
  await guest.getByRole('textbox', { name: 'Message' }).fill('<b>hi</b> 🎉');
  await guest.getByRole('button', { name: 'Send', exact: true }).click();
  await eventually(async () => (await host.locator('.mf-control-chat .mf-badge').textContent()) === '1', { what: 'the unread badge' });
  await host.getByRole('button', { name: 'Open the chat' }).click();
  const shown = host.locator('.mf-chat-text').last();
  assert.equal(await shown.textContent(), '<b>hi</b> 🎉');
  assert.equal(await host.locator('.mf-chat-text b').count(), 0, 'no HTML from a chat message');
  assert.equal(await host.locator('.mf-control-chat .mf-badge').isHidden(), true);
  await screenshot(host, 'call-chat');

  // Participants: the host sees Mute / Kick / Make Co-Host for Bela and makes her a co-host.
  await host.getByRole('button', { name: 'Participants' }).click();
  await host.locator('.mf-people').getByRole('button', { name: 'Make Bela a co-host' }).click();
  await eventually(async () => (await host.locator('.mf-person-badges').allTextContents()).some((t) => t.includes('co-host')),
    { what: 'Bela to be a co-host' });
  // The buttons follow the core's permission table: Bela, a co-host now, keeps Mute and Kick but is
  // no longer offered Make Co-Host; as a co-host she is offered nothing on the host and cannot end the room.
  await eventually(async () => (await host.locator('.mf-people').getByRole('button', { name: 'Make Bela a co-host' }).count()) === 0,
    { what: 'Make Co-Host to go once Bela is one' });
  assert.equal(await host.locator('.mf-people').getByRole('button', { name: 'Mute Bela' }).count(), 1);
  assert.equal(await host.locator('.mf-people').getByRole('button', { name: 'Remove Bela from the room' }).count(), 1);
  await eventually(() => guest.evaluate(() => window.call.self()?.is_cohost), { what: 'Bela to see herself as co-host' });
  await guest.getByRole('button', { name: 'Participants' }).click();
  await eventually(async () => (await guest.locator('.mf-person-name').allTextContents()).includes('Host'), { what: 'the host in Bela\'s list' });
  assert.equal(await guest.locator('.mf-people').getByRole('button', { name: /Mute Host|Remove Host/ }).count(), 0,
    'a co-host may not mute or remove the host');
  const offered = await guest.evaluate(() => window.call.hostActionsOn(window.call.participants().find((p) => p.is_host).user_id));
  assert.deepEqual(offered, { on: [], room: ['lock', 'settings', 'mute_all', 'admit', 'deny'] });

  // Settings: only managers see it; locking reaches everyone.
  await host.getByRole('button', { name: 'Settings', exact: true }).click();
  await host.getByLabel('Lock the room').check();
  await eventually(() => guest.evaluate(() => window.call.room().is_locked), { what: 'the lock to reach Bela' });

  // Invite: the code in large type and share links.
  await host.getByRole('button', { name: 'Invite', exact: true }).click();
  assert.equal((await host.locator('.mf-big-code').textContent()).trim(), room.code);
  assert.equal(await host.getByRole('link', { name: 'WhatsApp' }).count(), 1);

  // Add Friend on a card, for everyone: Bela asks, the host hears it live and accepts on the home
  // page, and both calls show them as friends.
  await host.keyboard.press('Escape');  // the invite dialog
  const card = (page, name) => page.locator('.mf-card').filter({ has: page.locator('.mf-card-name', { hasText: new RegExp(`^${name}$`) }) });
  await card(guest, 'Host').hover();
  await guest.getByRole('button', { name: 'Add Host as a friend' }).click();
  await eventually(async () => (await guest.locator('.mf-toast').allTextContents()).some((t) => t.includes('Friend request sent to Host')),
    { what: 'the request toast' });
  await card(guest, 'Host').hover();
  assert.equal(await guest.getByRole('button', { name: 'Request sent: Host' }).isDisabled(), true);
  // The host hears of it at once: a toast, and Bela's card offers Accept Friend.
  await eventually(async () => (await host.locator('.mf-toast').allTextContents()).some((t) => t.includes('Bela wants to be your friend')),
    { what: 'the request reaching the host' });
  await card(host, 'Bela').hover();
  await host.getByRole('button', { name: 'Accept Friend: Bela' }).waitFor();
  // The host sees the request under Your Rooms → Friends on the home page, and accepts it there.
  const home = await host.context().newPage();
  await home.addInitScript((token) => localStorage.setItem('mehfil.session', JSON.stringify({ token, display_name: 'Host' })), room.hostToken);
  await home.goto(`${world.server.url}/`);
  await home.getByRole('button', { name: 'Your Rooms' }).click();
  await home.getByRole('tab', { name: /Friends/ }).click();
  await home.locator('#list-friends').getByText('Wants to be your friend').waitFor();
  assert.equal(await home.getByRole('tab', { name: /Friends/ }).getAttribute('aria-selected'), 'true');
  await screenshot(home, 'home-friends-request');
  await home.getByRole('button', { name: 'Accept Bela as a friend' }).click();
  // Bela is a friend now, shown as in a call (she is in the room).
  await home.locator('#list-friends').getByText('In a call', { exact: true }).waitFor();
  assert.equal(await home.locator('#list-friends li').first().getAttribute('data-presence'), 'in_call');
  await screenshot(home, 'home-friends-presence');
  // Both calls hear it: Bela gets a toast, and each card says Friends.
  await eventually(async () => (await guest.locator('.mf-toast').allTextContents()).some((t) => t.includes('You and Host are now friends')),
    { what: 'the acceptance reaching Bela' });
  await card(guest, 'Host').hover();
  await guest.getByRole('button', { name: 'Friends: Host' }).waitFor();
  const hostFriends = await rest(world, '/api/friends', undefined, room.hostToken);
  assert.deepEqual(hostFriends.friends.map((f) => [f.display_name, f.relation]), [['Bela', 'friends']]);
  await card(host, 'Bela').hover();
  assert.equal(await host.getByRole('button', { name: 'Friends: Bela' }).isDisabled(), true);
  await screenshot(host, 'call-card-friends');

  // Camera and microphone, from More: another microphone replaces the track under the peer
  // connection's sender, with no renegotiation.
  await guest.getByRole('button', { name: 'More options' }).click();
  await guest.getByRole('menuitem', { name: 'Camera and microphone' }).click();
  const micSelect = guest.locator('.mf-panel').getByLabel('Microphone');
  await eventually(async () => (await micSelect.locator('option').count()) > 1, { what: 'more than one fake microphone' });
  const before = await guest.evaluate(() => window.call[Symbol.for('mehfil.debug')]().localStream.getAudioTracks()[0].getSettings().deviceId);
  const other = await micSelect.locator('option').evaluateAll((options, used) => options.map((o) => o.value).find((v) => v !== used), before);
  await micSelect.selectOption(other);
  await eventually(() => guest.evaluate((wanted) => {
    const debug = window.call[Symbol.for('mehfil.debug')]();
    const [track] = debug.localStream.getAudioTracks();
    const senders = Object.values(debug.pcs).flatMap((pc) => pc.getSenders()).filter((s) => s.track?.kind === 'audio');
    return track.getSettings().deviceId === wanted && track.readyState === 'live' && senders.length > 0 && senders.every((s) => s.track === track)
      && Object.values(debug.pcs).every((pc) => pc.signalingState === 'stable');
  }, other), { what: 'the new microphone under every sender' });
  await screenshot(guest, 'call-devices');

  const phone = await openCall(world, { room: room.code, name: 'Phone', token: room.hostToken, viewport: { width: 390, height: 844 } });
  await join(phone);
  await screenshot(phone, 'call-phone-controls');
});

test('when the host drops out, the others are told and one of them can become host', async () => {
  const own = await createRoom(world, { hostName: 'Hana' });
  const host = await openCall(world, { room: own.code, name: 'Hana', token: own.hostToken });
  const guest = await openCall(world, { room: own.code, name: 'Gul' });
  const other = await openCall(world, { room: own.code, name: 'Omar' });
  for (const page of [host, guest, other]) assert.equal(await join(page), 'in_room');
  assert.equal(await guest.locator('.mf-notice').isHidden(), true, 'no notice while the host is here');

  await host.context().close();  // the tab is gone without Leave: the host keeps its place for a while
  const notice = guest.locator('.mf-notice[data-kind="host-left"]');
  await notice.waitFor({ timeout: 10000 });
  assert.match(await notice.textContent(), /The host left the call/);
  await screenshot(guest, 'call-host-left');

  await guest.getByRole('button', { name: 'Become Host' }).click();
  await eventually(() => guest.evaluate(() => window.call.self()?.is_host === true), { what: 'Gul to become host' });
  await eventually(() => other.evaluate(() => window.call.participants().find((p) => p.display_name === 'Gul')?.is_host === true),
    { what: 'Omar to see Gul as host' });
  await eventually(async () => (await other.locator('.mf-notice').isHidden()) && (await guest.locator('.mf-notice').isHidden()),
    { what: 'the notice to go away' });
  // The new host has the powers: Mute for Omar is offered, and works.
  await guest.getByRole('button', { name: 'Participants' }).click();
  await guest.locator('.mf-people').getByRole('button', { name: /Mute Omar/ }).click();
  await eventually(() => other.evaluate(() => window.call.self()?.audio === false), { what: 'Omar to be muted by the new host' });
});

test('the host starts, pauses and stops recording from the More menu, and everyone sees the red Recording indicator', async () => {
  const recorded = await createRoom(world, { hostName: 'Host' });
  const host = await openCall(world, { room: recorded.code, name: 'Host', token: recorded.hostToken });
  const guest = await openCall(world, { room: recorded.code, name: 'Bela', viewport: { width: 390, height: 844 } });
  assert.equal(await join(host), 'in_room');
  assert.equal(await join(guest), 'in_room');
  const menu = (page, item) => page.getByRole('menuitem', { name: item, exact: true });
  const indicator = (page) => page.getByRole('status').filter({ hasText: /^Recording/ });

  // Bela is no host: the menu offers her nothing, and the server would refuse her anyway.
  await guest.getByRole('button', { name: 'More options' }).click();
  assert.equal(await menu(guest, 'Start recording').isVisible(), false);
  await guest.keyboard.press('Escape');
  const refused = await guest.evaluate(() => new Promise((resolve) => {
    window.call.once('error', ({ code }) => resolve(code));
    window.call.startRecording();
  }));
  assert.equal(refused, 'not_allowed');

  await host.getByRole('button', { name: 'More options' }).click();
  assert.equal(await menu(host, 'Start recording in 1080p').isVisible(), true);  // a size is chosen at the start
  await screenshot(host, 'recording-menu-desktop');
  await menu(host, 'Start recording').click();
  for (const page of [host, guest]) {
    await indicator(page).waitFor({ timeout: 10000 });
    // The toast as the call emitted it (the page logs it): on a busy machine its 3 s on screen can
    // pass between two looks at the page.
    await eventually(() => page.evaluate(() => window.events.some((e) => e.name === 'toast' && e.payload.text === 'This call is being recorded.')),
      { what: 'the recording toast' });
  }
  assert.equal(await guest.evaluate(() => window.call.room().recording), 'recording');
  await screenshot(host, 'recording-indicator-desktop');
  await screenshot(guest, 'recording-indicator-phone');

  await host.getByRole('button', { name: 'More options' }).click();
  assert.equal(await menu(host, 'Start recording in 1080p').isVisible(), false);
  await menu(host, 'Pause recording').click();
  await eventually(async () => (await indicator(guest).textContent()) === 'Recording paused', { what: 'paused on Bela\'s page' });
  await host.getByRole('button', { name: 'More options' }).click();
  await menu(host, 'Stop recording').click();
  await indicator(guest).waitFor({ state: 'hidden', timeout: 10000 });
  assert.equal(await guest.evaluate(() => window.call.room().recording), 'off');
  await host.context().close();
  await guest.context().close();
});
