import t from 'tap';
import { UsageError } from '../../src/errors.js';
import {
  checkMetric,
  pickWinner,
  rankScored,
  trialMetrics,
  type Scored,
} from '../../src/tune/winner.js';

const scored = (index: number, n: number, d: number, mean: number, std = 0.01): Scored => ({
  trial: { index, params: { n_estimators: n, max_depth: d, max_features: 1, random_state: index } },
  metrics: { cv_accuracy_mean: mean, cv_accuracy_std: std, cv_accuracy_min: mean - std },
});

t.test('the best metric wins; a tie goes to fewer trees, then a smaller depth', async (t) => {
  const all = [
    scored(0, 200, 3, 0.96),
    scored(1, 50, 6, 0.96),
    scored(2, 50, 2, 0.96),
    scored(3, 25, 2, 0.95),
  ];
  t.equal(pickWinner('cv_accuracy_mean', all)?.trial.index, 2);
  t.same(
    rankScored('cv_accuracy_mean', all).map((s) => s.trial.index),
    [2, 1, 0, 3],
  );
  t.equal(pickWinner('cv_accuracy_mean', [...all].reverse())?.trial.index, 2, 'order-free');
  t.equal(pickWinner('cv_accuracy_mean', []), null);
});

t.test('cv_accuracy_std is better lower; an unknown metric is a usage error', async (t) => {
  const all = [scored(0, 10, 2, 0.9, 0.05), scored(1, 10, 3, 0.8, 0.01)];
  t.equal(pickWinner('cv_accuracy_std', all)?.trial.index, 1);
  t.equal(pickWinner('cv_accuracy_min', all)?.trial.index, 0);
  t.equal(checkMetric('cv_accuracy_min'), 'cv_accuracy_min');
  t.throws(() => checkMetric('accuracy'), UsageError);
  t.throws(() => checkMetric('accuracy'), { message: /--metric accuracy is not a trial metric/ });
});

t.test('trial metrics from fold accuracies', async (t) => {
  const m = trialMetrics([1, 0.9, 0.8]);
  t.equal(m.cv_accuracy_min, 0.8);
  t.ok(Math.abs(m.cv_accuracy_mean - 0.9) < 1e-12);
  t.ok(m.cv_accuracy_std > 0);
});
