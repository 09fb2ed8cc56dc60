// The whiteboard's toolbar: real buttons above the canvas, in the site's look (whiteboard-toolbar.css,
// light and dark, 44 px targets on phones), each with a name, a tooltip and, for the tools, its
// shortcut ("Pen (P)"). It holds no state of its own: the C++ view does (tool, colour, width, fill,
// undo and redo). A click calls the view's setter; the bar shows what the view says, through
// onToolState, so a tool picked by a shortcut (decided in C++, wasm/ui/tools.h) shows pressed too.
//
//   const bar = whiteboardToolbar(module, { isHost, onExport: (kind) => ... });   // kind: 'svg' | 'png'
//   frame.prepend(bar.element);
import { icon } from './call-ui-icons.js';

const TOOLS = [
  ['pen', 'Pen'], ['eraser', 'Eraser'], ['line', 'Line'], ['arrow', 'Arrow'], ['rectangle', 'Rectangle'],
  ['ellipse', 'Ellipse'], ['text', 'Text'], ['select', 'Select and move'], ['pan', 'Pan (the wheel zooms)'],
  ['laser', 'Laser pointer (seen by everyone, never drawn)'],
];
// The board stays white in a dark theme too, so these are ink colours for a white page.
const COLOURS = [
  [0x1e1e1e, 'Black'], [0xe03131, 'Red'], [0x2f9e44, 'Green'], [0x1971c2, 'Blue'], [0xf08c00, 'Orange'],
  [0x9c36b5, 'Purple'],
];
const WIDTHS = [[2, 'Thin'], [4, 'Medium'], [8, 'Thick'], [16, 'Extra thick']];

const hex = (rgb) => `#${rgb.toString(16).padStart(6, '0')}`;

function button(className, label, content, onClick) {
  const element = Object.assign(document.createElement('button'), { type: 'button', className, title: label });
  element.setAttribute('aria-label', label);
  if (content) element.append(content);
  element.addEventListener('click', onClick);
  return element;
}

function group(label, ...children) {
  const element = Object.assign(document.createElement('div'), { className: 'wb-group' });
  element.setAttribute('role', 'group');
  element.setAttribute('aria-label', label);
  element.append(...children);
  return element;
}

function dot(className, style) {
  const element = Object.assign(document.createElement('span'), { className });
  element.setAttribute('aria-hidden', 'true');
  Object.assign(element.style, style);
  return element;
}

