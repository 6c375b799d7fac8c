/** Writing runs: create, log params/metrics/tags and dataset inputs, set the status. */
import { createHash, randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { InvalidParameterError, TrackingError } from '../../errors.js';
import { errorCode, makeStagingDir, publishDir } from '../fs-atomic.js';
import { quote } from '../names.js';
import type {
  CreateRunRequest,
  DatasetInput,
  LogBatchRequest,
  Metric,
  RunInfo,
  RunStatus,
} from '../store.js';
import { MLFLOW_RUN_NAME } from '../tags.js';
import type { LocalContext } from './context.js';
import { getExperiment } from './experiments.js';
import { META, SOURCE_TYPE_LOCAL, STATUS_TO_NUMBER, type RunLocation } from './layout.js';
import { modelMetricWriter } from './logged-models.js';
import { dumpYaml, exists, formatMetricValue } from './meta-files.js';
import { locateRun, readRunAt, requireActive } from './run-read.js';

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

/** Called under the lock, after checkCreateRun. */
export async function createRun(ctx: LocalContext, request: CreateRunRequest): Promise<RunInfo> {
  const tags: Record<string, string> = { ...(request.tags ?? {}) };
  const runId = randomUUID().replace(/-/g, '');
  const runName =
    request.runName !== ''
      ? request.runName
      : (tags[MLFLOW_RUN_NAME] ?? `run-${runId.slice(0, 8)}`);
  tags[MLFLOW_RUN_NAME] = runName;
  const experiment = await getExperiment(ctx, request.experimentId);
  if (experiment.lifecycle_stage !== 'active') {
    throw new TrackingError(
      'INVALID_STATE',
      `experiment ${request.experimentId} (${experiment.name}) is deleted; restore it before adding runs`,
    );
  }
  const experimentDir = path.join(ctx.root, request.experimentId);
  const artifactUri = `${experiment.artifact_location.replace(/\/+$/, '')}/${runId}/artifacts`;
  const stage = await makeStagingDir(ctx.scratch, `run-${runId}`);
  try {
    for (const sub of ['metrics', 'params', 'artifacts', 'tags'])
      await fs.mkdir(path.join(stage, sub), { recursive: true });
    const meta = dumpYaml(runMeta(request, runId, runName, artifactUri));
    await ctx.writeFiles([
      [path.join(stage, META), meta],
      ...Object.entries(tags).map(
        ([key, value]) => [path.join(stage, 'tags', key), value] as const,
      ),
    ]);
    if (!(await publishDir(stage, path.join(experimentDir, runId)))) {
      throw new TrackingError(
        'RESOURCE_ALREADY_EXISTS',
        `run ${runId} already exists in ${ctx.displayUri}`,
      );
    }
  } finally {
    await fs.rm(stage, { recursive: true, force: true });
  }
  return (await readRunAt(ctx, experimentDir, path.join(experimentDir, runId))).info;
}

async function appendMetrics(ctx: LocalContext, runDir: string, metrics: Metric[]): Promise<void> {
  const byKey = new Map<string, Metric[]>();
  for (const m of metrics) byKey.set(m.key, [...(byKey.get(m.key) ?? []), m]);
  const files = await Promise.all(
    [...byKey].map(async ([key, list]) => {
      const file = path.join(runDir, 'metrics', key);
      const previous = (await readOptional(file)) ?? '';
      const lines = list
        .map((m) => `${m.timestamp} ${formatMetricValue(m.value)} ${m.step}\n`)
        .join('');
      const glue = previous === '' || previous.endsWith('\n') ? '' : '\n';
      return [file, previous + glue + lines] as const;
    }),
  );
  // MLflow appends; irisops rewrites the whole file atomically so a crash never leaves a torn line.
  await ctx.writeFiles(files);
}

/** Called under the lock, after checkLogBatch. */
export async function logBatch(
  ctx: LocalContext,
  runId: string,
  batch: LogBatchRequest,
): Promise<void> {
  const params = batch.params ?? [];
  const location = await locateRun(ctx, runId);
  requireActive(location);
  // Params are immutable in MLflow: refuse a changed value before writing anything.
  for (const p of params) {
    const existing = await readOptional(path.join(location.runDir, 'params', p.key));
    if (existing !== null && existing !== p.value) {
      throw new InvalidParameterError(
        `param ${quote(p.key)} of run ${runId} is already ${quote(existing)}; params cannot change (tried ${quote(p.value)})`,
      );
    }
  }
  const writeModelMetrics = await modelMetricWriter(ctx, location, batch.metrics ?? []);
  await ctx.writeFiles(params.map((p) => [path.join(location.runDir, 'params', p.key), p.value]));
  await appendMetrics(ctx, location.runDir, batch.metrics ?? []);
  await writeModelMetrics();
  for (const t of batch.tags ?? []) {
    if (t.key === MLFLOW_RUN_NAME) {
      await ctx.writeYaml(path.join(location.runDir, META), {
        ...location.meta,
        run_name: t.value,
      });
    }
    await ctx.writeFile(path.join(location.runDir, 'tags', t.key), t.value);
  }
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
  const location = await locateRun(ctx, runId);
  requireActive(location);
  await ctx.writeYaml(path.join(location.runDir, META), {
    ...location.meta,
    status: STATUS_TO_NUMBER[status],
    end_time: endTime,
  });
  return (await readRunAt(ctx, location.experimentDir, location.runDir)).info;
}
