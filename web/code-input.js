// The 8-box room-code input: typing advances, Backspace goes back, arrows move, and pasting a code
// or a whole link (http://host/room/Gt7Km2Pq) anywhere fills every box. Characters outside the code
// alphabet (0, O, 1, I, l, punctuation) are refused with a short hint.
import { CODE_LENGTH, isCodeChar, parseRoomCode } from './site.js';

export class CodeInput {
  #boxes = [];
  #onChange;
  #hint;

  constructor(container, { onChange = () => {}, onSubmit = () => {}, hint } = {}) {
    this.#onChange = onChange;
    this.#hint = hint;
    for (let i = 0; i < CODE_LENGTH; i++) {
      const box = document.createElement('input');
      box.className = 'code-box';
      box.setAttribute('aria-label', `Code character ${i + 1} of ${CODE_LENGTH}`);
      box.autocomplete = 'off';
      box.autocapitalize = 'off';
      box.spellcheck = false;
      box.setAttribute('autocorrect', 'off');
      box.inputMode = 'text';
      box.maxLength = CODE_LENGTH * 8;  // so a pasted link arrives whole in `input` on phones
      box.dataset.index = String(i);
      box.addEventListener('input', () => this.#typed(i));
      box.addEventListener('keydown', (event) => this.#key(i, event, onSubmit));
      box.addEventListener('paste', (event) => {
        event.preventDefault();
        this.#pasted(i, event.clipboardData?.getData('text') ?? '');
      });
      box.addEventListener('focus', () => box.select());
      container.append(box);
      this.#boxes.push(box);
    }
  }

  get value() {
    return this.#boxes.map((box) => box.value).join('');
  }

  get complete() {
    return this.value.length === CODE_LENGTH;
  }

  set value(code) {
    const chars = [...String(code ?? '')].filter(isCodeChar).slice(0, CODE_LENGTH);
    this.#boxes.forEach((box, i) => { box.value = chars[i] ?? ''; });
    this.#changed();
  }

  focus() {
    const firstEmpty = this.#boxes.find((box) => !box.value) ?? this.#boxes[CODE_LENGTH - 1];
    firstEmpty.focus();
  }

  clear() {
    this.value = '';
  }

  #changed() {
    for (const box of this.#boxes) box.classList.toggle('filled', !!box.value);
    this.#onChange(this.value);
  }

  #say(text) {
    if (this.#hint) this.#hint.textContent = text;
  }

  #typed(index) {
    const box = this.#boxes[index];
    const text = box.value;
    if (text.length > 1) {
      // Autofill, a phone keyboard's paste, or typing over a selected character.
      box.value = '';
      this.#pasted(index, text);
      return;
    }
    if (text && !isCodeChar(text)) {
      box.value = '';
      this.#say(/[0O1Il]/.test(text) ? 'Codes never use 0, O, 1, I or l — check the letter.' : 'Codes use only letters and digits.');
      return;
    }
    this.#say('');
    this.#changed();
    if (text && index < CODE_LENGTH - 1) this.#boxes[index + 1].focus();
  }

  #pasted(index, text) {
    const code = parseRoomCode(text);
    if (code) {
      this.value = code;
      this.#say('');
      this.#boxes[CODE_LENGTH - 1].focus();
      return;
    }
    // Part of a code: fill from this box on with whatever characters are valid.
    const chars = [...text].filter(isCodeChar);
    if (!chars.length) {
      this.#say('That doesn’t look like a room code or link.');
      return;
    }
    let at = index;
    for (const ch of chars) {
      if (at >= CODE_LENGTH) break;
      this.#boxes[at++].value = ch;
    }
    this.#changed();
    this.#boxes[Math.min(at, CODE_LENGTH - 1)].focus();
  }

  #key(index, event, onSubmit) {
    const box = this.#boxes[index];
    if (event.key === 'Backspace') {
      if (!box.value && index > 0) {
        event.preventDefault();
        const previous = this.#boxes[index - 1];
        previous.value = '';
        previous.focus();
        this.#changed();
      } else if (box.value) {
        event.preventDefault();
        box.value = '';
        this.#changed();
      }
    } else if (event.key === 'Delete') {
      event.preventDefault();
      box.value = '';
      this.#changed();
    } else if (event.key === 'ArrowLeft' && index > 0) {
      event.preventDefault();
      this.#boxes[index - 1].focus();
    } else if (event.key === 'ArrowRight' && index < CODE_LENGTH - 1) {
      event.preventDefault();
      this.#boxes[index + 1].focus();
    } else if (event.key === 'Home') {
      event.preventDefault();
      this.#boxes[0].focus();
    } else if (event.key === 'End') {
      event.preventDefault();
      this.#boxes[CODE_LENGTH - 1].focus();
    } else if (event.key === 'Enter') {
      event.preventDefault();
      onSubmit(this.value);
    } else if (event.key.length === 1 && !event.ctrlKey && !event.metaKey && !event.altKey && box.value && box.selectionStart === box.selectionEnd) {
      // A full box with the caret after its character: replace it rather than refuse the key.
      box.select();
    }
  }
}
