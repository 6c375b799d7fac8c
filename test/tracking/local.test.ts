/**
 * The local folder store: the shared conformance suite, then what only a folder can get
 * wrong — where files land, torn writes, damaged files, permissions, and many processes
 * writing at once.
 */
import { execFile, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
  chmodSync,
  renameSync,
} from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import lockfile from 'proper-lockfile';
import t from 'tap';
import YAML from 'yaml';
import {
  InvalidParameterError,
  NotFoundError,
  StoreUnavailableError,
  TrackingError,
} from '../../src/errors.js';
import { LocalStore } from '../../src/tracking/local/index.js';
import { writeFileAtomic } from '../../src/tracking/fs-atomic.js';
import { tempDir } from '../helpers/temp.js';
import { runConformance } from './conformance.js';
import { buildLocalStore } from './fixtures/build-local-store.js';

const execFileAsync = promisify(execFile);
const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
const T0 = 1_700_000_000_000;

function newStore(t: Parameters<typeof tempDir>[0]): { root: string; store: LocalStore } {
  const root = path.join(tempDir(t), 'mlruns');
  return { root, store: new LocalStore(root, { now: () => T0 }) };
}

function readYaml(file: string): Record<string, unknown> {
  return YAML.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
}

/** Every file under dir, relative, '/'-separated. */
function walk(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(path.join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`],
  );
}

function walkDirs(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .flatMap((e) => [path.join(dir, e.name), ...walkDirs(path.join(dir, e.name))]);
}

async function seedRun(
  store: LocalStore,
  experiment = 'iris-classification',
): Promise<{ experimentId: string; runId: string }> {
  const exp = await store.createExperiment(experiment);
  const run = await store.createRun({
    experimentId: exp.experiment_id,
    runName: 'seed',
    startTime: T0,
    userId: 'u',
  });
  return { experimentId: exp.experiment_id, runId: run.run_id };
}

t.test('conformance suite on a temp folder', async (t) => {
  const root = path.join(tempDir(t), 'mlruns');
  await runConformance(t, async () => new LocalStore(root, { now: Date.now }), {
    timeoutMs: 30_000,
  });
});

t.test('files land exactly where MLflow FileStore puts them', async (t) => {
  const { root, store } = newStore(t);
  const exp = await store.createExperiment('iris-classification', { team: 'ml' });
  t.match(
    exp.experiment_id,
    /^[1-9]\d{17}$/,
    'an 18-digit integer id, as MLflow makes them (migrate-filestore needs integers)',
  );
  const run = await store.createRun({
    experimentId: exp.experiment_id,
    runName: 'r1',
    startTime: T0,
    userId: 'alice',
  });
  t.match(run.run_id, /^[0-9a-f]{32}$/, 'uuid4 hex run id');
  await store.logBatch(run.run_id, {
    params: [{ key: 'max_depth', value: '5' }],
    metrics: [
      { key: 'accuracy', value: 1, timestamp: T0 + 1, step: 0 },
      { key: 'val/loss', value: 0.25, timestamp: T0 + 2, step: 3 },
    ],
    tags: [{ key: 'mlflow.source.type', value: 'LOCAL' }],
  });
  await store.logInputs(run.run_id, [
    {
      name: 'iris',
      digest: 'abc',
      source_type: 'local',
      source: '/d.csv',
      tags: { 'mlflow.data.context': 'training' },
    },
  ]);
  await store.updateRun(run.run_id, 'FINISHED', T0 + 5);
  await store.createRegisteredModel('iris_classifier');
  await store.createModelVersion({
    name: 'iris_classifier',
    source: `runs:/${run.run_id}/model`,
    runId: run.run_id,
  });
  await store.setAlias('iris_classifier', 'production', '1');

  t.strictSame(readYaml(path.join(root, '0', 'meta.yaml')), {
    artifact_location: path.join(root, '0'),
    creation_time: T0,
    effective_trace_archival_retention: null,
    experiment_id: '0',
    last_update_time: T0,
    lifecycle_stage: 'active',
    name: 'Default',
    trace_location: null,
    workspace: 'default',
  });
  t.ok(statSync(path.join(root, '.trash')).isDirectory(), '.trash exists as MLflow creates it');
  const expDir = path.join(root, exp.experiment_id);
  t.equal(readYaml(path.join(expDir, 'meta.yaml')).name, 'iris-classification');
  t.equal(readFileSync(path.join(expDir, 'tags', 'team'), 'utf8'), 'ml');

  const runDir = path.join(expDir, run.run_id);
  t.strictSame(readYaml(path.join(runDir, 'meta.yaml')), {
    artifact_uri: path.join(runDir, 'artifacts'),
    deleted_time: null,
    end_time: T0 + 5,
    entry_point_name: '',
    experiment_id: exp.experiment_id,
    lifecycle_stage: 'active',
    run_id: run.run_id,
    run_name: 'r1',
    source_name: '',
    source_type: 4,
    source_version: '',
    start_time: T0,
    status: 3,
    tags: [],
    user_id: 'alice',
  });
  t.equal(
    readFileSync(path.join(runDir, 'metrics', 'accuracy'), 'utf8'),
    `${T0 + 1} 1.0 0\n`,
    'Python float form, step last',
  );
  t.equal(
    readFileSync(path.join(runDir, 'metrics', 'val', 'loss'), 'utf8'),
    `${T0 + 2} 0.25 3\n`,
    "a '/' in a key is a sub-folder",
  );
  t.equal(readFileSync(path.join(runDir, 'params', 'max_depth'), 'utf8'), '5');
  t.equal(readFileSync(path.join(runDir, 'tags', 'mlflow.runName'), 'utf8'), 'r1');
  t.ok(statSync(path.join(runDir, 'artifacts')).isDirectory());

  const datasetId = readdirSync(path.join(expDir, 'datasets'))[0] ?? '';
  t.match(datasetId, /^[0-9a-f]{32}$/);
  t.strictSame(readYaml(path.join(expDir, 'datasets', datasetId, 'meta.yaml')), {
    digest: 'abc',
    name: 'iris',
    profile: null,
    schema: null,
    source: '/d.csv',
    source_type: 'local',
  });
  const inputId = readdirSync(path.join(runDir, 'inputs'))[0] ?? '';
  t.strictSame(readYaml(path.join(runDir, 'inputs', inputId, 'meta.yaml')), {
    destination_id: datasetId,
    destination_type: 'RUN',
    source_id: datasetId,
    source_type: 'DATASET',
    tags: { 'mlflow.data.context': 'training' },
  });

  const modelDir = path.join(root, 'models', 'iris_classifier');
  t.strictSame(readYaml(path.join(modelDir, 'meta.yaml')), {
    aliases: { production: '1' },
    creation_timestamp: T0,
    deployment_job_id: null,
    deployment_job_state: null,
    description: null,
    last_updated_timestamp: T0,
    name: 'iris_classifier',
    workspace: 'default',
  });
  t.strictSame(readYaml(path.join(modelDir, 'version-1', 'meta.yaml')), {
    creation_timestamp: T0,
    current_stage: 'None',
    deployment_job_state: null,
    description: null,
    last_updated_timestamp: T0,
    model_id: null,
    name: 'iris_classifier',
    run_id: run.run_id,
    run_link: null,
    source: `runs:/${run.run_id}/model`,
    status: 'READY',
    status_message: null,
    storage_location: `runs:/${run.run_id}/model`,
    user_id: null,
    version: 1,
    workspace: 'default',
  });
  t.equal(readFileSync(path.join(modelDir, 'aliases', 'production'), 'utf8'), '1');

  const stray = walk(root).filter((f) => !f.startsWith('.irisops.trash/') && /\.tmp$/.test(f));
  t.same(stray, [], 'no temp file anywhere MLflow looks');
  t.same(
    readdirSync(path.join(root, '.irisops.trash')),
    [],
    'scratch is empty once writers are done (lock released)',
  );
});

t.test('a store that does not exist yet: reads are empty, nothing is created', async (t) => {
  const { root, store } = newStore(t);
  await store.ping();
  t.same(await store.listExperiments(), []);
  t.equal(await store.getExperimentByName('x'), null);
  t.same(await store.searchRegisteredModels(), []);
  t.same(await store.searchModelVersions('m'), []);
  t.same(await store.searchRuns({ experimentIds: ['0'] }), []);
  t.notOk(existsSync(root), 'reading did not create the folder');
});

t.test('metric values survive the trip through text, NaN and infinities included', async (t) => {
  const { store } = newStore(t);
  const { runId } = await seedRun(store);
  await store.logBatch(runId, {
    metrics: [
      { key: 'nan', value: NaN, timestamp: T0, step: 0 },
      { key: 'inf', value: Infinity, timestamp: T0, step: 0 },
      { key: 'ninf', value: -Infinity, timestamp: T0, step: 0 },
      { key: 'tiny', value: 1e-7, timestamp: T0, step: 0 },
      { key: 'huge', value: 1.5e300, timestamp: T0, step: 0 },
      { key: 'third', value: 1 / 3, timestamp: T0, step: 0 },
    ],
  });
  const { metrics } = (await store.getRun(runId)).data;
  t.ok(Number.isNaN(metrics.nan));
  t.equal(metrics.inf, Infinity);
  t.equal(metrics.ninf, -Infinity);
  t.equal(metrics.tiny, 1e-7);
  t.equal(metrics.huge, 1.5e300);
  t.equal(metrics.third, 1 / 3);
});

t.test('latest metric: highest step, then latest timestamp, then largest value', async (t) => {
  const { store } = newStore(t);
  const { runId } = await seedRun(store);
  await store.logBatch(runId, {
    metrics: [
      { key: 'm', value: 9, timestamp: T0 + 9, step: 1 },
      { key: 'm', value: 1, timestamp: T0 + 1, step: 2 },
      { key: 'm', value: 2, timestamp: T0 + 1, step: 2 },
      { key: 'm', value: 0, timestamp: T0, step: 2 },
    ],
  });
  t.equal((await store.getRun(runId)).data.metrics.m, 2);
  t.equal((await store.getMetricHistory(runId, 'm')).length, 4);
});

t.test('atomic writes: readers never see a torn file, failures leave the old one', async (t) => {
  const { root, store } = newStore(t);
  const { runId, experimentId } = await seedRun(store);
  const metricFile = path.join(root, experimentId, runId, 'metrics', 'loss');
  let writing = true;
  let reads = 0;
  const reader = (async () => {
    while (writing) {
      try {
        const text = await readFile(metricFile, 'utf8');
        reads++;
        // Every read must be whole lines: never a half-written one at the end.
        if (text !== '' && !/^(\d+ [\d.e-]+ \d+\n)+$/.test(text))
          throw new Error(`torn read: ${JSON.stringify(text.slice(-40))}`);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
      await new Promise((resolve) => setImmediate(resolve));
    }
  })();
  for (let step = 0; step < 150; step++)
    await store.logBatch(runId, {
      metrics: [{ key: 'loss', value: 1 / (step + 1), timestamp: T0 + step, step }],
    });
  writing = false;
  await reader;
  t.ok(reads > 10, `the reader read ${reads} times while the writer wrote`);
  t.equal((await store.getMetricHistory(runId, 'loss')).length, 150, 'no write lost');

  const target = path.join(tempDir(t), 'keep.txt');
  writeFileSync(target, 'old');
  const blockedTemp = path.join(tempDir(t), 'missing-dir');
  await t.rejects(writeFileAtomic(target, 'new', { tempDir: blockedTemp }));
  t.equal(readFileSync(target, 'utf8'), 'old', 'a failed write leaves the previous content');
  const dir = path.dirname(target);
  mkdirSync(path.join(dir, 'a-dir'));
  await t.rejects(writeFileAtomic(path.join(dir, 'a-dir'), 'x'), 'renaming over a folder fails');
  t.same(
    readdirSync(dir).filter((f) => f.endsWith('.tmp')),
    [],
    'and cleans its temp file',
  );
});

t.test('leftovers of a killed writer are invisible and swept', async (t) => {
  const { root, store } = newStore(t);
  const { experimentId } = await seedRun(store);
  const scratch = path.join(root, '.irisops.trash');
  // What a writer killed mid-way leaves: a staged run folder and a temp file.
  mkdirSync(path.join(scratch, '.run-dead.1.abc.tmp', 'metrics'), { recursive: true });
  writeFileSync(path.join(scratch, '.run-dead.1.abc.tmp', 'meta.yaml'), 'run_id: dead\n');
  writeFileSync(path.join(scratch, '.accuracy.1.def.tmp'), '17000 0.');
  t.equal(
    (await store.searchRuns({ experimentIds: [experimentId] })).length,
    1,
    'the half-made run is not a run',
  );
  t.equal((await store.listExperiments()).length, 2, 'the scratch folder is not an experiment');
  const old = new Date(Date.now() - 2 * 60 * 60 * 1000);
  utimesSync(path.join(scratch, '.run-dead.1.abc.tmp'), old, old);
  utimesSync(path.join(scratch, '.accuracy.1.def.tmp'), old, old);
  await new LocalStore(root, { now: Date.now }).createExperiment('another');
  t.same(readdirSync(scratch), [], 'an hour later the next writer sweeps them');
});

t.test('locks: a stale lock is taken over, a live one is waited for', async (t) => {
  const { root, store } = newStore(t);
  await seedRun(store);
  const lockPath = path.join(root, '.irisops.trash', 'store.lock');
  mkdirSync(lockPath);
  const old = new Date(Date.now() - 60_000);
  utimesSync(lockPath, old, old);
  const started = Date.now();
  await store.createRegisteredModel('after_crash');
  t.ok(Date.now() - started < 5000, 'a lock left by a killed writer does not block for long');

  const release = await lockfile.lock(root, { lockfilePath: lockPath, realpath: false });
  let done = false;
  const pending = store.createRegisteredModel('waits').then(() => {
    done = true;
  });
  await new Promise((resolve) => setTimeout(resolve, 300));
  t.notOk(done, 'the writer waits while another process holds the lock');
  await release();
  await pending;
  t.ok(done);
});

t.test('damaged files: clear errors naming the file, searches skip the damage', async (t) => {
  const { root, store } = newStore(t);
  const { experimentId, runId } = await seedRun(store);
  const good = await store.createRun({
    experimentId,
    runName: 'good',
    startTime: T0 + 1,
    userId: 'u',
  });
  writeFileSync(
    path.join(root, experimentId, runId, 'meta.yaml'),
    'run_id: [unclosed\n  garbage: : :',
  );

  const error = await store.getRun(runId).catch((e: unknown) => e);
  t.type(error, TrackingError);
  t.equal((error as TrackingError).code, 'MALFORMED_STORE');
  t.match((error as TrackingError).message, path.join(experimentId, runId, 'meta.yaml'));
  t.notMatch((error as TrackingError).message, /\n/, 'one line');
  t.same(
    (await store.searchRuns({ experimentIds: [experimentId] })).map((r) => r.info.run_id),
    [good.run_id],
    'search lists the healthy run and skips the damaged one',
  );
  await t.rejects(store.logBatch(runId, { params: [{ key: 'a', value: '1' }] }), {
    code: 'MALFORMED_STORE',
  });

  writeFileSync(
    path.join(root, experimentId, good.run_id, 'metrics', 'acc'),
    'not a metric line\n',
  );
  await t.rejects(store.getRun(good.run_id), { code: 'MALFORMED_STORE', message: /metrics/ });

  const other = await store.createExperiment('other');
  writeFileSync(path.join(root, other.experiment_id, 'meta.yaml'), '- a list, not a mapping\n');
  await t.rejects(store.getExperiment(other.experiment_id), {
    code: 'MALFORMED_STORE',
    message: /meta\.yaml/,
  });
  t.notOk(
    (await store.listExperiments()).some((e) => e.experiment_id === other.experiment_id),
    'listing skips it',
  );

  await store.createRegisteredModel('m');
  await store.createModelVersion({ name: 'm', source: 's', runId: null });
  await store.createModelVersion({ name: 'm', source: 's', runId: null });
  writeFileSync(path.join(root, 'models', 'm', 'version-1', 'meta.yaml'), '');
  await t.rejects(store.getModelVersion('m', '1'), { code: 'MALFORMED_STORE' });
  t.same(
    (await store.searchModelVersions('m')).map((v) => v.version),
    ['2'],
  );
  t.equal(
    (await store.createModelVersion({ name: 'm', source: 's', runId: null })).version,
    '3',
    'numbering still counts the damaged version',
  );
});

t.test('deleted runs and experiments are left out of searches', async (t) => {
  const { root, store } = newStore(t);
  const { experimentId, runId } = await seedRun(store, 'to-delete');
  const kept = await store.createRun({
    experimentId,
    runName: 'kept',
    startTime: T0 + 1,
    userId: 'u',
  });
  const runMeta = path.join(root, experimentId, runId, 'meta.yaml');
  writeFileSync(
    runMeta,
    YAML.stringify({ ...readYaml(runMeta), lifecycle_stage: 'deleted', deleted_time: T0 }),
  );
  t.same(
    (await store.searchRuns({ experimentIds: [experimentId] })).map((r) => r.info.run_id),
    [kept.run_id],
  );
  t.equal((await store.getRun(runId)).info.lifecycle_stage, 'deleted', 'getRun still finds it');
  await t.rejects(store.logBatch(runId, { params: [{ key: 'a', value: '1' }] }), {
    code: 'INVALID_STATE',
  });

  // Deleting an experiment, MLflow's way: deleted in its meta.yaml and moved to .trash.
  const expMeta = path.join(root, experimentId, 'meta.yaml');
  writeFileSync(expMeta, YAML.stringify({ ...readYaml(expMeta), lifecycle_stage: 'deleted' }));
  renameSync(path.join(root, experimentId), path.join(root, '.trash', experimentId));
  t.same(await store.searchRuns({ experimentIds: [experimentId] }), []);
  t.notOk((await store.listExperiments()).some((e) => e.name === 'to-delete'));
  t.equal((await store.getExperimentByName('to-delete'))?.lifecycle_stage, 'deleted');
  await t.rejects(store.createRun({ experimentId, runName: 'x', startTime: T0, userId: 'u' }), {
    code: 'INVALID_STATE',
  });

  const restored = await store.createExperiment('to-delete');
  t.equal(restored.experiment_id, experimentId, 'creating it again restores it');
  t.equal(restored.lifecycle_stage, 'active');
  t.ok(
    existsSync(path.join(root, experimentId)) &&
      !existsSync(path.join(root, '.trash', experimentId)),
  );
  t.equal((await store.searchRuns({ experimentIds: [experimentId] })).length, 2, 'with its runs');
});

t.test('artifacts: symbolic links cannot lead out of the run', async (t) => {
  const { root, store } = newStore(t);
  const { experimentId, runId } = await seedRun(store);
  const outside = tempDir(t);
  writeFileSync(path.join(outside, 'secret.txt'), 'secret');
  const artifacts = path.join(root, experimentId, runId, 'artifacts');
  symlinkSync(outside, path.join(artifacts, 'escape-dir'));
  symlinkSync(path.join(outside, 'secret.txt'), path.join(artifacts, 'escape-file'));
  writeFileSync(path.join(artifacts, 'fine.txt'), 'fine');
  symlinkSync(path.join(artifacts, 'fine.txt'), path.join(artifacts, 'inner-link'));

  await t.rejects(store.readArtifact(runId, 'escape-dir/secret.txt'), InvalidParameterError);
  await t.rejects(store.readArtifact(runId, 'escape-file'), InvalidParameterError);
  await t.rejects(store.listArtifacts(runId, 'escape-dir'), InvalidParameterError);
  t.same(
    (await store.listArtifacts(runId)).map((a) => a.path),
    ['fine.txt', 'inner-link'],
    'escaping links are not listed',
  );
  t.equal(
    (await store.readArtifact(runId, 'inner-link')).toString(),
    'fine',
    'a link that stays inside is fine',
  );

  const upload = tempDir(t);
  writeFileSync(path.join(upload, 'x.txt'), 'x');
  await t.rejects(
    store.logArtifacts(runId, upload, 'escape-dir'),
    InvalidParameterError,
    'no writing through a link either',
  );
  t.notOk(existsSync(path.join(outside, 'x.txt')));
  await t.rejects(store.logArtifacts(runId, upload, '../../x'), InvalidParameterError);
  await t.rejects(store.readArtifact(runId, 'model'), NotFoundError);
});

t.test('ping and errors name the folder', async (t) => {
  const dir = tempDir(t);
  const file = path.join(dir, 'not-a-folder');
  writeFileSync(file, 'x');
  const store = new LocalStore(file, { now: Date.now });
  await t.rejects(store.ping(), StoreUnavailableError);
  await t.rejects(store.createExperiment('x'), {
    name: 'StoreUnavailableError',
    message: /not-a-folder/,
  });
  const missing = new LocalStore(path.join(dir, 'fresh'), { now: Date.now });
  await t.rejects(missing.getRun('0123456789abcdef0123456789abcdef'), {
    name: 'NotFoundError',
    message: `run 0123456789abcdef0123456789abcdef not found in ${path.join(dir, 'fresh')}`,
  });
  await t.rejects(missing.getModelVersionByAlias('m', 'production'), NotFoundError);
});

/** uid/gid of an unprivileged account, when this process can switch to it (CI runs as root). */
function unprivileged(): { uid: number; gid: number } | null {
  if (
    process.platform === 'win32' ||
    typeof process.getuid !== 'function' ||
    process.getuid() !== 0
  )
    return null;
  const probe = spawnSync('id', ['-u', 'nobody'], { encoding: 'utf8' });
  const gidProbe = spawnSync('id', ['-g', 'nobody'], { encoding: 'utf8' });
  if (probe.status !== 0 || gidProbe.status !== 0) return null;
  return { uid: Number(probe.stdout.trim()), gid: Number(gidProbe.stdout.trim()) };
}

const permissionUser = unprivileged();
const isRoot = process.platform !== 'win32' && process.getuid?.() === 0;
const permissionSkip =
  process.platform === 'win32'
    ? 'POSIX permissions only'
    : isRoot && permissionUser === null
      ? 'running as root without an unprivileged account (nobody) to switch to'
      : false;

t.test(
  'permissions: a store the user cannot write fails cleanly and stays as it was',
  { skip: permissionSkip },
  async (t) => {
    const { root, store } = newStore(t);
    const { experimentId, runId } = await seedRun(store);
    chmodSync(path.dirname(root), 0o755);
    const before = walk(root).sort();
    const user = permissionUser;
    type Outcome = { ok: boolean; name?: string; code?: string; message?: string; value?: unknown };
    let call: (method: string, args: unknown[]) => Promise<Outcome>;
    if (user !== null) {
      const compiled = buildLocalStore();
      call = async (method, args) => {
        const { stdout } = await execFileAsync(
          process.execPath,
          [path.join(fixtures, 'store-call.mjs'), compiled, root, method, JSON.stringify(args)],
          {
            uid: user.uid,
            gid: user.gid,
            timeout: 60_000,
          },
        );
        return JSON.parse(stdout) as Outcome;
      };
    } else {
      const folders = [root, ...walkDirs(root)];
      for (const dir of folders) chmodSync(dir, 0o555);
      t.teardown(() => {
        for (const dir of folders) chmodSync(dir, 0o755);
      });
      call = async (method, args) => {
        const fresh = new LocalStore(root, { now: Date.now }) as unknown as Record<
          string,
          (...a: unknown[]) => Promise<unknown>
        >;
        try {
          return { ok: true, value: await fresh[method]?.(...args) };
        } catch (error) {
          const e = error as TrackingError;
          return { ok: false, name: e.name, code: e.code, message: e.message };
        }
      };
    }
    const read = await call('getRun', [runId]);
    t.equal(read.ok, true, 'reading works without write permission');
    const write = await call('createExperiment', ['new-one']);
    t.match(write, {
      ok: false,
      name: 'StoreUnavailableError',
      code: 'STORE_UNAVAILABLE',
      message: /permission denied \(EACCES\)/,
    });
    t.match(write.message, root, 'the message names the folder');
    const log = await call('logBatch', [runId, { params: [{ key: 'p', value: '1' }] }]);
    t.match(log, { ok: false, name: 'StoreUnavailableError' });
    t.same(walk(root).sort(), before, 'nothing changed on disk');
    t.same((await store.searchRuns({ experimentIds: [experimentId] })).length, 1);
  },
);

t.test(
  '8 processes at once: distinct runs, versions 1..8 exactly once, one experiment, one alias',
  async (t) => {
    const compiled = buildLocalStore();
    const root = path.join(tempDir(t), 'mlruns');
    const startAt = Date.now() + 1500;
    const workers = Array.from({ length: 8 }, (_, i) =>
      execFileAsync(
        process.execPath,
        [path.join(fixtures, 'concurrent-writer.mjs'), compiled, root, String(i), String(startAt)],
        { timeout: 90_000 },
      ),
    );
    const results = (await Promise.all(workers)).map(
      ({ stdout }) =>
        JSON.parse(stdout) as { experimentId: string; runId: string; version: string },
    );
    t.equal(new Set(results.map((r) => r.experimentId)).size, 1, 'one experiment, created once');
    t.equal(new Set(results.map((r) => r.runId)).size, 8, 'eight distinct run ids');
    t.same(
      results.map((r) => Number(r.version)).sort((a, b) => a - b),
      [1, 2, 3, 4, 5, 6, 7, 8],
      'versions 1..8, each exactly once',
    );
    const store = new LocalStore(root, { now: Date.now });
    const experiments = await store.listExperiments();
    t.same(
      experiments.map((e) => e.name).sort(),
      ['Default', 'concurrent'],
      'no duplicate experiment, one Default',
    );
    const runs = await store.searchRuns({ experimentIds: [results[0]?.experimentId ?? ''] });
    t.equal(runs.length, 8);
    t.ok(
      runs.every((r) => r.info.status === 'FINISHED' && r.data.params.worker !== undefined),
      'no lost write',
    );
    t.same(
      readdirSync(path.join(root, 'models', 'shared_model')).filter((n) => n.startsWith('version-'))
        .length,
      8,
    );
    const alias = readFileSync(
      path.join(root, 'models', 'shared_model', 'aliases', 'production'),
      'utf8',
    );
    t.match(alias, /^[1-8]$/, 'the alias file holds one version');
    const model = await store.getRegisteredModel('shared_model');
    t.same(model.aliases, { production: alias }, 'meta.yaml and the alias folder agree');
    t.equal((await store.getModelVersionByAlias('shared_model', 'production')).version, alias);
    t.same(
      readdirSync(path.join(root, '.irisops.trash')),
      [],
      'every lock released, no staged leftovers',
    );
  },
);

t.test('writes are refused before touching the disk when a name is bad', async (t) => {
  const { root, store } = newStore(t);
  const { runId } = await seedRun(store);
  const before = walk(root).sort();
  await t.rejects(
    store.logBatch(runId, {
      params: [
        { key: 'ok', value: '1' },
        { key: '../../../../etc/x', value: '1' },
      ],
    }),
    InvalidParameterError,
  );
  await t.rejects(
    store.logBatch(runId, {
      params: [
        { key: 'dup', value: '1' },
        { key: 'dup', value: '2' },
      ],
    }),
    InvalidParameterError,
  );
  await t.rejects(store.createRegisteredModel('..'), InvalidParameterError);
  await t.rejects(store.createRegisteredModel('/etc'), InvalidParameterError);
  await t.rejects(store.setAlias('m', 'v3', '1'), InvalidParameterError);
  await t.rejects(store.getRun('../0'), InvalidParameterError);
  await t.rejects(store.getModelVersion('m', '1/../2'), InvalidParameterError);
  t.same(walk(root).sort(), before, 'the store is as it was');
  await writeFile(path.join(root, 'unrelated.txt'), 'x');
});
