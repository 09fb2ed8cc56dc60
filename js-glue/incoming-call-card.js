// The incoming-call card: who is calling, audio or video, Accept and Decline, and a ringtone, on any
// page that rings (the site's pages; an embed with `ringing: true`). It shows one incoming ring from
// Mehfil.onIncomingCall (ring.js) and goes away when that ring ends, however it ends: answered here,
// declined, answered in another tab, cancelled by the caller, or unanswered after 30 s.
//
//   showIncomingCall(incoming, { onAccept(incoming), host }) → close()
// The card is a floating card (floating-card.js) in `host` (document.body by default).

import { floatingCard, initials } from './floating-card.js';

// A soft two-note chime every two seconds, made with WebAudio (no sound file to fetch). A browser
// that blocks audio before the page was touched simply stays silent; the card still shows.
function ringtone() {
  let context;
  try {
    context = new AudioContext();
  } catch {
    return () => {};
  }
  const chime = () => {
    const start = context.currentTime;
    for (const [offset, frequency] of [[0, 784], [0.22, 659]]) {
      const tone = context.createOscillator();
      const gain = context.createGain();
      tone.frequency.value = frequency;
      gain.gain.setValueAtTime(0.0001, start + offset);
      gain.gain.exponentialRampToValueAtTime(0.18, start + offset + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, start + offset + 0.4);
      tone.connect(gain).connect(context.destination);
      tone.start(start + offset);
      tone.stop(start + offset + 0.45);
    }
  };
  chime();
  const every = setInterval(chime, 2000);
  return () => {
    clearInterval(every);
    context.close().catch(() => {});
  };
}

export function showIncomingCall(incoming, { onAccept, host = document.body } = {}) {
  const name = incoming.from.display_name || 'Someone';
  const stopRinging = ringtone();
  const close = () => {
    stopRinging();
    shown.close();
  };
  const shown = floatingCard({
    label: `Incoming ${incoming.video ? 'video' : 'audio'} call from ${name}`,
    avatar: initials(name),
    who: name,
    kind: incoming.video ? 'Incoming video call…' : 'Incoming audio call…',
    pulse: true,
    focus: true,
    className: 'mehfil-incoming',
    host,
    buttons: [
      { label: 'Decline', className: 'decline', action: () => { close(); incoming.decline(); } },
      { label: 'Accept', className: 'accept', action: () => { close(); onAccept?.(incoming); } },
    ],
  });
  incoming.ended.then(close);
  return close;
}
