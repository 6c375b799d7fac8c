import fc from 'fast-check';
import t, { type Test } from 'tap';
import { bundledDataPath, CLASSES, FEATURES, loadDataset } from '../../../src/data/dataset.js';
import { exportForest, fitForest, predictClasses } from '../../../src/model/forest.js';
import type { ForestParams } from '../../../src/model/forest-spec.js';
import { fitLibraryForest } from '../../helpers/ml-random-forest.js';

/** The same trees node for node, and the same prediction for every row. */
function assertSameForest(
  t: Test,
  x: number[][],
  y: number[],
  params: ForestParams,
  label: string,
): void {
  const ours = fitForest(x, y, params);
  const theirs = fitLibraryForest(x, y, params);
  t.strictSame(ours.trees, theirs.trees, `${label}: the same trees`);
  const labels = Array.from({ length: Math.max(2, ...y.map((c) => c + 1)) }, (_, i) => `c${i}`);
  const names = (x[0] ?? []).map((_, i) => `f${i}`);
  const model = exportForest(ours, params, names.length ? names : ['f0'], labels);
  t.strictSame(predictClasses(model, x), theirs.predict(x), `${label}: the same predictions`);
}

t.test('on iris: every max_depth and max_features, several seeds', async (t) => {
  const { x, y } = await loadDataset(bundledDataPath);
  const depths = [1, 2, 3, 4, 5, 6, 7, 8, Infinity];
  // 0.2 of four features is none at all: every tree is then one leaf
  const shares = [0.2, 0.5, 0.75, 1, 2, 3, 4];
  const seeds = [42, 7, 0, -13, 2 ** 31 - 1];
  let i = 0;
  for (const max_depth of depths)
    for (const max_features of shares) {
      const random_state = seeds[i++ % seeds.length] as number;
      const params = { n_estimators: 12, max_depth, max_features, random_state };
      assertSameForest(t, x, y, params, JSON.stringify(params));
    }
});

t.test('on iris: from one tree to 200', async (t) => {
  const { x, y } = await loadDataset(bundledDataPath);
  for (const [n_estimators, random_state] of [
    [1, 42],
    [2, 1],
    [3, 99],
    [100, 42],
    [200, 5],
  ] as const) {
    const params = { n_estimators, max_depth: 5, max_features: 1, random_state };
    assertSameForest(t, x, y, params, JSON.stringify(params));
  }
});

t.test('on the train split irisops train fits by default', async (t) => {
  const { x, y } = await loadDataset(bundledDataPath);
  const { stratifiedSplit } = await import('../../../src/data/split.js');
  const split = stratifiedSplit(y, 0.2, 42);
  const pick = <T>(a: T[]) => split.train.map((i) => a[i] as T);
  const params = { n_estimators: 100, max_depth: 5, max_features: 1, random_state: 42 };
  assertSameForest(t, pick(x), pick(y), params, 'default train');
  t.strictSame(FEATURES.length, 4);
  t.strictSame(CLASSES.length, 3);
});

/** Few distinct values (ties and duplicates everywhere), sometimes one constant column. */
const dataset = fc
  .record({
    nRows: fc.integer({ min: 1, max: 40 }),
    nColumns: fc.integer({ min: 1, max: 5 }),
    nClasses: fc.integer({ min: 1, max: 4 }),
    levels: fc.integer({ min: 1, max: 6 }),
    constantColumn: fc.option(fc.nat({ max: 4 })),
  })
  .chain(({ nRows, nColumns, nClasses, levels, constantColumn }) =>
    fc.record({
      x: fc.array(
        fc.array(
          fc.integer({ min: 0, max: levels - 1 }).map((v) => v * 0.1 - 0.2),
          { minLength: nColumns, maxLength: nColumns },
        ),
        { minLength: nRows, maxLength: nRows },
      ),
      y: fc.array(fc.integer({ min: 0, max: nClasses - 1 }), {
        minLength: nRows,
        maxLength: nRows,
      }),
      constantColumn: fc.constant(constantColumn),
    }),
  )
  .map(({ x, y, constantColumn }) => ({
    x: x.map((row) => row.map((v, j) => (j === constantColumn ? 1.5 : v))),
    y,
  }));

const forestParams = (nColumns: number) =>
  fc.record({
    n_estimators: fc.integer({ min: 1, max: 6 }),
    max_depth: fc.oneof(fc.integer({ min: 1, max: 8 }), fc.constant(Infinity)),
    max_features: fc.oneof(
      fc.constantFrom(0.25, 0.5, 0.75, 1),
      fc.integer({ min: 1, max: nColumns }),
    ),
    random_state: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
  });

t.test('on small synthetic data: ties, duplicates, constant columns, 1 to 4 classes', async (t) => {
  const seed = Number(process.env.IRISOPS_CART_SEED ?? 20261207);
  t.comment(`fast-check seed ${seed} (rerun with IRISOPS_CART_SEED=${seed})`);
  const cases = fc.sample(
    dataset.chain((data) =>
      forestParams(data.x[0]?.length ?? 1).map((params) => ({ ...data, params })),
    ),
    { numRuns: 400, seed },
  );
  let mismatches = 0;
  for (const { x, y, params } of cases) {
    const ours = fitForest(x, y, params);
    const theirs = fitLibraryForest(x, y, params);
    if (JSON.stringify(ours.trees) !== JSON.stringify(theirs.trees)) {
      mismatches++;
      t.strictSame(ours.trees, theirs.trees, JSON.stringify({ x, y, params }));
    }
  }
  t.equal(mismatches, 0, `${cases.length} random data sets, the same trees`);
});

t.test('on tiny and degenerate data', async (t) => {
  const params = { n_estimators: 5, max_depth: 8, max_features: 1, random_state: 3 };
  const tiny: [string, number[][], number[]][] = [
    ['one row', [[1, 2]], [1]],
    [
      'two rows',
      [
        [1, 2],
        [3, 4],
      ],
      [0, 1],
    ],
    [
      'three rows',
      [
        [1, 2],
        [3, 4],
        [5, 6],
      ],
      [0, 1, 0],
    ],
    [
      'four rows',
      [
        [1, 2],
        [3, 4],
        [5, 6],
        [7, 8],
      ],
      [0, 1, 0, 1],
    ],
    [
      'five rows',
      [
        [1, 1],
        [1, 2],
        [2, 1],
        [2, 2],
        [3, 3],
      ],
      [0, 0, 1, 1, 1],
    ],
    ['one class', [[1], [2], [3], [4], [5], [6]], [0, 0, 0, 0, 0, 0]],
    ['only the last class', [[1], [2], [3], [4], [5], [6]], [2, 2, 2, 2, 2, 2]],
    ['all rows equal', Array.from({ length: 9 }, () => [0.5, 0.5]), [0, 1, 2, 0, 1, 2, 0, 1, 2]],
    ['two classes split by one value', [[0], [0], [0], [1], [1], [1], [1]], [0, 0, 1, 1, 1, 1, 0]],
  ];
  for (const [label, x, y] of tiny) assertSameForest(t, x, y, params, label);
});
