// The code editor's document converges (code-editor/src/code-doc.js over the real Yjs): for each
// seed, a few replicas type, delete, paste, and create, rename and close files at the same time,
// while the "network" between them shuffles, duplicates and delays every update. Once everything
// has arrived, every replica holds the same files with the same text. MEHFIL_CODE_SEEDS sets how
// many seeds (1,000 by default).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CodeDoc, LANGUAGES } from '../../code-editor/src/code-doc.js';

const SEEDS = Number(process.env.MEHFIL_CODE_SEEDS ?? 1000);

// mulberry32: a small seeded generator, so a failing seed can be run again alone.
function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = ['let ', 'x', ' = ', '42', ';\n', 'print(', ')', '{', '}', '\t', 'ü', '😀', 'return ', '\n'];

function snapshot(replica) {
  return replica.list().map((f) => ({ ...f, text: replica.text(f.id).toString() }));
}

function run(seed) {
  const rand = random(seed);
  const pick = (items) => items[Math.floor(rand() * items.length)];
  const count = 2 + Math.floor(rand() * 4);
  // inboxes[i]: updates on their way to replica i, each with the step it may arrive from.
  const inboxes = Array.from({ length: count }, () => []);
  let step = 0;
  const replicas = Array.from({ length: count }, (_, i) => new CodeDoc({
    clientId: seed * 16 + i + 1,
    send: (bytes) => {
      for (let j = 0; j < count; j += 1) {
        if (j === i) continue;
        const copies = rand() < 0.2 ? 2 : 1;  // a duplicate
        for (let c = 0; c < copies; c += 1) inboxes[j].push({ bytes, at: step + Math.floor(rand() * 12) });  // a delay
      }
    },
  }));
  // Everyone starts from one shared file, as a room's editor does.
  const first = replicas[0].createFile('main.js', 'javascript', 'console.log(1);\n');
  for (const replica of replicas.slice(1)) replica.receive(replicas[0].state());
  assert.ok(replicas.every((r) => r.text(first)));

  const steps = 30 + Math.floor(rand() * 40);
  for (step = 0; step < steps; step += 1) {
    const i = Math.floor(rand() * count);
    const replica = replicas[i];
    const files = replica.list();
    const roll = rand();
    if (files.length && roll < 0.45) {
      const text = replica.text(pick(files).id);
      text.insert(Math.floor(rand() * (text.length + 1)), pick(WORDS));
    } else if (files.length && roll < 0.65) {
      const text = replica.text(pick(files).id);
      if (text.length) {
        const at = Math.floor(rand() * text.length);
        text.delete(at, 1 + Math.floor(rand() * Math.min(8, text.length - at)));
      }
    } else if (files.length && roll < 0.75) {
      const text = replica.text(pick(files).id);
      text.insert(Math.floor(rand() * (text.length + 1)), Array.from({ length: 5 }, () => pick(WORDS)).join(''));  // a paste
    } else if (roll < 0.82) {
      replica.createFile(`file${step}.py`, pick(LANGUAGES));
    } else if (files.length && roll < 0.9) {
      replica.rename(pick(files).id, `renamed${step}.txt`);
    } else if (files.length > 1 && roll < 0.93) {
      replica.remove(pick(files).id);
    } else {
      // Some of what waits for this replica arrives now, in a shuffled order.
      const inbox = inboxes[i];
      const due = inbox.filter((u) => u.at <= step).sort(() => rand() - 0.5);
      inboxes[i] = inbox.filter((u) => u.at > step);
      for (const { bytes } of due) assert.ok(replica.receive(bytes));
    }
  }
  // Everything still on its way arrives, shuffled.
  inboxes.forEach((inbox, i) => {
    for (const { bytes } of inbox.sort(() => rand() - 0.5)) assert.ok(replicas[i].receive(bytes));
  });
  const expected = snapshot(replicas[0]);
  for (const replica of replicas.slice(1)) assert.deepEqual(snapshot(replica), expected, `seed ${seed}`);
  for (const replica of replicas) replica.destroy();
  return expected;
}

