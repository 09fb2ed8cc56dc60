// The grid lab: drives the wasm layout engine from a few controls, so anyone can watch the video
// grid rearrange. Click a tile to pin it.
import { computeLayout } from './mehfil-layout.mjs';
import { TileGrid } from './tile-grid.js';

// The slider moves one person at a time up to 10, then in fives up to 100.
const COUNTS = [...Array.from({ length: 10 }, (_, i) => i + 1), ...Array.from({ length: 18 }, (_, i) => 15 + i * 5)];
const NAMES = ['Aisha', 'Bilal', 'Chen', 'Dara', 'Elif', 'Farah', 'Gabe', 'Hana', 'Imran', 'Jo'];
const $ = (id) => document.getElementById(id);
const state = { count: 4, page: 0, pinned: null, sharing: false };

function colourOf(index) {
  return `hsl(${(index * 47) % 360} 62% 48%)`;
}

function createTile(id) {
  const tile = document.createElement('button');
  tile.type = 'button';
  tile.className = 'lab-tile';
  const index = Number(id.split('-')[1]);
  const isScreen = id === 'screen';
  tile.style.setProperty('--tile-colour', isScreen ? 'hsl(220 15% 30%)' : colourOf(index));
  const name = isScreen ? 'Aisha’s screen' : `${NAMES[index % NAMES.length]}${index >= NAMES.length ? ` ${Math.floor(index / NAMES.length) + 1}` : ''}`;
  tile.setAttribute('aria-label', `${name}: pin or unpin`);
  const label = document.createElement('span');
  label.className = 'lab-tile-name';
  label.textContent = index === 0 && !isScreen ? `${name} (you)` : name;
  tile.append(label);
  tile.addEventListener('click', () => {
    state.pinned = state.pinned === id ? null : id;
    render();
  });
  return tile;
}

const grid = new TileGrid($('grid'), { computeLayout, createTile });

function tiles() {
  const list = Array.from({ length: state.count }, (_, i) => ({
    id: `p-${i}`, is_local: i === 0, pinned: state.pinned === `p-${i}`,
  }));
  if (state.sharing) list.splice(1, 0, { id: 'screen', kind: 'screen', pinned: state.pinned === 'screen' });
  return list;
}

function checked(name) {
  return document.querySelector(`input[name="${name}"]:checked`).value;
}

function render() {
  const layout = grid.update(tiles(), { mode: checked('mode'), policy: checked('policy'), page: state.page });
  if (!layout) return;
  state.page = layout.page;
  $('pager').hidden = layout.pages < 2;
  $('page-label').textContent = `${layout.page + 1} / ${layout.pages}`;
  $('page-prev').disabled = layout.page === 0;
  $('page-next').disabled = layout.page === layout.pages - 1;
  const shape = layout.stage ? `stage + filmstrip ${layout.columns}×${layout.rows}` : `${layout.columns}×${layout.rows}`;
  $('summary').textContent = `${state.count + (state.sharing ? 1 : 0)} tiles · ${shape}` +
    (layout.pages > 1 ? ` · ${layout.pages} pages` : '') + (layout.pip ? ' · picture in picture' : '');
}

$('count').addEventListener('input', (event) => {
  state.count = COUNTS[Number(event.target.value)];
  $('count-value').textContent = state.count;
  event.target.setAttribute('aria-valuetext', `${state.count} people`);
  render();
});
$('screen-share').addEventListener('change', (event) => {
  state.sharing = event.target.checked;
  render();
});
for (const name of ['mode', 'policy']) {
  for (const input of document.querySelectorAll(`input[name="${name}"]`)) input.addEventListener('change', render);
}
for (const input of document.querySelectorAll('input[name="viewport"]')) {
  input.addEventListener('change', () => {
    $('grid').dataset.preset = input.value;
    state.page = 0;
  });
}
$('page-prev').addEventListener('click', () => { state.page--; render(); });
$('page-next').addEventListener('click', () => { state.page++; render(); });

// The lab's state, for tests and the curious: window.mehfilLab.layout() is the engine's last output.
window.mehfilLab = { layout: () => grid.lastLayout, tiles, computeLayout, counts: COUNTS };
render();
document.body.dataset.ready = 'true';
