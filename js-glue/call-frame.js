// CallFrame: what a call puts in its element. A shadow root (so a host page's styles and ours never
// meet) with the embed's styles, the stage the tiles go on, a banner ("Trying to reconnect…"), an
// overlay for full-screen messages, a 1:1 call's status strip (call-status.js), and, unless the embedder said `ui: false`, the in-call UI
// (call-ui.js, loaded once per page and shared by every call on it) mounted around the stage.
import { BASE_CSS } from './embed-css.js';
import { CallStatus } from './call-status.js';

const moduleUrl = import.meta.url;
let uiModule;
const loadUi = () => (uiModule ??= import(new URL('./call-ui.js', moduleUrl).href).catch(() => null));

const stylesheet = (path) => Object.assign(document.createElement('link'), { rel: 'stylesheet', href: new URL(path, moduleUrl).href });

function div(className, role) {
  const element = document.createElement('div');
  element.className = className;
  if (role) {
    element.setAttribute('role', role);
    element.hidden = true;
  }
  return element;
}

export class CallFrame {
  stage = div('mehfil-stage');
  banner = div('mehfil-banner', 'status');
  overlay = div('mehfil-overlay', 'alert');
  callStatus = new CallStatus();
  ui = null; // call-ui.js's module once mounted
  #root;
  #handle = null;

  constructor(container) {
    this.#root = container.shadowRoot ?? container.attachShadow({ mode: 'open' });
    this.#root.replaceChildren();
    const style = document.createElement('style');
    style.textContent = BASE_CSS;
    this.#root.append(style, stylesheet('./tile-grid.css'));
    this.stage.setAttribute('part', 'stage');
  }

  // Mounts the call UI around the stage (withUi) or the bare stage; gone(): the call was destroyed
  // while call-ui.js loaded.
  async mount(call, withUi, gone) {
    const ui = withUi ? await loadUi() : null;
    if (gone()) return;
    if (ui?.mountCallUi && ui?.createTileCard) {
      this.#root.append(stylesheet('./call-ui.css'));
      this.ui = ui;
      this.#handle = ui.mountCallUi({ root: this.#root, call, stage: this.stage });
      this.#root.append(this.banner, this.callStatus.element, this.overlay);
    } else {
      const frame = div('mehfil-root');
      frame.append(this.stage, this.banner, this.callStatus.element, this.overlay);
      this.#root.append(frame);
    }
  }

  destroy() {
    this.callStatus.destroy();
    this.#handle?.destroy?.();
    this.#root.replaceChildren();
  }
}
