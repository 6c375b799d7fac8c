import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import YAML from 'yaml';
import { parseSimpleMeta } from '../../src/tracking/local/meta-yaml.js';
import { requireMlflow } from '../helpers/python.js';
import { tempDir } from '../helpers/temp.js';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
const full = (text: string): unknown => YAML.parse(text, { version: '1.1' }) as unknown;

t.test('the fast reader gives what YAML 1.1 gives, or leaves the text to it', async (t) => {
  const scalars = [
    // strings it must keep as strings
    'lucky-iris-769',
    '/tmp/mlruns/1/0003f852a9245aa197d852e7ad421124/artifacts',
    'file:///tmp/mlruns',
    'mlflow-artifacts:/1/abc',
    '0003f852a9245aa197d852e7ad421124',
    "'273012543696942947'",
    "'it''s'",
    "''",
    "'yes'",
    'N/A',
    'RUN_OUTPUT',
    // what YAML 1.1 does not read as a string: bools, nulls, numbers, dates, hex, octal
    'yes',
    'No',
    'ON',
    'off',
    'y',
    'null',
    '~',
    'Null',
    '0',
    '-12',
    '1796614061191',
    '12345678901234567890',
    '0x1F',
    '0b101',
    '0777',
    '1_000',
    '1e5',
    '123e4567',
    '1.5',
    '.inf',
    '.NaN',
    '190:20:30',
    '2024-01-01',
    '2024-01-01 10:00:00',
    '00000000000000000000000000000123',
    // YAML syntax it leaves alone
    '"double"',
    "'open",
    "'a'b'",
    '[a, b]',
    '{a: 1}',
    '&anchor x',
    '*alias',
    '!tag x',
    'a #comment',
    'a: b',
    '|',
    '>',
    '- x',
    '[]',
    '{}',
  ];
  for (const scalar of scalars) {
    const text = `key: ${scalar}\n`;
    const fast = parseSimpleMeta(text);
    if (fast !== null) t.same(fast, full(text), `key: ${scalar}`);
  }
  t.same(parseSimpleMeta('run_name: lucky-iris-769\n'), { run_name: 'lucky-iris-769' });
  t.same(parseSimpleMeta("experiment_id: '1'\n"), { experiment_id: '1' }, 'it answers');
  t.equal(parseSimpleMeta('key: yes\n'), null, 'a YAML 1.1 bool goes to the full parser');
  t.equal(parseSimpleMeta('a: 1\na: 2\n'), null, 'a duplicate key goes to the full parser');
  t.equal(parseSimpleMeta('a: 1'), null, 'no final newline: not a file PyYAML wrote');
  t.equal(parseSimpleMeta('key:\n'), null);
  t.equal(parseSimpleMeta(''), null, 'an empty file is no mapping: the full parser says so');
  t.equal(parseSimpleMeta('\n'), null);
  const nested = 'source_type: DATASET\ntags:\n  mlflow.data.context: training\nz: 1\n';
  t.same(parseSimpleMeta(nested), full(nested), 'one level of nested mapping');
  const folded = "name: 'a long\n  one'\n";
  t.equal(parseSimpleMeta(folded), null, "PyYAML's folded long string goes to the full parser");
  t.equal(parseSimpleMeta('a:\n  - x\n'), null, 'a block list goes to the full parser');
});

/** Every meta.yaml below dir. */
function metaFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name === 'meta.yaml')
    .map((e) => path.join(e.parentPath, e.name));
}

const python = requireMlflow(t);
if (python !== null) {
  t.test('every meta.yaml the real MLflow writes reads as YAML 1.1 reads it', async (t) => {
    const root = path.join(tempDir(t), 'mlruns');
    const env = { ...process.env, MLFLOW_ALLOW_FILE_STORE: 'true', MLFLOW_TRACKING_URI: '' };
    const write = spawnSync(python, [path.join(fixtures, 'mlflow_write.py'), root], {
      encoding: 'utf8',
      timeout: 120_000,
      env: { ...env, MLFLOW_REGISTRY_URI: '' },
    });
    t.equal(write.status, 0, write.stderr);
    const more = [
      'import mlflow',
      `c = mlflow.MlflowClient(${JSON.stringify(root)})`,
      'e = c.create_experiment("yes")',
      // PyYAML folds a long string with spaces over lines; a bare "on" must come back quoted
      'r = c.create_run(e, run_name="a run name long enough for PyYAML to fold it " * 3)',
      'c.create_run(e, run_name="on")',
      'c.log_metric(r.info.run_id, "accuracy", 0.5)',
      'c.set_terminated(r.info.run_id, "KILLED")',
      'c.delete_run(r.info.run_id)',
    ].join('\n');
    const extra = spawnSync(python, ['-c', more], { encoding: 'utf8', timeout: 120_000, env });
    t.equal(extra.status, 0, extra.stderr);
    const files = metaFiles(root);
    let answered = 0;
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      const fast = parseSimpleMeta(text);
      if (fast === null) continue;
      answered++;
      t.same(fast, full(text), path.relative(root, file));
    }
    t.ok(files.length >= 8, `${files.length} files`);
    t.ok(answered >= files.length / 2, `the fast reader answered ${answered} of ${files.length}`);
  });
}
