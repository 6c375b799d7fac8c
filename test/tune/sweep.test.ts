/**
 * The sweep in-process against a real local store and real fit workers: nested runs, the
 * same result for any parallelism, a trial that throws, every trial failing.
 */
import t from 'tap';
import path from 'node:path';
import { bundledDataPath, CLASSES, FEATURES, loadDataset } from '../../src/data/dataset.js';
import { stratifiedKFold } from '../../src/data/split.js';
import { runCrossValidate } from '../../src/model/fit-task.js';
import { meanAndStd } from '../../src/model/metrics.js';
import { openFitSession, type FitSession } from '../../src/model/fit.js';
import { LocalStore } from '../../src/tracking/local/index.js';
import { childRuns, groupByParent, runKey } from '../../src/tracking/run-family.js';
import type { TrackingStore } from '../../src/tracking/store.js';
import {
  MLFLOW_PARENT_RUN_ID,
  TUNE_ROLE_TAG,
  TUNE_WINNER_RUN_TAG,
} from '../../src/tracking/tags.js';
import { parseSpace, planTrials } from '../../src/tune/space.js';
import { tune, type TuneDeps, type TuneRequest } from '../../src/tune/sweep.js';
import { validatorFor } from '../../src/schemas/index.js';
import { testDeps } from '../helpers/fixtures.js';
import { tempDir } from '../helpers/temp.js';

function request(over: Partial<TuneRequest> = {}): TuneRequest {
  const space = parseSpace({ n_estimators: '5,10', max_depth: '2:3' });
  return {
    dataPath: bundledDataPath,
    experiment: 'iris-classification',
    runName: 'sweep',
    modelName: 'iris_classifier',
    register: true,
    testSize: 0.2,
    cvFolds: 3,
    seed: 42,
    search: 'grid',
    metric: 'cv_accuracy_mean',
    space,
    trials: planTrials({ space, search: 'grid', trials: null, seed: 42, maxTrials: 1000 }),
    parallel: 2,
    ...over,
  };
}

function deps(store: TrackingStore, over: Partial<TuneDeps> = {}): TuneDeps {
  return { ...testDeps(store), ...over };
}

const newStore = (t: Parameters<typeof tempDir>[0]) =>
  new LocalStore(path.join(tempDir(t), 'mlruns'), { now: () => Date.now() });

/** A session whose cross-validation throws for trees in `failing`. */
function failingFor(failing: number[]) {
  return (signal?: AbortSignal): FitSession => {
    const real = openFitSession(signal);
    return {
      ...real,
      crossValidate: async (task) => {
        if (failing.includes(task.params.n_estimators)) throw new Error('boom in the fit');
        return real.crossValidate(task);
      },
    };
  };
}

t.test('a parent, one child per trial, the winner logged and registered', async (t) => {
  const store = newStore(t);
  const seen: number[] = [];
  const outcome = await tune(request(), deps(store, { onTrial: (p) => seen.push(p.done) }));
  const r = outcome.result;
  const validate = validatorFor('tune-result');
  t.ok(validate(r), JSON.stringify(validate.errors));
  t.same(seen, [1, 2, 3, 4], 'one report per trial');
  t.equal(r.trials.length, 4);
  t.same(r.registered_model, { name: 'iris_classifier', version: '1' });

  const parent = await store.getRun(r.parent_run_id);
  t.equal(parent.info.status, 'FINISHED');
  t.equal(parent.data.tags[TUNE_ROLE_TAG], 'parent');
  t.equal(parent.data.params.space_max_depth, '2,3');
  t.equal(parent.data.params.best_n_estimators, String(r.winner.params.n_estimators));
  t.equal(parent.data.metrics.best_cv_accuracy_mean, r.winner.trial_metrics.cv_accuracy_mean);
  t.equal(parent.data.tags[TUNE_WINNER_RUN_TAG], r.winner.run_id);
  t.equal(parent.inputs.length, 1, 'the dataset input on the parent');

  const children = await childRuns(store, parent);
  t.equal(children.length, 5, 'four trials and the winner');
  for (const c of children) t.equal(c.data.tags[MLFLOW_PARENT_RUN_ID], r.parent_run_id);
  const winner = await store.getRun(r.winner.run_id);
  t.equal(winner.data.tags[TUNE_ROLE_TAG], 'winner');
  t.equal(winner.data.tags['mlflow.source.name'], 'irisops tune');
  t.equal(winner.data.params.split_seed, '42');
  t.equal(winner.data.params.random_state, String(r.winner.params.random_state));
  t.equal(
    winner.data.metrics.cv_accuracy_mean,
    r.winner.trial_metrics.cv_accuracy_mean,
    'the refit cross-validates on the very folds the trial used',
  );
  for (const key of ['accuracy', 'f1_score', 'precision', 'recall', 'train_time_ms'])
    t.type(winner.data.metrics[key], 'number', key);
  const files = (await store.listArtifacts(winner.info.run_id)).map((a) => a.path).sort();
  t.same(files, [
    'classification_report.txt',
    'confusion_matrix.json',
    'confusion_matrix.svg',
    'model',
  ]);

  const all = await store.searchRuns({ experimentIds: [r.experiment_id] });
  const families = groupByParent(all, runKey);
  t.equal(families.length, 1, 'one family');
  t.equal(families[0]?.children.length, 5);
});

