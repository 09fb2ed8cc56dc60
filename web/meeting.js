// The page a booking site's link opens: /video-room/ID?passcode=P (the server's meetings.h). It asks
// the server whether the passcode is right and when the meeting opens; before then it shows a
// waiting screen that counts down (by the server's clock, not this device's) and goes in by itself
// when the meeting opens; then it hands over to the room page with the passcode, which fills the
// room's password. A wrong passcode, a cancelled or finished meeting each get their own screen.
import { api } from './site.js';

const $ = (id) => document.getElementById(id);
const meetingId = decodeURIComponent(location.pathname.split('/')[2] ?? '');
const passcode = new URLSearchParams(location.search).get('passcode') ?? '';

const when = new Intl.DateTimeFormat(undefined, { weekday: 'long', day: 'numeric', month: 'long', hour: 'numeric', minute: '2-digit' });
const time = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit' });

function show({ screen, title, text = '', action = null }) {
  document.body.dataset.screen = screen;
  $('meeting-title').textContent = title;
  $('meeting-text').textContent = text;
  const link = $('meeting-action');
  link.hidden = !action;
  if (action) {
    link.textContent = action.label;
    link.href = action.href;
  }
}

function countdownText(ms) {
  const minutes = Math.ceil(ms / 60_000);
  if (minutes <= 1) return 'Opens in less than a minute';
  if (minutes < 60) return `Opens in ${minutes} minutes`;
  const hours = Math.floor(minutes / 60);
  return `Opens in ${hours} h ${minutes % 60} min`;
}

// Waits for the window, then enters. `skew`: the server's clock minus this device's.
function wait(meeting, skew) {
  show({ screen: 'meeting_waiting', title: meeting.title, text: 'You can come in a few minutes before it starts. This page lets you in by itself.' });
  $('meeting-kind').textContent = 'Waiting for the meeting';
  if (meeting.scheduled_start) $('meeting-when').textContent = `Starts ${when.format(meeting.scheduled_start)}`;
  const countdown = $('meeting-countdown');
  countdown.hidden = false;
  const tick = () => {
    const left = meeting.opens_at - (Date.now() + skew);
    if (left <= 0) {
      clearInterval(timer);
      enter(meeting);
      return;
    }
    countdown.textContent = `${countdownText(left)} (at ${time.format(meeting.opens_at)})`;
  };
  const timer = setInterval(tick, 1000);
  tick();
}

function enter(meeting) {
  show({ screen: 'meeting_entering', title: meeting.title, text: 'Taking you in…' });
  // The room page reads the passcode from after "#" (never sent to the server in a URL) and fills the password.
  location.replace(`/room/${meeting.room_code}#passcode=${encodeURIComponent(passcode)}`);
}

async function start() {
  if (!meetingId || !passcode) {
    return show({ screen: 'meeting_no_link', title: 'This link is incomplete', text: 'Open the whole link you were sent: it carries the meeting’s passcode.', action: { label: 'Go to Mehfil', href: '/' } });
  }
  let meeting;
  try {
    meeting = await api('GET', `/api/meetings/${encodeURIComponent(meetingId)}/access?passcode=${encodeURIComponent(passcode)}`, undefined, { auth: false });
  } catch (problem) {
    if (problem.code === 'wrong_password') {
      return show({ screen: 'meeting_wrong_passcode', title: 'This passcode is not right', text: 'Check the link you were sent, or ask for a new one.', action: { label: 'Go to Mehfil', href: '/' } });
    }
    if (problem.code === 'room_not_found') {
      return show({ screen: 'meeting_not_found', title: 'There is no meeting at this link', text: problem.message, action: { label: 'Go to Mehfil', href: '/' } });
    }
    return show({ screen: 'meeting_problem', title: 'Could not open the meeting', text: problem.message, action: { label: 'Try again', href: location.href } });
  }
  document.title = `${meeting.title} — Mehfil`;
  if (meeting.status === 'cancelled') return show({ screen: 'meeting_cancelled', title: 'This meeting was cancelled', text: 'Whoever booked it cancelled it. Nothing more to do here.', action: { label: 'Go to Mehfil', href: '/' } });
  if (meeting.status === 'completed') return show({ screen: 'meeting_over', title: 'This meeting is over', text: 'Its booked time has passed. Thanks for coming!', action: { label: 'Go to Mehfil', href: '/' } });
  if (meeting.status === 'waiting') return wait(meeting, meeting.now - Date.now());
  return enter(meeting);
}

start();
