// /whiteboard.html?room=CODE: a room's whiteboard on its own page. It joins the room over the
// signaling socket as a guest (the site's session per browser, site.js) and wires the board to
// wb:ops. In a call, the same board opens from the call's whiteboard button.
import { mountWhiteboard } from './whiteboard.js';
import { currentSession, startSession } from './site.js';

const params = new URLSearchParams(location.search);
const room = params.get('room') ?? '';
const status = document.getElementById('board-status');

const me = currentSession() ?? await startSession(params.get('name') ?? 'Guest');
let board = null;
const pending = [];
const socket = new WebSocket(`${location.origin.replace(/^http/, 'ws')}/ws?token=${encodeURIComponent(me.token)}`);
socket.addEventListener('open', () => socket.send(JSON.stringify({ type: 'room:join', room_code: room })));
socket.addEventListener('close', () => { status.textContent = 'Disconnected'; document.body.dataset.connected = 'false'; });
socket.addEventListener('message', async (event) => {
  const message = JSON.parse(event.data);
  if (message.type === 'room:joined') {
    document.getElementById('board-title').textContent = `Whiteboard · ${message.room.room_name}`;
    board = await mountWhiteboard(document.getElementById('board'), {
      author: me.user_id,
      isHost: message.self.is_host,
      send: (ops) => socket.send(JSON.stringify({ type: 'wb:ops', ops })),
      sendCursor: (cursor) => socket.send(JSON.stringify({ type: 'wb:cursor', ...cursor })),
    });
    for (const ops of pending.splice(0)) board.receive(ops);
    board.canvas.focus({ preventScroll: true });  // the board is the page: its shortcuts work at once
    status.textContent = 'Connected';
    document.body.dataset.connected = 'true';
    window.mehfilBoard = board;  // for tests and the curious
  } else if (message.type === 'wb:cursor') {
    board?.receiveCursor(message);
  } else if (message.type === 'wb:ops') {
    if (board) board.receive(message.ops);
    else pending.push(message.ops);
  } else if (message.type === 'error') {
    status.textContent = message.message;
  }
});
