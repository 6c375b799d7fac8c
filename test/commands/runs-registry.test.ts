import t, { type Test } from 'tap';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp.js';
import { validatorFor } from '../../src/schemas/index.js';
import { LocalStore } from '../../src/tracking/local/index.js';
import { RUNS_LS_LIMIT } from '../../src/commands/options.js';

interface RunsOut {
  runs: {
    run_id: string;
    params: Record<string, string>;
    metrics: Record<string, number>;
    registered_versions: { version: string; aliases: string[] }[];
  }[];
}

async function twoRuns(t: Test) {
  const dir = tempDir(t);
  const a = await runCli(['train', '--n-estimators', '10', '--json'], { cwd: dir });
  const b = await runCli(['train', '--n-estimators', '20', '--max-depth', '2', '--json'], {
    cwd: dir,
  });
  t.equal(a.code, 0, a.stderr);
  t.equal(b.code, 0, b.stderr);
  return {
    dir,
    first: JSON.parse(a.stdout) as { run_id: string },
    second: JSON.parse(b.stdout) as { run_id: string },
  };
}

t.test('runs ls shows both runs newest first, as a table and as schema-valid JSON', async (t) => {
  const { dir, first, second } = await twoRuns(t);
  const table = await runCli(['runs', 'ls'], { cwd: dir });
  t.equal(table.code, 0, table.stderr);
  t.match(table.stdout, /RUN\s+NAME\s+STATUS/);
  t.ok(
    table.stdout.indexOf(second.run_id.slice(0, 8)) <
      table.stdout.indexOf(first.run_id.slice(0, 8)),
    'newest first',
  );
  const json = await runCli(['runs', 'ls', '--json'], { cwd: dir });
  const out = JSON.parse(json.stdout) as RunsOut;
  t.ok(validatorFor('runs-list')(out));
  t.same(
    out.runs.map((r) => r.run_id),
    [second.run_id, first.run_id],
  );
  t.same(
    out.runs[0]?.registered_versions.map((v) => v.version),
    ['2'],
  );

  const filtered = JSON.parse(
    (await runCli(['runs', 'ls', '--json', '--filter', "params.max_depth = '2'"], { cwd: dir }))
      .stdout,
  ) as RunsOut;
  t.same(
    filtered.runs.map((r) => r.run_id),
    [second.run_id],
  );
  const limited = JSON.parse(
    (
      await runCli(['runs', 'ls', '--json', '--limit', '1', '--sort', 'start_time ASC'], {
        cwd: dir,
      })
    ).stdout,
  ) as RunsOut;
  t.same(
    limited.runs.map((r) => r.run_id),
    [first.run_id],
  );
  const bad = await runCli(['runs', 'ls', '--filter', 'metrics.accuracy >>> 1'], { cwd: dir });
  t.equal(bad.code, 2, 'a filter that does not parse is a usage error');
  t.match(bad.stderr, /error: /);
});

t.test('runs ls --json lists every run; the table stops at its limit unless --limit', async (t) => {
  const dir = tempDir(t);
  const store = new LocalStore(path.join(dir, 'mlruns'), { now: Date.now });
  const experiment = await store.createExperiment('iris-classification');
  const count = RUNS_LS_LIMIT + 2;
  for (let i = 0; i < count; i++) {
    const info = await store.createRun({
      experimentId: experiment.experiment_id,
      runName: `run-${i}`,
      startTime: 1_700_000_000_000 + i,
      userId: 'u',
    });
    await store.updateRun(info.run_id, 'FINISHED', 1_700_000_001_000 + i);
  }
  const all = await runCli(['runs', 'ls', '--json'], { cwd: dir });
  t.equal(all.code, 0, all.stderr);
  const out = JSON.parse(all.stdout) as RunsOut;
  t.ok(validatorFor('runs-list')(out));
  t.equal(out.runs.length, count, 'every run, not a page of them');
  const limited = JSON.parse(
    (await runCli(['runs', 'ls', '--json', '--limit', '3'], { cwd: dir })).stdout,
  ) as RunsOut;
  t.equal(limited.runs.length, 3, '--limit still caps --json');
  const table = await runCli(['runs', 'ls'], { cwd: dir });
  t.equal(table.code, 0, table.stderr);
  t.equal(table.stdout.match(/ FINISHED /g)?.length, RUNS_LS_LIMIT, 'the table shows a page');
  t.match(
    table.stderr,
    new RegExp(
      `^the first ${RUNS_LS_LIMIT} runs in iris-classification .*there are more: --limit`,
      'm',
    ),
    'the table says it is a page, and how to see the rest',
  );
  const whole = await runCli(['runs', 'ls', '--limit', String(count)], { cwd: dir });
  t.equal(whole.stdout.match(/ FINISHED /g)?.length, count);
  t.match(whole.stderr, new RegExp(`^${count} runs in iris-classification`, 'm'), 'the whole list');
  const help = await runCli(['runs', 'ls', '--help'], { cwd: dir });
  t.match(help.stdout, `(default: ${RUNS_LS_LIMIT}; with --json: all)`);
});

