// CLI start-up and `irisops train` (100 trees, local store, end to end) wall time, as ratios
// to bare `node -e 0` measured in the same run, and irisops' accuracy beside scikit-learn's on
// the very same split and folds.
// Prints one JSON document. Run after `npm run build`:  node bench/cli.mjs [--runs 7]
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));
const bin = path.join(root, 'bin/irisops.js');
const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 7;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const round = (x) => Math.round(x * 10) / 10;

function time(args, opts = {}) {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, { stdio: 'ignore', ...opts });
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}`);
  return performance.now() - t0;
}

function measure(label, args, opts) {
  time(args, opts); // warm the file cache
  const samples = Array.from({ length: runs }, () => time(args, opts));
  return { label, median_ms: round(median(samples)), min_ms: round(Math.min(...samples)) };
}

const tmp = mkdtempSync(path.join(tmpdir(), 'irisops-bench-'));
try {
  const bare = measure('node -e 0', ['-e', '0']);
  const version = measure('irisops --version', [bin, '--version']);
  const help = measure('irisops --help', [bin, '--help']);
  const train = measure(
    'irisops train (100 trees, local store)',
    [
      bin,
      'train',
      '--n-estimators',
      '100',
      '--tracking-uri',
      path.join(tmp, 'mlruns'),
      '--quiet',
      '--json',
    ],
    {
      env: { ...process.env, NODE_ENV: 'production' },
    },
  );

  // accuracy beside scikit-learn on the same split and folds
  const { loadDataset, bundledDataPath } = await import(path.join(root, 'dist/data/dataset.js'));
  const { stratifiedSplit, stratifiedKFold } = await import(path.join(root, 'dist/data/split.js'));
  const ds = await loadDataset(bundledDataPath);
  const split = stratifiedSplit(ds.y, 0.2, 42);
  const folds = stratifiedKFold(ds.y, 5, 42);
  const cvRun = JSON.parse(
    execFileSync(
      process.execPath,
      [
        bin,
        'train',
        '--cv',
        '5',
        '--no-register',
        '--json',
        '--tracking-uri',
        path.join(tmp, 'cv'),
      ],
      { encoding: 'utf8' },
    ),
  );
  const irisops = {
    split_accuracy: cvRun.metrics.accuracy,
    cv_accuracy_mean: cvRun.metrics.cv_accuracy_mean,
    cv_accuracy_std: cvRun.metrics.cv_accuracy_std,
  };
  let sklearn = null;
  const python = process.env.IRISOPS_PYTHON ?? path.join(root, '.venv/bin/python');
  if (existsSync(python)) {
    const out = execFileSync(python, [path.join(root, 'bench/sklearn_cv.py')], {
      input: JSON.stringify({ data: bundledDataPath, split, folds }),
      encoding: 'utf8',
    });
    sklearn = JSON.parse(out);
  }
  console.log(
    JSON.stringify(
      {
        node: process.version,
        runs,
        startup: {
          bare,
          version,
          help,
          help_ratio: round(help.median_ms / bare.median_ms),
          target_help_ratio: 2.5,
        },
        train: {
          ...train,
          ratio_to_node: round(train.median_ms / bare.median_ms),
          target_ratio_to_node: 7,
        },
        accuracy: {
          irisops,
          sklearn,
          cv_gap: sklearn
            ? Math.round((sklearn.cv_accuracy_mean - irisops.cv_accuracy_mean) * 10000) / 10000
            : null,
        },
      },
      null,
      2,
    ),
  );
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
