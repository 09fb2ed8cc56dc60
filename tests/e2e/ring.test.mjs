// 1:1 calls between friends through the site's home page, in real Chromium with fake cameras: a
// video call rung from the friends list and accepted on the incoming-call card (both see each
// other's frames, in the layout engine's picture-in-picture), a declined ring, a ring cancelled
// while it rings, and a friend who is busy in another call. Screenshots: the incoming card, the
// caller's "Ringing…", the connected call at desktop and phone size, light and dark.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setUp, eventually, screenshot, openRoomPage, rest } from './support.mjs';
import { ringSupport } from './ring_support.mjs';

const world = setUp({ chromium: { webrtc: true } });
const { person, befriend, ring, card, status, toasts, callTiles, bothPlay } = ringSupport(world);

test('A video call rung from the friends list rings the friend, who accepts; both see each other with their own video in the corner, and hanging up ends it for both', async () => {
  const ana = await person('Ana');
  const ben = await person('Ben');
  await befriend(ana, ben);
  await ring(ana, ben, { video: true });
  await card(ben.page).waitFor({ timeout: 15000 });
  assert.match(await card(ben.page).textContent(), /Ana.*Incoming video call/);
  await eventually(async () => /Ringing…/.test(await status(ana.page).textContent()), { what: 'Ringing… on the caller' });
  await screenshot(ben.page, 'ring-incoming-desktop');
  await screenshot(ana.page, 'ring-calling-desktop');
  // While it rings, Ben's tab already waits in the call's room: Ana's link to it connects, but she
  // shows no tile for him and sends him only black frames and silence (disabled copies of her
  // camera and microphone), so answering does not wait for a join, a negotiation and ICE.
  const ringing = () => ana.page.evaluate(() => {
    const debug = window.mehfilOneToOne[Symbol.for('mehfil.debug')]();
    const links = Object.values(debug.snapshot.links);
    const senders = Object.values(debug.pcs).flatMap((pc) => pc.getSenders()).filter((s) => s.track);
    return {
      connected: links.length === 1 && links[0].connection === 'connected',
      sendsNothing: senders.length === 2 && senders.every((s) => !s.track.enabled),
      participants: debug.snapshot.participants.length,
    };
  });
  await eventually(async () => (await ringing()).connected, { what: 'Ana\'s link to Ben\'s ringing tab connected' });
  assert.deepEqual(await ringing(), { connected: true, sendsNothing: true, participants: 0 });
  assert.equal((await callTiles(ana.page)).tiles, 1, 'only Ana\'s own tile while it rings');

  await card(ben.page).getByRole('button', { name: 'Accept', exact: true }).click();
  await card(ben.page).waitFor({ state: 'detached' });
  await bothPlay([ana.page, ben.page]);
  assert.equal((await ringing()).sendsNothing, false, 'answered: Ana sends her camera and microphone');
  assert.match(await status(ana.page).textContent(), /Ben · 00:0\d/);
  await screenshot(ana.page, 'ring-connected-video-desktop');

  // Ana drags her own picture to the top-left corner; the layout engine puts it there.
  const pip = ana.page.locator('.call-overlay .tile.tile-pip');
  const box = await pip.boundingBox();
  await ana.page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await ana.page.mouse.down();
  await ana.page.mouse.move(200, 200, { steps: 8 });
  await ana.page.mouse.up();
  await eventually(async () => {
    const moved = await pip.boundingBox();
    return moved.x < 640 && moved.y < 360;
  }, { what: 'the picture in the top-left corner' });
  assert.equal(await pip.getAttribute('data-local'), 'true');

  // Mehfil.ring on Ana's page while she is in this call rings nobody and ends at once; hers goes on.
  const second = await ana.page.evaluate(async ({ to, token }) => {
    const { Mehfil } = await import('/mehfil.js');
    const host = document.body.appendChild(document.createElement('div'));
    const call = Mehfil.ring(host, { server: location.origin, token, to });
    const seen = {};
    call.on('error', ({ code }) => { seen.error = code; });
    await new Promise((ended) => call.on('call-ended', ({ reason }) => { seen.reason = reason; ended(); }));
    call.destroy();
    host.remove();
    return seen;
  }, { to: ben.session.user_id, token: ana.session.token });
  assert.deepEqual(second, { error: 'in_another_call', reason: 'in-another-call' });
  assert.equal(await card(ben.page).count(), 0);
  assert.equal((await callTiles(ana.page)).playing, 2);

  // Ben hangs up: Ana's call ends too, with a toast, and her page is the home page again.
  await ben.page.locator('.call-overlay').getByRole('button', { name: 'Leave', exact: true }).first().click();
  await eventually(async () => (await toasts(ana.page)).includes('The call ended.'), { what: 'the hang-up toast' });
  await ana.page.locator('.call-overlay').waitFor({ state: 'detached', timeout: 10000 });
  await ana.page.context().close();
  await ben.page.context().close();
});

