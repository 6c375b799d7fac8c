import { spawnSync } from 'node:child_process';
import {
  appendFileSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
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

/** The index file's lines by run folder, split at tabs: folder, head, signature, rest. */
function indexLines(experimentDir: string): Map<string, string[]> {
  const [header, ...lines] = readFileSync(path.join(experimentDir, INDEX_FILE), 'utf8')
    .trimEnd()
    .split('\n');
  if (!header?.startsWith('irisops-run-index ')) throw new Error(`not an index: ${header}`);
  return new Map(
    lines.map((line) => {
      const fields = line.split('\t');
      return [fields[0] as string, fields];
    }),
  );
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
    const lines = indexLines(experimentDir);
    t.same([...lines.keys()].sort(), [...ids].sort(), 'one line per run');
    // An entry whose file times still match is used as it is: proof the index is read.
    const first = ids[0] as string;
    const fields = lines.get(first) as string[];
    const edited = JSON.parse(fields[1] as string) as { m: Record<string, number> };
    edited.m.accuracy = 42;
    fields[1] = JSON.stringify(edited);
    const text = [...lines.values()].map((l) => l.join('\t')).join('\n');
    const indexFile = path.join(experimentDir, INDEX_FILE);
    const header = readFileSync(indexFile, 'utf8').split('\n')[0] as string;
    writeFileSync(indexFile, `${header}\n${text}\n`);
    t.equal((await accuracies(store, experimentDir))[first], 42);
  },
);

t.test('a listing that changes nothing leaves the index file as it is', async (t) => {
  const { store, experimentDir } = await storeWithRuns(t, 3);
  const expected = await accuracies(store, experimentDir);
  const indexFile = path.join(experimentDir, INDEX_FILE);
  const past = new Date(Date.now() - 60_000);
  utimesSync(indexFile, past, past);
  t.same(await accuracies(store, experimentDir), expected);
  // utimes goes through seconds as a float: the time read back may be off by a microsecond
  t.ok(Math.abs(statSync(indexFile).mtimeMs - past.getTime()) < 1, 'not written again');
});

t.test('a metric appended in place, as MLflow does, is seen at the next listing', async (t) => {
  const { store, experimentDir, ids } = await storeWithRuns(t, 2);
  await accuracies(store, experimentDir);
  const first = ids[0] as string;
  appendFileSync(path.join(experimentDir, first, 'metrics', 'accuracy'), `${T0 + 1} 0.99 1\n`);
  t.equal((await accuracies(store, experimentDir))[first], 0.99);
});

t.test('NaN and infinite metrics read from the index are what the folder holds', async (t) => {
  const { store, experimentDir, ids } = await storeWithRuns(t, 1);
  const run = ids[0] as string;
  const odd = { nan: NaN, up: Infinity, down: -Infinity };
  await store.logBatch(run, {
    metrics: Object.entries(odd).map(([key, value]) => ({ key, value, timestamp: T0, step: 0 })),
  });
  age(experimentDir);
  const experimentIds = [path.basename(experimentDir)];
  const fromFolder = (await store.searchRuns({ experimentIds }))[0]?.data.metrics;
  t.ok(indexLines(experimentDir).has(run), 'the run is in the index');
  const fromIndex = (await store.searchRuns({ experimentIds }))[0]?.data.metrics;
  for (const [key, value] of Object.entries(odd)) {
    t.ok(Object.is(fromFolder?.[key], value), `${key} from the folder`);
    t.ok(Object.is(fromIndex?.[key], value), `${key} from the index`);
  }
  t.equal(fromIndex?.accuracy, 0);
});

t.test('a version 3 index, which kept NaN as null, is rebuilt rather than read', async (t) => {
  const { store, experimentDir, ids } = await storeWithRuns(t, 2);
  const run = ids[0] as string;
  await store.logBatch(run, { metrics: [{ key: 'loss', value: NaN, timestamp: T0, step: 0 }] });
  age(experimentDir);
  const experimentIds = [path.basename(experimentDir)];
  await store.searchRuns({ experimentIds });
  const indexFile = path.join(experimentDir, INDEX_FILE);
  const [, ...lines] = readFileSync(indexFile, 'utf8').split('\n');
  const v3 = lines.join('\n').replace('"loss":"NaN"', '"loss":null');
  t.not(v3, lines.join('\n'), 'the NaN was in the index as text');
  writeFileSync(indexFile, `irisops-run-index 3\n${v3}`);
  const listed = await store.searchRuns({ experimentIds });
  t.ok(Number.isNaN(listed.find((r) => r.info.run_id === run)?.data.metrics.loss));
  t.equal(readFileSync(indexFile, 'utf8').split('\n')[0], 'irisops-run-index 5', 'rewritten');
});

