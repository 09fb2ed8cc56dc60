// The embed's own styles, inside the call's shadow root: tiles, names, the connecting skeleton,
// the plain overlay and banner, the whiteboard host. The full call UI (call-ui.css) comes on top.
export const BASE_CSS = `
:host { display: block; position: relative; overflow: hidden; background: #16181c; color: #eef0f3;
  font: 14px/1.4 system-ui, sans-serif; min-height: 240px; }
.mehfil-stage { position: absolute; inset: 0; padding: 8px; box-sizing: border-box; }
.mf-main > .mehfil-stage { position: absolute; inset: 0; }
.mehfil-root { position: absolute; inset: 0; }
/* Rounded corners clip a composited <video> only when the tile paints in its own layer. */
.tile-grid > .tile { border-radius: 10px; overflow: hidden; contain: paint; }
.mehfil-tile-body { position: relative; width: 100%; height: 100%; border-radius: 10px; overflow: hidden; background: #2a2d33; }
.mehfil-tile-body video { position: absolute; inset: 0; width: 100%; height: 100%; object-fit: cover; background: #000; }
.tile[data-kind="screen"] video { object-fit: contain; }
.tile[data-local="true"][data-kind="camera"] video { transform: scaleX(-1); }
.mehfil-name { position: absolute; left: 8px; bottom: 8px; color: #fff; background: rgb(0 0 0 / 0.55);
  padding: 2px 8px; border-radius: 6px; max-width: calc(100% - 16px); overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.mehfil-mic-off { position: absolute; right: 8px; bottom: 8px; background: #d9534f; color: #fff; border-radius: 50%;
  width: 24px; height: 24px; display: grid; place-items: center; font-size: 12px; }
.mehfil-tile-body.mehfil-speaking { box-shadow: inset 0 0 0 3px #3cc3ad; }
/* Reactions rise from the bottom of the sender's tile and fade (reactions.js). */
.mf-reaction { position: absolute; left: calc(50% + var(--mf-reaction-x, 0%)); bottom: 12%; z-index: 3; pointer-events: none;
  font-size: clamp(28px, 6vmin, 56px); line-height: 1; transform: translateX(-50%);
  filter: drop-shadow(0 2px 6px rgb(0 0 0 / 0.45)); animation: mf-reaction-rise 3.6s ease-out forwards; }
@keyframes mf-reaction-rise { 0% { opacity: 0; transform: translate(-50%, 30%) scale(0.6); } 12% { opacity: 1; transform: translate(-50%, 0) scale(1); }
  75% { opacity: 1; } 100% { opacity: 0; transform: translate(-50%, -180%) scale(1.05); } }
@media (prefers-reduced-motion: reduce) {
  .mf-reaction { animation: mf-reaction-fade 3.6s linear forwards; }
  @keyframes mf-reaction-fade { 0%, 80% { opacity: 1; } 100% { opacity: 0; } }
}
.mehfil-connecting { position: absolute; inset: 0; display: grid; place-items: center; color: #aab;
  background: linear-gradient(100deg, #2a2d33 30%, #353941 50%, #2a2d33 70%) 0 0 / 300% 100%;
  animation: mehfil-skeleton 1.4s linear infinite; }
.mehfil-connecting[hidden] { display: none; }
@keyframes mehfil-skeleton { to { background-position: -150% 0; } }
.mehfil-overlay { position: absolute; inset: 0; display: grid; place-items: center; text-align: center;
  align-content: center; gap: 8px; background: rgb(22 24 28 / 0.94); color: #eef0f3; z-index: 5; padding: 24px; }
.mehfil-overlay[hidden] { display: none; }
.mehfil-overlay-actions { display: flex; gap: 8px; justify-content: center; }
.mehfil-overlay-actions button { font: inherit; padding: 8px 16px; border-radius: 8px; border: 1px solid #556; background: #2a2d33;
  color: #eef0f3; cursor: pointer; }
.mehfil-overlay-actions button:first-child { background: #14806e; border-color: #14806e; color: #fff; }
.mehfil-banner { position: absolute; top: 8px; left: 50%; transform: translateX(-50%); z-index: 4;
  background: #b7791f; color: #fff; padding: 4px 12px; border-radius: 6px; }
.mehfil-banner[hidden] { display: none; }
/* A 1:1 call's status strip (call-status.js): "Calling Ben…", "Ringing…", then the running time. */
.mehfil-call-status { position: absolute; top: 10px; left: 50%; transform: translateX(-50%); z-index: 4; display: flex;
  align-items: center; gap: 10px; padding: 6px 8px 6px 14px; border-radius: 999px; background: rgb(22 24 28 / 0.82);
  color: #eef0f3; font-variant-numeric: tabular-nums; box-shadow: 0 2px 10px rgb(0 0 0 / 0.35); white-space: nowrap; }
.mehfil-call-status[hidden] { display: none; }
@media (max-width: 600px) { .mehfil-call-status { top: 52px; } }
.mehfil-call-status button { font: inherit; padding: 4px 12px; border-radius: 999px; border: 0; background: #c53030;
  color: #fff; cursor: pointer; }
.mehfil-call-status button[hidden] { display: none; }
/* The grid's pager (pager.js): under the tiles, in room the stage keeps free for it while it shows. */
.mehfil-stage.mehfil-paged { padding-bottom: 52px; }
.mehfil-pager { position: absolute; left: 50%; bottom: 8px; transform: translateX(-50%); z-index: 3; display: flex;
  align-items: center; gap: 4px; padding: 4px; border-radius: 999px; background: rgb(22 24 28 / 0.85); color: #eef0f3;
  box-shadow: 0 2px 10px rgb(0 0 0 / 0.35); font-variant-numeric: tabular-nums; }
.mehfil-pager[hidden] { display: none; }
.mehfil-pager span { min-width: 3.5em; text-align: center; }
.mehfil-pager button { font: inherit; font-size: 18px; line-height: 1; width: 32px; height: 32px; border-radius: 50%;
  border: 0; background: transparent; color: inherit; cursor: pointer; }
.mehfil-pager button:hover:not(:disabled) { background: rgb(255 255 255 / 0.12); }
.mehfil-pager button:disabled { opacity: 0.35; cursor: default; }
.mehfil-pager button:focus-visible { outline: 2px solid #3cc3ad; }
.tile[data-kind="whiteboard"], .mehfil-whiteboard-host { background: #fff; }
.mehfil-whiteboard-slot, .mehfil-whiteboard-host { width: 100%; height: 100%; }
.mehfil-code-slot, .mehfil-code-host { width: 100%; height: 100%; }
.mehfil-code { display: flex; flex-direction: column; height: 100%; background: #fff; color: #1d2127; }
.mehfil-code-bar { display: flex; flex-wrap: wrap; align-items: center; gap: 6px; padding: 6px 8px; border-bottom: 1px solid #dde1e6; }
.mehfil-code-tabs { display: flex; gap: 4px; flex: 1; min-width: 0; overflow-x: auto; }
.mehfil-code-tab { display: flex; align-items: center; border-radius: 6px; background: #eef1f4; }
@media (max-width: 520px) { .mehfil-code-tabs { flex-basis: 100%; } }  /* a phone: the tabs get a row of their own */
.mehfil-code-bar button, .mehfil-code-bar select { font: inherit; font-size: 13px; border: 0; background: transparent; color: inherit;
  padding: 4px 8px; border-radius: 6px; cursor: pointer; }
.mehfil-code-tab [aria-selected="true"] { font-weight: 600; }
.mehfil-code-bar select, .mehfil-code-run { border: 1px solid #ccd3db; }
.mehfil-code-view { flex: 1; min-height: 0; }
.mehfil-code-output { flex: 0 0 auto; max-height: 38%; display: flex; flex-direction: column; border-top: 1px solid #dde1e6; }
.mehfil-code-output-title { font-size: 12px; padding: 4px 10px; color: #4a535e; }
.mehfil-code-output[data-state="running"] .mehfil-code-output-title::before { content: "● "; color: #d98e04; }
.mehfil-code-output-text { margin: 0; padding: 4px 10px 8px; overflow: auto; white-space: pre-wrap; overflow-wrap: anywhere;
  font: 13px/1.45 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
.mehfil-code-stderr, .mehfil-code-error { color: #b3261e; }
.mehfil-code-quiet { color: #6b7480; font-style: italic; }
.mehfil-code-run { font-weight: 600; }
@media (prefers-color-scheme: dark) {
  .mehfil-code { background: #282c34; color: #e6e8ec; }
  .mehfil-code-bar { border-color: #3a404b; }
  .mehfil-code-tab { background: #333944; }
  .mehfil-code-bar select, .mehfil-code-run { border-color: #4a515d; background: #282c34; }
  .mehfil-code-output { border-color: #3a404b; }
  .mehfil-code-output-title, .mehfil-code-quiet { color: #a7afbb; }
  .mehfil-code-stderr, .mehfil-code-error { color: #ff8a80; }
}
/* The board's toolbar (whiteboard-toolbar.css) across the top of its tile, the canvas under it. */
.mehfil-whiteboard-host .whiteboard { display: flex; flex-direction: column; width: 100%; height: 100%; }
.mehfil-whiteboard-host .wb-bar { border-width: 0 0 1px; border-radius: 0; }
.mehfil-whiteboard-host .whiteboard-canvas { display: block; flex: 1; width: 100%; min-height: 0; touch-action: none; }
`;