test('A declined ring tells the caller, and a ring cancelled while it rings takes the card away', async () => {
  const ana = await person('Ana');
  const ben = await person('Ben');
  await befriend(ana, ben);
  await ring(ana, ben, { video: false });
  await card(ben.page).waitFor({ timeout: 15000 });
  assert.match(await card(ben.page).textContent(), /Incoming audio call/);
  await card(ben.page).getByRole('button', { name: 'Decline', exact: true }).click();
  await eventually(async () => (await toasts(ana.page)).includes('Ben declined the call.'), { what: 'the declined toast' });
  await ana.page.locator('.call-overlay').waitFor({ state: 'detached', timeout: 10000 });

  await ring(ana, ben, { video: true });
  await card(ben.page).waitFor({ timeout: 15000 });
  await eventually(async () => /Ringing…/.test(await status(ana.page).textContent()), { what: 'Ringing…' });
  await status(ana.page).getByRole('button', { name: 'Cancel' }).click();
  await card(ben.page).waitFor({ state: 'detached', timeout: 10000 });
  await eventually(async () => (await toasts(ana.page)).includes('The call was cancelled.'), { what: 'the cancelled toast' });
  await ana.page.context().close();
  await ben.page.context().close();
});

test('An audio call shows the other person\'s initials, opens no camera, and turning the camera on asks for it and makes it a video call', async () => {
  const ana = await person('Ana');
  const ben = await person('Ben');
  await befriend(ana, ben);
  await ring(ana, ben, { video: false });
  await card(ben.page).getByRole('button', { name: 'Accept', exact: true }).click();
  await eventually(async () => /Ana · /.test(await status(ben.page).textContent()), { what: 'the audio call connected' });
  const remoteTile = ben.page.locator('.call-overlay .tile[data-local="false"]');
  await eventually(async () => (await remoteTile.getAttribute('data-video')) === 'false', { what: 'Ana without video' });
  await remoteTile.locator('.mf-card-avatar').waitFor();
  assert.equal((await remoteTile.locator('.mf-card-avatar').textContent()).trim(), 'A');
  await screenshot(ben.page, 'ring-connected-audio-desktop');
  // Neither end asked for a camera: its light stays off in an audio call.
  const cameras = (page) => page.evaluate(() => {
    const { localStream, mediaState } = window.mehfilOneToOne[Symbol.for('mehfil.debug')]();
    return { tracks: localStream.getVideoTracks().length, state: mediaState.state };
  });
  for (const page of [ana.page, ben.page]) assert.deepEqual(await cameras(page), { tracks: 0, state: 'camera_off' });
  await ana.page.locator('.call-overlay').getByRole('button', { name: 'Turn the camera on' }).click();
  await eventually(async () => (await remoteTile.getAttribute('data-video')) === 'true' &&
    await remoteTile.locator('video').evaluate((v) => v.videoWidth > 0), { what: 'Ana\'s video reaching Ben' });
  assert.deepEqual(await cameras(ana.page), { tracks: 1, state: 'camera_and_mic' });
  await ana.page.context().close();
  await ben.page.context().close();
});