test(`${SEEDS} seeds: replicas editing at once through a shuffling, duplicating, delaying network end with the same files and text`, () => {
  let files = 0;
  let characters = 0;
  for (let seed = 1; seed <= SEEDS; seed += 1) {
    const result = run(seed);
    files += result.length;
    characters += result.reduce((n, f) => n + f.text.length, 0);
  }
  console.log(`${SEEDS} seeds converged: ${files} files, ${characters} characters in all`);
});

test('a room holds at most MAX_FILES files: one more is refused and changes nothing', async () => {
  const { MAX_FILES } = await import('../../code-editor/src/code-doc.js');
  const sent = [];
  const doc = new CodeDoc({ send: (bytes) => sent.push(bytes) });
  for (let i = 0; i < MAX_FILES; i += 1) assert.ok(doc.createFile(`f${i}.py`, 'python'));
  const updates = sent.length;
  assert.equal(doc.createFile('one-more.py', 'python'), null);
  assert.equal(doc.list().length, MAX_FILES);
  assert.equal(sent.length, updates);
});

test('bytes that are not a Yjs update are refused and change nothing', () => {
  const doc = new CodeDoc();
  const id = doc.createFile('a.py', 'python', 'print(sum(range(10)))');
  const before = doc.state();
  const good = new CodeDoc();
  good.receive(before);
  good.text(id).insert(0, '# hi\n');
  const valid = good.state();
  for (const bytes of [new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff]), valid.slice(0, valid.length - 7), new Uint8Array([1, 2, 3]),
    new TextEncoder().encode('<img src=x onerror=alert(1)>')]) {
    assert.equal(doc.receive(bytes), false, `refused: ${[...bytes.slice(0, 8)]}`);
    assert.equal(doc.text(id).toString(), 'print(sum(range(10)))');
    assert.deepEqual(doc.list(), [{ id, name: 'a.py', language: 'python' }]);
  }
  assert.equal(doc.receive(valid), true);
  assert.equal(doc.text(id).toString(), '# hi\nprint(sum(range(10)))');
});

test('a big paste made in pieces goes out as updates that each fit the wire, and the other copy gets all of it', async () => {
  const { MAX_UPDATE_BYTES, PASTE_PIECE } = await import('../../code-editor/src/code-doc.js');
  const sent = [];
  const tooLarge = [];
  const doc = new CodeDoc({ send: (bytes) => sent.push(bytes), tooLarge: (bytes) => tooLarge.push(bytes), batchMs: 20 });
  const id = doc.createFile('big.py', 'python');
  const big = Array.from({ length: 5000 }, (_, i) => `print("line ${i} ü 😀")`).join('\n');  // ~130 KB
  for (let at = 0; at < big.length; at += PASTE_PIECE) doc.text(id).insert(at, big.slice(at, at + PASTE_PIECE));
  doc.flush();
  assert.ok(sent.length > 2, `${sent.length} updates`);
  for (const update of sent) assert.ok(update.length <= MAX_UPDATE_BYTES, `${update.length} bytes`);
  const other = new CodeDoc();
  for (const update of sent) assert.ok(other.receive(update));
  assert.equal(other.text(id).toString(), big);
  assert.equal(tooLarge.length, 0);
  doc.text(id).insert(0, big);  // one change too big for one update: refused here, not sent
  assert.equal(tooLarge.length, 1);
});

test('after a reconnect, what a copy typed offline (insertions and deletions) is what it finds missing from the room, and nothing when it has nothing new', () => {
  const room = [];  // the updates the server stored
  const ana = new CodeDoc({ send: (bytes) => room.push(bytes) });
  const id = ana.createFile('a.js', 'javascript', 'let a = 1;\nlet b = 2;\n');
  const ben = new CodeDoc();
  for (const update of room) ben.receive(update);
  assert.equal(ana.missingFrom(room), null);

  const offline = new CodeDoc({ clientId: 99 });
  for (const update of room) offline.receive(update);
  offline.text(id).delete(0, 11);  // a deletion alone, typed with no socket: never sent
  const missing = offline.missingFrom(room);
  assert.ok(missing, 'the deletion is missing from the room');
  ben.receive(missing);
  assert.equal(ben.text(id).toString(), 'let b = 2;\n');
  offline.text(id).insert(0, '// back\n');
  ben.receive(offline.missingFrom(room));
  assert.equal(ben.text(id).toString(), offline.text(id).toString());
});
