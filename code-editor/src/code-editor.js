// The shared code editor as a page shows it: a row of file tabs (new, rename, close), a language
// picker, and CodeMirror 6 bound to the open file's Y.Text by y-codemirror.next. Everyone's edits
// merge through the CodeDoc (code-doc.js); remote cursors and selections come through a Yjs
// awareness, in each person's colour with their name. Undo takes back only your own edits (one
// Y.UndoManager per file, tracking this page's edits alone).
//
// Built by esbuild into build/web/mehfil-code.js (the bundle's entry is index.js).
//
//   const editor = mountCodeEditor(container, { doc, awareness, user: {name, colour} });
//   editor.open(fileId); editor.destroy();
import { EditorView, basicSetup } from 'codemirror';
import { Compartment, EditorState } from '@codemirror/state';
import { keymap } from '@codemirror/view';
import { indentWithTab } from '@codemirror/commands';
import { oneDark } from '@codemirror/theme-one-dark';
import * as Y from 'yjs';
import { yCollab } from 'y-codemirror.next';
import { languageSupport } from './languages.js';
import { LANGUAGES, MAX_FILES, PASTE_PIECE } from './code-doc.js';
import { download, safePaths, zipOf } from './export.js';

const LANGUAGE_NAMES = { javascript: 'JavaScript', python: 'Python', cpp: 'C++', java: 'Java', html: 'HTML', css: 'CSS', sql: 'SQL' };
const dark = () => globalThis.matchMedia?.('(prefers-color-scheme: dark)').matches ?? false;

