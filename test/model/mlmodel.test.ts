/**
 * MLmodel as MLflow reads it: the venv's MLflow loads irisops' model folder with
 * Model.load and get_model_info("models:/…"), and every field comes back with MLflow's own
 * type (utc_time_created a str, as mlflow.models.Model writes it) and irisops' value.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { parse } from 'yaml';
import { bundledDataPath, CLASSES, FEATURES, loadDataset } from '../../src/data/dataset.js';
import { writeModelDir } from '../../src/model/artifact.js';
import { exportForest, fitForest } from '../../src/model/forest.js';
import { LocalStore } from '../../src/tracking/local/index.js';
import { requireMlflow } from '../helpers/python.js';
import { tempDir, trainInto } from '../helpers/fixtures.js';

const script = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  'fixtures',
  'mlmodel_read.py',
);
const python = requireMlflow(t);

interface Typed {
  type: string;
  value: unknown;
}
type Fields = Record<string, Typed>;

function readWithMlflow(
  root: string,
  modelDir: string,
  uri: string,
): { load: Fields; info: Fields; yaml: Fields } {
  const result = spawnSync(python as string, [script, root, modelDir, uri], {
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, MLFLOW_ALLOW_FILE_STORE: 'true', MLFLOW_TRACKING_URI: '' },
  });
  if (result.status !== 0) throw new Error(`mlmodel_read.py failed: ${result.stderr}`);
  const lines = result.stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1] ?? 'null') as {
    load: Fields;
    info: Fields;
    yaml: Fields;
  };
}

if (python !== null) {
  t.test('Model.load and get_model_info read what irisops wrote, with its types', async (t) => {
    const root = path.join(tempDir(t), 'mlruns');
    const store = new LocalStore(root, { now: () => Date.now() });
    const { result } = await trainInto(store);
    const modelDir = path.join(root, result.experiment_id, result.run_id, 'artifacts', 'model');
    const written = parse(readFileSync(path.join(modelDir, 'MLmodel'), 'utf8')) as {
      utc_time_created: string;
      model_uuid: string;
    };
    const read = readWithMlflow(root, modelDir, 'models:/iris_classifier/1');
    // PyYAML itself, before Model's str(): a plain timestamp would come back a datetime
    t.same(read.yaml.utc_time_created, { type: 'str', value: written.utc_time_created });
    for (const key of ['run_id', 'model_uuid', 'artifact_path'])
      t.equal(read.yaml[key]?.type, 'str', `PyYAML reads ${key} as str`);
    for (const reader of ['load', 'info'] as const) {
      const f = read[reader];
      t.same(f.utc_time_created, { type: 'str', value: written.utc_time_created }, reader);
      t.match(written.utc_time_created, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}$/);
      t.same(f.run_id, { type: 'str', value: result.run_id }, reader);
      t.same(f.model_uuid, { type: 'str', value: written.model_uuid }, reader);
      t.same(f.artifact_path, { type: 'str', value: 'model' }, reader);
      const flavor = (f.flavors?.value as Record<string, Typed>).irisops?.value as Record<
        string,
        Typed
      >;
      t.same(flavor.format_version, { type: 'int', value: 1 }, reader);
      t.same(flavor.model_digest, { type: 'str', value: result.model_digest }, reader);
      t.same(flavor.model_file, { type: 'str', value: 'model.json' }, reader);
      t.same(
        flavor.class_labels?.value,
        CLASSES.map((c) => ({ type: 'str', value: c })),
        reader,
      );
      t.equal(f.signature_inputs?.type, 'list', `${reader}: the signature parsed`);
    }
  });

  t.test('strings that look like numbers stay strings', async (t) => {
    const ds = await loadDataset(bundledDataPath);
    const params = { n_estimators: 2, max_depth: 2, max_features: 1, random_state: 1 };
    const model = exportForest(fitForest(ds.x, ds.y, params), params, FEATURES, CLASSES);
    const dir = path.join(tempDir(t), 'model');
    const runId = '12345678901234567890123456789012';
    writeModelDir(dir, model, { runId, irisopsVersion: '1.0', now: Date.UTC(2026, 0, 2, 3, 4, 5) });
    // get_model_info needs a registry: only Model.load is asked here (the same folder twice)
    const read = readWithMlflow(path.dirname(dir), dir, dir);
    t.same(read.yaml.run_id, { type: 'str', value: runId });
    t.same(read.yaml.utc_time_created, { type: 'str', value: '2026-01-02 03:04:05.000000' });
    t.same(read.load.run_id, { type: 'str', value: runId });
    t.same(read.load.utc_time_created, { type: 'str', value: '2026-01-02 03:04:05.000000' });
    const flavor = (read.load.flavors?.value as Record<string, Typed>).irisops?.value as Record<
      string,
      Typed
    >;
    t.same(flavor.irisops_version, { type: 'str', value: '1.0' });
  });
}
