// The shared whiteboard in a page: a canvas drawn from C++ (mehfil-whiteboard.wasm: Dear ImGui and
// WebGL2 over the pure whiteboard core) plus export buttons. This file only moves bytes: ops from the
// room go in with receive(), ops drawn here come out through `send` (already batched by the core),
// and the exports are the core's SVG and the canvas's pixels.
//
//   const board = await mountWhiteboard(container, { author: userId, isHost, send: (ops) => socket.send(...) });
//   board.receive(opsFromTheRoom);
import createWhiteboardModule from './mehfil-whiteboard.mjs';

export async function mountWhiteboard(container, { author, isHost = false, send, sendCursor = () => {} }) {
  const frame = document.createElement('div');
  frame.className = 'whiteboard';
  const bar = document.createElement('div');
  bar.className = 'whiteboard-exports';
  const svgButton = Object.assign(document.createElement('button'), { type: 'button', textContent: 'Export SVG' });
  const pngButton = Object.assign(document.createElement('button'), { type: 'button', textContent: 'Export PNG' });
  bar.append(svgButton, pngButton);
  const canvas = document.createElement('canvas');
  canvas.className = 'whiteboard-canvas';
  canvas.tabIndex = 0;
  canvas.setAttribute('aria-label', 'Shared whiteboard');
  canvas.addEventListener('contextmenu', (event) => event.preventDefault());
  frame.append(bar, canvas);
  container.append(frame);
  // The recorder copies this canvas into its picture between the board's frames (room-recorder.js):
  // WebGL clears a drawing buffer once shown unless asked to keep it, and the copy was empty.
  const getContext = canvas.getContext.bind(canvas);
  canvas.getContext = (type, attributes) => getContext(type, { ...attributes, preserveDrawingBuffer: true });

  // One module instance per board, given its canvas directly (a canvas in a shadow root is not
  // found by Emscripten's selector lookups).
  const module = await createWhiteboardModule({ canvas });
  let pngWaiter = null;
  // The layout size, not getBoundingClientRect: a tile scaling in (a CSS transform) must not shrink
  // the drawing buffer, or the toolbar would be stretched over the board.
  const size = () => [Math.max(1, canvas.clientWidth), Math.max(1, canvas.clientHeight)];
  module.start(String(author), Boolean(isHost), (Math.random() * 2 ** 32) >>> 0, ...size(),
    (opsText) => send(JSON.parse(opsText)),
    () => { pngWaiter?.(canvas.toDataURL('image/png')); pngWaiter = null; });
  module.onCursor((x, y, laser) => sendCursor({ x, y, laser }));
  const resizeObserver = new ResizeObserver(() => module.resize(...size()));
  resizeObserver.observe(canvas);

  const download = (name, href) => {
    const link = Object.assign(document.createElement('a'), { href, download: name });
    link.click();
  };
  const board = {
    receive(ops) { return module.receive(JSON.stringify(ops)); },
    // Someone's pointer or laser (wb:cursor): shown for two seconds, never stored.
    receiveCursor({ from, x, y, laser }) { module.receiveCursor(String(from), x | 0, y | 0, Boolean(laser)); },
    remoteCursors() { return module.remoteCursors(); },
    exportSvg() { return module.exportSvg(); },
    exportPng() { return new Promise((done) => { pngWaiter = done; module.requestPng(); }); },
    boardJson() { return module.boardJson(); },
    selectTool(name) { module.selectTool(name); },
    typing() { return module.typing(); },
    setHost(host) { module.setHost(Boolean(host)); },
    canvas,
    destroy() {
      resizeObserver.disconnect();
      module.stop();
      frame.remove();
    },
  };
  svgButton.addEventListener('click', () => {
    download('whiteboard.svg', URL.createObjectURL(new Blob([board.exportSvg()], { type: 'image/svg+xml' })));
  });
  pngButton.addEventListener('click', async () => download('whiteboard.png', await board.exportPng()));
  return board;
}
