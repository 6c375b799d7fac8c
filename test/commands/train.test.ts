import t from 'tap';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp.js';
import { validatorFor } from '../../src/schemas/index.js';

t.test('train logs a run, registers v1 then v2, and --json is schema-valid', async (t) => {
  const dir = tempDir(t);
  const first = await runCli(['train', '--max-depth', '5', '--json'], { cwd: dir });
  t.equal(first.code, 0, first.stderr);
  const r1 = JSON.parse(first.stdout) as {
    run_id: string;
    registered_model: { version: string };
    metrics: Record<string, number>;
    status: string;
  };
  const validate = validatorFor('train-result');
  t.ok(validate(r1), JSON.stringify(validate.errors));
  t.equal(r1.status, 'FINISHED');
  t.equal(r1.registered_model.version, '1');
  t.ok((r1.metrics.accuracy ?? 0) >= 0.93);
  t.ok(existsSync(path.join(dir, 'mlruns')), 'the default store is ./mlruns');

  const second = await runCli(['train', '--n-estimators', '50'], { cwd: dir });
  t.equal(second.code, 0, second.stderr);
  t.match(second.stdout, /registered iris_classifier version 2/);
  t.match(
    second.stderr,
    /irisops registry promote iris_classifier 2 --alias production/,
    'prints the next commands',
  );
  t.match(second.stderr, /✔ fit forest: 50 trees/, 'plain step lines when not on a TTY');
});

t.test('--cv logs cross-validation metrics and --no-register registers nothing', async (t) => {
  const dir = tempDir(t);
  const r = await runCli(['train', '--cv', '5', '--no-register', '--json'], { cwd: dir });
  t.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout) as {
    registered_model: null;
    metrics: Record<string, number>;
    params: Record<string, string>;
  };
  t.equal(out.registered_model, null);
  t.ok((out.metrics.cv_accuracy_mean ?? 0) >= 0.94, `cv ${out.metrics.cv_accuracy_mean}`);
  t.type(out.metrics.cv_accuracy_std, 'number');
  t.equal(out.params.cv_folds, '5');
  t.notOk(existsSync(path.join(dir, 'mlruns', 'models')), 'no registry written');
});

t.test('bad data fails with the line number and leaves the store as it was', async (t) => {
  const dir = tempDir(t);
  writeFileSync(
    path.join(dir, 'bad.csv'),
    'sepal_length,sepal_width,petal_length,petal_width,species\n5.1,x,1.4,0.2,setosa\n',
  );
  const r = await runCli(['train', '--data', 'bad.csv'], { cwd: dir });
  t.equal(r.code, 1);
  t.match(r.stderr, /bad\.csv:2: sepal_width is "x", not a number/);
  t.equal(r.stderr.split('\n').filter((l) => l.startsWith('error:')).length, 1, 'one error line');
  t.notOk(existsSync(path.join(dir, 'mlruns')), 'nothing written');

  const missing = await runCli(['train', '--data', 'nope.csv'], { cwd: dir });
  t.equal(missing.code, 1);
  t.match(missing.stderr, /data file not found/);
});

t.test('a test size that leaves a class without test rows is refused', async (t) => {
  const dir = tempDir(t);
  const r = await runCli(['train', '--test-size', '0.999'], { cwd: dir });
  t.equal(r.code, 1);
  t.match(r.stderr, /no training row|no test row/);
  t.notOk(existsSync(path.join(dir, 'mlruns')));
});

t.test('the run is readable where MLflow expects it', async (t) => {
  const dir = tempDir(t);
  const r = await runCli(['train', '--json', '--n-estimators', '10'], { cwd: dir });
  const out = JSON.parse(r.stdout) as { run_id: string; experiment_id: string };
  const runDir = path.join(dir, 'mlruns', out.experiment_id, out.run_id);
  t.ok(existsSync(path.join(runDir, 'meta.yaml')));
  t.same(readdirSync(path.join(runDir, 'artifacts')).sort(), [
    'classification_report.txt',
    'confusion_matrix.json',
    'confusion_matrix.svg',
    'model',
  ]);
  t.match(
    readFileSync(path.join(runDir, 'artifacts', 'model', 'MLmodel'), 'utf8'),
    /flavors:\n  irisops:/,
  );
  t.equal(
    readFileSync(path.join(runDir, 'metrics', 'accuracy'), 'utf8')
      .trim()
      .split(' ').length,
    3,
    '"<timestamp> <value> <step>"',
  );
});
