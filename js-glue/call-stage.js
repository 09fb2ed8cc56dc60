// CallStage: the core's stage (room/stage.h), drawn. It owns the tile grid (tile-grid.js, at the
// layout engine's rects), one view per tile (tile-views.js), the pager under the grid (pager.js) and
// the level meters of every camera's audio (speaking-meters.js). Each draw() takes the core's answer
// (which tiles, which is pinned, which page) and the browser objects that go in them; nothing here
// decides which tiles exist or where they go.
import { computeLayout } from './mehfil-core.mjs';
import { TileGrid } from './tile-grid.js';
import { TileViews } from './tile-views.js';
import { Pager } from './pager.js';
import { SpeakingMeters } from './speaking-meters.js';
import { floatReaction } from './reactions.js';

export class CallStage {
  #grid;
  #views;
  #pager;
  #meters;
  #scene = { tiles: [], options: {}, people: new Map(), audio: [] };

  // element: the stage's container. call: the Call (cards call its methods). ui(): call-ui.js's
  // module or null. toolTile(id): a shared tool's tile element (whiteboard, code), else null. onLayout(layout), onFirstFrame(at),
  // onLevels(levels), showPage(page): what the call does with the grid's news.
  constructor({ element, call, ui, toolTile, onLayout, onFirstFrame, onLevels, showPage }) {
    this.#views = new TileViews({ ui, call, onFirstFrame });
    this.#grid = new TileGrid(element, {
      computeLayout: (input) => {
        const layout = computeLayout(input);
        this.#pager?.update(layout);
        onLayout(layout);
        return layout;
      },
      createTile: (id) => toolTile(id) ?? this.#views.element(id) ?? document.createElement('div'),
      // On a phone held upright, cameras from 9:16 to 16:9 fill the screen instead of 16:9 strips.
      portraitShapes: { min_aspect: 9 / 16, max_aspect: 16 / 9 },
    });
    this.#pager = new Pager(element, showPage);
    this.#meters = new SpeakingMeters(onLevels);
  }

  get layout() { return this.#grid.lastLayout; }

  // What a recording draws (room-recorder.js): the layout engine's input as the grid last had it,
  // and per tile its <video> (or the whiteboard's <canvas>), name and whether they speak; and every
  // camera's microphone, ours included, for the mix.
  scene() {
    const people = new Map();
    for (const [id, person] of this.#scene.people) {
      people.set(id, { ...person, video: this.#views.video(id) });
    }
    // The board's canvas where the grid shows it (toolTile() would make a new tile and move the
    // board out of the one on the page). The code editor is text in the page, not a picture: a
    // recording shows its tile named.
    const board = this.#grid.element('whiteboard')?.querySelector('canvas') ?? null;
    if (board) people.set('whiteboard', { name: 'Whiteboard', kind: 'whiteboard', canvas: board });
    if (this.#grid.element('code')) people.set('code', { name: 'Code', kind: 'code' });
    return { tiles: this.#scene.tiles, options: this.#scene.options, people, audio: this.#scene.audio };
  }
  tileIds() { return this.#views.ids(); }
  setQuality(peerId, report) { this.#views.setQuality(peerId, report); }
  // Someone's reaction over their camera's tile (a peer's camera tile is named by its peer id).
  react(peerId, emoji) { floatReaction(this.#views.element(peerId), emoji); }

  // stage: RoomCore.stage(). people: peer id -> the public participant. streamOf(tile): its
  // MediaStream or null. linkOf(tile): the core's link state for a remote camera, else null.
  // relation(userId), powersOn(userId): what the cards show about us and them.
  draw({ stage, people, streamOf, linkOf, relation, powersOn }) {
    const wanted = [];
    for (const tile of stage.tiles) {
      const participant = people.get(tile.peer_id);
      if (tile.content === 'whiteboard' || tile.content === 'code' || !participant) continue;
      wanted.push({
        id: tile.id, kind: tile.content, participant, stream: streamOf(tile), isLocal: tile.is_local, pinned: tile.pinned, link: linkOf(tile),
      });
    }
    this.#views.sync(wanted, { relation, powersOn });
    const tiles = stage.tiles.map(({ id, kind, pinned, speaking, has_video, is_local }) => ({ id, kind, pinned, speaking, has_video, is_local }));
    this.#grid.update(tiles, { mode: 'auto', page: stage.page });
    // Who is speaking: each camera's audio track, measured; a muted one counts as silence.
    const tracks = new Map();
    for (const w of wanted) {
      const [track] = w.kind === 'camera' ? w.stream?.getAudioTracks() ?? [] : [];
      if (track) tracks.set(w.participant.peer_id, { track, silent: w.participant.audio === false });
    }
    this.#meters.sync(tracks);
    this.#scene = {
      tiles, options: { mode: 'auto', page: stage.page },
      people: new Map(wanted.map((w) => [w.id, {
        name: w.participant.display_name, kind: w.kind, speaking: !!w.participant.speaking, camera: !!w.participant.video,
      }])),
      audio: wanted.flatMap((w) => (w.kind === 'camera' ? w.stream?.getAudioTracks() ?? [] : [])),
    };
  }

  destroy() {
    this.#meters.destroy();
    this.#grid.destroy();
    this.#views.destroy();
  }
}
