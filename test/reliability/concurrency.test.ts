/**
 * Many CLI processes on one folder at once: 8 `irisops train` make 8 whole runs and versions
 * 1..8 exactly once; 8 `irisops registry promote` on one alias leave one well-formed alias,
 * and their reported previous versions chain up as if they had run one after another; the
 * alias history records every one of them.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import t from 'tap';
import YAML from 'yaml';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp.js';
import { reportFigures } from './helpers.js';

const N = 8;

t.test(`${N} concurrent trains, then ${N} concurrent promotions, on one folder`, async (t) => {
  const cwd = tempDir(t);
  const root = path.join(cwd, 'mlruns');
  const started = performance.now();
  const trains = await Promise.all(
    Array.from({ length: N }, (_, i) =>
      runCli(['train', '--n-estimators', '5', '--seed', String(i), '--json'], {
        cwd,
        timeoutMs: 120_000,
      }),
    ),
  );
  const trainSeconds = (performance.now() - started) / 1000;
  t.same(
    trains.map((r) => r.code),
    Array(N).fill(0),
    'every train exits 0',
    { stderr: trains.map((r) => r.stderr).join('\n') },
  );
  const results = trains.map(
    (r) =>
      JSON.parse(r.stdout) as {
        run_id: string;
        status: string;
        registered_model: { name: string; version: string } | null;
      },
  );
  t.equal(new Set(results.map((r) => r.run_id)).size, N, `${N} distinct runs`);
  t.same(
    results.map((r) => Number(r.registered_model?.version)).sort((a, b) => a - b),
    Array.from({ length: N }, (_, i) => i + 1),
    `versions 1..${N}, each exactly once`,
  );

  const runsLs = JSON.parse((await runCli(['runs', 'ls', '--json'], { cwd })).stdout) as {
    runs: { run_id: string; status: string; metrics: Record<string, number> }[];
  };
  t.equal(runsLs.runs.length, N, 'runs ls lists all of them');
  t.ok(
    runsLs.runs.every((r) => r.status === 'FINISHED' && r.metrics.accuracy !== undefined),
    'each FINISHED with its metrics: no lost write',
  );
  const registry = JSON.parse((await runCli(['registry', 'ls', '--json'], { cwd })).stdout) as {
    models: { name: string; versions: { version: string; run_id: string }[] }[];
  };
  const byVersion = new Map(
    (registry.models[0]?.versions ?? []).map((v) => [v.version, v.run_id] as const),
  );
  t.ok(
    results.every((r) => byVersion.get(r.registered_model?.version ?? '') === r.run_id),
    'each version points at the run that registered it',
  );

  const promotes = await Promise.all(
    Array.from({ length: N }, (_, i) =>
      runCli(['registry', 'promote', 'iris_classifier', String(i + 1), '--json'], {
        cwd,
        timeoutMs: 120_000,
      }),
    ),
  );
  t.same(
    promotes.map((r) => r.code),
    Array(N).fill(0),
    'every promotion exits 0',
    { stderr: promotes.map((r) => r.stderr).join('\n') },
  );
  const moves = promotes.map(
    (r) => JSON.parse(r.stdout) as { version: string; previous_version: string | null },
  );
  const versionsSet = new Set(Array.from({ length: N }, (_, i) => String(i + 1)));
  t.ok(
    moves.every((m) => m.previous_version === null || versionsSet.has(m.previous_version)),
    'each reported previous version is null or a real version',
  );
  // The store reads the holder it replaces under its lock, so the promotions chain up:
  // starting from no alias, each one reports the one before it.
  const after = new Map(moves.map((m) => [m.previous_version, m.version] as const));
  const chain: string[] = [];
  for (let v = after.get(null); v !== undefined; v = after.get(v)) chain.push(v);
  t.equal(chain.length, N, `the promotions chain up: ${chain.join(' → ')}`);

  const final = readFileSync(
    path.join(root, 'models', 'iris_classifier', 'aliases', 'production'),
    'utf8',
  );
  t.ok(versionsSet.has(final), `the alias file holds one version: ${final}`);
  const meta = YAML.parse(
    readFileSync(path.join(root, 'models', 'iris_classifier', 'meta.yaml'), 'utf8'),
  ) as { aliases: Record<string, string> };
  t.same(meta.aliases, { production: final }, 'meta.yaml holds that one alias, and only it');
  const ls = JSON.parse((await runCli(['registry', 'ls', '--json'], { cwd })).stdout) as {
    models: {
      aliases: Record<string, string>;
      versions: { version: string; aliases: string[] }[];
    }[];
  };
  t.same(ls.models[0]?.aliases, { production: final });
  t.same(
    ls.models[0]?.versions.filter((v) => v.aliases.includes('production')).map((v) => v.version),
    [final],
    'exactly one version carries it',
  );
  // every promotion is recorded as its own move, none overwritten by another in the same ms
  const history = JSON.parse(
    (await runCli(['registry', 'history', 'iris_classifier', '--json'], { cwd })).stdout,
  ) as { moves: { from: string | null; to: string }[] };
  t.same(
    history.moves.map((m) => `${m.from ?? '-'}>${m.to}`).sort(),
    moves.map((m) => `${m.previous_version ?? '-'}>${m.version}`).sort(),
    'the history holds every promotion, as each reported it',
  );
  reportFigures(t, 'concurrency', {
    trains: N,
    train_seconds: Math.round(trainSeconds * 10) / 10,
    runs: runsLs.runs.length,
    versions: byVersion.size,
    promotions: N,
    final_alias: `production=${final}`,
    promotion_chain_consistent: chain.length === N,
    history_moves: history.moves.length,
    lost_writes: N - runsLs.runs.length,
  });
});
