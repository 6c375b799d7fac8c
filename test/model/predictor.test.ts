import { readFileSync } from 'node:fs';
import t from 'tap';
import { exportForest, fitForest } from '../../src/model/forest.js';
import type { ForestParams } from '../../src/model/forest-spec.js';
import { compilePredictor } from '../../src/model/predictor.js';
import { validatorFor } from '../../src/schemas/index.js';
import { fitLibraryForest } from '../helpers/ml-random-forest.js';
import type { ModelFile } from '../../src/schemas/types.js';

const FEATURES = ['sepal_length', 'sepal_width', 'petal_length', 'petal_width'];
const CLASSES = ['setosa', 'versicolor', 'virginica'];

function readIris(): { x: number[][]; y: number[] } {
  const lines = readFileSync(new URL('../../data/iris.csv', import.meta.url), 'utf8')
    .trim()
    .split('\n')
    .slice(1);
  const x: number[][] = [];
  const y: number[] = [];
  for (const line of lines) {
    const cells = line.split(',');
    x.push(cells.slice(0, 4).map(Number));
    y.push(CLASSES.indexOf(cells[4] ?? ''));
  }
  return { x, y };
}

const iris = readIris();

const cases: ForestParams[] = [
  { n_estimators: 100, max_depth: 5, max_features: 1, random_state: 42 },
  { n_estimators: 10, max_depth: 3, max_features: 1, random_state: 7 },
  // an even number of trees and half the features per tree make tied votes likely
  { n_estimators: 4, max_depth: 2, max_features: 0.5, random_state: 3 },
  { n_estimators: 2, max_depth: 1, max_features: 2, random_state: 11 },
  { n_estimators: 31, max_depth: 8, max_features: 0.75, random_state: 123 },
];

for (const params of cases) {
  t.test(
    `compiled predictor equals ml-random-forest on all 150 rows (${JSON.stringify(params)})`,
    async (t) => {
      t.equal(iris.x.length, 150);
      const forest = fitForest(iris.x, iris.y, params);
      const model = exportForest(forest, params, FEATURES, CLASSES);
      t.ok(validatorFor('model')(model), 'the exported model matches schemas/model.schema.json');
      // ml-random-forest's own vote, which the predictor was written to follow
      const expected = fitLibraryForest(iris.x, iris.y, params).predict(iris.x);
      const predictor = compilePredictor(model);
      const votes = new Int32Array(3);
      let mismatches = 0;
      iris.x.forEach((row, i) => {
        const got = predictor.predictInto(row, votes);
        if (got !== expected[i]) mismatches++;
        let total = 0;
        for (const v of votes) total += v;
        if (total !== params.n_estimators) mismatches++;
      });
      t.equal(mismatches, 0, 'every row predicts the same class and every tree votes once');
    },
  );
}

/** Two stumps on petal_length, hand-made, to pin the vote rules down. */
function stumps(votesPerTree: number[]): ModelFile {
  return {
    format: 'irisops-random-forest',
    format_version: 1,
    algorithm: 'random_forest_classifier',
    feature_names: FEATURES,
    class_labels: CLASSES,
    params: { n_estimators: votesPerTree.length, max_depth: 1, max_features: 1, random_state: 0 },
    trees: votesPerTree.map((c) => ({
      feature: [2, -1, -1],
      threshold: [2.5, 0, 0],
      left: [1, -1, -1],
      right: [2, -1, -1],
      value: [-1, 0, c],
    })),
  };
}

t.test(
  'ties go to the class that reached the top count first, as ml-array-mode decides',
  async (t) => {
    const long = [5, 3, 5, 2];
    t.equal(
      compilePredictor(stumps([2, 1, 1, 2])).predictInto(long, new Int32Array(3)),
      1,
      '2,1,1,2: class 1 reaches 2 first',
    );
    t.equal(
      compilePredictor(stumps([2, 1, 2, 1])).predictInto(long, new Int32Array(3)),
      2,
      '2,1,2,1: class 2 reaches 2 first',
    );
    const { classIndex, votes } = compilePredictor(stumps([2, 1, 2])).predict(long);
    t.equal(classIndex, 2);
    t.same([...votes], [0, 1, 2]);
    t.equal(
      compilePredictor(stumps([2, 1])).predictInto([5, 3, 1, 0.2], new Int32Array(3)),
      0,
      'left of the split votes setosa',
    );
    t.equal(
      compilePredictor(stumps([2])).predictInto([5, 3, 2.5, 0.2], new Int32Array(3)),
      2,
      'equal to the threshold goes right',
    );
  },
);

t.test(
  'a model file that could loop, index outside its arrays or vote for no class is refused',
  async (t) => {
    const loop = stumps([1]);
    loop.trees[0]!.left[0] = 0;
    t.throws(() => compilePredictor(loop), { code: 'MODEL_INVALID' });
    const outside = stumps([1]);
    outside.trees[0]!.right[0] = 9;
    t.throws(() => compilePredictor(outside), { code: 'MODEL_INVALID' });
    const badClass = stumps([3]);
    t.throws(() => compilePredictor(badClass), { code: 'MODEL_INVALID' });
    const badFeature = stumps([1]);
    badFeature.trees[0]!.feature[0] = 4;
    t.throws(() => compilePredictor(badFeature), { code: 'MODEL_INVALID' });
    const ragged = stumps([1]);
    ragged.trees[0]!.value.pop();
    t.throws(() => compilePredictor(ragged), { code: 'MODEL_INVALID' });
  },
);
