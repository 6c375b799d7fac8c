/** Writing runs: create, log params/metrics/tags and dataset inputs, set the status. */
import { createHash, randomUUID } from 'node:crypto';
import { mkdirSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { InvalidParameterError, TrackingError } from '../../errors.js';
import { errorCode, makeStagingDir, publishDir } from '../fs-atomic.js';
import { quote } from '../names.js';
import type {
  CreateRunRequest,
  CreateRunWithParams,
  DatasetInput,
  Experiment,
  LogBatchRequest,
  Metric,
  RunInfo,
  RunStatus,
  RunUpdate,
} from '../store.js';
import { MLFLOW_RUN_NAME } from '../tags.js';
import type { LocalContext } from './context.js';
import { getExperiment } from './experiments.js';
import { META, SOURCE_TYPE_LOCAL, STATUS_TO_NUMBER, type RunLocation } from './layout.js';
import { modelMetricWriter } from './logged-models.js';
import { dumpYaml, exists, formatMetricValue } from './meta-files.js';
import { locateRun, locateRuns, requireActive, runInfoOf } from './run-read.js';

function md5Hex(...parts: string[]): string {
  const hash = createHash('md5');
  for (const part of parts) hash.update(part, 'utf8');
  return hash.digest('hex');
}

async function readOptional(file: string): Promise<string | null> {
  return fs.readFile(file, 'utf8').catch((error: unknown) => {
    if (errorCode(error) === 'ENOENT') return null;
    throw error;
  });
}

function runMeta(request: CreateRunRequest, runId: string, runName: string, artifactUri: string) {
  return {
    artifact_uri: artifactUri,
    deleted_time: null,
    end_time: null,
    entry_point_name: '',
    experiment_id: request.experimentId,
    lifecycle_stage: 'active',
    run_id: runId,
    run_name: runName,
    source_name: '',
    source_type: SOURCE_TYPE_LOCAL,
    source_version: '',
    start_time: request.startTime,
    status: STATUS_TO_NUMBER.RUNNING,
    tags: [],
    user_id: request.userId,
  };
}

/** A run built aside: its files, written fresh into stage, then stage renamed to target. */
interface StagedRun {
  stage: string;
  target: string;
  meta: ReturnType<typeof runMeta>;
  files: [string, string][];
}

async function activeExperiment(ctx: LocalContext, experimentId: string): Promise<Experiment> {
  const experiment = await getExperiment(ctx, experimentId);
  if (experiment.lifecycle_stage !== 'active') {
    throw new TrackingError(
      'INVALID_STATE',
      `experiment ${experimentId} (${experiment.name}) is deleted; restore it before adding runs`,
    );
  }
  return experiment;
}

async function stageRun(
  ctx: LocalContext,
  request: CreateRunWithParams,
  experiment: Experiment,
): Promise<StagedRun> {
  const tags: Record<string, string> = { ...(request.tags ?? {}) };
  const runId = randomUUID().replace(/-/g, '');
  const runName =
    request.runName !== ''
      ? request.runName
      : (tags[MLFLOW_RUN_NAME] ?? `run-${runId.slice(0, 8)}`);
  tags[MLFLOW_RUN_NAME] = runName;
  const artifactUri = `${experiment.artifact_location.replace(/\/+$/, '')}/${runId}/artifacts`;
  const stage = await makeStagingDir(ctx.scratch, `run-${runId}`);
  try {
    // MLflow takes a folder for a run only once metrics/, params/ and artifacts/ are there
    for (const sub of ['metrics', 'params', 'artifacts', 'tags']) mkdirSync(path.join(stage, sub));
  } catch (error) {
    // not yet on the caller's list of stages to remove
    await fs.rm(stage, { recursive: true, force: true });
    throw error;
  }
  const meta = runMeta(request, runId, runName, artifactUri);
  return {
    stage,
    target: path.join(ctx.root, request.experimentId, runId),
    meta,
    files: [
      [path.join(stage, META), dumpYaml(meta)],
      ...Object.entries(tags).map(([key, value]): [string, string] => [
        path.join(stage, 'tags', key),
        value,
      ]),
      ...(request.params ?? []).map((p): [string, string] => [
        path.join(stage, 'params', p.key),
        p.value,
      ]),
    ],
  };
}

/**
 * Called under the lock, after checkCreateRuns: every run's folder is built aside, all their
 * files are written in one go, then each folder appears with one rename, complete.
 */
export async function createRuns(
  ctx: LocalContext,
  requests: readonly CreateRunWithParams[],
): Promise<RunInfo[]> {
  const experiments = new Map<string, Experiment>();
  const staged: StagedRun[] = [];
  try {
    for (const request of requests) {
      const id = request.experimentId;
      const experiment = experiments.get(id) ?? (await activeExperiment(ctx, id));
      experiments.set(id, experiment);
      staged.push(await stageRun(ctx, request, experiment));
    }
    await ctx.writeFiles(
      staged.flatMap((s) => s.files),
      { fresh: true },
    );
    for (const s of staged) {
      if (!(await publishDir(s.stage, s.target))) {
        throw new TrackingError(
          'RESOURCE_ALREADY_EXISTS',
          `run ${path.basename(s.target)} already exists in ${ctx.displayUri}`,
        );
      }
    }
  } finally {
    await Promise.all(staged.map((s) => fs.rm(s.stage, { recursive: true, force: true })));
  }
  // what was just written, as a read of it would give it
  return staged.map((s) => runInfoOf(ctx, s.meta, path.dirname(s.target), s.target));
}

/** Called under the lock, after checkCreateRun. */
export async function createRun(ctx: LocalContext, request: CreateRunRequest): Promise<RunInfo> {
  return (await createRuns(ctx, [request]))[0] as RunInfo;
}

async function metricFiles(
  runDir: string,
  metrics: readonly Metric[],
): Promise<[string, string][]> {
  const byKey = new Map<string, Metric[]>();
  for (const m of metrics) byKey.set(m.key, [...(byKey.get(m.key) ?? []), m]);
  return Promise.all(
    [...byKey].map(async ([key, list]): Promise<[string, string]> => {
      const file = path.join(runDir, 'metrics', key);
      const previous = (await readOptional(file)) ?? '';
      const lines = list
        .map((m) => `${m.timestamp} ${formatMetricValue(m.value)} ${m.step}\n`)
        .join('');
      const glue = previous === '' || previous.endsWith('\n') ? '' : '\n';
      // MLflow appends; irisops rewrites the whole file atomically so a crash never leaves a torn line.
      return [file, previous + glue + lines];
    }),
  );
}

/** What one run's batch (and status) writes: its files, and model metrics to write after. */
interface RunChanges {
  files: [string, string][];
  after: () => Promise<void>;
  info: RunInfo;
}

async function planUpdate(
  ctx: LocalContext,
  location: RunLocation,
  update: RunUpdate,
): Promise<RunChanges> {
  requireActive(location);
  const batch = update.batch ?? {};
  const { runDir } = location;
  // Params are immutable in MLflow: refuse a changed value before writing anything.
  for (const p of batch.params ?? []) {
    const existing = await readOptional(path.join(runDir, 'params', p.key));
    if (existing !== null && existing !== p.value) {
      throw new InvalidParameterError(
        `param ${quote(p.key)} of run ${location.info.run_id} is already ${quote(existing)}; params cannot change (tried ${quote(p.value)})`,
      );
    }
  }
  const after = await modelMetricWriter(ctx, location, batch.metrics ?? []);
  const files: [string, string][] = [
    ...(batch.params ?? []).map((p): [string, string] => [
      path.join(runDir, 'params', p.key),
      p.value,
    ]),
    ...(await metricFiles(runDir, batch.metrics ?? [])),
    ...(batch.tags ?? []).map((t): [string, string] => [path.join(runDir, 'tags', t.key), t.value]),
  ];
  let meta = location.meta;
  // the last of a batch's run names wins, as writing the tags one by one would leave it
  for (const t of batch.tags ?? [])
    if (t.key === MLFLOW_RUN_NAME) meta = { ...meta, run_name: t.value };
  if (update.status !== undefined)
    meta = { ...meta, status: STATUS_TO_NUMBER[update.status], end_time: update.endTime ?? null };
  if (meta === location.meta) return { files, after, info: location.info };
  files.push([path.join(runDir, META), dumpYaml(meta)]);
  return { files, after, info: runInfoOf(ctx, meta, location.experimentDir, runDir) };
}

/**
 * Called under the lock, after checkUpdateRuns: each run's batch and status, every file of
 * the group written in one go. A run named twice is done in a second round, after the first
 * is written, so its second update starts from what the first wrote.
 */
export async function updateRuns(
  ctx: LocalContext,
  updates: readonly RunUpdate[],
): Promise<RunInfo[]> {
  const infos: RunInfo[] = [];
  // by position, not by object: one update object passed twice is still two updates
  let rest = updates.map((_, i) => i);
  while (rest.length > 0) {
    const seen = new Set<string>();
    const round: number[] = [];
    const later: number[] = [];
    for (const i of rest) {
      const { runId } = updates[i] as RunUpdate;
      if (seen.has(runId)) {
        later.push(i);
      } else {
        round.push(i);
        seen.add(runId);
      }
    }
    rest = later;
    const locations = await locateRuns(ctx, [...seen]);
    const changes: RunChanges[] = [];
    for (const i of round) {
      const u = updates[i] as RunUpdate;
      changes.push(await planUpdate(ctx, locations.get(u.runId) as RunLocation, u));
    }
    await ctx.writeFiles(changes.flatMap((c) => c.files));
    for (const [k, c] of changes.entries()) {
      await c.after();
      infos[round[k] as number] = c.info;
    }
  }
  // each run as its update left it, as a read of it would give it
  return infos;
}

/** Called under the lock, after checkLogBatch. */
export async function logBatch(
  ctx: LocalContext,
  runId: string,
  batch: LogBatchRequest,
): Promise<void> {
  await updateRuns(ctx, [{ runId, batch }]);
}

async function linkDataset(
  ctx: LocalContext,
  location: RunLocation,
  d: DatasetInput,
): Promise<void> {
  const datasetId = md5Hex(d.name, d.digest);
  const datasetsDir = path.join(location.experimentDir, 'datasets');
  if (!(await exists(path.join(datasetsDir, datasetId)))) {
    await fs.mkdir(datasetsDir, { recursive: true });
    await ctx.publishFolder(path.join(datasetsDir, datasetId), {
      digest: d.digest,
      name: d.name,
      profile: d.profile ?? null,
      schema: d.schema ?? null,
      source: d.source,
      source_type: d.source_type,
    });
  }
  const inputId = md5Hex(datasetId, location.info.run_id);
  const inputsDir = path.join(location.runDir, 'inputs');
  if (!(await exists(path.join(inputsDir, inputId)))) {
    await fs.mkdir(inputsDir, { recursive: true });
    // destination_id repeats the dataset id: MLflow's FileStore writes it so, and reads
    // only source_id, so irisops writes the same bytes.
    await ctx.publishFolder(path.join(inputsDir, inputId), {
      destination_id: datasetId,
      destination_type: 'RUN',
      source_id: datasetId,
      source_type: 'DATASET',
      tags: { ...(d.tags ?? {}) },
    });
  }
}

/** Called under the lock, after checkLogInputs. */
export async function logInputs(
  ctx: LocalContext,
  runId: string,
  datasets: DatasetInput[],
): Promise<void> {
  const location = await locateRun(ctx, runId);
  requireActive(location);
  for (const d of datasets) await linkDataset(ctx, location, d);
}

/** Called under the lock, after checkUpdateRun. */
export async function updateRun(
  ctx: LocalContext,
  runId: string,
  status: RunStatus,
  endTime: number | null,
): Promise<RunInfo> {
  return (await updateRuns(ctx, [{ runId, status, endTime }]))[0] as RunInfo;
}
