// The README's examples must be these files, word for word, so "runs as written" stays true.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = process.argv[2];
const readme = readFileSync(join(root, 'README.md'), 'utf8');
let missing = 0;
for (const example of ['tests/examples/layout_example.cpp', 'tests/examples/layout_example.mjs']) {
  const text = readFileSync(join(root, example), 'utf8').trimEnd();
  if (!readme.includes(text)) {
    console.error(`README.md does not quote ${example} as it is`);
    missing++;
  }
}
if (missing === 0) console.log('README.md quotes every example file as it is');
process.exit(missing ? 1 : 0);
