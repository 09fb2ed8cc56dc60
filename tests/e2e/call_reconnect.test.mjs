// The server dies mid-call and comes back: media keeps flowing between the browsers meanwhile (it
// never went through the server), every page shows that it is reconnecting, then they all rejoin
// the same room and nobody is left with a tile of someone who is not there.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setUp, createRoom, eventually, screenshot } from './support.mjs';
import { openCall, join, tiles, allVideosPlaying } from './call_support.mjs';

const world = setUp({ chromium: { webrtc: true } });
const pages = [];

test('a server restart mid-call keeps media flowing, shows reconnecting, and recovers with no ghost tiles', async () => {
  const room = await createRoom(world, { hostName: 'Host' });
  for (const [i, name] of ['Host', 'Bela', 'Chen'].entries()) {
    const page = await openCall(world, { room: room.code, name, token: i === 0 ? room.hostToken : undefined });
    pages.push(page);
    assert.equal(await join(page), 'in_room');
  }
  for (const page of pages) await allVideosPlaying(page, 3);

  await world.server.kill();
  for (const page of pages) {
    await eventually(() => page.evaluate(() => window.call.state === 'reconnecting'), { what: 'the reconnecting state' });
    const banner = await page.evaluate(() => {
      const root = window.call[Symbol.for('mehfil.debug')]().stage.getRootNode();
      const shown = root.querySelector('.mehfil-banner:not([hidden])');
      return shown?.textContent ?? '';
    });
    assert.match(banner, /reconnect/i, 'the page says it is reconnecting');
  }
  // The server is down: the peer connections still carry every video.
  for (const page of pages) await allVideosPlaying(page, 3, { timeout: 5000 });
  await screenshot(pages[0], 'call-reconnecting');
  await new Promise((done) => setTimeout(done, 1500));

  await world.server.start();
  for (const page of pages) {
    await eventually(() => page.evaluate(() => window.call.state === 'in_room'), { timeout: 45000, what: 'the rejoin' });
  }
  for (const page of pages) {
    const shown = await allVideosPlaying(page, 3, { timeout: 45000 });
    const people = await page.evaluate(() => window.call.participants().map((p) => p.peer_id));
    assert.deepEqual(shown.map((t) => t.id).sort(), [...people].sort(), 'one tile per person in the room, no ghosts');
    const banner = await page.evaluate(() => window.call[Symbol.for('mehfil.debug')]().stage.getRootNode()
      .querySelector('.mehfil-banner:not([hidden])'));
    assert.equal(banner, null, 'the reconnecting banner is gone');
  }
  // Someone who joins after the restart sees the same room.
  const late = await openCall(world, { room: room.code, name: 'Late' });
  pages.push(late);
  assert.equal(await join(late), 'in_room');
  for (const page of pages) await allVideosPlaying(page, 4, { timeout: 45000 });
});
