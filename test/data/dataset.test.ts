import t from 'tap';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { bundledDataPath, loadDataset, resolveDataPath } from '../../src/data/dataset.js';
import { tempDir } from '../helpers/temp.js';

const IRIS_SHA256 = '9cc1c345c71bcc9b486b74cbf6063fa66f4bb5e0f603a4b3c3471ec2e5e8e355';
const HEADER = 'sepal_length,sepal_width,petal_length,petal_width,species';

t.test('the bundled data set is exactly the one SPEC.md describes', async (t) => {
  const ds = await loadDataset(bundledDataPath);
  t.equal(ds.digest, IRIS_SHA256);
  t.equal(ds.x.length, 150);
  t.same([0, 1, 2].map((c) => ds.y.filter((y) => y === c).length), [50, 50, 50]);
  t.same(ds.x[0], [5.1, 3.5, 1.4, 0.2]);
  const text = readFileSync(bundledDataPath, 'utf8');
  t.ok(text.startsWith(`${HEADER}\n`));
  t.ok(text.endsWith('\n') && !text.includes('\r'), 'LF endings with a trailing newline');
});

t.test('--data, then ./data/iris.csv, then the bundled copy', async (t) => {
  const dir = tempDir(t);
  t.equal(resolveDataPath(null, dir), bundledDataPath);
  t.equal(resolveDataPath('x.csv', dir), path.join(dir, 'x.csv'));
});

const bad: [string, string, RegExp][] = [
  ['empty file', '', /is empty/],
  ['header only', `${HEADER}\n`, /no rows/],
  ['missing column', 'sepal_length,sepal_width,petal_length,species\n1,2,3,setosa\n', /:1: missing column petal_width/],
  ['non-numeric cell', `${HEADER}\n5.1,3.5,1.4,0.2,setosa\n4.9,abc,1.4,0.2,setosa\n`, /:3: sepal_width is "abc", not a number/],
  ['empty cell', `${HEADER}\n5.1,,1.4,0.2,setosa\n`, /:2: sepal_width is empty/],
  ['unknown species', `${HEADER}\n5.1,3.5,1.4,0.2,setosa\n5.1,3.5,1.4,0.2,rose\n`, /:3: species must be one of/],
  ['out of range', `${HEADER}\n5.1,3.5,11,0.2,setosa\n`, /:2: petal_length must be <= 10/],
  ['missing class', `${HEADER}\n5.1,3.5,1.4,0.2,setosa\n6.1,3.5,4.4,1.2,versicolor\n`, /no row of class virginica/],
];
for (const [name, content, message] of bad) {
  t.test(`a bad CSV is a clear DataError: ${name}`, async (t) => {
    const file = path.join(tempDir(t), 'bad.csv');
    writeFileSync(file, content);
    await t.rejects(loadDataset(file), { name: 'DataError', message, hint: /\S/ });
  });
}

const bundledText = readFileSync(bundledDataPath, 'utf8');

t.test('blank lines are skipped, as pandas does, and line numbers stay true', async (t) => {
  const dir = tempDir(t);
  const trailing = path.join(dir, 'trailing.csv');
  writeFileSync(trailing, `${bundledText}\n`);
  const ds = await loadDataset(trailing);
  t.equal(ds.x.length, 150, 'the extra blank line is not a row');
  const inner = path.join(dir, 'inner.csv');
  writeFileSync(inner, `${HEADER}\r\n\r\n5.1,3.5,1.4,0.2,setosa\r\n   \r\n4.9,abc,1.4,0.2,setosa\r\n\r\n`);
  await t.rejects(loadDataset(inner), { message: /inner\.csv:5: sepal_width is "abc"/ });
});

t.test('a row with the wrong number of fields says the count, with its line', async (t) => {
  const file = path.join(tempDir(t), 'comma.csv');
  writeFileSync(file, `${HEADER}\n5.1,3.5,1.4,0.2,setosa\n4,9,3.0,1.4,0.2,setosa\n`);
  await t.rejects(loadDataset(file), {
    name: 'DataError',
    message: /comma\.csv:3: expected 5 fields, got 6/,
    hint: /4\.9/,
  });
  writeFileSync(file, `${HEADER}\n5.1,3.5,1.4,setosa\n`);
  await t.rejects(loadDataset(file), { message: /:2: expected 5 fields, got 4/, hint: /species/ });
});

t.test('a semicolon-separated file says the delimiter looks like ;', async (t) => {
  const file = path.join(tempDir(t), 'semi.csv');
  writeFileSync(file, bundledText.replaceAll(',', ';'));
  await t.rejects(loadDataset(file), {
    name: 'DataError',
    message: /semi\.csv:1: the delimiter looks like `;`, not a comma/,
    hint: /comma-separated/,
  });
  writeFileSync(file, bundledText.replaceAll(',', '\t'));
  await t.rejects(loadDataset(file), { message: /the delimiter looks like a tab/ });
});

t.test('--data naming a folder is one clear line, not EISDIR', async (t) => {
  const dir = tempDir(t);
  const error = await loadDataset(dir).then(
    () => null,
    (e: unknown) => e as Error & { hint?: string },
  );
  t.match(error, { name: 'DataError', message: `${dir} is a folder, not a CSV file`, hint: /--data/ });
  t.notMatch(error?.message, /EISDIR/);
});

t.test('quoted cells are read as their content', async (t) => {
  const file = path.join(tempDir(t), 'quoted.csv');
  const rows = bundledText.split('\n').map((l, i) => (i === 0 ? l : l.replace(/,([a-z]+)$/, ',"$1"')));
  writeFileSync(file, rows.join('\n'));
  const ds = await loadDataset(file);
  t.equal(ds.rows[0]?.species, 'setosa');
  t.equal(ds.x.length, 150);
});

t.test('a missing file names the path and the fix', async (t) => {
  await t.rejects(loadDataset('/nonexistent/iris.csv'), { message: /data file not found: \/nonexistent\/iris.csv/, hint: /--data/ });
});
