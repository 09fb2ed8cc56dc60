// The wasm layout module in Node, checked against the native command-line tool: two builds of one
// engine (clang→wasm through the flat path, g++ through JSON) must give the same layouts and the same
// error messages.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { resolve } from 'node:path';

const web = process.env.MEHFIL_WEB_DIR ?? fileURLToPath(new URL('../../build/web/', import.meta.url));
const bin = process.env.MEHFIL_BIN_DIR ?? fileURLToPath(new URL('../../build/native/bin/', import.meta.url));
const { computeLayout } = await import(pathToFileURL(resolve(web, 'mehfil-layout.mjs')).href);

function cli(inputText) {
  const run = spawnSync(`${bin}/mehfil-layout`, { input: inputText, encoding: 'utf8' });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

// A small seeded generator, so a failure names an input that can be replayed.
function* generatedInputs(count) {
  let state = 12345;
  const next = () => ((state = (state * 1103515245 + 12345) % 2147483648) / 2147483648);
  const modes = ['grid', 'spotlight', 'auto'];
  for (let i = 0; i < count; i++) {
    const tiles = Array.from({ length: Math.floor(next() * (next() < 0.5 ? 11 : 60)) }, (_, k) => ({
      id: `p${k}-${Math.floor(next() * 1000)}`,
      ...(next() < 0.1 ? { kind: 'screen' } : {}),
      ...(next() < 0.05 ? { pinned: true } : {}),
      ...(next() < 0.3 ? { is_local: k === 0 } : {}),
    }));
    yield {
      viewport: { width: Math.round(200 + next() * 3640), height: Math.round(200 + next() * 2000) },
      mode: modes[Math.floor(next() * 3)],
      policy: next() < 0.5 ? 'table' : 'best-fit',
      ...(next() < 0.5 ? { gap: Math.round(next() * 20) } : {}),
      ...(next() < 0.3 ? { page: Math.floor(next() * 3) } : {}),
      ...(next() < 0.3 ? { pip_corner: ['bottom-right', 'bottom-left', 'top-right', 'top-left'][Math.floor(next() * 4)] } : {}),
      tiles,
    };
  }
}

test('the wasm module and the native CLI give the same layout for 300 generated inputs', () => {
  const inputs = [...generatedInputs(300)];
  // One CLI run per input keeps this honest but slow-ish; 300 runs take about a second.
  for (const input of inputs) {
    const fromCli = JSON.parse(cli(JSON.stringify(input)).stdout);
    assert.deepEqual(computeLayout(input), fromCli, JSON.stringify(input));
  }
});

test('the table our users asked for comes out of the wasm module', () => {
  const expected = { 1: [1, 1], 2: [2, 1], 3: [3, 1], 4: [2, 2], 5: [3, 2], 6: [3, 2], 7: [3, 3], 8: [3, 3], 9: [3, 3], 10: [4, 3] };
  for (const [count, [columns, rows]] of Object.entries(expected)) {
    const out = computeLayout({ viewport: { width: 1280, height: 720 }, tiles: Array.from({ length: count }, (_, i) => ({ id: `t${i}` })) });
    assert.equal(out.columns, columns, `${count} tiles`);
    assert.equal(out.rows, rows, `${count} tiles`);
  }
});

test('extra fields on tiles are ignored and the result is a plain object', () => {
  const out = computeLayout({ viewport: { width: 800, height: 600 }, tiles: [{ id: 'a', name: 'Ana', volume: 3 }] });
  assert.deepEqual(Object.keys(out), ['columns', 'rows', 'pages', 'page', 'stage', 'pip', 'tiles']);
  assert.deepEqual(Object.keys(out.tiles[0]), ['id', 'x', 'y', 'width', 'height', 'visible', 'page']);
});

const badInputs = [
  [undefined, 'input must be an object'],
  [{ tiles: [] }, 'viewport is required'],
  [{ viewport: { width: '800', height: 600 }, tiles: [] }, 'viewport.width must be a number'],
  [{ viewport: { width: NaN, height: 600 }, tiles: [] }, 'viewport.width must be a number'],
  [{ viewport: { width: Infinity, height: 600 }, tiles: [] }, 'viewport.width must be a number'],
  [{ viewport: { width: 0, height: 600 }, tiles: [] }, 'viewport.width must be a number above 0'],
  [{ viewport: { width: 800, height: -1 }, tiles: [] }, 'viewport.height must be a number above 0'],
  [{ viewport: { width: 800, height: 600 }, tiles: [{ id: 'a' }, { id: 'a' }] }, 'tile ids must be unique'],
  [{ viewport: { width: 800, height: 600 }, tiles: [{ id: 7 }] }, 'tiles[0].id must be a string'],
  [{ viewport: { width: 800, height: 600 }, tiles: [{ id: 'a', kind: 'hologram' }] }, 'tiles[0].kind must be "camera", "screen" or "document"'],
  [{ viewport: { width: 800, height: 600 }, mode: 'mosaic', tiles: [] }, 'mode must be "grid", "spotlight" or "auto"'],
  [{ viewport: { width: 800, height: 600 }, page: 0.5, tiles: [] }, 'page must be a whole number'],
  [{ viewport: { width: 800, height: 600 }, pip_corner: 'middle', tiles: [] }, 'pip_corner must be "bottom-right", "bottom-left", "top-right" or "top-left"'],
  [{ viewport: { width: 800, height: 600 }, pip_corner: 'toString', tiles: [] }, 'pip_corner must be'],
  [{ viewport: { width: 800, height: 600 }, tiles: Array.from({ length: 100000 }, (_, i) => ({ id: `${i}` })) }, 'tiles must hold at most 10000 tiles'],
];

test('bad input throws an Error that names the field, never a garbage layout', () => {
  for (const [input, message] of badInputs) {
    assert.throws(() => computeLayout(input), (error) => error instanceof Error && error.message.includes(message), message);
  }
});

test('the CLI prints the same message on stderr and exits 2', () => {
  for (const [input, message] of badInputs) {
    if (input === undefined || Number.isNaN(input.viewport?.width) || input.viewport?.width === Infinity) continue; // not expressible in JSON
    const run = cli(JSON.stringify(input));
    assert.equal(run.status, 2, message);
    assert.match(run.stderr, new RegExp(`^mehfil-layout: .*${message.replace(/[[\]().*+?"]/g, '\\$&')}`), message);
    assert.equal(run.stdout, '');
  }
  assert.equal(cli('{"viewport": ').status, 2);
  assert.equal(cli('').status, 2);
});