test('Every open tab of the callee rings, and answering on one stops the others', async () => {
  const ana = await person('Ana');
  const ben = await person('Ben');
  await befriend(ana, ben);
  const benTab2 = await ben.page.context().newPage();  // the same browser: the same session
  await benTab2.goto(`${world.server.url}/`);
  await benTab2.waitForSelector('body[data-ready="true"]');
  await ring(ana, ben, { video: false });
  await card(ben.page).waitFor({ timeout: 15000 });
  await card(benTab2).waitFor({ timeout: 15000 });
  await card(benTab2).getByRole('button', { name: 'Accept', exact: true }).click();
  await card(ben.page).waitFor({ state: 'detached', timeout: 10000 });
  await eventually(async () => /Ana · /.test(await status(benTab2).textContent()), { what: 'the call on the tab that answered' });
  assert.deepEqual(await toasts(ben.page), [], 'the other tab says nothing of a missed call');
  await ana.page.context().close();
  await ben.page.context().close();
});

test('Ringing a friend who is in another call says they are busy', async () => {
  const ana = await person('Ana');
  const ben = await person('Ben');
  const cy = await person('Cy');
  await befriend(ana, ben);
  await befriend(cy, ben);
  await ring(cy, ben, { video: false });
  await card(ben.page).getByRole('button', { name: 'Accept', exact: true }).click();
  await eventually(async () => /Ben · /.test(await status(cy.page).textContent()), { what: 'Cy and Ben connected' });
  await ring(ana, ben, { video: false });
  await eventually(async () => (await toasts(ana.page)).includes('Ben is in another call.'), { what: 'the busy toast' });
  for (const who of [ana, ben, cy]) await who.page.context().close();
});

test('A ring nobody answers stops after 30 s: the caller hears "didn\'t answer", the callee has a missed call in the history, with Call back', async () => {
  const ana = await person('Ana');
  const ben = await person('Ben');
  await befriend(ana, ben);
  await ring(ana, ben, { video: true });
  await card(ben.page).waitFor({ timeout: 15000 });
  await card(ben.page).waitFor({ state: 'detached', timeout: 40000 });
  await eventually(async () => (await toasts(ana.page)).includes('Ben didn\'t answer.'), { what: 'the no-answer toast' });
  await eventually(async () => (await toasts(ben.page)).includes('Missed call from Ana.'), { what: 'the missed-call toast' });
  await ben.page.getByRole('button', { name: 'Your Rooms' }).click();
  await ben.page.getByRole('tab', { name: /Calls/ }).click();
  const missed = ben.page.locator('#list-calls li').first();
  await missed.waitFor();
  assert.equal(await missed.getAttribute('data-end'), 'missed');
  assert.match(await missed.textContent(), /Ana.*Video call · Missed/);
  assert.equal(await ben.page.getByRole('tab', { name: /Calls/ }).getAttribute('aria-selected'), 'true');
  await ben.page.waitForTimeout(400);  // a page in the background paints late: let the selected tab show
  await screenshot(ben.page, 'ring-history-desktop');
  // Call back rings Ana from the history.
  await missed.getByRole('button', { name: 'Call back' }).click();
  await card(ana.page).waitFor({ timeout: 15000 });
  assert.match(await card(ana.page).textContent(), /Ben.*Incoming video call/);
  await card(ana.page).getByRole('button', { name: 'Decline', exact: true }).click();
  await ana.page.getByRole('button', { name: 'Your Rooms' }).click();
  await ana.page.getByRole('tab', { name: /Calls/ }).click();
  await ana.page.locator('#list-calls li').nth(1).waitFor();
  assert.match(await ana.page.locator('#list-calls li').nth(1).textContent(), /Ben.*Outgoing · No answer/);
  await ana.page.context().close();
  await ben.page.context().close();
});

