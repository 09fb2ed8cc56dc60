// Appended to mehfil-layout.mjs after Emscripten's factory: instantiates the engine once (top-level
// await) and exports the plain-object API. layout_module.cpp explains the two paths and the flat
// format; the offsets below mirror its constants.
const wasmUrl = new URL('mehfil-layout.wasm', import.meta.url);
const isNode = typeof process === 'object' && typeof process.versions?.node === 'string';
const engine = await createLayoutEngine(
  isNode ? { wasmBinary: (await import('node:fs')).readFileSync(wasmUrl) } : {});

const HEADER = 13;
const PER_TILE = 6;
const MODES = { grid: 0, spotlight: 1, auto: 2 };
const POLICIES = { table: 0, 'best-fit': 1 };
const KINDS = { camera: 0, screen: 1, document: 2 };
const CORNERS = { 'bottom-right': 0, 'bottom-left': 1, 'top-right': 2, 'top-left': 3 };
const MAX_TILES = 10000;
const utf8 = new TextEncoder();

const isObject = (value) => typeof value === 'object' && value !== null && !Array.isArray(value);
const absentOr = (value, type) => value === undefined || typeof value === type;
// -1 absent, 0 false, 1 true; undefined when it is not a boolean at all.
const flag = (value) => (value === undefined ? -1 : value === true ? 1 : value === false ? 0 : undefined);

// The flat path; undefined when the input has a shape it can't carry (the JSON path then explains).
function computeFlat(input) {
  if (!isObject(input) || !isObject(input.viewport) || !Array.isArray(input.tiles)) return undefined;
  const { viewport, tiles, gap, aspect, min_tile_width: minTileWidth, mode, policy, page, pip_corner: pipCorner,
    min_aspect: minAspect, max_aspect: maxAspect } = input;
  if (typeof viewport.width !== 'number' || typeof viewport.height !== 'number') return undefined;
  if (!absentOr(gap, 'number') || !absentOr(aspect, 'number') || !absentOr(minTileWidth, 'number')) return undefined;
  if (!absentOr(minAspect, 'number') || !absentOr(maxAspect, 'number')) return undefined;
  if ((mode !== undefined && !(mode in MODES)) || (policy !== undefined && !(policy in POLICIES))) return undefined;
  if (page !== undefined && !Number.isInteger(page)) return undefined;
  if (pipCorner !== undefined && !Object.hasOwn(CORNERS, pipCorner)) return undefined;
  if (tiles.length > MAX_TILES) return undefined;

  let idCapacity = 0;
  for (const tile of tiles) {
    if (!isObject(tile) || typeof tile.id !== 'string') return undefined;
    idCapacity += tile.id.length * 3;
  }
  const bytesAt = engine.reserveIdBytes(idCapacity);
  const numbersAt = engine.reserveNumbers(HEADER + tiles.length * PER_TILE) / 8;
  const bytes = engine.HEAPU8; // read after both reservations: memory may have grown
  const n = engine.HEAPF64;
  n[numbersAt] = (gap !== undefined) | ((aspect !== undefined) << 1) | ((minTileWidth !== undefined) << 2) |
    ((mode !== undefined) << 3) | ((policy !== undefined) << 4) | ((page !== undefined) << 5) | ((pipCorner !== undefined) << 6) |
    ((minAspect !== undefined) << 7) | ((maxAspect !== undefined) << 8);
  n[numbersAt + 1] = viewport.width;
  n[numbersAt + 2] = viewport.height;
  n[numbersAt + 3] = gap ?? 0;
  n[numbersAt + 4] = aspect ?? 0;
  n[numbersAt + 5] = minTileWidth ?? 0;
  n[numbersAt + 6] = MODES[mode] ?? 0;
  n[numbersAt + 7] = POLICIES[policy] ?? 0;
  n[numbersAt + 8] = page ?? 0;
  n[numbersAt + 9] = tiles.length;
  n[numbersAt + 10] = CORNERS[pipCorner] ?? 0;
  n[numbersAt + 11] = minAspect ?? 0;
  n[numbersAt + 12] = maxAspect ?? 0;
  let byteOffset = bytesAt;
  for (let i = 0; i < tiles.length; i++) {
    const tile = tiles[i];
    const at = numbersAt + HEADER + i * PER_TILE;
    const pinned = flag(tile.pinned), speaking = flag(tile.speaking);
    const hasVideo = flag(tile.has_video), isLocal = flag(tile.is_local);
    if (pinned === undefined || speaking === undefined || hasVideo === undefined || isLocal === undefined) return undefined;
    if (tile.kind !== undefined && !(tile.kind in KINDS)) return undefined;
    n[at] = tile.kind === undefined ? -1 : KINDS[tile.kind];
    n[at + 1] = pinned;
    n[at + 2] = speaking;
    n[at + 3] = hasVideo;
    n[at + 4] = isLocal;
    const { written } = utf8.encodeInto(tile.id, bytes.subarray(byteOffset, byteOffset + tile.id.length * 3));
    n[at + 5] = written;
    byteOffset += written;
  }

  const resultAt = engine.computeFlat();
  if (resultAt === 0) throw new Error(engine.lastProblem());
  const r = engine.HEAPF64;
  let o = resultAt / 8;
  const output = {
    columns: r[o], rows: r[o + 1], pages: r[o + 2], page: r[o + 3],
    stage: r[o + 4] < 0 ? null : tiles[r[o + 4]].id,
    pip: r[o + 5] < 0 ? null : tiles[r[o + 5]].id,
    tiles: new Array(tiles.length),
  };
  o += 6;
  for (let i = 0; i < tiles.length; i++, o += 6) {
    output.tiles[i] = { id: tiles[i].id, x: r[o], y: r[o + 1], width: r[o + 2], height: r[o + 3], visible: r[o + 4] === 1, page: r[o + 5] };
  }
  return output;
}

/**
 * Computes where every tile goes. Takes and returns plain objects in the layout engine's JSON format
 * (README, "Using the layout engine"). Throws an Error naming the field for bad input.
 */
export function computeLayout(input) {
  const output = computeFlat(input);
  if (output !== undefined) return output;
  const result = JSON.parse(engine.computeLayoutJson(JSON.stringify(input) ?? 'null'));
  if (result.error !== undefined) throw new Error(result.error);
  return result;
}
