// A reaction floating up over someone's tile for a few seconds (the core says whose and which:
// the `reaction` command). Decorative: the picture carries it, so it is hidden from screen readers,
// and a reduced-motion setting gets a still fade instead of the rise (tile-grid.css).
const SHOWN_MS = 3600;
const MOST_AT_ONCE = 6;  // per tile: a burst of applause shows, an old one makes room

export function floatReaction(tile, emoji) {
  if (!tile) return;
  const floating = tile.querySelectorAll(':scope > .mf-reaction');
  if (floating.length >= MOST_AT_ONCE) floating[0].remove();
  const item = document.createElement('span');
  item.className = 'mf-reaction';
  item.textContent = emoji;
  item.setAttribute('aria-hidden', 'true');
  // A little sideways spread, so a burst reads as several.
  item.style.setProperty('--mf-reaction-x', `${Math.round((Math.random() - 0.5) * 40)}%`);
  tile.append(item);
  setTimeout(() => item.remove(), SHOWN_MS);
}
