// Lay out four people on a 1280x720 screen with the wasm engine, then share a screen.
import { computeLayout } from '../../build/web/mehfil-layout.mjs';

const tiles = ['ana', 'ben', 'chen', 'dev'].map((id) => ({ id }));
const grid = computeLayout({ viewport: { width: 1280, height: 720 }, tiles });
console.log(`${grid.columns} x ${grid.rows}`); // 2 x 2

tiles[2].kind = 'screen'; // chen shares a screen: it takes the stage
const shared = computeLayout({ viewport: { width: 1280, height: 720 }, mode: 'auto', tiles });
for (const { id, x, y, width, height } of shared.tiles) {
  console.log(id, Math.round(x), Math.round(y), Math.round(width), Math.round(height), id === shared.stage ? '(stage)' : '');
}

try {
  computeLayout({ viewport: { width: 0, height: 720 }, tiles });
} catch (error) {
  console.log(error.message); // viewport.width must be a number above 0 and at most 100000
}
if (grid.columns !== 2 || shared.stage !== 'chen') process.exit(1);
