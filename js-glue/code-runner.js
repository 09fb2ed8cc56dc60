// CodeRunner: runs one file of the room's code in a sandboxed worker (code-run-worker.js) and stops
// it at the time limit the room's rules gave (code:running's limit_ms), whatever the code does: an
// endless loop or memory that grows without end ends with the worker terminated, and the page
// never waits on it. The result is what code:output carries (protocol/messages.h, RunResult).
//
// JavaScript gets a new worker each run (it starts in milliseconds, and nothing one run leaves
// behind reaches the next). Python's worker is kept once Pyodide has loaded in it (loading takes
// seconds): the next run reuses it, unless that run had to be stopped. The limit counts from the
// moment the code itself starts, so Pyodide's first load is not held against it (it has its own).
//
//   const runner = new CodeRunner();
//   const result = await runner.run({ language: 'python', code: 'print(1)', file: 'main.py', limitMs: 5000 });
//   // {status: 'ok' | 'error' | 'timeout' | 'crashed', output: [{stream, text}], error?, error_line?, duration_ms}
const workerUrl = new URL('./code-run-worker.js', import.meta.url);
const LOAD_LIMIT_MS = 60000;  // Pyodide's first load on a slow machine and link

export class CodeRunner {
  #python = null;  // the worker Pyodide has loaded in, kept between runs

  // onOutput(chunk): each piece as it is printed, for the runner's own page to show at once.
  run({ language, code, file, limitMs }, onOutput = () => {}) {
    const python = language === 'python';
    const worker = python ? (this.#python ??= this.#spawn()) : this.#spawn();
    const output = [];
    const requested = performance.now();
    return new Promise((resolve) => {
      let started = null;
      let timer = setTimeout(() => finish({ status: 'crashed', error: 'Python did not start in time.' }, true), LOAD_LIMIT_MS);
      const finish = (result, stop) => {
        clearTimeout(timer);
        worker.removeEventListener('message', onMessage);
        worker.removeEventListener('error', onError);
        if (stop || !python) worker.terminate();
        if (stop && python) this.#python = null;
        const duration = Math.round(performance.now() - (started ?? requested));
        resolve({ output: merged(output), duration_ms: duration, ...result });
      };
      const onMessage = ({ data }) => {
        if (data.type === 'out') {
          output.push({ stream: data.stream, text: data.text });
          onOutput({ stream: data.stream, text: data.text });
        } else if (data.type === 'started') {
          started = performance.now();
          clearTimeout(timer);
          timer = setTimeout(() => finish({ status: 'timeout', error: `Stopped after ${limitMs / 1000} s: the code ran too long.` }, true), limitMs);
        } else if (data.type === 'done') {
          const { type, ...result } = data;
          finish(withoutEmpty(result), false);
        }
      };
      // The worker died (out of memory, or a failure loading Pyodide): nothing more will come.
      const onError = (event) => {
        event.preventDefault?.();
        finish({ status: 'crashed', error: `The sandbox stopped: ${event.message || 'it ran out of memory or failed to load'}.` }, true);
      };
      worker.addEventListener('message', onMessage);
      worker.addEventListener('error', onError);
      worker.postMessage({ language, code, file });
    });
  }

  destroy() {
    this.#python?.terminate();
    this.#python = null;
  }

  #spawn() {
    return new Worker(workerUrl, { type: 'module', name: 'mehfil-code-run' });
  }
}

// Neighbouring pieces of the same stream as one: code:output carries at most 256 pieces.
function merged(chunks) {
  const out = [];
  for (const chunk of chunks) {
    const last = out[out.length - 1];
    if (last && last.stream === chunk.stream) last.text += chunk.text;
    else out.push({ ...chunk });
  }
  return out.slice(0, 256);
}

function withoutEmpty(result) {
  return Object.fromEntries(Object.entries(result).filter(([, value]) => value !== undefined && value !== null));
}
