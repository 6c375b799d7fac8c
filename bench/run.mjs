// `npm run bench`: every bench of the performance table (README), each in its own process, each figure a
// ratio against a baseline measured in the same run; prints ONE JSON document (a summary of
// the ratios, then each bench's own JSON). Exits 1 when a bench failed (its error is in the
// document). Run after `npm run build`:
//   npm run bench                                  # full: 10,000 runs, 3 × 4 s serve rounds
//   npm run bench -- --quick                       # CI: 1,000 runs, 1 × 2 s rounds
//   npm run bench -- --runs 1000 --only store,train
//   npm run bench -- --long                        # also crash-train, fuzz-serve, soak-reload
// Flags: --runs N (store size), --reps N (store timings), --duration S and --rounds N (serve),
// --cli-reps N (train/start-up samples), --tune-reps N (sweeps per parallelism), --ui-runs N
// (runs behind the web UI's runs page), --only a,b (serve, train, store, tune, ui), --long.
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { arg, flag, root } from './lib.mjs';

const quick = flag('quick');
const only = arg('only', 'serve,train,store,tune,ui').split(',');
const benches = [
  {
    name: 'serve',
    file: 'serve.mjs',
    args: [
      '--duration',
      String(arg('duration', quick ? 2 : 4)),
      '--rounds',
      String(arg('rounds', quick ? 1 : 3)),
      ...(quick ? ['--no-pinned'] : []),
    ],
  },
  { name: 'train', file: 'cli.mjs', args: ['--runs', String(arg('cli-reps', quick ? 3 : 7))] },
  { name: 'tune', file: 'tune.mjs', args: ['--reps', String(arg('tune-reps', 1))] },
  {
    name: 'store',
    file: 'store.mjs',
    args: [
      '--runs',
      String(arg('runs', quick ? 1000 : 10_000)),
      '--reps',
      String(arg('reps', quick ? 1 : 3)),
    ],
  },
  {
    name: 'ui',
    file: 'ui.mjs',
    args: ['--runs', String(arg('ui-runs', 1000)), '--reps', String(quick ? 2 : 5)],
  },
].filter((b) => only.includes(b.name));
if (flag('long')) {
  benches.push(
    { name: 'crash-train', file: 'crash-train.mjs', args: [], lines: true },
    { name: 'fuzz-serve', file: 'fuzz-serve.mjs', args: [], lines: true },
    { name: 'soak-reload', file: 'soak-reload.mjs', args: [], lines: true },
  );
}

/** A bench's stdout: one JSON document, or (the reliability benches) JSON lines. */
function parse(stdout, lines) {
  if (!lines) return JSON.parse(stdout);
  return stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l));
}

const results = {};
let failed = false;
const started = new Date().toISOString();
const loadBefore = os.loadavg().map((x) => Math.round(x * 100) / 100);
for (const b of benches) {
  const t0 = performance.now();
  process.stderr.write(`bench: ${b.name} (node bench/${b.file} ${b.args.join(' ')})\n`);
  const r = spawnSync(process.execPath, [path.join(root, 'bench', b.file), ...b.args], {
    encoding: 'utf8',
    maxBuffer: 1 << 28,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const seconds = Math.round((performance.now() - t0) / 100) / 10;
  try {
    if (r.status !== 0) throw new Error(`exited ${r.status ?? r.signal}`);
    results[b.name] = {
      seconds,
      command: `node bench/${b.file} ${b.args.join(' ')}`.trim(),
      result: parse(r.stdout, b.lines),
    };
  } catch (e) {
    failed = true;
    results[b.name] = { seconds, error: e.message, stdout: r.stdout.slice(-2000) };
  }
}

const pick = (name, fn) => {
  try {
    return fn(results[name].result) ?? null;
  } catch {
    return null;
  }
};
const summary = {
  serve_info_vs_bare: pick('serve', (s) => s.headline.info_vs_bare),
  serve_silent_vs_bare: pick('serve', (s) => s.headline.silent_vs_bare),
  serve_info_cpu_vs_bare: pick('serve', (s) => s.info.cpu_ratio),
  serve_silent_cpu_vs_bare: pick('serve', (s) => s.silent.cpu_ratio),
  serve_essential_vs_bare: pick('serve', (s) => s.headline.essential_vs_bare),
  serve_silent_vs_essential: pick('serve', (s) => s.headline.silent_vs_essential),
  serve_info_vs_bare_pinned: pick('serve', (s) => s.pinned_secondary.ratio),
  serve_p99_ms: pick('serve', (s) => s.info.irisops.p99_ms),
  serve_rss_mb: pick('serve', (s) => s.info.irisops.rss_mb),
  train_ms: pick('train', (s) => s.train.median_ms),
  train_vs_node: pick('train', (s) => s.train.ratio_to_node),
  store_runs: pick('store', (s) => s.runs),
  runs_ls_ms: pick('store', (s) => s.irisops.runs_ls.median_ms),
  runs_ls_json_page_ms: pick('store', (s) => s.irisops.runs_ls_json_page.median_ms),
  runs_ls_json_all_ms: pick('store', (s) => s.irisops.runs_ls_json_all.median_ms),
  runs_ls_filter_sort_ms: pick('store', (s) => s.irisops.runs_ls_filter_sort.median_ms),
  registry_ls_ms: pick('store', (s) => s.irisops.registry_ls.median_ms),
  mlflow_search_runs_ms: pick('store', (s) => s.mlflow.search_runs_ms),
  mlflow_over_irisops_runs_ls: pick('store', (s) => s.mlflow_over_irisops.runs_ls),
  tune_parallel_1_ms: pick('tune', (s) => s.parallel_1_ms),
  tune_parallel_2_ms: pick('tune', (s) => s.parallel_2_ms),
  tune_speedup: pick('tune', (s) => s.speedup),
  tune_stop_ms: pick('tune', (s) => s.interrupt.stop_ms),
  ui_runs_page_ms: pick('ui', (s) => s.runs_page.median_ms),
  ui_runs_page_cold_ms: pick('ui', (s) => s.runs_page.cold_ms),
  ui_runs_page_bytes: pick('ui', (s) => s.runs_page.bytes),
};

process.stdout.write(
  `${JSON.stringify(
    {
      bench: 'irisops',
      started,
      node: process.version,
      cpus: os.cpus().length,
      loadavg_before: loadBefore,
      loadavg_after: os.loadavg().map((x) => Math.round(x * 100) / 100),
      quick,
      summary,
      goal: {
        serve_info_vs_bare: '>= 0.85',
        serve_silent_vs_bare: '>= 0.92',
        tune_speedup: '>= 1.7',
        ui_runs_page_ms: '< 1000 at 1,000 runs',
        serve_p99_ms: '< 5',
        serve_rss_mb: '< 120',
        train_vs_node: '<= 7',
        runs_ls_ms: '< 1000 at 10,000 runs',
        mlflow_over_irisops_runs_ls: '>= 10',
      },
      results,
    },
    null,
    2,
  )}\n`,
);
process.exitCode = failed ? 1 : 0;
