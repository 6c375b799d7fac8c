/**
 * MLflow 3's logged models in its FileStore layout (file_store.py create_logged_model,
 * finalize_logged_model, log_outputs, _log_model_metric):
 *
 *   <exp_id>/models/<model_id>/meta.yaml, params/<key>, tags/<key>, metrics/<key>, artifacts/
 *   <exp_id>/<run_id>/outputs/<model_id>/meta.yaml        the run -> model link
 *
 * A model metric line is "<timestamp> <value> <step> <run_id>": the run that logged it.
 */
import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { InvalidParameterError, NotFoundError, TrackingError } from '../../errors.js';
import { errorCode } from '../fs-atomic.js';
import { quote } from '../names.js';
import type {
  CreateLoggedModelRequest,
  LoggedModel,
  LoggedModelStatus,
  Metric,
  ModelOutput,
} from '../store.js';
import { uploadFolder, type ArtifactOwner } from './artifacts.js';
import type { LocalContext } from './context.js';
import { getExperiment } from './experiments.js';
import { allExperimentDirs, META, MODELS, type RunLocation } from './layout.js';
import { exists, formatMetricValue, isDir, parsePythonFloat, readKeyFiles } from './meta-files.js';
import { locateRun, requireActive } from './run-read.js';

/** LoggedModelStatus.to_int(): what meta.yaml holds */
const STATUS_TO_NUMBER: Record<LoggedModelStatus, number> = { PENDING: 1, READY: 2, FAILED: 3 };
const NUMBER_TO_STATUS = new Map(
  Object.entries(STATUS_TO_NUMBER).map(([k, v]) => [v, k as LoggedModelStatus]),
);

interface ModelLocation {
  dir: string;
  meta: Record<string, unknown>;
}

/** The folder of a model: MLflow's _find_model_root looks in every experiment, deleted too. */
async function locateModel(ctx: LocalContext, modelId: string): Promise<ModelLocation> {
  for (const { dir: experimentDir } of await allExperimentDirs(ctx.root)) {
    const dir = path.join(experimentDir, MODELS, modelId);
    if (!(await isDir(dir))) continue;
    const file = path.join(dir, META);
    const meta = await ctx.readMeta(file).catch((error: unknown) => {
      if (errorCode(error) === 'ENOENT') throw ctx.malformed(file, 'the file is missing');
      throw error;
    });
    if (meta.lifecycle_stage === 'deleted') break;
    if (ctx.field.string(meta, 'model_id', file) !== modelId)
      throw ctx.malformed(file, `model_id does not match its folder '${modelId}'`);
    return { dir, meta };
  }
  throw new NotFoundError(`logged model ${modelId} not found in ${ctx.displayUri}`);
}

function parseModelMetrics(
  ctx: LocalContext,
  key: string,
  text: string,
  file: string,
): LoggedModel['metrics'] {
  const out: LoggedModel['metrics'] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const parts = line.trim().split(' ');
    const timestamp = Number(parts[0]);
    const value = parsePythonFloat(parts[1] ?? '');
    const step = Number(parts[2]);
    if (
      parts.length < 4 ||
      !Number.isInteger(timestamp) ||
      !Number.isInteger(step) ||
      value === null
    )
      throw ctx.malformed(
        file,
        `unreadable model metric line ${JSON.stringify(line.slice(0, 60))}`,
      );
    out.push({ key, value, timestamp, step, run_id: parts[3] ?? null });
  }
  return out;
}

async function readModel(ctx: LocalContext, location: ModelLocation): Promise<LoggedModel> {
  const { dir, meta } = location;
  const file = path.join(dir, META);
  const { field } = ctx;
  const status = NUMBER_TO_STATUS.get(Number(meta.status));
  if (status === undefined)
    throw ctx.malformed(file, `unknown logged model status '${String(meta.status)}'`);
  const [params, tags, metricFiles] = await Promise.all(
    ['params', 'tags', 'metrics'].map((sub) => readKeyFiles(path.join(dir, sub))),
  );
  const metrics = [...(metricFiles ?? [])].flatMap(([key, text]) =>
    parseModelMetrics(ctx, key, text, path.join(dir, 'metrics', key)),
  );
  return {
    model_id: field.string(meta, 'model_id', file),
    experiment_id: field.string(meta, 'experiment_id', file),
    name: field.string(meta, 'name', file),
    artifact_location: field.string(meta, 'artifact_location', file),
    creation_timestamp: field.optionalInteger(meta, 'creation_timestamp', file) ?? 0,
    last_updated_timestamp: field.optionalInteger(meta, 'last_updated_timestamp', file) ?? 0,
    source_run_id: field.optionalString(meta, 'source_run_id', file),
    status,
    model_type: field.optionalString(meta, 'model_type', file),
    params: Object.fromEntries(params ?? []),
    tags: Object.fromEntries(tags ?? []),
    metrics,
  };
}

export async function getLoggedModel(ctx: LocalContext, modelId: string): Promise<LoggedModel> {
  return readModel(ctx, await locateModel(ctx, modelId));
}