t.test('a version 4 index, whose rest held the inputs, is rebuilt rather than read', async (t) => {
  const { store, experimentDir } = await storeWithRuns(t, 2);
  const experimentIds = [path.basename(experimentDir)];
  const expected = await accuracies(store, experimentDir);
  const indexFile = path.join(experimentDir, INDEX_FILE);
  const v5 = readFileSync(indexFile, 'utf8');
  // version 4's line: folder, head, signature, rest (with inputs and outputs); no fifth part
  const v4 = v5
    .replace(/^irisops-run-index 5/, 'irisops-run-index 4')
    .replace(/}\t\{"inputs":(.*)}$/gm, ',"inputs":$1}');
  t.not(v4, v5);
  writeFileSync(indexFile, v4);
  t.same(await accuracies(store, experimentDir), expected);
  t.equal(readFileSync(indexFile, 'utf8'), v5, 'rewritten as version 5');
  const [run] = await store.searchRuns({ experimentIds, maxResults: 1 });
  t.same(run?.outputs, [], 'whole runs still carry their (empty) outputs');
});

t.test('summaries leave inputs out, and still see every change to what they show', async (t) => {
  const { store, experimentDir, ids } = await storeWithRuns(t, 3);
  const experimentIds = [path.basename(experimentDir)];
  const run = ids[1] as string;
  await store.logInputs(run, [
    { name: 'iris', digest: 'abc', source_type: 'local', source: '{"uri":"file:///d.csv"}' },
  ]);
  age(experimentDir);
  await store.searchRuns({ experimentIds });
  const summaries = await store.searchRunSummaries({ experimentIds });
  t.same(Object.keys(summaries[0] ?? {}).sort(), ['data', 'info'], 'info and data only');
  // tags, params and new metric keys written by hand: each is seen by a summary from the index
  writeFileSync(path.join(experimentDir, run, 'tags', 'late'), 'yes');
  writeFileSync(path.join(experimentDir, run, 'params', 'extra'), '7');
  writeFileSync(path.join(experimentDir, run, 'metrics', 'loss'), `${T0} 0.25 0\n`);
  const [again] = (await store.searchRunSummaries({ experimentIds })).filter(
    (r) => r.info.run_id === run,
  );
  t.equal(again?.data.tags.late, 'yes');
  t.equal(again?.data.params.extra, '7');
  t.equal(again?.data.metrics.loss, 0.25);
  // a dataset filter reads the inputs of every run, also in a summary listing
  age(experimentDir);
  await store.searchRunSummaries({ experimentIds });
  const other = ids[2] as string;
  await store.logInputs(other, [
    { name: 'iris', digest: 'abc', source_type: 'local', source: '{"uri":"file:///d.csv"}' },
  ]);
  const filtered = await store.searchRunSummaries({
    experimentIds,
    filter: "dataset.digest = 'abc'",
  });
  t.same(filtered.map((r) => r.info.run_id).sort(), [run, other].sort());
  const whole = await store.searchRuns({ experimentIds, filter: "dataset.digest = 'abc'" });
  t.same(
    whole.map((r) => r.inputs.map((d) => d.digest)),
    [['abc'], ['abc']],
    'whole runs carry their inputs',
  );
});

t.test('a run folder deleted by hand is gone from the next listing', async (t) => {
  const { store, experimentDir, ids } = await storeWithRuns(t, 3);
  t.equal(Object.keys(await accuracies(store, experimentDir)).length, 3);
  rmSync(path.join(experimentDir, ids[1] as string), { recursive: true });
  t.same(Object.keys(await accuracies(store, experimentDir)).sort(), [ids[0], ids[2]].sort());
  t.notOk(indexLines(experimentDir).has(ids[1] as string), 'and from the index');
});

t.test('a limited listing still returns each run as its folder holds it now', async (t) => {
  const { store, experimentDir, ids } = await storeWithRuns(t, 3);
  const experimentIds = [path.basename(experimentDir)];
  const newest = ids[2] as string;
  const oldest = ids[0] as string;
  const first = await store.searchRuns({ experimentIds, maxResults: 1 });
  t.equal(first[0]?.info.run_id, newest);
  // A tag file and a metric step added by hand to the run the answer holds: the query does
  // not read tags or metrics, but the run it returns is checked whole.
  writeFileSync(path.join(experimentDir, newest, 'tags', 'late'), 'yes');
  appendFileSync(path.join(experimentDir, newest, 'metrics', 'accuracy'), `${T0 + 1} 0.5 1\n`);
  const [again] = await store.searchRuns({ experimentIds, maxResults: 1 });
  t.equal(again?.data.tags.late, 'yes');
  t.equal(again?.data.metrics.accuracy, 0.5);
  // A filtered metric is checked on every run, also those beyond the limit.
  age(experimentDir);
  appendFileSync(path.join(experimentDir, oldest, 'metrics', 'accuracy'), `${T0 + 1} 0.99 1\n`);
  const best = await store.searchRuns({
    experimentIds,
    filter: 'metrics.accuracy > 0.9',
    orderBy: ['metrics.accuracy DESC'],
    maxResults: 1,
  });
  t.same(
    best.map((r) => [r.info.run_id, r.data.metrics.accuracy]),
    [[oldest, 0.99]],
  );
});