t.test('runs show prints params, metrics, artifacts and the confusion matrix', async (t) => {
  const { dir, first } = await twoRuns(t);
  const r = await runCli(['runs', 'show', first.run_id.slice(0, 8)], { cwd: dir });
  t.equal(r.code, 0, r.stderr);
  t.match(r.stdout, /params[\s\S]*n_estimators\s+10/);
  t.match(r.stdout, /confusion matrix/);
  t.match(r.stdout, /model\/model\.json/);
  const json = JSON.parse(
    (await runCli(['runs', 'show', first.run_id, '--json'], { cwd: dir })).stdout,
  ) as unknown;
  t.ok(validatorFor('run-detail')(json));
  const missing = await runCli(['runs', 'show', '0123456789abcdef0123456789abcdef'], { cwd: dir });
  t.equal(missing.code, 1);
  t.match(missing.stderr, /not found/);
});

t.test('registry promote moves the alias from v1 to v2, and --if-better guards it', async (t) => {
  const { dir } = await twoRuns(t);
  const p1 = await runCli(['registry', 'promote', 'iris_classifier', '1', '--json'], { cwd: dir });
  t.equal(p1.code, 0, p1.stderr);
  t.same(JSON.parse(p1.stdout), {
    name: 'iris_classifier',
    alias: 'production',
    version: '1',
    previous_version: null,
  });
  const p2 = await runCli(
    ['registry', 'promote', 'iris_classifier', '2', '--alias', 'production'],
    { cwd: dir },
  );
  t.equal(p2.code, 0, p2.stderr);
  t.match(p2.stdout, /@production: v1 → v2/);
  const ls = JSON.parse((await runCli(['registry', 'ls', '--json'], { cwd: dir })).stdout) as {
    models: { aliases: Record<string, string> }[];
  };
  t.ok(validatorFor('registry-list')(ls));
  t.same(ls.models[0]?.aliases, { production: '2' });
  const table = await runCli(['registry', 'ls'], { cwd: dir });
  t.match(table.stdout, /iris_classifier\s+v2\s+@production/);
});

t.test(
  'promote refuses bad names, versions and aliases, leaving the alias as it was',
  async (t) => {
    const { dir } = await twoRuns(t);
    await runCli(['registry', 'promote', 'iris_classifier', '1'], { cwd: dir });
    const cases: [string[], number, RegExp][] = [
      [['registry', 'promote', 'iris_classifier', '9'], 1, /not found|does not exist/i],
      [['registry', 'promote', 'nope', '1'], 1, /not found|does not exist/i],
      [['registry', 'promote', 'iris_classifier', 'abc'], 2, /positive whole number/],
      [['registry', 'promote', 'iris_classifier', '2', '--alias', 'latest'], 2, /latest/],
      [['registry', 'promote', 'iris_classifier', '2', '--alias', 'v3'], 2, /v3/],
      [['registry', 'promote', 'iris_classifier', '2', '--alias', 'with space'], 2, /alias/i],
    ];
    for (const [args, code, message] of cases) {
      const r = await runCli(args, { cwd: dir });
      t.equal(r.code, code, `${args.join(' ')} exits ${code}`);
      t.match(r.stderr, message);
    }
    const ls = JSON.parse((await runCli(['registry', 'ls', '--json'], { cwd: dir })).stdout) as {
      models: { aliases: Record<string, string> }[];
    };
    t.same(ls.models[0]?.aliases, { production: '1' }, 'alias unchanged');
  },
);

