import { spawnSync } from 'node:child_process';
import {
  appendFileSync,
  readdirSync,
  readFileSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { LocalStore } from '../../src/tracking/local/index.js';
import { INDEX_FILE } from '../../src/tracking/local/run-index.js';
import { requireMlflow } from '../helpers/python.js';
import { tempDir } from '../helpers/temp.js';
import type { TapTest } from './conformance.js';

const T0 = 1_700_000_000_000;

/** Sets every time below dir an hour back, as if the runs were written long ago. */
function age(dir: string): void {
  const past = new Date(Date.now() - 3_600_000);
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) age(full);
    utimesSync(full, past, past);
  }
}

async function storeWithRuns(
  t: TapTest,
  count: number,
): Promise<{ root: string; store: LocalStore; experimentDir: string; ids: string[] }> {
  const root = path.join(tempDir(t), 'mlruns');
  const store = new LocalStore(root, { now: Date.now });
  const experiment = await store.createExperiment('indexed');
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const info = await store.createRun({
      experimentId: experiment.experiment_id,
      runName: `r${i}`,
      startTime: T0 + i,
      userId: 'u',
    });
    await store.logBatch(info.run_id, {
      metrics: [{ key: 'accuracy', value: i / 10, timestamp: T0, step: 0 }],
      params: [{ key: 'i', value: String(i) }],
    });
    ids.push(info.run_id);
  }
  const experimentDir = path.join(root, experiment.experiment_id);
  age(experimentDir);
  return { root, store, experimentDir, ids };
}

async function accuracies(
  store: LocalStore,
  experimentDir: string,
): Promise<Record<string, number>> {
  const runs = await store.searchRuns({ experimentIds: [path.basename(experimentDir)] });
  return Object.fromEntries(runs.map((r) => [r.info.run_id, r.data.metrics.accuracy ?? NaN]));
}

t.test(
  'a listing keeps an index beside the experiment and serves unchanged runs from it',
  async (t) => {
    const { store, experimentDir, ids } = await storeWithRuns(t, 3);
    await accuracies(store, experimentDir);
    const indexFile = path.join(experimentDir, INDEX_FILE);
    const index = JSON.parse(readFileSync(indexFile, 'utf8')) as {
      runs: Record<string, { run: { data: { metrics: Record<string, number> } } }>;
    };
    t.same(Object.keys(index.runs).sort(), [...ids].sort(), 'one entry per run');
    // An entry whose file times still match is used as it is: proof the index is read.
    const first = ids[0] as string;
    (
      index.runs[first] as { run: { data: { metrics: Record<string, number> } } }
    ).run.data.metrics.accuracy = 42;
    writeFileSync(indexFile, JSON.stringify(index));
    t.equal((await accuracies(store, experimentDir))[first], 42);
  },
);

t.test('a metric appended in place, as MLflow does, is seen at the next listing', async (t) => {
  const { store, experimentDir, ids } = await storeWithRuns(t, 2);
  await accuracies(store, experimentDir);
  const first = ids[0] as string;
  appendFileSync(path.join(experimentDir, first, 'metrics', 'accuracy'), `${T0 + 1} 0.99 1\n`);
  t.equal((await accuracies(store, experimentDir))[first], 0.99);
});

t.test('a run folder deleted by hand is gone from the next listing', async (t) => {
  const { store, experimentDir, ids } = await storeWithRuns(t, 3);
  t.equal(Object.keys(await accuracies(store, experimentDir)).length, 3);
  rmSync(path.join(experimentDir, ids[1] as string), { recursive: true });
  t.same(Object.keys(await accuracies(store, experimentDir)).sort(), [ids[0], ids[2]].sort());
  const index = JSON.parse(readFileSync(path.join(experimentDir, INDEX_FILE), 'utf8')) as {
    runs: Record<string, unknown>;
  };
  t.notOk((ids[1] as string) in index.runs, 'and from the index');
});

t.test('a damaged or missing index is rebuilt, and the listing is right meanwhile', async (t) => {
  const { store, experimentDir } = await storeWithRuns(t, 3);
  const expected = await accuracies(store, experimentDir);
  const indexFile = path.join(experimentDir, INDEX_FILE);
  for (const damage of ['{"version":1,"runs":', 'null', '[]', '']) {
    writeFileSync(indexFile, damage);
    t.same(await accuracies(store, experimentDir), expected, `after ${JSON.stringify(damage)}`);
    const rebuilt = JSON.parse(readFileSync(indexFile, 'utf8')) as { runs: object };
    t.equal(Object.keys(rebuilt.runs).length, 3, 'rebuilt whole');
  }
  rmSync(indexFile);
  t.same(await accuracies(store, experimentDir), expected, 'after removal');
});

const python = requireMlflow(t);
if (python !== null) {
  t.test(
    'a run written by MLflow itself into the folder shows up at the next listing',
    async (t) => {
      const { root, store, experimentDir } = await storeWithRuns(t, 2);
      t.equal(Object.keys(await accuracies(store, experimentDir)).length, 2);
      const code = [
        'import json, mlflow',
        `mlflow.set_tracking_uri("file:" + ${JSON.stringify(root)})`,
        'c = mlflow.MlflowClient()',
        `r = c.create_run(${JSON.stringify(path.basename(experimentDir))})`,
        'c.log_metric(r.info.run_id, "accuracy", 0.77)',
        'c.set_terminated(r.info.run_id)',
        'print(json.dumps(r.info.run_id))',
      ].join('\n');
      const result = spawnSync(python, ['-c', code], {
        encoding: 'utf8',
        timeout: 120_000,
        env: { ...process.env, MLFLOW_ALLOW_FILE_STORE: 'true', MLFLOW_TRACKING_URI: '' },
      });
      t.equal(result.status, 0, result.stderr);
      const runId = JSON.parse(result.stdout.trim().split('\n').pop() ?? 'null') as string;
      const listed = await store.searchRuns({ experimentIds: [path.basename(experimentDir)] });
      const mlflowRun = listed.find((r) => r.info.run_id === runId);
      t.equal(listed.length, 3);
      t.equal(mlflowRun?.data.metrics.accuracy, 0.77);
      t.equal(mlflowRun?.info.status, 'FINISHED');
    },
  );
}
