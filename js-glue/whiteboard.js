// The shared whiteboard in a page: a canvas drawn from C++ (mehfil-whiteboard.wasm: Dear ImGui and
// WebGL2 over the pure whiteboard core) under its toolbar (whiteboard-toolbar.js). This file only
// moves bytes: ops from the room go in with receive(), ops drawn here come out through `send`
// (already batched by the core), the board's font goes in once (whiteboard-font.ttf, copied into
// the site by the build), and the exports are the core's SVG and the canvas's pixels. It also tells
// the view whether the board (its canvas or its toolbar) has the keyboard focus: the view's
// shortcuts count only then, so typing in the chat never picks a tool.
//
//   const board = await mountWhiteboard(container, { author: userId, isHost, send: (ops) => socket.send(...) });
//   board.receive(opsFromTheRoom);
import createWhiteboardModule from './mehfil-whiteboard.mjs';
import { whiteboardToolbar } from './whiteboard-toolbar.js';

// The font's bytes, or an empty array (the view then draws texts in ImGui's built-in font).
const fontBytes = () => fetch(new URL('./whiteboard-font.ttf', import.meta.url))
  .then((response) => (response.ok ? response.arrayBuffer() : new ArrayBuffer(0)))
  .then((buffer) => new Uint8Array(buffer), () => new Uint8Array(0));

export async function mountWhiteboard(container, { author, isHost = false, send, sendCursor = () => {} }) {
  const frame = document.createElement('div');
  frame.className = 'whiteboard';
  // The toolbar's styles, in the frame so they reach into a call's shadow root too.
  const styles = Object.assign(document.createElement('link'), { rel: 'stylesheet', href: new URL('./whiteboard-toolbar.css', import.meta.url).href });
  const styled = new Promise((done) => { styles.onload = styles.onerror = done; });
  const canvas = document.createElement('canvas');
  canvas.className = 'whiteboard-canvas';
  canvas.tabIndex = 0;
  canvas.setAttribute('aria-label', 'Shared whiteboard');
  canvas.addEventListener('contextmenu', (event) => event.preventDefault());
  frame.append(styles, canvas);
  container.append(frame);
  // The recorder copies this canvas into its picture between the board's frames (room-recorder.js):
  // WebGL clears a drawing buffer once shown unless asked to keep it, and the copy was empty.
  const getContext = canvas.getContext.bind(canvas);
  canvas.getContext = (type, attributes) => getContext(type, { ...attributes, preserveDrawingBuffer: true });

  // One module instance per board, given its canvas directly (a canvas in a shadow root is not
  // found by Emscripten's selector lookups).
  const [module, font] = await Promise.all([createWhiteboardModule({ canvas }), fontBytes(), styled]);
  let pngWaiter = null;
  // The layout size, not getBoundingClientRect: a tile scaling in (a CSS transform) must not shrink
  // the drawing buffer, or the board's texts and cursors would be drawn stretched.
  const size = () => [Math.max(1, canvas.clientWidth), Math.max(1, canvas.clientHeight)];
  module.start(String(author), Boolean(isHost), (Math.random() * 2 ** 32) >>> 0, ...size(),
    (opsText) => send(JSON.parse(opsText)),
    () => { pngWaiter?.(canvas.toDataURL('image/png')); pngWaiter = null; }, font);
  module.onCursor((x, y, laser) => sendCursor({ x, y, laser }));
  frame.addEventListener('focusin', () => module.setKeyboardFocus(true));
  frame.addEventListener('focusout', (event) => module.setKeyboardFocus(frame.contains(event.relatedTarget)));
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
    // { tool, colour: 0xRRGGBB, width, filled, canUndo, canRedo }: what the toolbar shows.
    toolState() { return module.toolState(); },
    typing() { return module.typing(); },
    setHost(host) { module.setHost(Boolean(host)); toolbar.setHost(Boolean(host)); },
    canvas,
    destroy() {
      toolbar.destroy();
      module.setKeyboardFocus(false);
      resizeObserver.disconnect();
      module.stop();
      frame.remove();
    },
  };
  const toolbar = whiteboardToolbar(module, {
    isHost,
    onExport: async (kind) => {
      if (kind === 'svg') download('whiteboard.svg', URL.createObjectURL(new Blob([board.exportSvg()], { type: 'image/svg+xml' })));
      else download('whiteboard.png', await board.exportPng());
    },
  });
  canvas.before(toolbar.element);
  return board;
}
