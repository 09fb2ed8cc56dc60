// Layout engine benchmark through the wasm module in Node: median time of one computeLayout call
// (JS -> wasm -> JS included) for 1, 10, 100 and 1000 tiles, beside a baseline run in the same
// process (JSON.parse(JSON.stringify(input)), the cost of merely copying the input in JS).
// Prints the module's size raw and gzipped. Target: 10 tiles <= 10 us. `--quick`: a smoke run.
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { resolve } from 'node:path';

const web = process.env.MEHFIL_WEB_DIR ?? fileURLToPath(new URL('../../build/web/', import.meta.url));
const { computeLayout } = await import(pathToFileURL(resolve(web, 'mehfil-layout.mjs')).href);
const quick = process.argv.includes('--quick');
const rounds = quick ? 3 : 31;

function medianMicros(calls, work) {
  const means = [];
  for (let r = 0; r < rounds; r++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < calls; i++) work();
    means.push(Number(process.hrtime.bigint() - start) / calls / 1000);
  }
  means.sort((a, b) => a - b);
  return means[means.length >> 1];
}

console.log(`layout engine, wasm in Node ${process.version} (median of ${rounds} rounds)`);
console.log('tiles  computeLayout    copy input   ratio');
for (const count of [1, 10, 100, 1000]) {
  const tiles = Array.from({ length: count }, (_, i) => ({ id: `peer-${i}`, is_local: i === 0 }));
  const input = { viewport: { width: 1280, height: 720 }, tiles };
  const calls = Math.max(10, Math.floor((quick ? 2000 : 100000) / (count + 10)));
  let sink = 0;
  for (let i = 0; i < calls; i++) sink += computeLayout(input).columns; // warm up the JIT
  const layout = medianMicros(calls, () => { sink += computeLayout(input).columns; });
  const copy = medianMicros(calls, () => { sink += JSON.parse(JSON.stringify(input)).tiles.length; });
  console.log(`${String(count).padEnd(6)} ${layout.toFixed(2).padStart(10)} us ${copy.toFixed(2).padStart(10)} us ${(layout / copy).toFixed(2).padStart(6)}x`);
}
for (const file of ['mehfil-layout.wasm', 'mehfil-layout.mjs']) {
  const bytes = readFileSync(`${web}/${file}`);
  console.log(`${file}: ${(bytes.length / 1024).toFixed(1)} KB raw, ${(gzipSync(bytes, { level: 9 }).length / 1024).toFixed(1)} KB gzipped`);
}
