// Signaling slower than the offer watchdog: the answer to a newcomer's offer takes longer than
// kOfferTimeoutMs (10 s) to arrive, as it does on a machine busy with a six-person call. The
// newcomer must keep its offer and take the late answer. Rolling the offer back and making a new
// one (what the link once did) leaves the answerer with an offer whose m-lines no longer match the
// ones it already answered; Chrome refuses every later offer and the two never see each other.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setUp, createRoom } from './support.mjs';
import { openCall, join, allVideosPlaying, tiles } from './call_support.mjs';

const answerDelayMs = 13000;

const world = setUp({ chromium: { webrtc: true } });

// The page's socket as a slow link: every signal:answer it sends waits `delayMs` on the way, and
// whatever the page sends after it waits behind it, in order, as on one real TCP connection.
async function delayAnswers(page, delayMs) {
  const held = [];
  await page.routeWebSocket(/\/ws/, (socket) => {
    const upstream = socket.connectToServer();
    let line = Promise.resolve();
    socket.onMessage((message) => {
      const answer = typeof message === 'string' && message.includes('"type":"signal:answer"');
      if (answer) held.push(Date.now());
      line = line.then(() => answer && new Promise((done) => setTimeout(done, delayMs))).then(() => upstream.send(message));
    });
  });
  return held;
}

test('an answer that arrives after the offer watchdog fired still connects the call', async () => {
  const room = await createRoom(world, { hostName: 'Host' });
  let held;
  const host = await openCall(world, { room: room.code, name: 'Host', token: room.hostToken,
    prepare: async (page) => { held = await delayAnswers(page, answerDelayMs); } });
  assert.equal(await join(host), 'in_room');
  const guest = await openCall(world, { room: room.code, name: 'Guest' });
  assert.equal(await join(guest), 'in_room');

  // The guest joined last, so it offers and the host answers: late, by answerDelayMs.
  const refusals = (page) => page.evaluate(() => window.call[Symbol.for('mehfil.debug')]().trace
    .filter((line) => line.includes('op-failed') && line.includes('setRemoteDescription')));
  try {
    for (const page of [host, guest]) await allVideosPlaying(page, 2, { timeout: 90000 });
  } catch (error) {
    // What each page saw, for whoever reads a failure.
    console.error('host refused:', await refusals(host), 'guest refused:', await refusals(guest));
    for (const page of [host, guest]) console.error(JSON.stringify((await tiles(page)).map(({ id, videoWidth, frames, connecting }) => ({ id, videoWidth, frames, connecting }))));
    throw error;
  }
  assert.ok(held.length >= 1, 'the host answered at least once, late');
  assert.deepEqual(await refusals(host), [], 'the host never refused an offer');
  assert.deepEqual(await refusals(guest), [], 'the guest never refused a description');
});
