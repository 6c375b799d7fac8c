import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import t from 'tap';
import { validatorFor } from '../../src/schemas/index.js';
import { LocalStore } from '../../src/tracking/local/index.js';
import { MlflowStore } from '../../src/tracking/mlflow.js';
import { pushRuns } from '../../src/tracking/sync.js';
import { SOURCE_RUN_TAG } from '../../src/tracking/tags.js';
import { mlflowPythonOrSkip, runPythonJson, startMlflowServer } from '../helpers/mlflow-server.js';

const found = mlflowPythonOrSkip();
if ('skip' in found) {
  t.test('push to a real mlflow server', { skip: found.skip }, () => {});
} else {
  const server = await startMlflowServer(t, found.python);
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'irisops-push-'));
  t.teardown(() => rmSync(tmp, { recursive: true, force: true }));

  t.test(
    'push copies runs, histories, inputs, artifacts, versions and aliases once; a second push copies nothing',
    async (t) => {
      const local = new LocalStore(path.join(tmp, 'mlruns'), { now: Date.now });
      const exp = await local.createExperiment('offline-class');
      const ids: string[] = [];
      for (let i = 0; i < 2; i += 1) {
        const run = await local.createRun({
          experimentId: exp.experiment_id,
          runName: `run-${i}`,
          startTime: 1_700_000_000_000 + i,
          userId: 'student',
          tags: { framework: 'ml-random-forest' },
        });
        await local.logBatch(run.run_id, {
          params: [{ key: 'max_depth', value: String(3 + i) }],
          metrics: [
            { key: 'accuracy', value: 0.8, timestamp: 1_700_000_000_100, step: 0 },
            { key: 'accuracy', value: 0.9 + i / 100, timestamp: 1_700_000_000_200, step: 1 },
          ],
        });
        await local.logInputs(run.run_id, [
          {
            name: 'iris',
            digest: 'abcd1234',
            source_type: 'local',
            source: '{"uri":"data/iris.csv"}',
            tags: { 'mlflow.data.context': 'training' },
          },
        ]);
        const model = path.join(tmp, `model-${i}`);
        mkdirSync(path.join(model, 'nested'), { recursive: true });
        writeFileSync(path.join(model, 'MLmodel'), `run: ${i}\n`);
        writeFileSync(path.join(model, 'nested', 'model.json'), '{"trees":[]}');
        await local.logArtifacts(run.run_id, model, 'model');
        await local.updateRun(run.run_id, 'FINISHED', 1_700_000_001_000 + i);
        ids.push(run.run_id);
      }
      await local.createRegisteredModel('iris_classifier');
      for (const id of ids)
        await local.createModelVersion({
          name: 'iris_classifier',
          source: `runs:/${id}/model`,
          runId: id,
        });
      await local.setAlias('iris_classifier', 'production', '2');

      const remote = new MlflowStore(server.url, {
        env: {},
        fetch: globalThis.fetch,
        now: Date.now,
      });
      // A version already on the server shifts numbers: mapping must follow tags, not numbers.
      await remote.createRegisteredModel('iris_classifier');
      const otherExp = await remote.createExperiment('online-class');
      const other = await remote.createRun({
        experimentId: otherExp.experiment_id,
        runName: 'online',
        startTime: Date.now(),
        userId: 'u',
      });
      await remote.createModelVersion({
        name: 'iris_classifier',
        source: `runs:/${other.run_id}/model`,
        runId: other.run_id,
      });

      const first = await pushRuns(local, remote, { experiments: ['offline-class'], tmpDir: tmp });
      t.ok(
        validatorFor('push-result')(first),
        'the --json document matches schemas/push-result.schema.json',
      );
      t.equal(first.runs.copied.length, 2);
      t.same(
        first.versions.copied.map((v) => [v.source_version, v.target_version]),
        [
          ['1', '2'],
          ['2', '3'],
        ],
      );
      t.same(first.aliases, [{ name: 'iris_classifier', alias: 'production', version: '3' }]);

      const second = await pushRuns(local, remote, { experiments: ['offline-class'], tmpDir: tmp });
      t.same(second.runs.copied, [], 'second push copies no run');
      t.equal(second.runs.skipped.length, 2);
      t.same(second.versions.copied, [], 'nor any version');
      t.same(second.aliases, [], 'nor moves any alias');

      const target = await remote.getExperimentByName('offline-class');
      const copies = await remote.searchRuns({ experimentIds: [target?.experiment_id ?? ''] });
      t.equal(copies.length, 2, 'exactly one copy per run');
      const copyOf = (id: string) => copies.find((r) => r.data.tags[SOURCE_RUN_TAG] === id);
      const copy = copyOf(ids[1] as string);
      t.equal(copy?.info.run_name, 'run-1');
      t.equal(copy?.info.status, 'FINISHED');
      t.equal(copy?.info.start_time, 1_700_000_000_001);
      t.equal(copy?.info.end_time, 1_700_000_001_001);
      t.same(copy?.data.params, { max_depth: '4' });
      t.equal(copy?.data.tags.framework, 'ml-random-forest');
      t.same(
        (await remote.getMetricHistory(copy?.info.run_id ?? '', 'accuracy')).map((m) => [
          m.step,
          m.value,
        ]),
        [
          [0, 0.8],
          [1, 0.91],
        ],
      );
      t.same(
        copy?.inputs.map((i) => [i.name, i.digest]),
        [['iris', 'abcd1234']],
      );

      const seen = runPythonJson(
        found.python,
        server.url,
        `
import json, tempfile
from mlflow import MlflowClient
c = MlflowClient()
mv = c.get_model_version_by_alias("iris_classifier", "production")
p = c.download_artifacts(mv.run_id, "model/nested/model.json", tempfile.mkdtemp())
r = c.get_run(mv.run_id)
print(json.dumps({"version": mv.version, "source": mv.source, "run_id": mv.run_id, "file": open(p).read(), "origin": r.data.tags.get("${SOURCE_RUN_TAG}")}))
`,
      ) as { version: string; source: string; run_id: string; file: string; origin: string };
      t.equal(seen.version, '3');
      t.equal(seen.run_id, copy?.info.run_id);
      t.equal(seen.source, `runs:/${copy?.info.run_id ?? ''}/model`);
      t.equal(seen.file, '{"trees":[]}');
      t.equal(seen.origin, ids[1]);
    },
  );
}