/** Called under the lock, after checkCreateLoggedModel. */
export async function createLoggedModel(
  ctx: LocalContext,
  request: CreateLoggedModelRequest,
): Promise<LoggedModel> {
  const experiment = await getExperiment(ctx, request.experimentId);
  if (experiment.lifecycle_stage !== 'active')
    throw new TrackingError(
      'INVALID_STATE',
      `experiment ${request.experimentId} (${experiment.name}) is deleted; restore it before logging models`,
    );
  if (request.sourceRunId !== null) await locateRun(ctx, request.sourceRunId);
  const modelId = `m-${randomUUID().replace(/-/g, '')}`;
  const modelsDir = path.join(ctx.root, request.experimentId, MODELS);
  const now = ctx.timestamp();
  await fs.mkdir(modelsDir, { recursive: true });
  const published = await ctx.publishFolder(
    path.join(modelsDir, modelId),
    {
      artifact_location: `${experiment.artifact_location.replace(/\/+$/, '')}/${MODELS}/${modelId}/artifacts`,
      creation_timestamp: now,
      experiment_id: request.experimentId,
      last_updated_timestamp: now,
      lifecycle_stage: 'active',
      model_id: modelId,
      model_type: request.modelType ?? null,
      name: request.name,
      source_run_id: request.sourceRunId,
      status: STATUS_TO_NUMBER.PENDING,
      status_message: null,
    },
    async (stage) => {
      for (const sub of ['metrics', 'params', 'tags'])
        await fs.mkdir(path.join(stage, sub), { recursive: true });
      await ctx.writeFiles([
        ...Object.entries(request.params ?? {}).map(
          ([key, value]) => [path.join(stage, 'params', key), value] as const,
        ),
        ...Object.entries(request.tags ?? {}).map(
          ([key, value]) => [path.join(stage, 'tags', key), value] as const,
        ),
      ]);
    },
  );
  if (!published)
    throw new TrackingError('RESOURCE_ALREADY_EXISTS', `logged model ${modelId} already exists`);
  return getLoggedModel(ctx, modelId);
}

/** Called under the lock. */
export async function finalizeLoggedModel(
  ctx: LocalContext,
  modelId: string,
  status: LoggedModelStatus,
): Promise<LoggedModel> {
  const location = await locateModel(ctx, modelId);
  await ctx.writeYaml(path.join(location.dir, META), {
    ...location.meta,
    status: STATUS_TO_NUMBER[status],
    last_updated_timestamp: ctx.timestamp(),
  });
  return getLoggedModel(ctx, modelId);
}

/** The model's own files, for reading: the artifacts/ folder under the model's folder. */
export async function modelArtifacts(ctx: LocalContext, modelId: string): Promise<ArtifactOwner> {
  const { dir } = await locateModel(ctx, modelId);
  return { dir: path.join(dir, 'artifacts'), label: `logged model ${modelId}` };
}

/** The model's artifacts/ folder: file_store puts it under the model's own folder. */
export async function logLoggedModelArtifacts(
  ctx: LocalContext,
  modelId: string,
  localDir: string,
): Promise<void> {
  const source = path.resolve(localDir);
  if (!(await isDir(source)))
    throw new InvalidParameterError(
      `${localDir} is not a folder; a model's artifacts are a folder`,
    );
  try {
    await ctx.ensureRoot();
    const { dir } = await locateModel(ctx, modelId);
    const artifacts = path.join(dir, 'artifacts');
    await fs.mkdir(artifacts, { recursive: true });
    await uploadFolder(ctx, source, await fs.realpath(artifacts), '', true);
  } catch (error) {
    throw ctx.translate(error, 'write');
  }
}

/**
 * Metrics that name a model go to that model's metrics too (FileStore.log_batch), with the
 * run that logged them. Checked before anything is written: an unknown model refuses the
 * whole batch.
 */
export async function modelMetricWriter(
  ctx: LocalContext,
  location: RunLocation,
  metrics: readonly Metric[],
): Promise<() => Promise<void>> {
  const dirs = new Map<string, string>();
  for (const m of metrics) {
    if (m.model_id === undefined || dirs.has(m.model_id)) continue;
    const dir = path.join(location.experimentDir, MODELS, m.model_id);
    if (!(await exists(path.join(dir, META))))
      throw new NotFoundError(
        `logged model ${m.model_id} not found in experiment ${location.info.experiment_id} (metric ${quote(m.key)})`,
      );
    dirs.set(m.model_id, dir);
  }
  return async () => {
    for (const m of metrics) {
      const dir = m.model_id === undefined ? undefined : dirs.get(m.model_id);
      if (dir === undefined) continue;
      const file = path.join(dir, 'metrics', m.key);
      const previous = await fs.readFile(file, 'utf8').catch(() => '');
      const line = `${m.timestamp} ${formatMetricValue(m.value)} ${m.step} ${location.info.run_id}\n`;
      await ctx.writeFile(file, previous + line);
    }
  };
}

/** Called under the lock, after checkLogOutputs: one outputs/<model_id>/meta.yaml per model. */
export async function logOutputs(
  ctx: LocalContext,
  runId: string,
  outputs: readonly ModelOutput[],
): Promise<void> {
  const location = await locateRun(ctx, runId);
  requireActive(location);
  for (const o of outputs) await locateModel(ctx, o.model_id);
  const outputsDir = path.join(location.runDir, 'outputs');
  for (const o of outputs) {
    if (await exists(path.join(outputsDir, o.model_id))) continue;
    await fs.mkdir(outputsDir, { recursive: true });
    // destination_id repeats the model id: MLflow's _FileStoreOutput.write_yaml writes it so
    await ctx.publishFolder(path.join(outputsDir, o.model_id), {
      destination_id: o.model_id,
      destination_type: 'MODEL_OUTPUT',
      source_id: o.model_id,
      source_type: 'RUN_OUTPUT',
      step: o.step,
      tags: {},
    });
  }
}
