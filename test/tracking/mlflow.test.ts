/**
 * MlflowStore against a real `mlflow server` (one per file: it takes seconds to start),
 * with MLflow's own Python client as the referee in both directions.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import t from 'tap';
import { InvalidParameterError, NotFoundError } from '../../src/errors.js';
import { MlflowStore } from '../../src/tracking/mlflow.js';
import { splitBatch } from '../../src/tracking/mlflow-wire.js';
import { BATCH_LIMITS as batchLimits } from '../../src/tracking/validation.js';
import { startFaultProxy } from '../helpers/fault-proxy.js';
import { runConformance } from './conformance.js';
import {
  mlflowPythonOrSkip,
  runPythonJson,
  startMlflowServer,
  type MlflowServer,
} from '../helpers/mlflow-server.js';

t.test('splitBatch keeps every request within MLflow limits and keeps order', async (t) => {
  const metrics = Array.from({ length: 2500 }, (_, step) => ({
    key: 'loss',
    value: 1 / (step + 1),
    timestamp: 1,
    step,
  }));
  const params = Array.from({ length: 250 }, (_, i) => ({ key: `p${i}`, value: String(i) }));
  const tags = Array.from({ length: 150 }, (_, i) => ({ key: `t${i}`, value: 'x' }));
  const chunks = splitBatch({ metrics, params, tags });
  for (const chunk of chunks) {
    t.ok(chunk.metrics.length <= batchLimits.metrics);
    t.ok(chunk.params.length <= batchLimits.params);
    t.ok(chunk.tags.length <= batchLimits.tags);
    t.ok(chunk.metrics.length + chunk.params.length + chunk.tags.length <= batchLimits.entities);
    t.ok(Buffer.byteLength(JSON.stringify(chunk)) < 1_000_000);
  }
  t.same(
    chunks.flatMap((c) => c.metrics.map((m) => m.step)),
    metrics.map((m) => m.step),
  );
  t.equal(chunks.flatMap((c) => c.params).length, 250);
  t.equal(chunks.flatMap((c) => c.tags).length, 150);

  const big = 'v'.repeat(6000);
  const heavy = splitBatch({
    params: Array.from({ length: 100 }, (_, i) => ({ key: `k${i}`, value: big })),
    tags: Array.from({ length: 100 }, (_, i) => ({ key: `t${i}`, value: big.repeat(1) })),
  });
  t.ok(
    heavy.every((c) => Buffer.byteLength(JSON.stringify(c)) < 1_000_000),
    'large values split by size',
  );
  t.same(splitBatch({}), []);
});

const found = mlflowPythonOrSkip();
if ('skip' in found) {
  t.test('against a real mlflow server', { skip: found.skip }, () => {});
} else {
  const python = found.python;
  const server: MlflowServer = await startMlflowServer(t, python);
  t.comment(`mlflow server healthy after ${server.startupMs} ms`);
  const store = new MlflowStore(server.url, { env: {}, fetch: globalThis.fetch, now: Date.now });
  const py = (code: string): unknown => runPythonJson(python, server.url, code);
  let seq = 0;
  const unique = (prefix: string): string => `${prefix}-${process.pid}-${++seq}`;
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'irisops-mlflow-test-'));
  t.teardown(() => rmSync(tmp, { recursive: true, force: true }));

  await t.test('conformance suite against a real mlflow server', async (t) => {
    await runConformance(t, async () => store, { timeoutMs: 120_000 });
  });

  t.test('ping, experiments: get-or-create, restore a deleted one', async (t) => {
    await store.ping();
    t.equal(store.kind, 'mlflow');
    t.equal(store.displayUri, server.url);
    const name = unique('exp');
    t.equal(await store.getExperimentByName(name), null);
    const created = await store.createExperiment(name, { team: 'a' });
    t.equal(created.name, name);
    t.equal(created.lifecycle_stage, 'active');
    t.equal(created.tags.team, 'a');
    t.match(created.artifact_location, /^mlflow-artifacts:/);
    t.equal(
      (await store.createExperiment(name)).experiment_id,
      created.experiment_id,
      'second create returns the same',
    );
    await fetch(`${server.url}/api/2.0/mlflow/experiments/delete`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ experiment_id: created.experiment_id }),
    });
    t.equal((await store.getExperimentByName(name))?.lifecycle_stage, 'deleted');
    const restored = await store.createExperiment(name);
    t.equal(restored.experiment_id, created.experiment_id);
    t.equal(restored.lifecycle_stage, 'active');
    t.ok((await store.listExperiments()).some((e) => e.experiment_id === created.experiment_id));
    await t.rejects(store.getExperiment('987654'), NotFoundError);
  });

  t.test(
    'a batch of 2,500 metrics, 250 params and 150 tags is split and fully recorded',
    async (t) => {
      const exp = await store.createExperiment(unique('batch'));
      const run = await store.createRun({
        experimentId: exp.experiment_id,
        runName: 'big',
        startTime: Date.now(),
        userId: 'tester',
      });
      const proxy = await startFaultProxy(t, server.url);
      const counted = new MlflowStore(proxy.url, {
        env: {},
        fetch: globalThis.fetch,
        now: Date.now,
      });
      await counted.logBatch(run.run_id, {
        metrics: Array.from({ length: 2500 }, (_, step) => ({
          key: 'loss',
          value: 1 / (step + 1),
          timestamp: 1000 + step,
          step,
        })),
        params: Array.from({ length: 250 }, (_, i) => ({ key: `p${i}`, value: String(i) })),
        tags: Array.from({ length: 150 }, (_, i) => ({ key: `t${i}`, value: `v${i}` })),
      });
      t.ok(
        proxy.seen.filter((r) => r.url.endsWith('/runs/log-batch')).length >= 4,
        'several requests',
      );
      const got = await store.getRun(run.run_id);
      t.equal(Object.keys(got.data.params).length, 250);
      t.equal(got.data.tags.t149, 'v149');
      t.equal(got.data.metrics.loss, 1 / 2500, 'latest value is the highest step');
      const history = await store.getMetricHistory(run.run_id, 'loss');
      t.equal(history.length, 2500);
      t.same(
        history.slice(0, 2).map((m) => m.step),
        [0, 1],
      );
      t.equal(history[2499]?.timestamp, 3499);
    },
  );

  t.test(
    'runs: create, non-finite metrics, dataset input, update, search with filter, order and paging',
    async (t) => {
      const exp = await store.createExperiment(unique('search'));
      const ids: string[] = [];
      for (let i = 0; i < 7; i += 1) {
        const run = await store.createRun({
          experimentId: exp.experiment_id,
          runName: `r${i}`,
          startTime: 1_700_000_000_000 + i,
          userId: 'u',
          tags: { idx: String(i) },
        });
        await store.logBatch(run.run_id, {
          metrics: [{ key: 'acc', value: i / 10, timestamp: 1, step: 0 }],
          params: [{ key: 'depth', value: String(i % 3) }],
        });
        ids.push(run.run_id);
      }
      const first = ids[0] as string;
      await store.logBatch(first, {
        metrics: [
          { key: 'weird', value: Number.NaN, timestamp: 1, step: 0 },
          { key: 'big', value: Number.POSITIVE_INFINITY, timestamp: 1, step: 0 },
        ],
      });
      await store.logInputs(first, [
        {
          name: 'iris',
          digest: 'abc123',
          source_type: 'local',
          source: '{"uri":"data/iris.csv"}',
          schema: '{"mlflow_colspec":[]}',
          tags: { 'mlflow.data.context': 'training' },
        },
      ]);
      const ended = await store.updateRun(first, 'FINISHED', 1_700_000_001_000);
      t.equal(ended.status, 'FINISHED');
      t.equal(ended.end_time, 1_700_000_001_000);
      const got = await store.getRun(first);
      t.ok(Number.isNaN(got.data.metrics.weird));
      // MLflow's SQL store clamps ±Infinity to ±max double; the file store keeps 'inf'.
      t.equal(got.data.metrics.big, Number.MAX_VALUE);
      t.same(got.inputs, [
        {
          name: 'iris',
          digest: 'abc123',
          source_type: 'local',
          source: '{"uri":"data/iris.csv"}',
          schema: '{"mlflow_colspec":[]}',
          tags: { 'mlflow.data.context': 'training' },
        },
      ]);
      t.equal(got.info.run_name, 'r0');
      t.equal(got.data.tags['mlflow.runName'], 'r0');

      const all = await store.searchRuns({ experimentIds: [exp.experiment_id] });
      t.same(
        all.map((r) => r.info.run_id),
        [...ids].reverse(),
        'newest first by default',
      );
      const filtered = await store.searchRuns({
        experimentIds: [exp.experiment_id],
        filter: "params.depth = '1' and metrics.acc > 0.2",
        orderBy: ['metrics.acc ASC'],
      });
      t.same(
        filtered.map((r) => r.data.tags.idx),
        ['4'],
      );
      await t.rejects(
        store.searchRuns({ experimentIds: [exp.experiment_id], filter: 'metrics.acc >>> 1' }),
        InvalidParameterError,
      );

      const proxy = await startFaultProxy(t, server.url);
      const paged = new MlflowStore(proxy.url, {
        env: {},
        fetch: globalThis.fetch,
        now: Date.now,
        searchPageSize: 3,
      });
      const pages = (
        await paged.searchRuns({
          experimentIds: [exp.experiment_id],
          orderBy: ['metrics.acc DESC'],
        })
      ).map((r) => r.data.tags.idx);
      t.same(pages, ['6', '5', '4', '3', '2', '1', '0'], 'all 7 runs across pages');
      t.equal(
        proxy.seen.filter((r) => r.url.endsWith('/runs/search')).length,
        3,
        'three pages of 3',
      );
      const capped = await paged.searchRuns({ experimentIds: [exp.experiment_id], maxResults: 5 });
      t.equal(capped.length, 5, 'maxResults caps the total across pages');
      await t.rejects(store.getRun('0123456789abcdef0123456789abcdef'), NotFoundError);
    },
  );

  t.test('artifacts: nested upload, list, download through the proxy', async (t) => {
    const exp = await store.createExperiment(unique('art'));
    const run = await store.createRun({
      experimentId: exp.experiment_id,
      runName: 'art',
      startTime: Date.now(),
      userId: 'u',
    });
    const dir = path.join(tmp, 'art-src');
    mkdirSync(path.join(dir, 'sub', 'deeper'), { recursive: true });
    writeFileSync(path.join(dir, 'MLmodel'), 'flavors: {}\n');
    writeFileSync(path.join(dir, 'sub', 'with space.json'), '{"a":1}');
    const binary = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    writeFileSync(path.join(dir, 'sub', 'deeper', 'blob.bin'), binary);
    await store.logArtifacts(run.run_id, dir, 'model');
    writeFileSync(path.join(tmp, 'top.txt'), 'top');
    const single = path.join(tmp, 'single');
    mkdirSync(single);
    writeFileSync(path.join(single, 'report.txt'), 'report');
    await store.logArtifacts(run.run_id, single);

    const fresh = new MlflowStore(server.url, { env: {}, fetch: globalThis.fetch, now: Date.now });
    t.same(await fresh.listArtifacts(run.run_id), [
      { path: 'model', is_dir: true },
      { path: 'report.txt', is_dir: false, file_size: 6 },
    ]);
    t.same(await fresh.listArtifacts(run.run_id, 'model/sub'), [
      { path: 'model/sub/deeper', is_dir: true },
      { path: 'model/sub/with space.json', is_dir: false, file_size: 7 },
    ]);
    t.same(await fresh.readArtifact(run.run_id, 'model/sub/deeper/blob.bin'), binary);
    t.equal(
      (await fresh.readArtifact(run.run_id, 'model/sub/with space.json')).toString(),
      '{"a":1}',
    );
    await t.rejects(fresh.readArtifact(run.run_id, 'model/nope.txt'), NotFoundError);
    await t.rejects(fresh.readArtifact(run.run_id, '../../other/x'), InvalidParameterError);
    await t.rejects(fresh.listArtifacts('../x'), InvalidParameterError);
  });

  t.test('registry: get-or-create, string versions, aliases set, moved, deleted', async (t) => {
    const name = unique('model');
    const exp = await store.createExperiment(unique('reg'));
    const run = await store.createRun({
      experimentId: exp.experiment_id,
      runName: 'reg',
      startTime: Date.now(),
      userId: 'u',
    });
    const model = await store.createRegisteredModel(name);
    t.equal(model.name, name);
    t.equal(
      (await store.createRegisteredModel(name)).creation_timestamp,
      model.creation_timestamp,
      'get-or-create',
    );
    const source = `${run.artifact_uri}/model`;
    const v1 = await store.createModelVersion({
      name,
      source,
      runId: run.run_id,
      tags: { k: 'v' },
    });
    const v2 = await store.createModelVersion({ name, source, runId: run.run_id });
    t.equal(v1.version, '1');
    t.equal(v2.version, '2');
    t.equal(v1.status, 'READY');
    t.equal(v1.tags.k, 'v');
    await store.setAlias(name, 'production', '1');
    t.equal((await store.getModelVersionByAlias(name, 'production')).version, '1');
    await store.setAlias(name, 'production', '2');
    const byAlias = await store.getModelVersionByAlias(name, 'production');
    t.equal(byAlias.version, '2');
    t.same(byAlias.aliases, ['production']);
    t.same((await store.getRegisteredModel(name)).aliases, { production: '2' });
    const versions = await store.searchModelVersions(name);
    t.same(
      versions.map((v) => [v.version, v.aliases]),
      [
        ['2', ['production']],
        ['1', []],
      ],
    );
    t.equal((await store.getModelVersion(name, '1')).run_id, run.run_id);
    t.ok((await store.searchRegisteredModels()).some((m) => m.name === name));
    await store.deleteAlias(name, 'production');
    await t.rejects(store.getModelVersionByAlias(name, 'production'), NotFoundError);
    await t.rejects(store.getRegisteredModel(unique('missing')), NotFoundError);
    await t.rejects(store.getModelVersion(name, '99'), NotFoundError);
    await t.rejects(store.setAlias(name, 'latest', '1'), InvalidParameterError);
  });

  t.test("MLflow's Python client reads back what irisops wrote", async (t) => {
    const name = unique('pymodel');
    const exp = await store.createExperiment(unique('py-read'));
    const run = await store.createRun({
      experimentId: exp.experiment_id,
      runName: 'written-by-irisops',
      startTime: Date.now(),
      userId: 'irisops',
      tags: { framework: 'ml-random-forest' },
    });
    await store.logBatch(run.run_id, {
      params: [{ key: 'max_depth', value: '5' }],
      metrics: [
        { key: 'accuracy', value: 0.9, timestamp: 1, step: 0 },
        { key: 'accuracy', value: 0.95, timestamp: 2, step: 1 },
      ],
    });
    await store.logInputs(run.run_id, [
      {
        name: 'iris',
        digest: 'deadbeef',
        source_type: 'local',
        source: '{"uri":"data/iris.csv"}',
        tags: { 'mlflow.data.context': 'training' },
      },
    ]);
    const modelDir = path.join(tmp, 'py-model');
    mkdirSync(modelDir, { recursive: true });
    writeFileSync(path.join(modelDir, 'MLmodel'), 'flavors:\n  irisops: {}\n');
    await store.logArtifacts(run.run_id, modelDir, 'model');
    await store.updateRun(run.run_id, 'FINISHED', Date.now());
    await store.createRegisteredModel(name);
    await store.createModelVersion({
      name,
      source: `${run.artifact_uri}/model`,
      runId: run.run_id,
    });
    await store.setAlias(name, 'production', '1');

    const seen = py(`
import json, os, tempfile
from mlflow import MlflowClient
c = MlflowClient()
r = c.get_run(${JSON.stringify(run.run_id)})
d = tempfile.mkdtemp()
p = c.download_artifacts(r.info.run_id, "model/MLmodel", d)
mv = c.get_model_version_by_alias(${JSON.stringify(name)}, "production")
h = c.get_metric_history(r.info.run_id, "accuracy")
print(json.dumps({
  "status": r.info.status, "name": r.info.run_name,
  "params": r.data.params, "metrics": r.data.metrics, "tags": {k: v for k, v in r.data.tags.items() if not k.startswith("mlflow.")},
  "history": [m.value for m in h],
  "datasets": [[i.dataset.name, i.dataset.digest, [(t.key, t.value) for t in i.tags]] for i in r.inputs.dataset_inputs],
  "mlmodel": open(p).read(),
  "version": mv.version, "run_id": mv.run_id, "aliases": list(mv.aliases),
}))
`);
    t.same(seen, {
      status: 'FINISHED',
      name: 'written-by-irisops',
      params: { max_depth: '5' },
      metrics: { accuracy: 0.95 },
      tags: { framework: 'ml-random-forest' },
      history: [0.9, 0.95],
      datasets: [['iris', 'deadbeef', [['mlflow.data.context', 'training']]]],
      mlmodel: 'flavors:\n  irisops: {}\n',
      version: '1',
      run_id: run.run_id,
      aliases: ['production'],
    });
  });

  t.test('irisops reads a run and a model version made by the Python client', async (t) => {
    const name = unique('frompy');
    const expName = unique('py-write');
    const made = py(`
import json, os, tempfile, mlflow
from mlflow import MlflowClient
c = MlflowClient()
mlflow.set_experiment(${JSON.stringify(expName)})
with mlflow.start_run(run_name="by-python") as run:
    mlflow.log_param("n_estimators", 10)
    mlflow.log_metric("accuracy", 0.5, step=0)
    mlflow.log_metric("accuracy", 0.75, step=1)
    d = tempfile.mkdtemp()
    open(os.path.join(d, "notes.txt"), "w").write("from python")
    mlflow.log_artifact(os.path.join(d, "notes.txt"), "docs")
c.create_registered_model(${JSON.stringify(name)})
mv = c.create_model_version(${JSON.stringify(name)}, run.info.artifact_uri + "/docs", run.info.run_id)
c.set_registered_model_alias(${JSON.stringify(name)}, "staging", mv.version)
print(json.dumps({"run_id": run.info.run_id, "experiment_id": run.info.experiment_id}))
`) as { run_id: string; experiment_id: string };
    const exp = await store.getExperimentByName(expName);
    t.equal(exp?.experiment_id, made.experiment_id);
    const runs = await store.searchRuns({ experimentIds: [made.experiment_id] });
    t.equal(runs.length, 1);
    const run = runs[0];
    t.equal(run?.info.run_id, made.run_id);
    t.equal(run?.info.status, 'FINISHED');
    t.equal(run?.info.run_name, 'by-python');
    t.same(run?.data.params, { n_estimators: '10' });
    t.same(run?.data.metrics, { accuracy: 0.75 });
    t.same(
      (await store.getMetricHistory(made.run_id, 'accuracy')).map((m) => m.value),
      [0.5, 0.75],
    );
    t.equal((await store.readArtifact(made.run_id, 'docs/notes.txt')).toString(), 'from python');
    const versions = await store.searchModelVersions(name);
    t.same(
      versions.map((v) => [v.version, v.run_id, v.aliases]),
      [['1', made.run_id, ['staging']]],
    );
    t.equal(
      (await store.getModelVersionByAlias(name, 'staging')).source,
      `mlflow-artifacts:/${made.experiment_id}/${made.run_id}/artifacts/docs`,
    );
  });

  t.test(
    'a 500 injected once in front of the real server is retried, and the write lands once',
    async (t) => {
      const proxy = await startFaultProxy(t, server.url);
      const flaky = new MlflowStore(proxy.url, {
        env: {},
        fetch: globalThis.fetch,
        now: Date.now,
        http: { backoffFactorMs: 20, jitterMs: 10 },
      });
      const exp = await flaky.createExperiment(unique('flaky'));
      const run = await flaky.createRun({
        experimentId: exp.experiment_id,
        runName: 'flaky',
        startTime: Date.now(),
        userId: 'u',
      });
      proxy.faults.push({
        status: 500,
        body: '{"error_code":"INTERNAL_ERROR","message":"injected"}',
      });
      await flaky.logBatch(run.run_id, {
        metrics: [{ key: 'm', value: 1, timestamp: 1, step: 0 }],
      });
      t.equal((await store.getMetricHistory(run.run_id, 'm')).length, 1);
      await t.rejects(flaky.getRegisteredModel(unique('unknown-model')), NotFoundError);
    },
  );
}
