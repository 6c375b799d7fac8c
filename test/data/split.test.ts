import t from 'tap';
import { stratifiedKFold, stratifiedSplit } from '../../src/data/split.js';
import { DataError, UsageError } from '../../src/errors.js';

const y = [...Array(50).fill(0), ...Array(50).fill(1), ...Array(50).fill(2)] as number[];

t.test('default split holds out 30 rows, 10 per class, reproducibly', async (t) => {
  const a = stratifiedSplit(y, 0.2, 42);
  t.equal(a.test.length, 30);
  t.same([0, 1, 2].map((c) => a.test.filter((i) => y[i] === c).length), [10, 10, 10]);
  t.equal(new Set([...a.train, ...a.test]).size, 150, 'a partition');
  t.same(stratifiedSplit(y, 0.2, 42), a, 'same seed, same split');
  t.not(JSON.stringify(stratifiedSplit(y, 0.2, 7)), JSON.stringify(a), 'another seed, another split');
});

t.test('a test size that empties a class is refused', async (t) => {
  t.throws(() => stratifiedSplit([0, 0, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2], 0.05, 1), DataError);
  t.throws(() => stratifiedSplit(y, 0.999, 1), DataError);
  t.throws(() => stratifiedSplit(y, 1, 1), UsageError);
  t.throws(() => stratifiedSplit(y, 0, 1), UsageError);
});

t.test('k folds are stratified and cover every row once', async (t) => {
  const folds = stratifiedKFold(y, 5, 42);
  t.equal(folds.length, 5);
  const all = folds.flatMap((f) => f.test).sort((a, b) => a - b);
  t.same(all, [...Array(150).keys()]);
  for (const f of folds) t.same([0, 1, 2].map((c) => f.test.filter((i) => y[i] === c).length), [10, 10, 10]);
});
