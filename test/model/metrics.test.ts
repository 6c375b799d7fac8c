import t from 'tap';
import { classificationReport, evaluate, meanAndStd } from '../../src/model/metrics.js';

t.test('weighted metrics match scikit-learn on a hand-checked case', async (t) => {
  // sklearn: accuracy 0.6667, precision_weighted 0.7222, recall_weighted 0.6667, f1_weighted 0.6556
  const e = evaluate([0, 0, 1, 1, 2, 2], [0, 1, 1, 1, 2, 0], ['a', 'b', 'c']);
  t.equal(e.accuracy.toFixed(4), '0.6667');
  t.equal(e.precision.toFixed(4), '0.7222');
  t.equal(e.recall.toFixed(4), '0.6667');
  t.equal(e.f1_score.toFixed(4), '0.6556');
  t.same(e.confusion_matrix, [
    [1, 1, 0],
    [0, 2, 0],
    [1, 0, 1],
  ]);
  t.match(classificationReport(e), /weighted avg\s+0\.72\s+0\.67\s+0\.66\s+6/);
});

t.test('a class never predicted scores 0 precision, not NaN', async (t) => {
  const e = evaluate([0, 1], [0, 0], ['a', 'b']);
  t.equal(e.per_class[1]?.precision, 0);
  t.ok(Number.isFinite(e.f1_score));
});

t.test('mean and population std', async (t) => {
  t.same(meanAndStd([1, 1, 1]), { mean: 1, std: 0 });
  t.equal(meanAndStd([0, 2]).std, 1);
});
