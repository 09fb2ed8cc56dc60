// What the join-time benchmarks share: the steps of a join as js-glue marks them, a median, and
// clicking Join on a page that holds no call yet (call-page.html) until the first remote frame.
export const STEPS = [['media', 'camera'], ['ws', 'ws open'], ['joined', 'room joined'], ['offer', 'ours sent'],
  ['theirs', 'theirs in'], ['ice', 'connected'], ['frame', 'first frame']];

// A step a join skipped (the first frame can beat the camera) is left out, not counted as NaN.
export const median = (values) => {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (!sorted.length) return NaN;
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

// Clicks Join and returns the marks, in ms since the click. `preview`: a camera preview runs first
// and Join hands its stream to the call. `within`: how long to wait for the first remote frame.
export async function clickJoinAndWait(page, { preview = false, within = 20000 } = {}) {
  if (preview) await page.evaluate(async () => { window.preview = await navigator.mediaDevices.getUserMedia({ audio: true, video: true }); });
  return page.evaluate((limit) => new Promise((done, fail) => {
    const button = document.createElement('button');
    button.textContent = 'Join';
    button.style.cssText = 'position:fixed;z-index:9;left:0;top:0';
    document.body.append(button);
    button.addEventListener('click', () => {
      const call = window.makeCall(window.preview ? { stream: window.preview } : {});
      window.preview = null;
      call.join().catch(fail);
      const debug = () => call[Symbol.for('mehfil.debug')]();
      const poll = setInterval(() => {
        const marks = debug().marks;
        if (marks.frame) {
          clearInterval(poll);
          button.remove();
          done(Object.fromEntries(Object.entries(marks).map(([k, v]) => [k, v - marks.join])));
        }
      }, 5);
      setTimeout(() => {
        const state = debug();
        const links = Object.fromEntries(Object.entries(state.pcs).map(([id, pc]) => [id, `${pc.signalingState}/${pc.iceConnectionState}`]));
        fail(new Error(`no remote frame within ${limit / 1000} s: state ${call.state}, marks ${JSON.stringify(state.marks)}, links ${JSON.stringify(links)}`));
      }, limit);
    }, { once: true });
    button.click();
  }), within);
}
