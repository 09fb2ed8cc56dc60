// The code editor's export (code-editor/src/export.js) with the core's rule for file names, as the
// call passes it (mehfil-core.mjs, fileNameProblem): names anyone in the room wrote become paths in
// a zip only when the rule allows them, every path is distinct, and the zip holds every file's text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { resolve } from 'node:path';

const web = process.env.MEHFIL_WEB_DIR ?? fileURLToPath(new URL('../../build/web/', import.meta.url));
const { fileNameProblem } = await import(pathToFileURL(resolve(web, 'mehfil-core.mjs')).href);
const { safePaths, zipOf } = await import('../../code-editor/src/export.js');
const { unzipSync, strFromU8 } = await import('../../code-editor/node_modules/fflate/esm/index.mjs');  // the same fflate

test('the core refuses file names that are paths, controls or blank, and takes ordinary ones', () => {
  for (const bad of ['../../etc/passwd', 'a/b.py', 'a\\b.py', '..', '', ' main.py', 'main\u0007.py', 'x'.repeat(65), 'con:1', 'evil\u202egnp.js']) {
    assert.ok(fileNameProblem(bad), `${JSON.stringify(bad)} should be refused`);
  }
  for (const good of ['main.py', 'Übung 1.js', 'notes', 'a.b.c.sql', 'x'.repeat(64)]) {
    assert.equal(fileNameProblem(good), null, `${JSON.stringify(good)} should be taken`);
  }
  assert.equal(fileNameProblem('a/b'), 'A file name must not contain / \\ : * ? " < > or |.');
});

test('a zip of the room\'s files holds each file\'s text under a good, distinct name', () => {
  const files = [
    { name: 'main.py', language: 'python', text: 'print(sum(range(10)))\n' },
    { name: '../../.bashrc', language: 'javascript', text: 'evil()' },
    { name: 'main.py', language: 'python', text: 'print(2)\n' },
    { name: 'MAIN.PY', language: 'python', text: 'print(3)\n' },
  ];
  assert.deepEqual(safePaths(files, fileNameProblem).map((f) => f.path), ['main.py', 'file-2.js', 'main (2).py', 'MAIN (3).PY']);
  const unzipped = unzipSync(zipOf(files, fileNameProblem));
  assert.deepEqual(Object.fromEntries(Object.entries(unzipped).map(([path, bytes]) => [path, strFromU8(bytes)])), {
    'main.py': 'print(sum(range(10)))\n', 'file-2.js': 'evil()', 'main (2).py': 'print(2)\n', 'MAIN (3).PY': 'print(3)\n',
  });
});
