/** irisops tune as a person or a script runs it: the built CLI, a temp folder, a local store. */
import t from 'tap';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp.js';
import { validatorFor } from '../../src/schemas/index.js';
import type { RunDetail, RunsList, TuneResult } from '../../src/schemas/types.js';

const SMALL = ['--n-estimators', '3,6', '--max-depth', '2:3', '--cv', '3', '--parallel', '2'];

t.test('--json: one schema-valid document; runs ls and runs show group the sweep', async (t) => {
  const dir = tempDir(t);
  const r = await runCli(['tune', ...SMALL, '--json'], { cwd: dir, timeoutMs: 180_000 });
  t.equal(r.code, 0, r.stderr);
  const result = JSON.parse(r.stdout) as TuneResult;
  const validate = validatorFor('tune-result');
  t.ok(validate(result), JSON.stringify(validate.errors));
  t.equal(result.trials.length, 4);
  t.equal(r.stderr, '', 'no progress with --json');
  t.same(result.registered_model, { name: 'iris_classifier', version: '1' });

  const table = await runCli(['runs', 'ls'], { cwd: dir });
  t.equal(table.code, 0, table.stderr);
  const lines = table.stdout.split('\n');
  const parentLine = lines.findIndex((l) => l.startsWith(result.parent_run_id.slice(0, 8)));
  t.ok(parentLine > 0, 'the parent is listed');
  t.match(
    lines.slice(parentLine + 1, parentLine + 6).join('\n'),
    /└/,
    'children indented under it',
  );

  const only = await runCli(['runs', 'ls', '--parent', result.parent_run_id, '--json'], {
    cwd: dir,
  });
  t.equal(only.code, 0, only.stderr);
  const children = (JSON.parse(only.stdout) as RunsList).runs;
  t.equal(children.length, 5, 'four trials and the winner');

  const show = await runCli(['runs', 'show', result.parent_run_id], { cwd: dir });
  t.equal(show.code, 0, show.stderr);
  t.match(show.stdout, /trials \(best first by cv_accuracy_mean\)/);
  const showJson = await runCli(['runs', 'show', result.parent_run_id, '--json'], { cwd: dir });
  const detail = JSON.parse(showJson.stdout) as RunDetail;
  t.ok(validatorFor('run-detail')(detail));
  t.equal(detail.children?.length, 5);
});

t.test('plain lines per trial off a TTY, the winner and the next command', async (t) => {
  const dir = tempDir(t);
  const r = await runCli(['tune', ...SMALL, '--no-register'], { cwd: dir, timeoutMs: 180_000 });
  t.equal(r.code, 0, r.stderr);
  t.equal(r.stderr.match(/^✔ trial \d\/4 n_estimators=\d max_depth=\d/gm)?.length, 4, r.stderr);
  t.match(r.stdout, /winner n_estimators=\d+ max_depth=\d+/);
  t.match(
    r.stderr,
    /irisops serve --model runs:\/[0-9a-f]{32}\/model/,
    'no version: serve the run',
  );
  t.notOk(existsSync(path.join(dir, 'mlruns', 'models')), '--no-register registers nothing');
});

const bad: [string, string[], RegExp][] = [
  ['an empty list', ['--n-estimators', ''], /--n-estimators: the list is empty/],
  ['an empty range', ['--max-depth', '5:2'], /the range "5:2" is empty/],
  ['a non-integer in a range', ['--max-depth', '2.5:4'], /needs two integers/],
  ['--max-features 0', ['--max-features', '0'], /--max-features must be a share/],
  ['--trials 0', ['--search', 'random', '--trials', '0'], /--trials must be at least 1/],
  ['--trials with a grid', ['--trials', '3'], /--trials is for --search random/],
  ['an unknown --metric', ['--metric', 'accuracy'], /--metric accuracy is not a trial metric/],
  [
    'a grid over the cap',
    ['--n-estimators', '1:100', '--max-depth', '1:11'],
    /1100 trials, more than the cap of 1000/,
  ],
];
for (const [name, args, message] of bad) {
  t.test(`${name}: one line, exit 2, nothing written`, async (t) => {
    const dir = tempDir(t);
    const r = await runCli(['tune', ...args], { cwd: dir });
    t.equal(r.code, 2, r.stderr);
    t.match(r.stderr, message);
    t.equal(r.stdout, '');
    t.notOk(existsSync(path.join(dir, 'mlruns')), 'no store created');
  });
}
