import t, { type Test } from 'tap';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { InterruptedError } from '../../src/errors.js';
import { trainAndLog } from '../../src/model/pipeline.js';
import { RegisterRefusedError, registerRunModel } from '../../src/model/register.js';
import { LocalStore } from '../../src/tracking/local/index.js';
import type { Run, TrackingStore } from '../../src/tracking/store.js';
import { MODEL_DIGEST_TAG } from '../../src/tracking/tags.js';
import { bundledDataPath } from '../../src/data/dataset.js';
import { tempDir, trainInto } from '../helpers/fixtures.js';

function freshStore(t: Test): LocalStore {
  return new LocalStore(path.join(tempDir(t), 'mlruns'), { now: () => Date.now() });
}

t.test('a finished unregistered run becomes version 1, then is refused naming it', async (t) => {
  const store = freshStore(t);
  const { result } = await trainInto(store, { register: false });
  t.equal(result.registered_model, null);
  const version = await registerRunModel(store, result.run_id, 'iris_classifier');
  t.equal(version.version, '1');
  t.equal(version.run_id, result.run_id);
  t.equal(version.tags[MODEL_DIGEST_TAG], result.model_digest, 'the registry keeps the digest');
  t.match(version.source, /\/model$/);
  const again = registerRunModel(store, result.run_id, 'iris_classifier');
  await t.rejects(again, { reason: 'RUN_ALREADY_REGISTERED', message: /version 1/ });
  await t.rejects(again, RegisterRefusedError);
  const other = await registerRunModel(store, result.run_id, 'another_name');
  t.equal(other.version, '1', 'another registered model may hold the same run');
});

t.test('a run that is not FINISHED is refused', async (t) => {
  const store = freshStore(t);
  const { result } = await trainInto(store, { register: false });
  await store.updateRun(result.run_id, 'KILLED', Date.now());
  await t.rejects(registerRunModel(store, result.run_id, 'iris_classifier'), {
    reason: 'RUN_NOT_FINISHED',
    message: /KILLED/,
  });
  t.same(await store.searchRegisteredModels(), [], 'nothing was registered');
});

async function finishedRun(t: Test, store: TrackingStore, mlmodel: string | null): Promise<string> {
  const experiment = await store.createExperiment('plain');
  const run = await store.createRun({
    experimentId: experiment.experiment_id,
    runName: 'plain',
    startTime: Date.now(),
    userId: 'test',
    tags: {},
  });
  await store.logBatch(run.run_id, { tags: [{ key: MODEL_DIGEST_TAG, value: 'sha256:00' }] });
  if (mlmodel !== null) {
    const dir = tempDir(t);
    mkdirSync(path.join(dir, 'model'));
    writeFileSync(path.join(dir, 'model', 'MLmodel'), mlmodel);
    await store.logArtifacts(run.run_id, dir, '');
  }
  await store.updateRun(run.run_id, 'FINISHED', Date.now());
  return run.run_id;
}

t.test('a run without an irisops model is refused', async (t) => {
  const store = freshStore(t);
  const none = await finishedRun(t, store, null);
  await t.rejects(registerRunModel(store, none, 'm'), {
    reason: 'RUN_HAS_NO_MODEL',
    message: /model\/MLmodel/,
  });
  const sklearn = await finishedRun(
    t,
    store,
    'flavors:\n  sklearn:\n    pickled_model: model.pkl\n',
  );
  await t.rejects(registerRunModel(store, sklearn, 'm'), {
    reason: 'RUN_HAS_NO_MODEL',
    message: /irisops flavor/,
  });
});

t.test('an interrupt while the run is logged marks it KILLED and registers nothing', async (t) => {
  const inner = freshStore(t);
  const controller = new AbortController();
  // the signal fires in the middle of the log step, after the run and its params exist
  const store = new Proxy(inner, {
    get(target, key, receiver) {
      if (key === 'logInputs')
        return async (...args: Parameters<TrackingStore['logInputs']>) => {
          await target.logInputs(...args);
          controller.abort();
        };
      const value = Reflect.get(target, key, receiver) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  const train = trainAndLog(
    {
      dataPath: bundledDataPath,
      experiment: 'iris-classification',
      runName: 'stopped',
      modelName: 'iris_classifier',
      register: true,
      params: { n_estimators: 5, max_depth: 3, max_features: 1, random_state: 1 },
      testSize: 0.2,
      cvFolds: null,
    },
    {
      store,
      now: () => Date.now(),
      irisopsVersion: '0.0.0-test',
      user: 'test',
      host: 'h',
      pid: 1,
      gitCommit: null,
      signal: controller.signal,
    },
  );
  await t.rejects(train, InterruptedError);
  await t.rejects(train, { message: /marked KILLED/ });
  const experiment = await inner.getExperimentByName('iris-classification');
  const runs = await inner.searchRuns({ experimentIds: [experiment?.experiment_id ?? ''] });
  t.same(
    runs.map((r: Run) => r.info.status),
    ['KILLED'],
  );
  t.same(await inner.searchRegisteredModels(), [], 'nothing registered');
});
