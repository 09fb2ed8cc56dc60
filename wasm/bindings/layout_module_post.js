// Appended to mehfil-layout.mjs after Emscripten's factory: instantiates the engine once (top-level
// await) and exports the plain-object API.
const wasmUrl = new URL('mehfil-layout.wasm', import.meta.url);
const isNode = typeof process === 'object' && typeof process.versions?.node === 'string';
const engine = await createLayoutEngine(
  isNode ? { wasmBinary: (await import('node:fs')).readFileSync(wasmUrl) } : {});

/**
 * Computes where every tile goes. Takes and returns plain objects in the layout engine's JSON format
 * (README, "Using the layout engine"). Throws an Error naming the field for bad input.
 */
export function computeLayout(input) {
  const result = JSON.parse(engine.computeLayoutJson(JSON.stringify(input) ?? 'null'));
  if (result.error !== undefined) throw new Error(result.error);
  return result;
}