test('In a room, a friend has Call in the participants panel; the room page rings, and answering leaves the room for the call', async () => {
  const ana = await person('Ana');
  const ben = await person('Ben');
  await befriend(ana, ben);
  const room = await rest(world, '/api/rooms/create', { room_name: 'Study group', max_participants: 4 }, ana.session.token);
  for (const who of [ana, ben]) {
    await openRoomPage(world, who.page, room.room_code, who.name);
    await who.page.getByRole('button', { name: 'Join Room' }).click();
    await who.page.waitForFunction(() => window.mehfilCall?.state === 'in_room', null, { timeout: 45000 });
  }
  await ben.page.getByRole('button', { name: 'Participants' }).click();
  const anaInPanel = ben.page.locator('.mf-person').filter({ hasText: 'Ana' });
  await anaInPanel.getByRole('button', { name: 'Video call', exact: true }).click();
  await card(ana.page).waitFor({ timeout: 15000 });
  await card(ana.page).getByRole('button', { name: 'Accept', exact: true }).click();
  await bothPlay([ana.page, ben.page]);
  // Both left the room for the call: the room is empty now.
  await eventually(async () => (await rest(world, `/api/rooms/${room.room_code}`, undefined, ana.session.token)).participant_count === 0,
    { what: 'the room left behind' });
  await ana.page.context().close();
  await ben.page.context().close();
});

test('An embed made with ringing: true rings its user, and answering takes the call over the page', async () => {
  const ana = await person('Ana');
  const ben = await person('Ben');
  await befriend(ana, ben);
  // Ben's page embeds a room (not joined) and rings.
  const room = await rest(world, '/api/rooms/create', { room_name: 'Embedded', max_participants: 4 }, ben.session.token);
  await ben.page.evaluate(async ({ code, token }) => {
    const { Mehfil } = await import('/mehfil.js');
    const host = Object.assign(document.createElement('div'), { style: 'height: 300px' });
    document.body.append(host);
    window.embedded = Mehfil.create(host, { server: location.origin, room: code, token, ringing: true });
  }, { code: room.room_code, token: ben.session.token });
  await ring(ana, ben, { video: true });
  await eventually(async () => await card(ben.page).count() === 2, { what: 'the site\'s card and the embed\'s' });
  await card(ben.page).last().getByRole('button', { name: 'Accept', exact: true }).click();
  await eventually(async () => await card(ben.page).count() === 0, { what: 'both cards gone once one answered' });
  await eventually(async () => (await ben.page.evaluate(() => {
    const root = document.querySelector('.mehfil-ring-overlay .mehfil-call')?.shadowRoot;
    return [...(root?.querySelectorAll('.tile video') ?? [])].filter((v) => v.videoWidth > 0).length;
  })) === 2, { what: 'the call over Ben\'s page', timeout: 60000 });
  await ana.page.context().close();
  await ben.page.context().close();
});

