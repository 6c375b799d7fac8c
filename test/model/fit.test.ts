import t from 'tap';
import { bundledDataPath, CLASSES, FEATURES, loadDataset } from '../../src/data/dataset.js';
import { stratifiedKFold, stratifiedSplit } from '../../src/data/split.js';
import { InterruptedError, UsageError } from '../../src/errors.js';
import { openFitSession } from '../../src/model/fit.js';
import { runCrossValidate, runFit } from '../../src/model/fit-task.js';
import { serializeModel } from '../../src/model/forest-spec.js';

const params = { n_estimators: 50, max_depth: 5, max_features: 1, random_state: 42 };

async function iris() {
  const ds = await loadDataset(bundledDataPath);
  return { x: ds.x, y: ds.y, featureNames: FEATURES, classLabels: CLASSES };
}

t.test('a fit in the worker gives the byte-identical model of a fit in this thread', async (t) => {
  const data = await iris();
  const split = stratifiedSplit(data.y, 0.2, 42);
  const session = openFitSession();
  t.teardown(() => session.close());
  const remote = await session.fit({ data, params, split });
  const local = runFit({ kind: 'fit', data, params, split });
  t.equal(serializeModel(remote.model), serializeModel(local.model));
  t.same(remote.predicted, local.predicted);
  t.equal(remote.predicted.length, split.test.length);
  const again = await session.fit({ data, params, split });
  t.equal(serializeModel(again.model), serializeModel(remote.model), 'and again');
  const folds = stratifiedKFold(data.y, 3, 42);
  t.same(
    await session.crossValidate({ data, params, folds }),
    runCrossValidate({ kind: 'cv', data, params, folds }),
  );
});

t.test('aborting the signal stops a long fit with InterruptedError', async (t) => {
  const data = await iris();
  const split = stratifiedSplit(data.y, 0.2, 42);
  const controller = new AbortController();
  const session = openFitSession(controller.signal);
  t.teardown(() => session.close());
  // about a minute of trees: it only ends this way if the abort stops it
  const long = session.fit({ data, params: { ...params, n_estimators: 100_000 }, split });
  setTimeout(() => controller.abort(), 50);
  await t.rejects(long, InterruptedError);
  await t.rejects(session.fit({ data, params, split }), InterruptedError, 'and refuses more');
});

t.test('an aborted signal refuses the fit before it starts', async (t) => {
  const data = await iris();
  const session = openFitSession(AbortSignal.abort());
  t.teardown(() => session.close());
  await t.rejects(
    session.fit({ data, params, split: stratifiedSplit(data.y, 0.2, 42) }),
    InterruptedError,
  );
});

t.test('bad --max-features is a usage error, not a worker failure', async (t) => {
  const data = await iris();
  const session = openFitSession();
  t.teardown(() => session.close());
  await t.rejects(
    session.fit({
      data,
      params: { ...params, max_features: 9 },
      split: stratifiedSplit(data.y, 0.2, 42),
    }),
    UsageError,
  );
});
