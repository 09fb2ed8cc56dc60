// The sandbox a run of the room's code happens in: a module worker with the page's network, storage
// and messaging taken away, so code someone else typed cannot reach this person's session, files or
// other tabs. The page (code-runner.js) starts one, sends {language, code, file}, and reads back
// {type: 'out', stream, text} as the code prints, {type: 'started'} when the code itself begins
// (after Python has loaded), and {type: 'done', status, error, error_line} at the end. The time
// limit is the page's: it terminates this worker, which stops any loop.
//
// JavaScript runs by indirect eval (no DOM in a worker; the globals below are gone); a run ends when
// its code has returned, the promise it returned has settled and no timer it set is left.
// Python runs in Pyodide, served from build/web/pyodide (the npm package, never a CDN), loaded once
// per worker: the page keeps a Python worker for the next run unless it had to be stopped.

// What code must not have. Pyodide needs fetch while it loads, so Python's worker seals after that.
const BLOCKED = [
  'fetch', 'XMLHttpRequest', 'WebSocket', 'WebSocketStream', 'EventSource', 'WebTransport', 'Request', 'Response',
  'indexedDB', 'caches', 'cookieStore', 'BroadcastChannel', 'Worker', 'SharedWorker',
  'importScripts', 'navigator', 'Notification', 'FileSystemHandle', 'FileSystemDirectoryHandle',
  'FileSystemFileHandle', 'FileSystemSyncAccessHandle', 'RTCPeerConnection', 'RTCDataChannel',
];

const MAX_CHARS = 16000;  // what code:output carries (protocol/validation.h, kMaxRunOutputChars)
const post = self.postMessage.bind(self);
let sent = 0;

function seal() {
  for (const name of BLOCKED) {
    for (let o = self; o; o = Object.getPrototypeOf(o)) {
      try { delete o[name]; } catch { /* not configurable: shadowed below */ }
    }
    try { Object.defineProperty(self, name, { value: undefined, writable: false, configurable: false }); } catch { /* gone */ }
  }
}

// Text people see: tabs and line breaks stay, other control and bidi override characters (and lone
// surrogates, which are not UTF-8) become U+FFFD (the room's rule for shown text,
// protocol/validation.h), and the whole run stops at MAX_CHARS.
const shown = (text) => String(text).toWellFormed().replace(/\r\n?/g, '\n')
  .replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, '\ufffd');

const CUT = '\n… (output cut)\n';

function out(stream, text) {
  if (sent >= MAX_CHARS) return;
  let points = [...shown(text)];  // code points, as the room counts them
  const room = MAX_CHARS - [...CUT].length - sent;
  if (points.length > room) {
    points = [...points.slice(0, Math.max(0, room)), ...CUT];
    sent = MAX_CHARS;
  } else {
    sent += points.length;
  }
  post({ type: 'out', stream, text: points.join('') });
}

// A value console.log was given, as text: strings as they are, errors with their stack, the rest as JSON.
function inspect(value) {
  if (typeof value === 'string') return value;
  if (value instanceof Error) return value.stack ?? String(value);
  try {
    const json = JSON.stringify(value, (_, v) => (typeof v === 'bigint' ? `${v}n` : v));
    if (json !== undefined && typeof value === 'object') return json;
  } catch { /* cyclic: the plain form below */ }
  return String(value);
}

// ---------------------------------------------------------------------------------------------
// JavaScript

async function runJavaScript(code) {
  const print = (stream) => (...args) => out(stream, `${args.map(inspect).join(' ')}\n`);
  const console = self.console;
  for (const name of ['log', 'info', 'debug', 'trace']) console[name] = print('stdout');
  for (const name of ['error', 'warn']) console[name] = print('stderr');
  // Timers the code leaves behind keep the run going; clearing or finishing them lets it end.
  const timers = new Set();
  let settle = null;
  const check = () => { if (!timers.size) settle?.(); };
  const { setTimeout: later, clearTimeout: cancel, setInterval: every, clearInterval: stop } = self;
  const failures = [];
  const guard = (fn) => function guarded(...args) {
    try { return typeof fn === 'function' ? fn.apply(this, args) : undefined; } catch (error) { failures.push(error); settle?.(); }
  };
  self.setTimeout = (fn, ms, ...args) => {
    const id = later(() => { timers.delete(id); guard(fn)(...args); check(); }, ms);
    timers.add(id);
    return id;
  };
  self.clearTimeout = (id) => { cancel(id); timers.delete(id); check(); };
  self.setInterval = (fn, ms, ...args) => { const id = every(guard(fn), ms, ...args); timers.add(id); return id; };
  self.clearInterval = (id) => { stop(id); timers.delete(id); check(); };
  self.addEventListener('unhandledrejection', (event) => { failures.push(event.reason); settle?.(); });

  post({ type: 'started' });
  try {
    // Indirect eval: global scope, and the stack names the code "run.js" with its own line numbers.
    const result = (0, eval)(`${code}\n//# sourceURL=run.js`);
    if (result && typeof result.then === 'function') await result;
    if (timers.size && !failures.length) await new Promise((resolve) => { settle = resolve; });
  } catch (error) {
    failures.push(error);
  }
  if (failures.length) return failed(failures[0]);
  return { status: 'ok' };
}

function failed(error) {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : `Uncaught ${inspect(error)}`;
  const line = /run\.js:(\d+):\d+/.exec(error?.stack ?? '')?.[1];
  return { status: 'error', error: text, error_line: line ? Number(line) : undefined };
}

// ---------------------------------------------------------------------------------------------
// Python

let pyodide = null;

async function loadPython() {
  if (pyodide) return pyodide;
  const { loadPyodide } = await import('./pyodide/pyodide.mjs');
  pyodide = await loadPyodide({ indexURL: new URL('./pyodide/', import.meta.url).href });
  seal();  // loaded: nothing it still needs to fetch
  return pyodide;
}

async function runPython(code, file) {
  const py = await loadPython();
  py.setStdout({ batched: (line) => out('stdout', `${line}\n`) });
  py.setStderr({ batched: (line) => out('stderr', `${line}\n`) });
  const globals = py.globals.get('dict')();  // each run starts clean
  post({ type: 'started' });
  try {
    await py.runPythonAsync(code, { globals, filename: file });
    return { status: 'ok' };
  } catch (error) {
    // A traceback: its last line says what went wrong, its last frame in the file says where.
    const traceback = String(error?.message ?? error).trimEnd();
    const lines = [...traceback.matchAll(/File "([^"]*)", line (\d+)/g)].filter((m) => m[1] === file);
    const line = lines.length ? Number(lines[lines.length - 1][2]) : undefined;
    return { status: 'error', error: traceback.split('\n').pop(), error_line: line };
  } finally {
    globals.destroy();
  }
}

// ---------------------------------------------------------------------------------------------

self.onmessage = async ({ data }) => {
  sent = 0;
  let result;
  try {
    if (data.language === 'python') {
      result = await runPython(data.code, data.file);
    } else {
      seal();
      result = await runJavaScript(data.code);
    }
  } catch (error) {
    result = { status: 'crashed', error: `The sandbox failed: ${error?.message ?? error}` };
  }
  if (result.error) result.error = [...shown(result.error)].slice(0, 1000).join('');
  post({ type: 'done', ...result });
};
