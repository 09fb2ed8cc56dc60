// The code editor's output panel: the room's last run of its code as everyone sees it (who ran
// which file, when, how long it took, what it printed and how it ended), or the run going on now.
// It lives under the editor, one element for the call's life (a closed editor opens on the same
// output). Everything a program printed goes in as text nodes, never as HTML.
//
//   const panel = new CodeOutput();  editor root.append(panel.element);
//   panel.running(run, mine); panel.print(chunk); panel.ended(output); panel.refused(message);
export class CodeOutput {
  element = document.createElement('section');
  #title = document.createElement('div');
  #text = document.createElement('pre');
  #runId = null;
  #pending = [];    // printed pieces waiting for the next frame
  #frame = null;

  constructor() {
    this.element.className = 'mehfil-code-output';
    this.element.setAttribute('aria-label', 'Output');
    this.element.hidden = true;
    this.#title.className = 'mehfil-code-output-title';
    this.#title.setAttribute('role', 'status');
    this.#text.className = 'mehfil-code-output-text';
    this.element.append(this.#title, this.#text);
  }

  // code:running: someone's run has started (`mine`: this page runs it and prints as it goes).
  running(run, mine) {
    this.#runId = run.run_id;
    this.element.hidden = false;
    this.element.dataset.state = 'running';
    this.#title.textContent = `${mine ? 'You are running' : `${run.display_name} is running`} ${run.file}…`;
    this.#clear();
  }

  // A piece this page's own run printed, before the room hears the whole. Pieces wait for the next
  // frame and go in together: a loop printing thousands of lines costs one layout a frame, not one
  // a line.
  print({ stream, text }) {
    const last = this.#pending[this.#pending.length - 1];
    if (last?.stream === stream) last.text += text;
    else this.#pending.push({ stream, text });
    this.#frame ??= requestAnimationFrame(() => {
      this.#frame = null;
      for (const chunk of this.#pending.splice(0)) this.#append(chunk.stream, chunk.text);
    });
  }

  // code:output: how a run ended, for everyone.
  ended(output) {
    this.#runId = output.run_id;
    this.element.hidden = false;
    this.element.dataset.state = output.status;
    const at = new Date(output.started_at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
    const took = output.status === 'abandoned' ? '' : ` · ${output.duration_ms} ms`;
    this.#title.textContent = `${output.display_name} ran ${output.file} at ${at}${took}`;
    this.#clear();
    for (const chunk of output.output ?? []) this.#append(chunk.stream, chunk.text);
    if (output.error) {
      const where = output.error_line ? `Line ${output.error_line}: ` : '';
      this.#append('error', `${where}${output.error}\n`);
    } else if (!output.output?.length) {
      this.#append('quiet', '(no output)\n');
    }
  }

  // The room refused a run (someone else's is going on, or only hosts may run code here).
  refused(message) {
    this.element.hidden = false;
    this.element.dataset.state = 'refused';
    this.#title.textContent = message;
    if (this.#runId === null) this.#text.replaceChildren();
  }

  #clear() {
    cancelAnimationFrame(this.#frame);
    this.#frame = null;
    this.#pending = [];
    this.#text.replaceChildren();
  }

  #append(kind, text) {
    const span = document.createElement('span');
    span.className = `mehfil-code-${kind}`;
    span.textContent = text;
    this.#text.append(span);
    this.#text.scrollTop = this.#text.scrollHeight;
  }
}
