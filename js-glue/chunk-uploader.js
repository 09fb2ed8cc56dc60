// ChunkUploader: a recording's bytes to the server while they are made, one chunk at a time, at
// explicit byte offsets (PUT /api/recordings/ID/chunks, README "Recording"). The server's answers
// decide what happens next (authority/recording_rules.h):
//   200                 the chunk is kept (or was already: a retry after a lost answer); next one
//   409 bad_offset      part of it landed before the answer was lost: skip to the server's size
//   any other refusal   the recording is over for this browser (finished, handed over, over the
//                       room's cap): stop uploading and say so once through `onRefused(code)`
//   no answer           the network: the same chunk again after a pause (RETRY_MS), until it goes
// Only one request is in flight, so the bytes arrive in order.
import { resolveToken } from './rest-client.js';
const RETRY_MS = [250, 500, 1000, 2000, 4000, 5000];

export class ChunkUploader {
  #url;
  #token;
  #queue = []; // {blob, final}
  #offset = 0;
  #pumping = null;
  #refused = false;
  #onRefused;

  constructor({ server, token, recordingId, segment, onRefused = () => {} }) {
    const url = new URL(`/api/recordings/${encodeURIComponent(recordingId)}/chunks`, server);
    url.searchParams.set('segment', segment);
    this.#url = url;
    this.#token = token;
    this.#onRefused = onRefused;
  }

  get offset() { return this.#offset; }

  push(blob) { this.#enqueue({ blob, final: false }); }

  // The segment is complete: resolves once everything before it was sent (or refused).
  finish() { return this.#enqueue({ blob: new Blob([]), final: true }); }

  #enqueue(item) {
    if (this.#refused) return Promise.resolve();
    this.#queue.push(item);
    this.#pumping ??= this.#pump().finally(() => { this.#pumping = null; });
    return this.#pumping;
  }

  async #pump() {
    let attempt = 0;
    while (this.#queue.length && !this.#refused) {
      const { blob, final } = this.#queue[0];
      const url = new URL(this.#url);
      url.searchParams.set('offset', String(this.#offset));
      if (final) url.searchParams.set('final', '1');
      let response;
      let body;
      try {
        const token = await resolveToken(this.#token);
        response = await fetch(url, { method: 'PUT', headers: { Authorization: `Bearer ${token}` }, body: blob });
        body = await response.json().catch(() => ({}));
      } catch {
        await new Promise((resolve) => { setTimeout(resolve, RETRY_MS[Math.min(attempt++, RETRY_MS.length - 1)]); });
        continue;
      }
      attempt = 0;
      if (response.ok) {
        this.#offset = body.size ?? this.#offset + blob.size;
        this.#queue.shift();
      } else if (body.error?.code === 'bad_offset' && body.error.size > this.#offset) {
        const landed = body.error.size - this.#offset;
        this.#offset = body.error.size;
        if (landed >= blob.size && !final) this.#queue.shift();
        else this.#queue[0] = { blob: blob.slice(landed), final };
      } else {
        this.#refused = true;
        this.#queue = [];
        this.#onRefused(body.error?.code ?? `http_${response.status}`);
      }
    }
  }
}
