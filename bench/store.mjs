// The store at scale: `irisops runs ls` (the table, --json of every run, --json of a page,
// --filter with --sort) and `irisops registry ls` on a local store of --runs runs in one experiment, next to
// MLflow's Python client search_runs on the very same folder, with max_results = the default
// limit of `runs ls` (read from its --help). Prints one JSON document. After `npm run build`:
//   node bench/store.mjs [--runs 10000] [--reps 3] [--timeout 300] [--no-mlflow]
//
// The store is made quickly: one real `irisops train`, then its run folder copied with new
// run ids (meta.yaml rewritten: run_id, run_uuid, artifact_uri, start/end time; a distinct
// accuracy so sorting means something; every other file hard-linked), as MLflow's layout
// allows. The first listing is reported apart (cold: an index beside the folder, if irisops
// keeps one, is built then); the others give the median.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import {
  arg,
  bin,
  flag,
  median,
  printResult,
  python,
  ratio,
  round,
  timed,
  withTempDir,
} from './lib.mjs';
import { makeStore } from './store-copy.mjs';

const runs = arg('runs', 10_000);
const reps = arg('reps', 3);
const timeoutS = arg('timeout', 300);
const filter = 'metrics.accuracy > 0.5';
const sort = 'metrics.accuracy';

/** One command timed cold once, then reps times; a run over the timeout is reported as such. */
function timeCommand(label, args) {
  const samples = [];
  let bytes = 0;
  for (let i = 0; i <= reps; i++) {
    try {
      const r = timed(process.execPath, [bin, ...args], {
        timeout: timeoutS * 1000,
        env: { ...process.env, NODE_ENV: 'production' },
      });
      samples.push(r.ms);
      bytes = Buffer.byteLength(r.stdout);
    } catch (e) {
      return { label, error: String(e.message).split('\n')[0], samples_ms: samples.map(round) };
    }
  }
  const [cold, ...warm] = samples;
  return {
    label,
    cold_ms: round(cold),
    median_ms: round(median(warm)),
    stdout_bytes: bytes,
  };
}

const MLFLOW_SCRIPT = `
import json, sys, time
t0 = time.perf_counter()
from mlflow.tracking import MlflowClient
imported = time.perf_counter() - t0
uri, exp_id, limit, reps, filt, order = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5], sys.argv[6]
client = MlflowClient(tracking_uri=uri)
def timed(**kw):
    out = []
    for _ in range(reps):
        t = time.perf_counter()
        found = client.search_runs([exp_id], max_results=limit, **kw)
        out.append((time.perf_counter() - t) * 1000)
    return sorted(out)[len(out) // 2], len(found)
default_ms, n = timed()
filtered_ms, m = timed(filter_string=filt, order_by=[order + " DESC"])
print(json.dumps({"import_ms": imported * 1000, "search_runs_ms": default_ms, "returned": n,
                  "filtered_sorted_ms": filtered_ms, "filtered_returned": m}))
`;

function mlflowSearch(store, experimentId, limit) {
  if (flag('no-mlflow')) return { skipped: '--no-mlflow' };
  if (!existsSync(python)) return { skipped: `no Python at ${python} (IRISOPS_PYTHON)` };
  const r = spawnSync(
    python,
    [
      '-c',
      MLFLOW_SCRIPT,
      `file://${store}`,
      experimentId,
      String(limit),
      String(reps),
      filter,
      sort,
    ],
    {
      encoding: 'utf8',
      timeout: timeoutS * 1000 * (2 * reps + 1),
      env: { ...process.env, MLFLOW_ALLOW_FILE_STORE: 'true', MLFLOW_TRACKING_URI: '' },
    },
  );
  if (r.status !== 0)
    return { error: (r.stderr || String(r.error ?? r.signal)).trim().split('\n').pop() };
  const out = JSON.parse(r.stdout.trim().split('\n').pop());
  const rounded = Object.fromEntries(
    Object.entries(out).map(([k, v]) => [k, k.endsWith('_ms') ? round(v) : v]),
  );
  return { ...rounded, max_results: limit };
}

/** The default limit of `runs ls`, from its own --help: the bench asks MLflow for as many. */
function defaultLimit() {
  const help = timed(process.execPath, [bin, 'runs', 'ls', '--help']).stdout;
  const limit = Number(/--limit[^\n]*\n?[^\n]*?\(default:\s*(\d+)/.exec(help)?.[1]);
  if (!Number.isInteger(limit)) throw new Error(`no default limit in runs ls --help:\n${help}`);
  return limit;
}

export async function benchStore() {
  return withTempDir('irisops-bench-store-', async (dir) => {
    const store = path.join(dir, 'mlruns');
    const made = makeStore(store, runs);
    const limit = defaultLimit();
    const common = ['--tracking-uri', store, '--experiment', made.experiment];
    const irisops = {
      runs_ls: timeCommand('irisops runs ls', ['runs', 'ls', ...common]),
      // --json lists every run unless --limit says otherwise; the table's limit as a page
      runs_ls_json_page: timeCommand(`irisops runs ls --json --limit ${limit}`, [
        'runs',
        'ls',
        '--json',
        '--limit',
        String(limit),
        ...common,
      ]),
      runs_ls_json_all: timeCommand('irisops runs ls --json', ['runs', 'ls', '--json', ...common]),
      runs_ls_filter_sort: timeCommand(`irisops runs ls --filter "${filter}" --sort ${sort}`, [
        'runs',
        'ls',
        '--filter',
        filter,
        '--sort',
        sort,
        ...common,
      ]),
      registry_ls: timeCommand('irisops registry ls', ['registry', 'ls', '--tracking-uri', store]),
    };
    const mlflow = mlflowSearch(store, made.experimentId, limit);
    const vs = (mine, theirs) => (mine.median_ms && theirs ? ratio(theirs, mine.median_ms) : null);
    return {
      bench: 'store',
      runs,
      reps,
      store_copy_s: made.copySeconds,
      default_limit: limit,
      irisops,
      mlflow,
      // how many times faster irisops is (MLflow's search only, its ~s of import excluded)
      mlflow_over_irisops: {
        runs_ls: vs(irisops.runs_ls, mlflow.search_runs_ms),
        runs_ls_filter_sort: vs(irisops.runs_ls_filter_sort, mlflow.filtered_sorted_ms),
      },
      goal: { runs_ls_max_ms: 1000, mlflow_over_irisops_min: 10 },
    };
  });
}

if (import.meta.url === `file://${process.argv[1]}`) printResult(await benchStore());
