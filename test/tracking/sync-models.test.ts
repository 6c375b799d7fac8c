/**
 * runs push and MLflow 3's logged models: a run's models are made again on the target with
 * their own files, params, tags, metrics and status, as outputs of the copied run; a version
 * registered from `models:/<id>` follows its model; a push that died half-way leaves no
 * model PENDING; a second push copies nothing. Local to local always, local to a real
 * `mlflow server` when the venv is there.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import t from 'tap';
import { LocalStore } from '../../src/tracking/local/index.js';
import { MlflowStore } from '../../src/tracking/mlflow.js';
import type { TrackingStore } from '../../src/tracking/store.js';
import { pushRuns } from '../../src/tracking/sync.js';
import { moveOf, readAliasHistory, recordMove } from '../../src/tracking/alias-history.js';
import { PARTIAL_RUN_TAG, SOURCE_MODEL_TAG, SOURCE_RUN_TAG } from '../../src/tracking/tags.js';
import { mlflowPythonOrSkip, runPythonJson, startMlflowServer } from '../helpers/mlflow-server.js';
import type { TapTest } from './conformance.js';

const T0 = 1_700_000_000_000;
const tmp = mkdtempSync(path.join(os.tmpdir(), 'irisops-push-models-'));
t.teardown(() => rmSync(tmp, { recursive: true, force: true }));

/** A finished run with one READY logged model (as train makes it) and a version of it. */
async function sourceWithModel(
  root: string,
): Promise<{ store: LocalStore; runId: string; modelId: string }> {
  const store = new LocalStore(root, { now: Date.now });
  const exp = await store.createExperiment('offline-class');
  const run = await store.createRun({
    experimentId: exp.experiment_id,
    runName: 'with-model',
    startTime: T0,
    userId: 'student',
  });
  const model = await store.createLoggedModel({
    experimentId: exp.experiment_id,
    name: 'model',
    sourceRunId: run.run_id,
    params: { max_depth: '4' },
    tags: { 'mlflow.user': 'student' },
  });
  const files = path.join(tmp, `files-${path.basename(root)}`);
  mkdirSync(path.join(files, 'nested'), { recursive: true });
  writeFileSync(path.join(files, 'MLmodel'), 'flavors: {}\n');
  writeFileSync(path.join(files, 'nested', 'model.json'), '{"trees":[1]}');
  await store.logArtifacts(run.run_id, files, 'model');
  await store.logLoggedModelArtifacts(model.model_id, files);
  await store.logOutputs(run.run_id, [{ model_id: model.model_id, step: 0 }]);
  await store.logBatch(run.run_id, {
    params: [{ key: 'max_depth', value: '4' }],
    metrics: [
      { key: 'accuracy', value: 0.9, timestamp: T0 + 1, step: 0, model_id: model.model_id },
      { key: 'train_time_ms', value: 12, timestamp: T0 + 1, step: 0 },
    ],
  });
  await store.finalizeLoggedModel(model.model_id, 'READY');
  await store.updateRun(run.run_id, 'FINISHED', T0 + 2);
  await store.createRegisteredModel('iris_classifier');
  await store.createModelVersion({
    name: 'iris_classifier',
    source: `models:/${model.model_id}`,
    runId: run.run_id,
  });
  return { store, runId: run.run_id, modelId: model.model_id };
}

async function checkPush(
  t: TapTest,
  target: TrackingStore,
  source: { store: LocalStore; runId: string; modelId: string },
): Promise<{ targetRunId: string; targetModelId: string }> {
  const first = await pushRuns(source.store, target, { tmpDir: tmp });
  const copied = first.runs.copied[0];
  t.equal(copied?.logged_models?.length, 1, 'the result names the model copied');
  t.equal(copied?.logged_models?.[0]?.source_model_id, source.modelId);
  const targetRunId = copied?.target_run_id ?? '';
  const targetModelId = copied?.logged_models?.[0]?.target_model_id ?? '';

  const run = await target.getRun(targetRunId);
  t.same(run.outputs, [{ model_id: targetModelId, step: 0 }], 'the copy is an output of the run');
  const model = await target.getLoggedModel(targetModelId);
  t.equal(model.status, 'READY');
  t.equal(model.name, 'model');
  t.equal(model.source_run_id, targetRunId, 'produced by the copied run');
  t.same(model.params, { max_depth: '4' });
  t.equal(model.tags['mlflow.user'], 'student');
  t.equal(model.tags[SOURCE_MODEL_TAG], source.modelId, 'it names the model it came from');
  t.same(
    model.metrics.map((m) => [m.key, m.value, m.run_id]),
    [['accuracy', 0.9, targetRunId]],
    "the model's metric, and only it, linked again",
  );
  t.same(
    (await target.getMetricHistory(targetRunId, 'accuracy')).map((m) => m.value),
    [0.9],
    "logged once on the run's history",
  );
  t.equal(
    (await target.readLoggedModelArtifact(targetModelId, 'nested/model.json')).toString(),
    '{"trees":[1]}',
    "the model's own files",
  );
  const [version] = await target.searchModelVersions('iris_classifier');
  t.equal(version?.source, `models:/${targetModelId}`, 'the version follows its model');

  const second = await pushRuns(source.store, target, { tmpDir: tmp });
  t.same(second.runs.copied, [], 'a second push copies nothing');
  t.same(second.versions.copied, []);
  const exp = await target.getExperimentByName('offline-class');
  const runs = await target.searchRuns({ experimentIds: [exp?.experiment_id ?? ''] });
  t.equal(runs.length, 1);
  return { targetRunId, targetModelId };
}