t.test('--if-better refuses a worse candidate with both figures', async (t) => {
  const dir = tempDir(t);
  // a one-tree depth-1 forest cannot separate three classes: clearly worse
  await runCli(['train', '--json'], { cwd: dir });
  await runCli(['train', '--n-estimators', '1', '--max-depth', '1', '--json'], { cwd: dir });
  await runCli(['registry', 'promote', 'iris_classifier', '1'], { cwd: dir });
  const r = await runCli(
    ['registry', 'promote', 'iris_classifier', '2', '--if-better', 'metrics.accuracy'],
    { cwd: dir },
  );
  t.equal(r.code, 1);
  t.match(r.stderr, /accuracy 0\.\d{4}, below version 1's 0\.\d{4}/);
  writeFileSync(path.join(dir, 'other.csv'), '');
});

t.test('a corrupted meta.yaml and an unknown experiment are clear errors', async (t) => {
  const dir = tempDir(t);
  const none = await runCli(['runs', 'ls'], { cwd: dir });
  t.equal(none.code, 1);
  t.match(none.stderr, /experiment "iris-classification" not found/);
  const r = JSON.parse(
    (await runCli(['train', '--json', '--n-estimators', '5'], { cwd: dir })).stdout,
  ) as { experiment_id: string };
  writeFileSync(path.join(dir, 'mlruns', r.experiment_id, 'meta.yaml'), ':::: not yaml [');
  const broken = await runCli(['runs', 'ls'], { cwd: dir });
  t.equal(broken.code, 1);
  t.match(broken.stderr, /meta\.yaml/);
});

t.test('NaN and infinite metrics (MLflow logs them) in runs ls/show and registry ls', async (t) => {
  const { dir, second } = await twoRuns(t);
  const store = new LocalStore(path.join(dir, 'mlruns'), { now: Date.now });
  const odd = { loss: Number.NaN, up: Number.POSITIVE_INFINITY, down: Number.NEGATIVE_INFINITY };
  await store.logBatch(second.run_id, {
    metrics: Object.entries(odd).map(([key, value]) => ({ key, value, timestamp: 1, step: 0 })),
  });
  const text = { loss: 'NaN', up: 'Infinity', down: '-Infinity' };
  for (const pass of ['from the folder', 'from the run index']) {
    const ls = await runCli(['runs', 'ls', '--json'], { cwd: dir });
    const list = JSON.parse(ls.stdout) as RunsOut;
    t.ok(validatorFor('runs-list')(list), `runs ls --json is schema-valid ${pass}`);
    t.match(list.runs.find((r) => r.run_id === second.run_id)?.metrics, text, pass);
  }
  const show = await runCli(['runs', 'show', second.run_id, '--json'], { cwd: dir });
  const detail = JSON.parse(show.stdout) as { metrics: Record<string, unknown> };
  t.ok(validatorFor('run-detail')(detail), 'runs show --json is schema-valid');
  t.match(detail.metrics, text);
  const table = await runCli(['runs', 'show', second.run_id], { cwd: dir });
  t.equal(table.code, 0, table.stderr);
  t.match(table.stdout, /NaN/);
  // train registered the run as a version: registry ls shows its metrics
  const reg = JSON.parse((await runCli(['registry', 'ls', '--json'], { cwd: dir })).stdout) as {
    models: { versions: { run_id: string; metrics: Record<string, unknown> }[] }[];
  };
  t.ok(validatorFor('registry-list')(reg), 'registry ls --json is schema-valid');
  const version = reg.models[0]?.versions.find((v) => v.run_id === second.run_id);
  t.match(version?.metrics, text);
  const regTable = await runCli(['registry', 'ls'], { cwd: dir });
  t.equal(regTable.code, 0, regTable.stderr);
});
