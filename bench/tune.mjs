// `irisops tune` on a 20-point grid (--n-estimators 25,50,100,200 --max-depth 2:6, 5-fold CV):
// wall time at --parallel 1 and --parallel 2 in the same run and their ratio; how far the
// --parallel 2 run is from halving the --parallel 1 one (the serial part, less disturbed by
// other work on the machine than the ratio); the 1-minute load average before each sweep;
// the winner's CV accuracy beside scikit-learn's GridSearchCV on the same grid and the very
// same folds; and how long a sweep takes to stop after SIGINT. Prints one JSON document. Run
// after `npm run build`:  node bench/tune.mjs [--reps 1]
import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  arg,
  bin,
  median,
  printResult,
  python,
  ratio,
  root,
  round,
  timed,
  withTempDir,
} from './lib.mjs';

const reps = arg('reps', 1);
const grid = { n_estimators: [25, 50, 100, 200], max_depth: [2, 3, 4, 5, 6] };
const seed = 42;
const sweep = [
  'tune',
  '--n-estimators',
  grid.n_estimators.join(','),
  '--max-depth',
  '2:6',
  '--cv',
  '5',
  '--seed',
  String(seed),
  '--no-register',
  '--json',
];

function runSweep(dir, parallel, i) {
  const store = path.join(dir, `p${parallel}-${i}`);
  const load = round(os.loadavg()[0], 2);
  const r = timed(process.execPath, [
    bin,
    ...sweep,
    '--parallel',
    String(parallel),
    '--tracking-uri',
    store,
  ]);
  return { ms: r.ms, load, result: JSON.parse(r.stdout) };
}

/**
 * Milliseconds from SIGINT (sent once the first trial is reported) to the process's exit. Two
 * trials on two lanes start together whatever the order, so the 2000-tree one is fitting then.
 */
function stopTime(dir) {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        bin,
        'tune',
        '--n-estimators',
        '25,2000',
        '--max-depth',
        '2',
        '--parallel',
        '2',
        '--tracking-uri',
        path.join(dir, 'stop'),
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    let sentAt = 0;
    child.stderr.on('data', (d) => {
      stderr += d.toString();
      if (sentAt === 0 && /✔ trial 1\//.test(stderr)) {
        sentAt = performance.now();
        child.kill('SIGINT');
      }
    });
    child.on('error', reject);
    child.on('close', (code) =>
      resolve({ exit_code: code, stop_ms: round(performance.now() - sentAt) }),
    );
  });
}

const out = await withTempDir('irisops-bench-tune-', async (dir) => {
  const one = [];
  const two = [];
  for (let i = 0; i < reps; i++) {
    one.push(runSweep(dir, 1, i));
    two.push(runSweep(dir, 2, i));
  }
  const p1 = median(one.map((s) => s.ms));
  const p2 = median(two.map((s) => s.ms));
  // per pair, so the two sweeps of one rep saw about the same load
  const serial = median(two.map((s, i) => s.ms - one[i].ms / 2));
  const winner = one[0].result.winner;
  const same =
    JSON.stringify(one[0].result.trials.map((t) => t.metrics)) ===
    JSON.stringify(two[0].result.trials.map((t) => t.metrics));

  let sklearn = null;
  if (existsSync(python)) {
    const { loadDataset, bundledDataPath } = await import(path.join(root, 'dist/data/dataset.js'));
    const { stratifiedKFold } = await import(path.join(root, 'dist/data/split.js'));
    const ds = await loadDataset(bundledDataPath);
    const folds = stratifiedKFold(ds.y, 5, seed);
    sklearn = JSON.parse(
      execFileSync(python, [path.join(root, 'bench/sklearn_grid.py')], {
        input: JSON.stringify({ data: bundledDataPath, seed, folds, ...grid }),
        encoding: 'utf8',
      }),
    );
  }
  return {
    node: process.version,
    cores: os.availableParallelism(),
    grid: { ...grid, points: 20, cv_folds: 5 },
    reps,
    parallel_1_ms: round(p1),
    parallel_2_ms: round(p2),
    speedup: ratio(p1, p2),
    target_speedup: 1.7,
    serial_ms: round(serial),
    load_1min: { parallel_1: one.map((s) => s.load), parallel_2: two.map((s) => s.load) },
    identical_metrics: same,
    winner: {
      irisops: { params: winner.params, cv_accuracy_mean: winner.trial_metrics.cv_accuracy_mean },
      sklearn_grid_search_cv: sklearn,
    },
    interrupt: await stopTime(dir),
  };
});
printResult(out);
