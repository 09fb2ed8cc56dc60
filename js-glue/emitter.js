// What a call is on the outside: an event emitter whose listeners cannot break it (a listener
// that throws is reported and the others still run), and the errors its promises reject with
// (an Error with a stable `code`, as mehfil.d.ts lists them).

export function mehfilError(code, message) {
  const error = new Error(message);
  error.code = code;
  return error;
}

export class Emitter {
  #listeners = new Map(); // event -> Map(listener -> the function actually called)
  on(event, listener) { return this.#add(event, listener, listener); }
  once(event, listener) {
    const wrapper = (payload) => {
      this.off(event, listener);
      listener(payload);
    };
    return this.#add(event, listener, wrapper);
  }
  off(event, listener) { this.#listeners.get(event)?.delete(listener); }
  #add(event, listener, call) {
    if (typeof listener !== 'function') throw new TypeError('a listener must be a function');
    if (!this.#listeners.has(event)) this.#listeners.set(event, new Map());
    this.#listeners.get(event).set(listener, call);
    return () => this.off(event, listener);
  }
  emit(event, payload) {
    for (const call of [...(this.#listeners.get(event)?.values() ?? [])]) {
      try {
        call(payload);
      } catch (error) {
        console.error(`mehfil: a "${event}" listener threw`, error);
      }
    }
  }
  clear() { this.#listeners.clear(); }
}
