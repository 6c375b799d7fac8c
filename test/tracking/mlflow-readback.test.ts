/**
 * The proof that ./mlruns is MLflow's: what LocalStore writes, MLflow's own Python client
 * reads back value for value; what the Python client writes, LocalStore reads.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { LocalStore } from '../../src/tracking/local/index.js';
import { requireMlflow } from '../helpers/python.js';
import { tempDir } from '../helpers/temp.js';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');

const python = requireMlflow(t);

function runPython(script: string, args: string[]): { json: unknown; stderr: string } {
  const result = spawnSync(python as string, [path.join(fixtures, script), ...args], {
    encoding: 'utf8',
    timeout: 120_000,
    env: {
      ...process.env,
      MLFLOW_ALLOW_FILE_STORE: 'true',
      MLFLOW_TRACKING_URI: '',
      MLFLOW_REGISTRY_URI: '',
    },
  });
  if (result.status !== 0)
    throw new Error(
      `${script} failed (${String(result.status ?? result.signal)}): ${result.stderr}`,
    );
  const lines = result.stdout.trim().split('\n');
  return { json: JSON.parse(lines[lines.length - 1] ?? 'null'), stderr: result.stderr };
}

const T0 = 1_700_000_000_000;

if (python !== null) {
  t.test('MLflow reads back everything LocalStore wrote', async (t) => {
    const root = path.join(tempDir(t), 'mlruns');
    const store = new LocalStore(root, { now: () => T0 + 50_000 });
    const experiment = await store.createExperiment('iris-classification', { project: 'workshop' });

    const first = await store.createRun({
      experimentId: experiment.experiment_id,
      runName: 'rf-depth-5',
      startTime: T0,
      userId: 'alice',
      tags: { framework: 'ml-random-forest' },
    });
    await store.logBatch(first.run_id, {
      params: [
        { key: 'max_depth', value: '5' },
        { key: 'n_estimators', value: '100' },
      ],
      metrics: [
        { key: 'accuracy', value: 0.9, timestamp: T0 + 1, step: 0 },
        { key: 'accuracy', value: 0.9666666666666667, timestamp: T0 + 2, step: 1 },
        { key: 'train_time_ms', value: 412, timestamp: T0 + 3, step: 0 },
      ],
      tags: [
        { key: 'dataset', value: 'iris' },
        { key: 'mlflow.source.type', value: 'LOCAL' },
        { key: 'yes', value: 'on' },
      ],
    });
    await store.logInputs(first.run_id, [
      {
        name: 'iris',
        digest: '9cc1c345c71bcc9b486b74cbf6063fa6',
        source_type: 'local',
        source: 'file:///data/iris.csv',
        schema: '{"mlflow_colspec": [{"type": "double", "name": "sepal_length"}]}',
        tags: { 'mlflow.data.context': 'training' },
      },
    ]);
    const local = tempDir(t);
    mkdirSync(path.join(local, 'model'));
    writeFileSync(path.join(local, 'model', 'MLmodel'), 'flavors: {}\n');
    writeFileSync(path.join(local, 'confusion_matrix.json'), '[[10,0,0],[0,10,0],[0,0,10]]');
    await store.logArtifacts(first.run_id, local);
    await store.updateRun(first.run_id, 'FINISHED', T0 + 10);

    const second = await store.createRun({
      experimentId: experiment.experiment_id,
      runName: 'crashed',
      startTime: T0 + 100,
      userId: 'bob',
    });
    await store.logBatch(second.run_id, {
      metrics: [{ key: 'accuracy', value: 0.5, timestamp: T0 + 101, step: 0 }],
    });
    await store.updateRun(second.run_id, 'FAILED', T0 + 110);

    await store.createRegisteredModel('iris_classifier');
    await store.createModelVersion({
      name: 'iris_classifier',
      source: `runs:/${first.run_id}/model`,
      runId: first.run_id,
      tags: { model_digest: 'abc' },
    });
    await store.createModelVersion({
      name: 'iris_classifier',
      source: `runs:/${second.run_id}/model`,
      runId: second.run_id,
    });
    await store.setAlias('iris_classifier', 'staging', '1');
    await store.setAlias('iris_classifier', 'production', '1');
    await store.setAlias('iris_classifier', 'production', '2');

    const { json, stderr } = runPython('mlflow_read.py', [
      root,
      'iris-classification',
      'iris_classifier',
      'production',
    ]);
    t.notMatch(
      stderr,
      /Malformed|Traceback|Failed to find dataset|invalid state/i,
      'MLflow reports nothing malformed while reading',
    );
    t.strictSame(json, {
      experiments: ['Default', 'iris-classification'],
      experiment: {
        id: experiment.experiment_id,
        name: 'iris-classification',
        lifecycle_stage: 'active',
        tags: { project: 'workshop' },
      },
      runs: [
        {
          run_id: first.run_id,
          run_name: 'rf-depth-5',
          status: 'FINISHED',
          start_time: T0,
          end_time: T0 + 10,
          user_id: 'alice',
          params: { max_depth: '5', n_estimators: '100' },
          metrics: { accuracy: 0.9666666666666667, train_time_ms: 412 },
          tags: {
            framework: 'ml-random-forest',
            dataset: 'iris',
            'mlflow.source.type': 'LOCAL',
            'mlflow.runName': 'rf-depth-5',
            yes: 'on',
          },
          history: {
            accuracy: [
              [T0 + 1, 0.9, 0],
              [T0 + 2, 0.9666666666666667, 1],
            ],
            train_time_ms: [[T0 + 3, 412, 0]],
          },
          inputs: [
            {
              name: 'iris',
              digest: '9cc1c345c71bcc9b486b74cbf6063fa6',
              source_type: 'local',
              source: 'file:///data/iris.csv',
              schema: '{"mlflow_colspec": [{"type": "double", "name": "sepal_length"}]}',
              tags: { 'mlflow.data.context': 'training' },
            },
          ],
          artifacts: [
            ['confusion_matrix.json', false],
            ['model', true],
          ],
        },
        {
          run_id: second.run_id,
          run_name: 'crashed',
          status: 'FAILED',
          start_time: T0 + 100,
          end_time: T0 + 110,
          user_id: 'bob',
          params: {},
          metrics: { accuracy: 0.5 },
          tags: { 'mlflow.runName': 'crashed' },
          history: { accuracy: [[T0 + 101, 0.5, 0]] },
          inputs: [],
          artifacts: [],
        },
      ],
      models: [
        {
          name: 'iris_classifier',
          aliases: { production: '2', staging: '1' },
          versions: [
            {
              version: '1',
              run_id: first.run_id,
              source: `runs:/${first.run_id}/model`,
              status: 'READY',
              aliases: ['staging'],
              tags: { model_digest: 'abc' },
            },
            {
              version: '2',
              run_id: second.run_id,
              source: `runs:/${second.run_id}/model`,
              status: 'READY',
              aliases: ['production'],
              tags: {},
            },
          ],
        },
      ],
      by_alias: { version: '2', run_id: second.run_id },
      latest: '2',
    });
  });

  t.test('LocalStore reads what MLflow wrote, and adds to it', async (t) => {
    const root = path.join(tempDir(t), 'mlruns');
    const { json } = runPython('mlflow_write.py', [root]);
    const written = json as { experiment_id: string; run_id: string; version: string };
    const store = new LocalStore(root, { now: () => T0 + 90_000 });

    const experiment = await store.getExperimentByName('from-python');
    t.equal(experiment?.experiment_id, written.experiment_id);
    t.same(experiment?.tags, { origin: 'mlflow' });
    t.ok(
      (await store.getExperimentByName('Default')) !== null,
      'MLflow made the default experiment',
    );

    const runs = await store.searchRuns({ experimentIds: [written.experiment_id] });
    t.equal(runs.length, 1);
    const run = await store.getRun(written.run_id);
    t.same(run.info, {
      ...run.info,
      run_id: written.run_id,
      run_name: 'python-run',
      status: 'FINISHED',
      end_time: 1_700_000_001_000,
      lifecycle_stage: 'active',
    });
    t.same(run.data.params, { max_depth: '4', criterion: 'gini' });
    t.same(run.data.metrics, { accuracy: 0.9, loss: 1 });
    t.same(run.data.tags, {
      ...run.data.tags,
      team: 'py',
      dataset: 'iris',
      'mlflow.runName': 'python-run',
    });
    t.same(run.inputs, [
      {
        name: 'iris',
        digest: 'abcdef12',
        source_type: 'local',
        source: '/data/iris.csv',
        schema: '{"cols": 5}',
        tags: { 'mlflow.data.context': 'training' },
      },
    ]);
    t.same(
      (await store.getMetricHistory(written.run_id, 'accuracy')).map((m) => [m.value, m.step]),
      [
        [0.8, 0],
        [0.9, 1],
      ],
    );
    t.same(
      (await store.listArtifacts(written.run_id, 'model')).map((a) => a.path),
      ['model/MLmodel'],
    );
    t.equal(
      (await store.readArtifact(written.run_id, 'model/MLmodel')).toString('utf8'),
      'flavors: {}\n',
    );
    t.equal(
      (
        await store.searchRuns({
          experimentIds: [written.experiment_id],
          filter: "params.criterion = 'gini' and metrics.accuracy > 0.85",
        })
      ).length,
      1,
    );

    const model = await store.getRegisteredModel('py_model');
    t.same(model.aliases, { champion: written.version });
    const version = await store.getModelVersionByAlias('py_model', 'champion');
    t.equal(version.version, '1');
    t.equal(version.run_id, written.run_id);
    t.equal(version.status, 'READY');
    t.same(version.tags, { k: 'v' });
    t.same(version.aliases, ['champion']);

    // irisops continues the numbering MLflow started, and MLflow sees the result.
    const v2 = await store.createModelVersion({
      name: 'py_model',
      source: `runs:/${written.run_id}/model`,
      runId: written.run_id,
    });
    t.equal(v2.version, '2');
    await store.setAlias('py_model', 'champion', '2');
    const reread = runPython('mlflow_read.py', [root, 'from-python', 'py_model', 'champion'])
      .json as {
      by_alias: { version: string };
      models: { name: string; versions: { version: string }[] }[];
    };
    t.equal(reread.by_alias.version, '2');
    t.same(
      reread.models.find((m) => m.name === 'py_model')?.versions.map((v) => v.version),
      ['1', '2'],
    );
  });
}

if (python !== null) {
  t.test('mlflow migrate-filestore imports what LocalStore wrote, without loss', async (t) => {
    // (the logged model, its metric and the run -> model link are MLflow 3's log_model records)
    const dir = tempDir(t);
    const root = path.join(dir, 'mlruns');
    const store = new LocalStore(root, { now: () => T0 });
    const experiment = await store.createExperiment('iris-classification');
    const run = await store.createRun({
      experimentId: experiment.experiment_id,
      runName: 'r',
      startTime: T0,
      userId: 'u',
    });
    const model = await store.createLoggedModel({
      experimentId: experiment.experiment_id,
      name: 'model',
      sourceRunId: run.run_id,
      params: { max_depth: '5' },
    });
    await store.logOutputs(run.run_id, [{ model_id: model.model_id, step: 0 }]);
    await store.logBatch(run.run_id, {
      params: [{ key: 'max_depth', value: '5' }],
      metrics: [{ key: 'accuracy', value: 0.95, timestamp: T0, step: 0, model_id: model.model_id }],
      tags: [{ key: 'dataset', value: 'iris' }],
    });
    await store.finalizeLoggedModel(model.model_id, 'READY');
    await store.logInputs(run.run_id, [
      { name: 'iris', digest: 'abc', source_type: 'local', source: '/d.csv' },
    ]);
    await store.updateRun(run.run_id, 'FINISHED', T0 + 1);
    await store.createRegisteredModel('iris_classifier');
    await store.createModelVersion({
      name: 'iris_classifier',
      source: `runs:/${run.run_id}/model`,
      runId: run.run_id,
    });
    await store.setAlias('iris_classifier', 'production', '1');

    const db = path.join(dir, 'mlflow.db');
    const migrate = spawnSync(
      python as string,
      ['-m', 'mlflow', 'migrate-filestore', '--source', root, '--target', `sqlite:///${db}`],
      {
        encoding: 'utf8',
        timeout: 180_000,
        env: { ...process.env, MLFLOW_ALLOW_FILE_STORE: 'true' },
      },
    );
    t.equal(migrate.status, 0, migrate.stderr.slice(-500));
    const query = spawnSync(
      python as string,
      [
        '-c',
        `import json, sqlite3, sys
c = sqlite3.connect(sys.argv[1])
q = lambda s: [list(r) for r in c.execute(s).fetchall()]
print(json.dumps({
  "experiments": q("select name from experiments order by name"),
  "runs": q("select run_uuid, name, status from runs"),
  "params": q("select key, value from params"),
  "metrics": q("select key, value, step from metrics"),
  "datasets": q("select name, digest from datasets"),
  "versions": q("select name, version, run_id from model_versions"),
  "aliases": q("select alias, version from registered_model_aliases"),
  "logged_models": q("select model_id, name, status, source_run_id from logged_models"),
  "model_params": q("select param_key, param_value from logged_model_params"),
  "model_metrics": q("select metric_name, metric_value, run_id from logged_model_metrics"),
  "outputs": q("select source_id, destination_id, step from inputs where destination_type = 'MODEL_OUTPUT'"),
}))`,
        db,
      ],
      { encoding: 'utf8', timeout: 60_000 },
    );
    t.strictSame(JSON.parse(query.stdout), {
      experiments: [['Default'], ['iris-classification']],
      runs: [[run.run_id, 'r', 'FINISHED']],
      params: [['max_depth', '5']],
      metrics: [['accuracy', 0.95, 0]],
      datasets: [['iris', 'abc']],
      versions: [['iris_classifier', 1, run.run_id]],
      aliases: [['production', 1]],
      logged_models: [[model.model_id, 'model', 2, run.run_id]],
      model_params: [['max_depth', '5']],
      model_metrics: [['accuracy', 0.95, run.run_id]],
      outputs: [[run.run_id, model.model_id, 0]],
    });
  });
}