t.test('local to local: logged models are copied with their runs', async (t) => {
  const source = await sourceWithModel(path.join(tmp, 'a'));
  const target = new LocalStore(path.join(tmp, 'b'), { now: Date.now });
  const { targetModelId } = await checkPush(t, target, source);
  const meta = readFileSync(
    path.join(tmp, 'b', 'models', 'iris_classifier', 'version-1', 'meta.yaml'),
    'utf8',
  );
  t.match(meta, `model_id: ${targetModelId}`, "the version's meta.yaml names its model");
});

t.test('a push that died after creating the model leaves it FAILED, not PENDING', async (t) => {
  const source = await sourceWithModel(path.join(tmp, 'c'));
  const target = new LocalStore(path.join(tmp, 'd'), { now: Date.now });
  // what an interrupted push leaves: a RUNNING partial copy with a PENDING model as output
  const exp = await target.createExperiment('offline-class');
  const partial = await target.createRun({
    experimentId: exp.experiment_id,
    runName: 'with-model',
    startTime: T0,
    userId: 'student',
    tags: { [PARTIAL_RUN_TAG]: source.runId },
  });
  const pending = await target.createLoggedModel({
    experimentId: exp.experiment_id,
    name: 'model',
    sourceRunId: partial.run_id,
  });
  await target.logOutputs(partial.run_id, [{ model_id: pending.model_id, step: 0 }]);

  const result = await pushRuns(source.store, target, { tmpDir: tmp });
  t.same(result.runs.abandoned, [partial.run_id]);
  t.equal((await target.getLoggedModel(pending.model_id)).status, 'FAILED');
  t.equal((await target.getRun(partial.run_id)).info.status, 'FAILED');
  const copy = await target.getRun(result.runs.copied[0]?.target_run_id ?? '');
  t.equal(copy.data.tags[SOURCE_RUN_TAG], source.runId, 'and the run is copied again');
});

const found = mlflowPythonOrSkip();
if ('skip' in found) {
  t.test('logged models pushed to a real mlflow server', { skip: found.skip }, () => {});
} else {
  t.test('logged models pushed to a real mlflow server', async (t) => {
    const server = await startMlflowServer(t, found.python);
    const source = await sourceWithModel(path.join(tmp, 'e'));
    const remote = new MlflowStore(server.url, { env: {}, fetch: globalThis.fetch, now: Date.now });
    const { targetModelId } = await checkPush(t, remote, source);
    const seen = runPythonJson(
      found.python,
      server.url,
      `
import json, mlflow, tempfile
m = mlflow.get_logged_model("${targetModelId}")
p = mlflow.artifacts.download_artifacts(m.artifact_location + "/nested/model.json", dst_path=tempfile.mkdtemp())
print(json.dumps({"status": str(m.status), "file": open(p).read(), "run": m.source_run_id}))
`,
    ) as { status: string; file: string; run: string };
    t.match(seen.status, /READY/);
    t.equal(seen.file, '{"trees":[1]}', "MLflow's client reads the model's files");
  });
}

t.test('the alias history and other model tags follow, renumbered to the target', async (t) => {
  const source = await sourceWithModel(path.join(tmp, 'f'));
  // a second version of the same run, and two recorded moves of @production
  await source.store.createModelVersion({
    name: 'iris_classifier',
    source: `runs:/${source.runId}/model`,
    runId: source.runId,
  });
  const record = { user: 'student', time: T0, via: 'registry promote' as const };
  await recordMove(source.store, 'iris_classifier', moveOf(record, 'production', null, '1'));
  await recordMove(
    source.store,
    'iris_classifier',
    moveOf({ ...record, time: T0 + 1 }, 'production', '1', '2'),
  );
  // a move naming a version that is not pushed (its run is gone from the listing)
  await recordMove(
    source.store,
    'iris_classifier',
    moveOf({ ...record, time: T0 + 2 }, 'staging', null, '9'),
  );
  await source.store.setRegisteredModelTag('iris_classifier', 'team', 'blue');
  await source.store.setAlias('iris_classifier', 'production', '2');

  // the target already has a version: local v1, v2 become v2, v3 there
  const target = new LocalStore(path.join(tmp, 'g'), { now: Date.now });
  const exp = await target.createExperiment('online-class');
  const other = await target.createRun({
    experimentId: exp.experiment_id,
    runName: 'online',
    startTime: T0,
    userId: 'u',
  });
  await target.createRegisteredModel('iris_classifier');
  await target.createModelVersion({
    name: 'iris_classifier',
    source: `runs:/${other.run_id}/model`,
    runId: other.run_id,
  });

  await pushRuns(source.store, target, { tmpDir: tmp });
  const history = await readAliasHistory(target, 'iris_classifier');
  t.same(
    history.moves.map((m) => [m.alias, m.from, m.to]),
    [
      ['production', '2', '3'],
      ['production', null, '2'],
    ],
    "each move names the target's versions; the move to an unpushed version is left out",
  );
  t.same(history.unreadable, []);
  t.same(history.aliases, { production: '3' });
  t.equal((await target.getRegisteredModel('iris_classifier')).tags.team, 'blue');

  const before = (await target.getRegisteredModel('iris_classifier')).last_updated_timestamp;
  await pushRuns(source.store, target, { tmpDir: tmp });
  t.same(
    (await readAliasHistory(target, 'iris_classifier')).moves.length,
    2,
    'a second push adds no move',
  );
  t.equal((await target.getRegisteredModel('iris_classifier')).last_updated_timestamp, before);
});