// Light: CodeMirror's own look with the site's monospace; dark: One Dark (its colours and its
// syntax highlighting, readable on a dark background).
function theme() {
  const base = EditorView.theme({
    '&': { height: '100%' },
    '.cm-scroller': { fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace', fontSize: '14px' },
  });
  return dark() ? [base, oneDark] : [base, EditorView.theme({ '&': { backgroundColor: '#ffffff' } })];
}

function button(label, title, onClick) {
  const b = document.createElement('button');
  b.type = 'button';
  b.textContent = label;
  if (title) b.setAttribute('aria-label', title);
  b.addEventListener('click', onClick);
  return b;
}

// container: where it goes. doc: a CodeDoc. awareness: a y-protocols Awareness on doc.doc (its
// local state's `user` {name, color, colorLight} is what others see on our cursor).
// validName(name) → error text or null: the room's rule for a file name (the core's, via the call).
// onRun(fileId): the Run button and Ctrl/Cmd+Enter. footer: an element shown under the editor (the
// call's output panel).
export function mountCodeEditor(container, { doc, awareness = null, validName = () => null, onRun = null, footer = null }) {
  const root = document.createElement('div');
  root.className = 'mehfil-code';
  const bar = document.createElement('div');
  bar.className = 'mehfil-code-bar';
  const tabs = document.createElement('div');
  tabs.className = 'mehfil-code-tabs';
  tabs.setAttribute('role', 'tablist');
  tabs.setAttribute('aria-label', 'Files');
  const picker = document.createElement('select');
  picker.setAttribute('aria-label', 'Language');
  for (const id of LANGUAGES) picker.append(new Option(LANGUAGE_NAMES[id], id));
  const newFile = button('+', 'New file', () => {
    const id = doc.createFile(uniqueName(doc, 'untitled', picker.value), picker.value);
    if (id === null) return void globalThis.alert?.(`A room holds at most ${MAX_FILES} files: close one first.`);
    open(id);
  });
  const run = onRun ? button('Run', 'Run', () => current && onRun(current)) : null;
  if (run) run.className = 'mehfil-code-run';
  const everything = () => doc.list().map((f) => ({ ...f, text: doc.text(f.id)?.toString() ?? '' }));
  const saveFile = button('⤓', 'Download this file', () => {
    const file = everything().find((f) => f.id === current);
    if (!file) return;
    const [{ path }] = safePaths([file], validName);
    download(path, file.text, 'text/plain;charset=utf-8');
  });
  const saveAll = button('Zip', 'Download all files as a zip', () => download('code.zip', zipOf(everything(), validName), 'application/zip'));
  bar.append(tabs, newFile, picker, ...(run ? [run] : []), saveFile, saveAll);
  const host = document.createElement('div');
  host.className = 'mehfil-code-view';
  root.append(bar, host, ...(footer ? [footer] : []));
  container.append(root);

  const language = new Compartment();
  const look = new Compartment();
  let view = null;
  let current = null;
  const undoManagers = new Map(); // file id → Y.UndoManager (our edits to it, kept across tab switches)

  function open(id) {
    const text = doc.text(id);
    if (!text) return;
    current = id;
    view?.destroy();
    let undoManager = undoManagers.get(id);
    if (!undoManager) {
      undoManager = new Y.UndoManager(text);
      undoManagers.set(id, undoManager);
    }
    const file = doc.list().find((f) => f.id === id);
    picker.value = file?.language ?? 'javascript';
    view = new EditorView({
      parent: host,
      state: EditorState.create({
        doc: text.toString(),
        extensions: [
          basicSetup,
          keymap.of([indentWithTab, ...(onRun ? [{ key: 'Mod-Enter', run: () => (onRun(id), true) }] : [])]),
          language.of(languageSupport(picker.value)),
          look.of(theme()),
          yCollab(text, awareness, { undoManager }),
          pasteInPieces,
          EditorView.contentAttributes.of({ 'aria-label': `Code: ${file?.name ?? ''}` }),
        ],
      }),
    });
    drawTabs();
  }

  function drawTabs() {
    const files = doc.list();
    tabs.replaceChildren(...files.map((file) => {
      const tab = document.createElement('div');
      tab.className = 'mehfil-code-tab';
      const name = button(file.name, null, () => open(file.id));
      name.setAttribute('role', 'tab');
      name.setAttribute('aria-selected', String(file.id === current));
      name.addEventListener('dblclick', () => rename(file));
      // Closing a tab deletes the file for everyone in the room, so it asks first.
      const close = button('×', `Close ${file.name}`, () => {
        if (doc.list().length > 1 && (globalThis.confirm?.(`Delete ${file.name} for everyone in the room?`) ?? true)) doc.remove(file.id);
      });
      tab.append(name, close);
      return tab;
    }));
  }

  function rename(file) {
    const name = globalThis.prompt?.('Rename the file', file.name);
    if (!name || name === file.name) return;
    const problem = validName(name);
    if (problem) return void globalThis.alert?.(problem);
    doc.rename(file.id, name);
  }

  picker.addEventListener('change', () => {
    if (!current) return;
    doc.setLanguage(current, picker.value);
  });

  // Files come, go, are renamed or change language, here or anywhere in the room. (Typing changes
  // a file's text, which y-codemirror.next shows: nothing to do here.)
  const onFiles = (events) => {
    if (events.every((event) => event.target instanceof Y.Text)) return;
    const files = doc.list();
    if (!files.some((f) => f.id === current)) {
      view?.destroy();
      view = null;
      current = null;
      if (files.length) return open(files[0].id);
    }
    const file = files.find((f) => f.id === current);
    if (file && view && file.language !== picker.value) {
      picker.value = file.language;
      view.dispatch({ effects: language.reconfigure(languageSupport(file.language)) });
    }
    drawTabs();
  };
  doc.files.observeDeep(onFiles);
  const scheme = globalThis.matchMedia?.('(prefers-color-scheme: dark)');
  const onScheme = () => view?.dispatch({ effects: look.reconfigure(theme()) });
  scheme?.addEventListener?.('change', onScheme);

  if (!doc.list().length) doc.createFile('main.js', 'javascript');
  open(doc.list()[0].id);

  return {
    open,
    get current() { return current; },
    get view() { return view; },
    destroy() {
      doc.files.unobserveDeep(onFiles);
      scheme?.removeEventListener?.('change', onScheme);
      view?.destroy();
      for (const manager of undoManagers.values()) manager.destroy();
      root.remove();
    },
  };
}

// A big paste goes in as several edits of at most PASTE_PIECE characters, so each update it makes
// fits one code:update on the wire (code-doc.js, MAX_UPDATE_BYTES).
const pasteInPieces = EditorView.domEventHandlers({
  paste(event, view) {
    const text = event.clipboardData?.getData('text/plain') ?? '';
    if (text.length <= PASTE_PIECE) return false;
    event.preventDefault();
    for (let at = 0; at < text.length;) {
      let end = Math.min(text.length, at + PASTE_PIECE);
      const last = text.charCodeAt(end - 1);
      if (end < text.length && last >= 0xd800 && last <= 0xdbff) end -= 1;  // not between a surrogate pair
      view.dispatch(view.state.replaceSelection(text.slice(at, end)), { userEvent: 'input.paste', scrollIntoView: true });
      at = end;
    }
    return true;
  },
});

function uniqueName(doc, stem, language) {
  const extension = { javascript: 'js', python: 'py', cpp: 'cpp', java: 'java', html: 'html', css: 'css', sql: 'sql' }[language];
  const taken = new Set(doc.list().map((f) => f.name));
  for (let n = 1; ; n += 1) {
    const name = `${stem}${n === 1 ? '' : n}.${extension}`;
    if (!taken.has(name)) return name;
  }
}