t.test('--parallel 1, 2 and 3 log the same metrics and pick the same winner', async (t) => {
  // the pool takes the most trees first, so every parallelism finishes trials in its own order
  const space = parseSpace({ n_estimators: '3,6,12', max_depth: '2:3' });
  const trials = planTrials({ space, search: 'grid', trials: null, seed: 7, maxTrials: 1000 });
  const sweepOf = async (parallel: number) => {
    const store = newStore(t);
    const { result } = await tune(
      request({ space, trials, seed: 7, parallel, register: false }),
      deps(store),
    );
    const logged = await Promise.all(
      result.trials.map(async (x) => (await store.getRun(x.run_id)).data.metrics),
    );
    // every refit metric but its fit time
    const refit = { ...result.winner.metrics, train_time_ms: 0 };
    return {
      trials: result.trials.map(({ index, params, metrics, status }) => ({
        index,
        params,
        metrics,
        status,
      })),
      logged,
      winner: { params: result.winner.params, index: result.winner.trial_index, refit },
      registered: result.registered_model,
    };
  };
  const one = await sweepOf(1);
  t.same(await sweepOf(2), one, '--parallel 2');
  t.same(await sweepOf(3), one, '--parallel 3');
  t.equal(one.registered, null, '--no-register');
});

t.test("the winner's logged CV is what fitting its folds again gives", async (t) => {
  const { result } = await tune(request({ register: false }), deps(newStore(t)));
  const data = await loadDataset(bundledDataPath);
  const scores = runCrossValidate({
    kind: 'cv',
    data: { x: data.x, y: data.y, featureNames: FEATURES, classLabels: CLASSES },
    params: result.winner.params,
    folds: stratifiedKFold(data.y, 3, 42),
  });
  const { mean, std } = meanAndStd(scores);
  t.equal(result.winner.metrics.cv_accuracy_mean, mean);
  t.equal(result.winner.metrics.cv_accuracy_std, std);
});

t.test('a trial that throws marks its child FAILED and the sweep goes on', async (t) => {
  const store = newStore(t);
  const outcome = await tune(request(), deps(store, { openSession: failingFor([5]) }));
  const r = outcome.result;
  t.ok(validatorFor('tune-result')(r));
  const failed = r.trials.filter((x) => x.status === 'FAILED');
  t.equal(failed.length, 2);
  for (const f of failed) {
    t.match(f.error, /boom in the fit/);
    t.equal((await store.getRun(f.run_id)).info.status, 'FAILED');
  }
  t.equal(r.winner.params.n_estimators, 10);
});

t.test('every trial failing fails the sweep and marks the parent FAILED', async (t) => {
  const store = newStore(t);
  await t.rejects(tune(request(), deps(store, { openSession: failingFor([5, 10]) })), {
    code: 'TUNE_ALL_FAILED',
    message: /every trial of the sweep failed \(first: boom in the fit\)/,
  });
  const exp = await store.getExperimentByName('iris-classification');
  const runs = await store.searchRuns({ experimentIds: [exp?.experiment_id ?? ''] });
  t.same(runs.map((x) => x.info.status).sort(), ['FAILED', 'FAILED', 'FAILED', 'FAILED', 'FAILED']);
  t.same(await store.searchRegisteredModels(), [], 'nothing registered');
});

t.test('an abort mid-sweep marks the running children and the parent KILLED', async (t) => {
  const store = newStore(t);
  const controller = new AbortController();
  // the small trial settles first and fires the abort while the large one is fitting
  const space = parseSpace({ n_estimators: '2,3000', max_depth: '6' });
  const trials = planTrials({ space, search: 'grid', trials: null, seed: 1, maxTrials: 1000 });
  await t.rejects(
    tune(
      request({ space, trials, cvFolds: 10, parallel: 2 }),
      deps(store, {
        signal: controller.signal,
        onTrial: () => controller.abort(),
      }),
    ),
    { exitCode: 130, message: /marked KILLED, nothing registered/ },
  );
  const exp = await store.getExperimentByName('iris-classification');
  const runs = await store.searchRuns({ experimentIds: [exp?.experiment_id ?? ''] });
  const statuses = runs.map((x) => x.info.status);
  t.notOk(statuses.includes('RUNNING'), statuses.join(','));
  t.ok(statuses.includes('KILLED'));
  t.same(await store.searchRegisteredModels(), []);
});

t.test('bad data is refused before anything is written', async (t) => {
  const store = newStore(t);
  await t.rejects(tune(request({ cvFolds: 51 }), deps(store)), {
    message: /--cv 51 needs at least/,
  });
  t.same(await store.listExperiments().then((e) => e.filter((x) => x.name !== 'Default')), []);
});
