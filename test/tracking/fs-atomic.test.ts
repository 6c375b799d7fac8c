/**
 * writeFilesAtomic on a real temp folder: every file lands whole, an existing one is
 * replaced, nothing temporary is left behind, and a group that fails part-way leaves its
 * targets as they were.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { FILES_OPEN_AT_ONCE, writeFilesAtomic } from '../../src/tracking/fs-atomic.js';
import { tempDir, type Teardown } from '../helpers/temp.js';

function tempRoot(t: Teardown): string {
  const root = tempDir(t, 'irisops-fs-atomic-');
  mkdirSync(path.join(root, 'scratch'));
  mkdirSync(path.join(root, 'data', 'sub'), { recursive: true });
  return root;
}

t.test('several files written at once, an existing one replaced, no temp left', async (t) => {
  const root = tempRoot(t);
  const data = path.join(root, 'data');
  writeFileSync(path.join(data, 'a'), 'old');
  await writeFilesAtomic(
    [
      [path.join(data, 'a'), 'new a'],
      [path.join(data, 'sub', 'b'), 'b'],
      [path.join(data, 'c'), ''],
    ],
    { tempDir: path.join(root, 'scratch') },
  );
  t.equal(readFileSync(path.join(data, 'a'), 'utf8'), 'new a');
  t.equal(readFileSync(path.join(data, 'sub', 'b'), 'utf8'), 'b');
  t.equal(readFileSync(path.join(data, 'c'), 'utf8'), '');
  t.same(readdirSync(path.join(root, 'scratch')), [], 'the temp files were renamed away');
  t.same(readdirSync(data).sort(), ['a', 'c', 'sub']);
});

t.test('fresh files are written in place, and an existing one is refused', async (t) => {
  const root = tempRoot(t);
  const data = path.join(root, 'data');
  await writeFilesAtomic([[path.join(data, 'x'), 'x']], { fresh: true });
  t.equal(readFileSync(path.join(data, 'x'), 'utf8'), 'x');
  t.same(readdirSync(data).sort(), ['sub', 'x'], 'no temp file beside it');
  await t.rejects(writeFilesAtomic([[path.join(data, 'x'), 'again']], { fresh: true }), {
    code: 'EEXIST',
  });
  t.equal(readFileSync(path.join(data, 'x'), 'utf8'), 'x', 'left as it was');
});

t.test('a group that fails before its renames changes no target and leaves no temp', async (t) => {
  const root = tempRoot(t);
  const data = path.join(root, 'data');
  writeFileSync(path.join(data, 'a'), 'old');
  await t.rejects(
    writeFilesAtomic([
      [path.join(data, 'a'), 'new'],
      // its folder does not exist: its temp file, beside it, cannot be opened
      [path.join(data, 'missing', 'b'), 'b'],
    ]),
    { code: 'ENOENT' },
  );
  t.equal(readFileSync(path.join(data, 'a'), 'utf8'), 'old');
  t.same(readdirSync(data).sort(), ['a', 'sub'], 'the temp of a was removed');
});

t.test('a rename that fails leaves no temp behind', async (t) => {
  const root = tempRoot(t);
  const data = path.join(root, 'data');
  const scratch = path.join(root, 'scratch');
  await t.rejects(
    writeFilesAtomic(
      [
        [path.join(data, 'a'), 'a'],
        [path.join(data, 'missing', 'b'), 'b'],
        [path.join(data, 'c'), 'c'],
      ],
      { tempDir: scratch },
    ),
    { code: 'ENOENT' },
  );
  t.same(readdirSync(scratch), [], 'neither the failed temp nor the ones after it are left');
  t.equal(readFileSync(path.join(data, 'a'), 'utf8'), 'a', 'what was renamed before stays');
});

t.test('more files than are held open at once: every one lands, no temp left', async (t) => {
  const root = tempRoot(t);
  const data = path.join(root, 'data');
  const count = FILES_OPEN_AT_ONCE * 2 + 3;
  const names = Array.from({ length: count }, (_, i) => `m${i}`);
  await writeFilesAtomic(
    names.map((n): [string, string] => [path.join(data, n), `value of ${n}`]),
    { tempDir: path.join(root, 'scratch') },
  );
  t.same(readdirSync(data).sort(), [...names, 'sub'].sort());
  t.ok(
    names.every((n) => readFileSync(path.join(data, n), 'utf8') === `value of ${n}`),
    'each file holds its own bytes',
  );
  t.same(readdirSync(path.join(root, 'scratch')), []);
});

t.test('a failure in a later slice removes the temps of the earlier ones', async (t) => {
  const root = tempRoot(t);
  const data = path.join(root, 'data');
  const files = Array.from({ length: FILES_OPEN_AT_ONCE + 5 }, (_, i): [string, string] => [
    path.join(data, `f${i}`),
    'x',
  ]);
  // its temp, beside it in a folder that does not exist, cannot be opened
  files.push([path.join(data, 'missing', 'last'), 'x']);
  await t.rejects(writeFilesAtomic(files), { code: 'ENOENT' });
  t.same(readdirSync(data), ['sub'], 'neither a temp of the first slices nor a target is left');
});
