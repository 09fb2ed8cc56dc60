// TileGrid: places one element per tile at the rects the layout engine computes, inside a container.
// The rules (how many columns, who takes the stage, pagination) live in the wasm engine; this only
// moves elements. A tile that joins scales in, one that leaves scales out, the others glide to their
// new rects (styles in tile-grid.css), and nothing is re-created, so a <video> never flickers. The
// picture-in-picture tile of a 1:1 call can be dragged: it follows the pointer, and when let go the
// engine places it in the corner nearest to where it was dropped (Input.pip_corner). In a portrait
// container (a phone held upright) the engine is given `portraitShapes`, an aspect range, so camera
// tiles take the shape of the space they get and the video is cropped to fill them (object-fit: cover).
//
//   const grid = new TileGrid(container, { computeLayout, createTile: (id) => element });
//   grid.update(tiles, { mode: 'auto' });   // tiles: [{id, kind, pinned, speaking, has_video, is_local}]
export class TileGrid {
  #container;
  #computeLayout;
  #createTile;
  #elements = new Map(); // id -> element
  #leaving = new Map(); // id -> {element, timer}: scaling out, revived if the id comes back
  #tiles = [];
  #options = {};
  #pipCorner = 'bottom-right';
  #portraitShapes;
  #resizeObserver;
  lastLayout = null;

  // portraitShapes: {min_aspect, max_aspect} for a portrait container, or null (the aspect alone).
  constructor(container, { computeLayout, createTile, portraitShapes = null }) {
    this.#portraitShapes = portraitShapes;
    this.#container = container;
    this.#computeLayout = computeLayout;
    this.#createTile = createTile;
    container.classList.add('tile-grid');
    this.#resizeObserver = new ResizeObserver(() => this.#render());
    this.#resizeObserver.observe(container);
  }

  update(tiles, options = {}) {
    this.#tiles = tiles;
    this.#options = options;
    return this.#render();
  }

  element(id) {
    return this.#elements.get(id);
  }

  destroy() {
    this.#resizeObserver.disconnect();
    for (const element of this.#elements.values()) element.remove();
    for (const { element, timer } of this.#leaving.values()) {
      clearTimeout(timer);
      element.remove();
    }
    this.#elements.clear();
    this.#leaving.clear();
  }

  #render() {
    // The container's padding frames the grid: lay out in its content box.
    const style = getComputedStyle(this.#container);
    const left = parseFloat(style.paddingLeft) || 0;
    const top = parseFloat(style.paddingTop) || 0;
    const width = this.#container.clientWidth - left - (parseFloat(style.paddingRight) || 0);
    const height = this.#container.clientHeight - top - (parseFloat(style.paddingBottom) || 0);
    if (width <= 0 || height <= 0) return this.lastLayout;
    const shapes = height > width ? this.#portraitShapes : null;
    const layout = this.#computeLayout({ pip_corner: this.#pipCorner, ...shapes, ...this.#options, viewport: { width, height }, tiles: this.#tiles });
    this.lastLayout = layout;

    const present = new Set();
    for (const rect of layout.tiles) {
      present.add(rect.id);
      let element = this.#elements.get(rect.id) ?? this.#revive(rect.id);
      const isNew = !element;
      if (isNew) {
        element = this.#createTile(rect.id);
        element.classList.add('tile', 'tile-entering');
        element.dataset.tileId = rect.id;
        element.addEventListener('pointerdown', (event) => this.#dragPip(event, element));
        this.#elements.set(rect.id, element);
        this.#container.append(element);
      }
      element.classList.toggle('tile-offpage', !rect.visible);
      element.classList.toggle('tile-stage', rect.id === layout.stage);
      element.classList.toggle('tile-pip', rect.id === layout.pip);
      Object.assign(element.style, {
        left: `${left + rect.x}px`, top: `${top + rect.y}px`, width: `${rect.width}px`, height: `${rect.height}px`,
      });
      if (isNew) {
        // Let the browser see the small state first, so the scale-in runs as a transition.
        requestAnimationFrame(() => requestAnimationFrame(() => element.classList.remove('tile-entering')));
      }
    }
    for (const [id, element] of this.#elements) {
      if (present.has(id)) continue;
      this.#elements.delete(id);
      element.classList.add('tile-leaving');
      // Removed when the scale-out is over; 350 ms covers the 0.3 s transition, and also a tab where
      // no transition runs (reduced motion, hidden).
      const timer = setTimeout(() => {
        this.#leaving.delete(id);
        element.remove();
      }, 350);
      this.#leaving.set(id, { element, timer });
    }
    return layout;
  }

  // A drag of the picture-in-picture tile (a press on its buttons is no drag).
  #dragPip(event, element) {
    if (!element.classList.contains('tile-pip') || event.button !== 0 || event.target.closest('button')) return;
    event.preventDefault();
    element.setPointerCapture?.(event.pointerId);
    const start = element.getBoundingClientRect();
    const from = { x: event.clientX, y: event.clientY };
    element.classList.add('tile-dragging');
    const move = (e) => { element.style.translate = `${e.clientX - from.x}px ${e.clientY - from.y}px`; };
    const drop = (e) => {
      element.removeEventListener('pointermove', move);
      element.removeEventListener('pointerup', drop);
      element.removeEventListener('pointercancel', drop);
      element.classList.remove('tile-dragging');
      element.style.translate = '';
      const box = this.#container.getBoundingClientRect();
      const centreX = start.left + start.width / 2 + (e.clientX - from.x) - box.left;
      const centreY = start.top + start.height / 2 + (e.clientY - from.y) - box.top;
      this.#pipCorner = `${centreY < box.height / 2 ? 'top' : 'bottom'}-${centreX < box.width / 2 ? 'left' : 'right'}`;
      this.#render();
    };
    element.addEventListener('pointermove', move);
    element.addEventListener('pointerup', drop);
    element.addEventListener('pointercancel', drop);
  }

  // Someone who left a moment ago is back (a quick rejoin): keep their element, no flicker.
  #revive(id) {
    const leaving = this.#leaving.get(id);
    if (!leaving) return undefined;
    clearTimeout(leaving.timer);
    this.#leaving.delete(id);
    leaving.element.classList.remove('tile-leaving');
    this.#elements.set(id, leaving.element);
    return leaving.element;
  }
}
