/**
 * Crash safety: `irisops train` killed with SIGKILL at random points, most of them inside
 * the write path (after the model is evaluated, while the run, its artifacts and the
 * registry version are written). Afterwards the folder is still a sound MLflow store:
 * `runs ls` and `registry ls` work, every meta.yaml parses, no temp file sits where MLflow
 * looks, an interrupted run is absent or visibly not FINISHED, every FINISHED run is whole,
 * registry versions are 1..N exactly once, MLflow's Python client reads it all, and the
 * next train succeeds.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, utimesSync } from 'node:fs';
import path from 'node:path';
import t from 'tap';
import YAML from 'yaml';
import { digestBytes } from '../../src/data/dataset.js';
import { bin, cleanEnv, runCli } from '../helpers/cli.js';
import { mlflowPythonOrSkip, runPythonJson } from '../helpers/mlflow-server.js';
import { tempDir } from '../helpers/temp.js';
import { envNumber, reportFigures, walkFiles } from './helpers.js';

const TRIALS = envNumber('IRISOPS_CRASH_TRIALS', 30);
const TRAIN_ARGS = ['train', '--n-estimators', '5'];

interface Timing {
  total: number;
  /** from spawn to the "evaluate" progress line: the store is first touched after it */
  evaluated: number;
}

/** Runs one train, killing it `killAt` ms after spawn (or after `evaluate`) if still alive. */
function trainOnce(
  cwd: string,
  kill: { afterEvaluateMs?: number; afterSpawnMs?: number } | null,
): Promise<{ code: number | null; signal: string | null; timing: Timing; stderr: string }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [bin, ...TRAIN_ARGS], {
      cwd,
      env: cleanEnv(),
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    let evaluated = 0;
    let timer: NodeJS.Timeout | undefined;
    if (kill?.afterSpawnMs !== undefined)
      timer = setTimeout(() => child.kill('SIGKILL'), kill.afterSpawnMs);
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (evaluated === 0 && /evaluate: /.test(stderr)) {
        evaluated = performance.now() - started;
        if (kill?.afterEvaluateMs !== undefined)
          timer = setTimeout(() => child.kill('SIGKILL'), kill.afterEvaluateMs);
      }
    });
    const guard = setTimeout(() => child.kill('SIGKILL'), 90_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      clearTimeout(guard);
      resolve({
        code,
        signal,
        timing: { total: performance.now() - started, evaluated },
        stderr,
      });
    });
  });
}

function rand(max: number): number {
  return Math.random() * max;
}