t.test('a damaged or missing index is rebuilt, and the listing is right meanwhile', async (t) => {
  const { store, experimentDir } = await storeWithRuns(t, 3);
  const expected = await accuracies(store, experimentDir);
  const indexFile = path.join(experimentDir, INDEX_FILE);
  const good = readFileSync(indexFile, 'utf8');
  const damages = [
    '{"version":1,"runs":',
    'null',
    '[]',
    '',
    good.slice(0, good.length - 40), // cut short
    good.replace(/\t\{/, '\t{"'), // a head that is not JSON
    good.replace(/"dirs":\{/, '"dirs":7,"x":{'), // a signature that is not ours
    good.replace(/"params":\{/, '"params":7,"x":{'), // a rest that is not ours
    good.replace(/\{"inputs":\[/, '{"inputs":7,"x":['), // inputs and outputs that are not ours
    good.replace(/"m":\{/, '"m":{"x":"7",'), // a metric as text that is not NaN or infinite
  ];
  for (const damage of damages) {
    writeFileSync(indexFile, damage);
    t.same(await accuracies(store, experimentDir), expected, `after ${JSON.stringify(damage)}`);
    t.equal(indexLines(experimentDir).size, 3, 'rebuilt whole');
  }
  rmSync(indexFile);
  t.same(await accuracies(store, experimentDir), expected, 'after removal');
});

const python = requireMlflow(t);
if (python !== null) {
  const runMlflow = (t: TapTest, root: string, lines: string[]): unknown => {
    const code = [
      'import json, mlflow',
      `mlflow.set_tracking_uri("file:" + ${JSON.stringify(root)})`,
      'c = mlflow.MlflowClient()',
      ...lines,
    ].join('\n');
    const result = spawnSync(python, ['-c', code], {
      encoding: 'utf8',
      timeout: 120_000,
      env: { ...process.env, MLFLOW_ALLOW_FILE_STORE: 'true', MLFLOW_TRACKING_URI: '' },
    });
    t.equal(result.status, 0, result.stderr);
    return JSON.parse(result.stdout.trim().split('\n').pop() ?? 'null');
  };

  t.test(
    'a run written by MLflow itself into the folder shows up at the next listing',
    async (t) => {
      const { root, store, experimentDir } = await storeWithRuns(t, 2);
      t.equal(Object.keys(await accuracies(store, experimentDir)).length, 2);
      const runId = runMlflow(t, root, [
        `r = c.create_run(${JSON.stringify(path.basename(experimentDir))})`,
        'c.log_metric(r.info.run_id, "accuracy", 0.77)',
        'c.set_terminated(r.info.run_id)',
        'print(json.dumps(r.info.run_id))',
      ]) as string;
      const listed = await store.searchRuns({ experimentIds: [path.basename(experimentDir)] });
      const mlflowRun = listed.find((r) => r.info.run_id === runId);
      t.equal(listed.length, 3);
      t.equal(mlflowRun?.data.metrics.accuracy, 0.77);
      t.equal(mlflowRun?.info.status, 'FINISHED');
    },
  );

  t.test(
    'MLflow appending a step to a FINISHED run, in place, is seen at the next listing',
    async (t) => {
      const { root, store, experimentDir, ids } = await storeWithRuns(t, 3);
      const first = ids[0] as string;
      await store.updateRun(first, 'FINISHED', T0 + 10);
      age(experimentDir);
      const experimentIds = [path.basename(experimentDir)];
      const filter = 'metrics.accuracy > 0.5';
      t.same(await store.searchRuns({ experimentIds, filter }), [], 'none above 0.5 yet');
      const metricFile = path.join(experimentDir, first, 'metrics', 'accuracy');
      const before = statSync(metricFile);
      const metaBefore = statSync(path.join(experimentDir, first, 'meta.yaml')).mtimeMs;
      const folderBefore = statSync(path.dirname(metricFile)).mtimeMs;
      // MLflow's own check is the lifecycle stage, not the status: this is allowed.
      runMlflow(t, root, [
        `c.log_metric(${JSON.stringify(first)}, "accuracy", 0.99, timestamp=${T0 + 5}, step=1)`,
        'print("null")',
      ]);
      const after = statSync(metricFile);
      t.equal(after.ino, before.ino, 'the same file, appended in place');
      t.equal(
        statSync(path.join(experimentDir, first, 'meta.yaml')).mtimeMs,
        metaBefore,
        'meta.yaml untouched',
      );
      t.equal(statSync(path.dirname(metricFile)).mtimeMs, folderBefore, 'metrics/ untouched');
      const found = await store.searchRuns({ experimentIds, filter });
      t.same(
        found.map((r) => [r.info.run_id, r.info.status, r.data.metrics.accuracy]),
        [[first, 'FINISHED', 0.99]],
      );
    },
  );
}