test('Add people turns the call into a room with both inside, and a friend invited from the Invite dialog joins from the invite card', async () => {
  const ana = await person('Ana');
  const ben = await person('Ben');
  const cy = await person('Cy');
  await befriend(ana, ben);
  await befriend(ben, cy);
  await ring(ana, ben, { video: true });
  await card(ben.page).getByRole('button', { name: 'Accept', exact: true }).click();
  await bothPlay([ana.page, ben.page]);
  const bens = ben.page.locator('.call-overlay');
  await bens.getByRole('button', { name: 'Add people' }).click();
  const code = ana.page.locator('.call-overlay .mf-code');
  await eventually(async () => (await code.isVisible()) && /^[A-Za-z0-9]{8}$/.test((await code.textContent()).trim()),
    { what: 'the room code on the caller\'s page' });
  await eventually(async () => (await toasts(ana.page)).includes('This call is a room now: share its code to bring people in.'),
    { what: 'the toast' });

  // Ben invites Cy from his friends list; Ana (here already) cannot be ticked.
  await bens.getByRole('button', { name: 'Invite', exact: true }).click();
  const dialog = bens.getByRole('dialog', { name: 'Invite people' });
  await dialog.getByRole('checkbox', { name: /Cy/ }).check();
  assert.equal(await dialog.getByRole('checkbox', { name: /Ana/ }).isDisabled(), true);
  await screenshot(ben.page, 'invite-friends-dialog-desktop');
  await dialog.getByRole('button', { name: 'Send Invites' }).click();
  await eventually(async () => (await bens.locator('.mf-toast').allTextContents()).includes('Invite sent'), { what: 'Invite sent' });

  const invite = cy.page.getByRole('alertdialog', { name: /Ben invites you to/ });
  await invite.waitFor({ timeout: 15000 });
  await screenshot(cy.page, 'invite-card-desktop');
  await invite.getByRole('button', { name: 'Join', exact: true }).click();
  await cy.page.waitForURL(/\/room\//);
  await cy.page.getByRole('button', { name: 'Join Room' }).click();
  await cy.page.waitForFunction(() => window.mehfilCall?.state === 'in_room', null, { timeout: 45000 });
  await eventually(async () => {
    for (const page of [ana.page, ben.page]) {
      if ((await callTiles(page)).playing !== 3) return false;
    }
    return true;
  }, { timeout: 60000, what: 'three playing tiles on Ana\'s and Ben\'s pages' });
  for (const who of [ana, ben, cy]) await who.page.context().close();
});

test('An invite waits under Your Rooms, and Dismiss there takes its card from every open tab', async () => {
  const ana = await person('Ana');
  const ben = await person('Ben', { viewport: { width: 390, height: 844 }, colorScheme: 'dark' });
  await befriend(ana, ben);
  const room = await rest(world, '/api/rooms/create', { room_name: 'Book club', max_participants: 4 }, ana.session.token);
  await openRoomPage(world, ana.page, room.room_code, 'Ana');
  await ana.page.getByRole('button', { name: 'Join Room' }).click();
  await ana.page.waitForFunction(() => window.mehfilCall?.state === 'in_room', null, { timeout: 45000 });
  await ana.page.evaluate((id) => window.mehfilCall.inviteFriends([id]), ben.session.user_id);
  const invite = ben.page.getByRole('alertdialog', { name: 'Ana invites you to Book club' });
  await invite.waitFor({ timeout: 15000 });
  await screenshot(ben.page, 'invite-card-phone-dark');
  await ben.page.getByRole('button', { name: 'Your Rooms' }).click();
  await ben.page.getByRole('tab', { name: /Invites/ }).click();
  assert.equal(await ben.page.getByRole('tab', { name: /Invites/ }).getAttribute('aria-selected'), 'true');
  const row = ben.page.locator('#list-invited li').filter({ hasText: 'Book club' });
  assert.match(await row.textContent(), /Ana invited you/);
  await screenshot(ben.page, 'your-rooms-invites-phone-dark');
  await row.getByRole('button', { name: 'Dismiss the invite to Book club' }).click();
  await ben.page.getByRole('tab', { name: /Calls/ }).click();  // the last tab is reachable on a phone too
  assert.equal(await ben.page.getByRole('tab', { name: /Calls/ }).getAttribute('aria-selected'), 'true');
  await invite.waitFor({ state: 'detached', timeout: 15000 });
  await ana.page.context().close();
  await ben.page.context().close();
});

test('The call at phone size, in the dark theme', async () => {
  const ana = await person('Ana', { viewport: { width: 390, height: 844 }, colorScheme: 'dark' });
  const ben = await person('Ben', { viewport: { width: 390, height: 844 }, colorScheme: 'dark' });
  await befriend(ana, ben);
  await ring(ana, ben, { video: true });
  await card(ben.page).waitFor({ timeout: 15000 });
  await screenshot(ben.page, 'ring-incoming-phone-dark');
  await screenshot(ana.page, 'ring-calling-phone-dark');
  await card(ben.page).getByRole('button', { name: 'Accept', exact: true }).click();
  await bothPlay([ana.page, ben.page]);
  await screenshot(ben.page, 'ring-connected-video-phone-dark');
  await ana.page.context().close();
  await ben.page.context().close();
});
