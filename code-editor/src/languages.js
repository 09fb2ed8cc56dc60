// The syntax each language picker entry loads (CodeMirror's own language packages).
import { javascript } from '@codemirror/lang-javascript';
import { python } from '@codemirror/lang-python';
import { cpp } from '@codemirror/lang-cpp';
import { java } from '@codemirror/lang-java';
import { html } from '@codemirror/lang-html';
import { css } from '@codemirror/lang-css';
import { sql } from '@codemirror/lang-sql';

const SUPPORT = { javascript, python, cpp, java, html, css, sql };

export function languageSupport(name) {
  return (SUPPORT[name] ?? javascript)();
}
