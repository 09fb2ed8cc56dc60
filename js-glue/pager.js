// The grid's pager: when the layout engine puts tiles on more than one page (a full room on a small
// stage), "‹ 2 / 3 ›" under the tiles, so nobody in the room is out of reach. While it shows, the
// stage keeps a strip free for it (the class mehfil-paged), so it never covers a tile. The page itself is the
// core's state (room/stage.h); this only shows the layout's `page` and `pages` and asks for another.
export class Pager {
  #element;
  #label;
  #previous;
  #next;

  // show(page): ask the call for that page (call.showPage).
  constructor(parent, show) {
    const button = (text, label, step) => {
      const b = document.createElement('button');
      b.type = 'button';
      b.textContent = text;
      b.setAttribute('aria-label', label);
      b.addEventListener('click', () => show(Number(this.#element.dataset.page) + step));
      return b;
    };
    this.#element = document.createElement('nav');
    this.#element.className = 'mehfil-pager';
    this.#element.setAttribute('aria-label', 'Pages of the grid');
    this.#element.hidden = true;
    this.#previous = button('‹', 'Previous page', -1);
    this.#next = button('›', 'Next page', +1);
    this.#label = document.createElement('span');
    this.#label.setAttribute('aria-live', 'polite');
    this.#element.append(this.#previous, this.#label, this.#next);
    parent.append(this.#element);
  }

  // layout: the engine's output ({page, pages}).
  update({ page = 0, pages = 1 } = {}) {
    this.#element.hidden = pages <= 1;
    // The tiles make room for it (more padding: the grid is laid out again, smaller, never larger).
    this.#element.parentElement?.classList.toggle('mehfil-paged', pages > 1);
    this.#element.dataset.page = String(page);
    this.#label.textContent = `${page + 1} / ${pages}`;
    this.#label.setAttribute('aria-label', `Page ${page + 1} of ${pages}`);
    this.#previous.disabled = page <= 0;
    this.#next.disabled = page >= pages - 1;
  }
}