// module: the whiteboard wasm module (selectTool, setColour, setWidth, setFilled, undo, redo, clear,
// toolState, onToolState, toolKey).
export function whiteboardToolbar(module, { isHost = false, onExport }) {
  const bar = Object.assign(document.createElement('div'), { className: 'wb-bar' });
  bar.setAttribute('role', 'toolbar');
  bar.setAttribute('aria-label', 'Whiteboard tools');
  // Every action asks the view, then shows its answer at once (and again on its next frame).
  const act = (change) => () => { change(); refresh(module.toolState()); };

  const tools = TOOLS.map(([name, label]) => {
    const key = module.toolKey(name);
    const element = button('wb-button', key ? `${label} (${key})` : label, icon(`wb-${name}`), act(() => module.selectTool(name)));
    element.dataset.tool = name;
    return element;
  });
  const swatches = COLOURS.map(([rgb, name]) => {
    const element = button('wb-button wb-swatch', `Colour: ${name.toLowerCase()}`,
      dot('wb-swatch-dot', { background: hex(rgb) }), act(() => module.setColour(rgb)));
    element.dataset.colour = hex(rgb);
    return element;
  });
  const widths = WIDTHS.map(([width, name]) => {
    const size = `${Math.min(4 + width, 20)}px`;
    const element = button('wb-button wb-width', `Width: ${name.toLowerCase()}`,
      dot('wb-width-dot', { width: size, height: size }), act(() => module.setWidth(width)));
    element.dataset.width = String(width);
    return element;
  });
  let filled = false;
  const fill = button('wb-button', 'Fill shapes', icon('wb-fill'), act(() => module.setFilled(!filled)));
  const undo = button('wb-button', 'Undo (Ctrl+Z)', icon('undo'), act(() => module.undo()));
  const redo = button('wb-button', 'Redo (Ctrl+Shift+Z or Ctrl+Y)', icon('redo'), act(() => module.redo()));
  const clear = button('wb-button wb-danger', 'Clear the board for everyone', icon('trash'), act(() => module.clear()));
  clear.hidden = !isHost;

  // Exports: a small menu, so the bar keeps one button for them.
  const exportButton = button('wb-button', 'Export the board', icon('download'), () => setMenu(menu.hidden));
  exportButton.setAttribute('aria-haspopup', 'menu');
  exportButton.setAttribute('aria-expanded', 'false');
  const menu = Object.assign(document.createElement('div'), { className: 'wb-menu', hidden: true });
  menu.setAttribute('role', 'menu');
  menu.setAttribute('aria-label', 'Export the board');
  for (const [kind, label] of [['svg', 'Export SVG'], ['png', 'Export PNG']]) {
    const item = Object.assign(document.createElement('button'), { type: 'button', className: 'wb-menu-item', textContent: label });
    item.setAttribute('role', 'menuitem');
    item.addEventListener('click', () => { setMenu(false); onExport(kind); });
    menu.append(item);
  }
  const setMenu = (open) => {
    menu.hidden = !open;
    exportButton.setAttribute('aria-expanded', String(open));
    if (open) menu.querySelector('button').focus();
  };
  menu.addEventListener('keydown', (event) => {
    const items = [...menu.querySelectorAll('button')];
    const at = items.indexOf(event.target);
    if (event.key === 'Escape') { setMenu(false); exportButton.focus(); }
    else if (event.key === 'ArrowDown' || event.key === 'ArrowUp') items[(at + (event.key === 'ArrowDown' ? 1 : items.length - 1)) % items.length].focus();
    else return;
    event.preventDefault();
  });
  const onOutside = (event) => { if (!menu.hidden && !event.composedPath().includes(bar)) setMenu(false); };
  window.addEventListener('pointerdown', onOutside, true);

  // The tools, the style and the history scroll sideways when the bar is narrow (a phone); clear and
  // export stay at its end.
  const scroller = Object.assign(document.createElement('div'), { className: 'wb-scroll' });
  const separator = () => dot('wb-separator', {});
  scroller.append(group('Tools', ...tools), separator(), group('Colour', ...swatches), separator(),
    group('Width', ...widths, fill), separator(), group('History', undo, redo));
  const end = group('Board', clear, exportButton);
  end.classList.add('wb-end');
  bar.append(scroller, end, menu);
  const showMore = () => {
    const more = [];
    if (scroller.scrollLeft > 1) more.push('start');
    if (scroller.scrollLeft + scroller.clientWidth < scroller.scrollWidth - 1) more.push('end');
    scroller.dataset.more = more.join(' ');
  };
  scroller.addEventListener('scroll', showMore, { passive: true });
  const resized = new ResizeObserver(showMore);
  resized.observe(scroller);

  function refresh(state) {
    for (const element of tools) element.setAttribute('aria-pressed', String(element.dataset.tool === state.tool));
    for (const element of swatches) element.setAttribute('aria-pressed', String(element.dataset.colour === hex(state.colour)));
    // The nearest of the offered widths shows pressed (an embedder may set any width).
    const nearest = WIDTHS.reduce((best, [width]) => (Math.abs(width - state.width) < Math.abs(best - state.width) ? width : best), WIDTHS[0][0]);
    for (const element of widths) element.setAttribute('aria-pressed', String(Number(element.dataset.width) === nearest));
    filled = state.filled;
    fill.setAttribute('aria-pressed', String(filled));
    undo.disabled = !state.canUndo;
    redo.disabled = !state.canRedo;
  }
  refresh(module.toolState());
  module.onToolState(refresh);

  return {
    element: bar,
    setHost(host) { clear.hidden = !host; },
    destroy() {
      resized.disconnect();
      window.removeEventListener('pointerdown', onOutside, true);
    },
  };
}
