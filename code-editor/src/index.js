// The bundle's entry (build/web/mehfil-code.js): what a call loads when someone opens the code
// editor. Yjs comes in the bundle once, shared by the document and the editor.
export { CodeDoc, LANGUAGES, MAX_UPDATE_BYTES } from './code-doc.js';
export { mountCodeEditor } from './code-editor.js';
export { Awareness, encodeAwarenessUpdate, applyAwarenessUpdate, removeAwarenessStates } from 'y-protocols/awareness';
// The wire carries updates as base64 (code:update): lib0's, which Yjs itself is built on.
export { toBase64, fromBase64 } from 'lib0/buffer';
