// <mehfil-room server room name password token ui>: a call, declaratively, as a custom element; its
// attributes are Mehfil.create's options and its DOM events the call's events.

const ELEMENT_EVENTS = ['joined', 'left', 'participant-joined', 'participant-left', 'participant-updated',
  'active-speaker-change', 'chat-message', 'kicked', 'room-closed', 'state-change', 'room-updated', 'error'];

// `create(container, options)` makes a call (Mehfil.create); the element is defined once per page.
export function roomElement(create) {
  return class MehfilRoomElement extends (globalThis.HTMLElement ?? class {}) {
    static observedAttributes = ['server', 'room', 'name', 'password', 'token', 'ui', 'audio', 'video'];
    #call = null;
    #pending = false;

    get call() { return this.#call; }

    connectedCallback() { this.#restart(); }

    disconnectedCallback() {
      // Moving the element within the page disconnects and reconnects it at once: keep the call then.
      queueMicrotask(() => {
        if (!this.isConnected) {
          this.#call?.destroy();
          this.#call = null;
        }
      });
    }

    attributeChangedCallback(name, before, after) {
      if (before !== after && this.isConnected) this.#restart();
    }

    #restart() {
      if (this.#pending) return;
      this.#pending = true;
      queueMicrotask(() => {
        this.#pending = false;
        this.#call?.destroy();
        this.#call = null;
        const server = this.getAttribute('server') ?? location.origin;
        const room = this.getAttribute('room');
        if (!room || !this.isConnected) return;
        const flag = (attribute) => this.getAttribute(attribute) !== 'false';
        const call = create(this, {
          server, room, displayName: this.getAttribute('name') ?? undefined,
          password: this.getAttribute('password') ?? undefined, token: this.getAttribute('token') ?? undefined,
          ui: flag('ui'), audio: flag('audio'), video: flag('video'),
        });
        this.#call = call;
        for (const event of ELEMENT_EVENTS) {
          call.on(event, (detail) => this.dispatchEvent(new CustomEvent(event, { detail, bubbles: true, composed: true })));
        }
        call.join().catch(() => { /* reported through the 'error' event */ });
      });
    }
  };
}