t.test(`${TRIALS} trains killed with SIGKILL at random points leave a sound store`, async (t) => {
  const cwd = tempDir(t);
  const root = path.join(cwd, 'mlruns');
  const lockDir = path.join(root, '.irisops.trash', 'store.lock');

  // measure a whole train first (these two also finish: versions 1 and 2)
  const baseline: Timing[] = [];
  for (let i = 0; i < 2; i++) {
    const r = await trainOnce(cwd, null);
    t.equal(r.code, 0, 'an uninterrupted train succeeds', { stderr: r.stderr });
    baseline.push(r.timing);
  }
  const total = Math.max(...baseline.map((b) => b.total));
  const tail = Math.max(...baseline.map((b) => b.total - b.evaluated));
  t.comment(`a train takes ${Math.round(total)} ms, ${Math.round(tail)} ms of it writing`);

  let killed = 0;
  let finishedAnyway = 0;
  let locksLeft = 0;
  const delays: number[] = [];
  for (let trial = 0; trial < TRIALS; trial++) {
    // three trials in four land in the write path, the rest anywhere in the process's life
    const inWritePath = trial % 4 !== 3;
    const delay = inWritePath ? rand(tail * 1.1) : rand(total * 1.1);
    delays.push(Math.round(delay));
    const r = await trainOnce(
      cwd,
      inWritePath ? { afterEvaluateMs: delay } : { afterSpawnMs: delay },
    );
    if (r.signal === 'SIGKILL') killed++;
    else {
      t.equal(r.code, 0, `trial ${trial} finished before its kill`, { stderr: r.stderr });
      finishedAnyway++;
    }
    // A writer killed holding the store lock leaves it to go stale (10 s): age it instead of
    // waiting, as if the next command came 10 s later. The last one is left to the final
    // train below, which then really waits it out.
    if (existsSync(lockDir)) {
      locksLeft++;
      if (trial < TRIALS - 1) {
        const old = new Date(Date.now() - 20_000);
        utimesSync(lockDir, old, old);
      }
    }
  }

  const files = walkFiles(root);
  const strays = files.filter(
    (f) => !f.startsWith('.irisops.trash/') && /(^|\/)\.|\.tmp$|\.tmp\//.test(f),
  );
  t.same(strays, [], 'no temp or hidden file where MLflow looks');
  const metas = files.filter((f) => f.endsWith('meta.yaml') && !f.startsWith('.irisops.trash/'));
  const unparsable = metas.filter((f) => {
    try {
      const v: unknown = YAML.parse(readFileSync(path.join(root, f), 'utf8'));
      return typeof v !== 'object' || v === null;
    } catch {
      return true;
    }
  });
  t.same(unparsable, [], `all ${metas.length} meta.yaml files parse`);

  const runsLs = await runCli(['runs', 'ls', '--json'], { cwd });
  t.equal(runsLs.code, 0, 'runs ls works', { stderr: runsLs.stderr });
  const registryLs = await runCli(['registry', 'ls', '--json'], { cwd });
  t.equal(registryLs.code, 0, 'registry ls works', { stderr: registryLs.stderr });
  interface RunRow {
    run_id: string;
    status: string;
    stale: boolean;
    tags: Record<string, string>;
    metrics: Record<string, number>;
    experiment_id: string;
  }
  const runs = (JSON.parse(runsLs.stdout) as { runs: RunRow[] }).runs;
  const byStatus: Record<string, number> = {};
  for (const r of runs) {
    const k = r.status === 'RUNNING' && r.stale ? 'RUNNING (stale)' : r.status;
    byStatus[k] = (byStatus[k] ?? 0) + 1;
  }
  t.same(
    runs.filter((r) => r.status === 'RUNNING' && !r.stale).map((r) => r.run_id),
    [],
    'every RUNNING run left behind is flagged stale',
  );
  const finished = runs.filter((r) => r.status === 'FINISHED');
  const incomplete = finished.filter((r) => {
    const model = path.join(root, r.experiment_id, r.run_id, 'artifacts', 'model', 'model.json');
    if (!existsSync(model) || r.metrics.accuracy === undefined) return true;
    return `sha256:${digestBytes(readFileSync(model))}` !== r.tags['irisops.model_digest'];
  });
  t.same(
    incomplete.map((r) => r.run_id),
    [],
    `all ${finished.length} FINISHED runs are whole (metrics, model, digest)`,
  );

  interface VersionRow {
    version: string;
    run_id: string;
  }
  const models = (
    JSON.parse(registryLs.stdout) as { models: { name: string; versions: VersionRow[] }[] }
  ).models;
  const versions = (models.find((m) => m.name === 'iris_classifier')?.versions ?? [])
    .map((v) => Number(v.version))
    .sort((a, b) => a - b);
  t.same(
    versions,
    versions.map((_, i) => i + 1),
    `registry versions are 1..${versions.length}, each once`,
  );
  const finishedIds = new Set(finished.map((r) => r.run_id));
  const orphans = (models[0]?.versions ?? []).filter((v) => !finishedIds.has(v.run_id));
  t.same(orphans, [], 'every version points at a FINISHED run');

  // the store still takes writes: a lock left by the last kill is waited out, not fatal
  const next = await trainOnce(cwd, null);
  t.equal(next.code, 0, `the next train succeeds (${Math.round(next.timing.total)} ms)`, {
    stderr: next.stderr,
  });
  t.match(next.stderr, new RegExp(`iris_classifier version ${versions.length + 1}\\b`));

  const py = mlflowPythonOrSkip();
  if ('skip' in py) {
    t.comment(`MLflow read-back skipped: ${py.skip}`);
  } else {
    const seen = runPythonJson(
      py.python,
      root,
      `
import json, os
os.environ["MLFLOW_ALLOW_FILE_STORE"] = "true"
from mlflow import MlflowClient
c = MlflowClient(tracking_uri=${JSON.stringify(root)}, registry_uri=${JSON.stringify(root)})
e = c.get_experiment_by_name("iris-classification")
runs = c.search_runs([e.experiment_id], max_results=50000)
for r in runs:
    c.get_run(r.info.run_id)
vs = c.search_model_versions("name='iris_classifier'")
print(json.dumps({"runs": len(runs), "statuses": sorted({r.info.status for r in runs}), "versions": sorted(int(v.version) for v in vs)}))
`,
    ) as { runs: number; versions: number[]; statuses: string[] };
    t.equal(seen.runs, runs.length + 1, 'MLflow reads every run');
    t.same(seen.versions, [...versions, versions.length + 1], 'MLflow reads every version');
  }

  reportFigures(t, 'crash-train', {
    trials: TRIALS,
    killed,
    finished_before_kill: finishedAnyway,
    locks_left_and_taken_over: locksLeft,
    runs: byStatus,
    versions: versions.length,
    train_ms: Math.round(total),
    write_ms: Math.round(tail),
    delays_ms: [Math.min(...delays), Math.max(...delays)],
    half_written_files: strays.length + unparsable.length,
  });
});
