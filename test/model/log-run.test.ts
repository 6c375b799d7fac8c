/**
 * What MLflow 3's UI needs of a train, with MLflow's own client as the referee, on a local
 * folder and on a real `mlflow server`: the new experiment is of kind
 * custom_model_development, and the model is a logged model of the run (its output, READY,
 * with the run's params and metrics and its own copy of the model files).
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import t, { type Test } from 'tap';
import { LocalStore } from '../../src/tracking/local/index.js';
import type { TrackingStore } from '../../src/tracking/store.js';
import { EXPERIMENT_KIND_CUSTOM_MODEL, MLFLOW_EXPERIMENT_KIND } from '../../src/tracking/tags.js';
import { dumpDom, hasChromium } from '../helpers/chromium.js';
import { runCli } from '../helpers/cli.js';
import { tempDir, trainInto } from '../helpers/fixtures.js';
import { startMlflowServer } from '../helpers/mlflow-server.js';
import { requireMlflow } from '../helpers/python.js';

const script = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
  'tracking',
  'fixtures',
  'mlflow3_read.py',
);

interface Seen {
  experiment_tags: Record<string, string>;
  outputs: [string, number][];
  run_metrics: Record<string, number>;
  log_model_history: string | null;
  models: {
    model_id: string;
    name: string;
    source_run_id: string;
    status: string;
    params: Record<string, string>;
    tags: Record<string, string>;
    metrics: [string, number, string][];
    files: string[];
    mlmodel_model_id: string;
    mlmodel_run_id: string;
  }[];
}

function readWithMlflow(python: string, uri: string, runId: string): Seen {
  const result = spawnSync(python, [script, uri, runId], {
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, MLFLOW_TRACKING_URI: '', PYTHONWARNINGS: 'ignore' },
  });
  if (result.status !== 0) throw new Error(`mlflow3_read.py failed: ${result.stderr}`);
  const lines = result.stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1] ?? 'null') as Seen;
}

interface Trained {
  run_id: string;
  run_name: string;
  experiment_id: string;
  params: Record<string, string>;
  metrics: Record<string, number>;
}

async function trainWithCli(t: Test, trackingUri: string): Promise<Trained> {
  const result = await runCli(['train', '--json', '--n-estimators', '10'], {
    cwd: tempDir(t),
    env: { MLFLOW_TRACKING_URI: trackingUri },
    timeoutMs: 120_000,
  });
  t.equal(result.code, 0, result.stderr);
  return JSON.parse(result.stdout) as Trained;
}

function checkSeen(t: Test, seen: Seen, trained: Trained): void {
  t.equal(seen.experiment_tags[MLFLOW_EXPERIMENT_KIND], EXPERIMENT_KIND_CUSTOM_MODEL);
  t.equal(seen.models.length, 1, 'search_logged_models finds the model by its source run');
  const model = seen.models[0];
  if (model === undefined) return;
  t.same(seen.outputs, [[model.model_id, 0]], "the model is the run's output at step 0");
  t.equal(model.source_run_id, trained.run_id);
  t.equal(model.status, 'READY');
  t.equal(model.name, 'model');
  t.same(model.params, trained.params, "the run's params");
  t.same(
    model.metrics,
    Object.entries(trained.metrics)
      .map(([key, value]) => [key, value, trained.run_id])
      .sort(),
    "the run's metrics, logged by the run",
  );
  t.equal(model.tags['mlflow.source.name'], 'irisops train');
  t.ok(model.files.includes('model.json') && model.files.includes('MLmodel'), 'its own files');
  t.equal(model.mlmodel_model_id, model.model_id, 'get_model_info(models:/<id>) reads MLmodel');
  t.equal(model.mlmodel_run_id, trained.run_id);
  // MLflow 3's log_model writes no log-model history tag (only the legacy Model._log_v2 does)
  t.equal(seen.log_model_history, null);
}

const python = requireMlflow(t);

if (python !== null) {
  t.test('irisops train into a folder: MLflow 3 sees the kind and the logged model', async (t) => {
    const root = path.join(tempDir(t), 'mlruns');
    const trained = await trainWithCli(t, root);
    checkSeen(t, readWithMlflow(python, pathToFileURL(root).href, trained.run_id), trained);
    const store = new LocalStore(root, { now: Date.now });
    const run = await store.getRun(trained.run_id);
    const model = await store.getLoggedModel(run.outputs[0]?.model_id ?? '');
    const modelDir = path.join(root, run.info.experiment_id, 'models', model.model_id);
    t.equal(
      readFileSync(path.join(modelDir, 'artifacts', 'model.json'), 'utf8'),
      (await store.readArtifact(trained.run_id, 'model/model.json')).toString('utf8'),
      "the model's copy has the bytes the run's digest names",
    );
  });

  t.test('irisops train on a real mlflow server: the same, over REST', async (t) => {
    const server = await startMlflowServer(t, python);
    const trained = await trainWithCli(t, server.url);
    checkSeen(t, readWithMlflow(python, server.url, trained.run_id), trained);
    if (!hasChromium()) return;
    // MLflow 3.17's UI picks its view from its own GenAI / Model training switch; the
    // query parameter is that switch
    const experiment = `${server.url}/#/experiments/${trained.experiment_id}`;
    const ml = '?workflowType=machine_learning';
    t.match(dumpDom(`${experiment}${ml}`), trained.run_name, 'the runs view lists the run');
    t.match(
      dumpDom(`${experiment}/runs/${trained.run_id}${ml}`),
      /Logged models \(1\)/,
      "the run's page lists its logged model",
    );
    t.match(
      dumpDom(`${experiment}/models${ml}`),
      trained.run_name,
      'the Models tab lists the model with its source run',
    );
  });
}

t.test('an existing experiment keeps the tags it has: MLflow never sets the kind', async (t) => {
  const store = new LocalStore(path.join(tempDir(t), 'mlruns'), { now: Date.now });
  await store.createExperiment('iris-classification', { team: 'ml' });
  await trainInto(store, { register: false });
  const experiment = await store.getExperimentByName('iris-classification');
  t.same(experiment?.tags, { team: 'ml' });
});

t.test('a model upload that fails marks the logged model and the run FAILED', async (t) => {
  const local = new LocalStore(path.join(tempDir(t), 'mlruns'), { now: Date.now });
  const failing: TrackingStore = Object.create(local) as TrackingStore;
  failing.logLoggedModelArtifacts = () => Promise.reject(new Error('disk gone'));
  const error = await trainInto(failing, { register: false }).then(
    () => null,
    (e: unknown) => e as Error,
  );
  t.match(
    error?.message,
    /marked FAILED: disk gone \(recorded: run, params, dataset input, logged model\)/,
  );
  const experiment = await local.getExperimentByName('iris-classification');
  const [run] = await local.searchRuns({ experimentIds: [experiment?.experiment_id ?? ''] });
  t.equal(run?.info.status, 'FAILED');
  t.equal(run?.outputs.length, 0, 'never linked as an output');
  const modelsDir = path.join(local.displayUri, experiment?.experiment_id ?? '', 'models');
  const [modelId] = readdirSync(modelsDir);
  t.equal((await local.getLoggedModel(modelId ?? '')).status, 'FAILED');
});
