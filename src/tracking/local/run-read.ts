/** Reading runs: meta.yaml, the latest metric values, params, tags and dataset inputs. */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { NotFoundError, TrackingError } from '../../errors.js';
import { errorCode } from '../fs-atomic.js';
import type { DatasetInput, LifecycleStage, Metric, ModelOutput, Run, RunInfo } from '../store.js';
import { MLFLOW_RUN_NAME } from '../tags.js';
import type { LocalContext } from './context.js';
import {
  allExperimentDirs,
  isRunFolder,
  META,
  NUMBER_TO_STATUS,
  STATUS_TO_NUMBER,
  TRASH,
  type RunLocation,
} from './layout.js';
import {
  isPlainObject,
  listDirs,
  parsePythonFloat,
  readKeyFiles,
  type Meta,
} from './meta-files.js';
import type { RunStatus } from '../store.js';

function parseRunInfo(
  ctx: LocalContext,
  meta: Meta,
  file: string,
  runDir: string,
  experimentDir: string,
): RunInfo {
  const { field } = ctx;
  const runId = field.optionalString(meta, 'run_id', file) ?? field.string(meta, 'run_uuid', file);
  if (runId !== path.basename(runDir))
    throw ctx.malformed(file, `run_id '${runId}' does not match its folder`);
  const experimentId = field.string(meta, 'experiment_id', file);
  if (experimentId !== path.basename(experimentDir))
    throw ctx.malformed(
      file,
      `experiment_id '${experimentId}' does not match its experiment folder`,
    );
  const rawStatus = meta.status ?? 1;
  const status =
    typeof rawStatus === 'number'
      ? NUMBER_TO_STATUS.get(rawStatus)
      : typeof rawStatus === 'string' && rawStatus in STATUS_TO_NUMBER
        ? (rawStatus as RunStatus)
        : undefined;
  if (status === undefined) throw ctx.malformed(file, `unknown run status '${String(rawStatus)}'`);
  const stage = meta.lifecycle_stage ?? 'active';
  if (stage !== 'active' && stage !== 'deleted')
    throw ctx.malformed(file, `unknown lifecycle_stage '${String(stage)}'`);
  return {
    run_id: runId,
    run_name: field.optionalString(meta, 'run_name', file) ?? '',
    experiment_id: experimentId,
    user_id: field.optionalString(meta, 'user_id', file) ?? '',
    status,
    start_time: field.optionalInteger(meta, 'start_time', file) ?? 0,
    end_time: field.optionalInteger(meta, 'end_time', file),
    artifact_uri: field.optionalString(meta, 'artifact_uri', file) ?? '',
    lifecycle_stage:
      path.basename(path.dirname(experimentDir)) === TRASH ? 'deleted' : (stage as LifecycleStage),
  };
}

/** The info of a run whose meta.yaml holds meta (one just written, say). */
export function runInfoOf(
  ctx: LocalContext,
  meta: Meta,
  experimentDir: string,
  runDir: string,
): RunInfo {
  return parseRunInfo(ctx, meta, path.join(runDir, META), runDir, experimentDir);
}

export async function readRunAt(
  ctx: LocalContext,
  experimentDir: string,
  runDir: string,
): Promise<RunLocation> {
  const file = path.join(runDir, META);
  const meta = await ctx.readMeta(file);
  return {
    experimentDir,
    runDir,
    meta,
    info: parseRunInfo(ctx, meta, file, runDir, experimentDir),
  };
}

export async function locateRun(
  ctx: LocalContext,
  runId: string,
  experimentDirs?: { dir: string }[],
): Promise<RunLocation> {
  for (const { dir: experimentDir } of experimentDirs ?? (await allExperimentDirs(ctx.root))) {
    const runDir = path.join(experimentDir, runId);
    if (!(await isRunFolder(runDir))) continue;
    try {
      return await readRunAt(ctx, experimentDir, runDir);
    } catch (error) {
      if (errorCode(error) === 'ENOENT')
        throw ctx.malformed(path.join(runDir, META), 'the file is missing');
      throw error;
    }
  }
  throw new NotFoundError(`run ${runId} not found in ${ctx.displayUri}`, {
    hint: 'list the runs with: irisops runs ls',
  });
}

/** Several runs found with one listing of the experiment folders (a group being written). */
export async function locateRuns(
  ctx: LocalContext,
  runIds: readonly string[],
): Promise<Map<string, RunLocation>> {
  const dirs = await allExperimentDirs(ctx.root);
  const found = new Map<string, RunLocation>();
  for (const runId of runIds) found.set(runId, await locateRun(ctx, runId, dirs));
  return found;
}

export function requireActive(location: RunLocation): void {
  if (location.info.lifecycle_stage !== 'active') {
    throw new TrackingError(
      'INVALID_STATE',
      `run ${location.info.run_id} is deleted; it cannot be changed`,
    );
  }
}

function parseMetricLines(ctx: LocalContext, key: string, text: string, file: string): Metric[] {
  const metrics: Metric[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const parts = line.trim().split(' ');
    if (parts.length !== 2 && parts.length !== 3 && parts.length !== 5)
      throw ctx.malformed(file, `a metric line has ${parts.length} fields, expected 2, 3 or 5`);
    const timestamp = Number(parts[0]);
    const value = parsePythonFloat(parts[1] as string);
    const step = parts.length >= 3 ? Number(parts[2]) : 0;
    if (!Number.isInteger(timestamp) || !Number.isInteger(step) || value === null) {
      throw ctx.malformed(file, `unreadable metric line ${JSON.stringify(line.slice(0, 60))}`);
    }
    metrics.push({ key, value, timestamp, step });
  }
  return metrics;
}

/** MLflow's latest value: the highest step, then the latest timestamp, then the largest value. */
function latestMetric(history: Metric[]): Metric | undefined {
  let best: Metric | undefined;
  for (const m of history) {
    if (
      best === undefined ||
      m.step > best.step ||
      (m.step === best.step &&
        (m.timestamp > best.timestamp || (m.timestamp === best.timestamp && m.value > best.value)))
    ) {
      best = m;
    }
  }
  return best;
}

/**
 * Dataset meta.yaml files already read in one listing, by path: every run of an experiment
 * trained on the same data links the same dataset, so a listing reads it once.
 */
export type DatasetCache = Map<string, Promise<Meta>>;

function readDataset(ctx: LocalContext, file: string, cache?: DatasetCache): Promise<Meta> {
  if (cache === undefined) return ctx.readMeta(file);
  let meta = cache.get(file);
  if (meta === undefined) {
    meta = ctx.readMeta(file);
    cache.set(file, meta);
  }
  return meta;
}

async function readInput(
  ctx: LocalContext,
  location: RunLocation,
  file: string,
  cache?: DatasetCache,
): Promise<DatasetInput | null> {
  const { field } = ctx;
  const link = await ctx.readMeta(file);
  if (link.source_type !== 'DATASET') return null;
  const datasetId = field.string(link, 'source_id', file);
  if (!/^[0-9a-f]{32}$/.test(datasetId))
    throw ctx.malformed(file, `source_id '${datasetId}' is not a dataset id`);
  const datasetFile = path.join(location.experimentDir, 'datasets', datasetId, META);
  let dataset: Meta;
  try {
    dataset = await readDataset(ctx, datasetFile, cache);
  } catch (error) {
    // MLflow skips an input whose dataset is gone; so does irisops.
    if (errorCode(error) === 'ENOENT') return null;
    throw error;
  }
  const rawTags = link.tags ?? {};
  if (!isPlainObject(rawTags)) throw ctx.malformed(file, "field 'tags' is not a mapping");
  const input: DatasetInput = {
    name: field.string(dataset, 'name', datasetFile),
    digest: field.string(dataset, 'digest', datasetFile),
    source_type: field.string(dataset, 'source_type', datasetFile),
    source: field.string(dataset, 'source', datasetFile),
    tags: Object.fromEntries(Object.entries(rawTags).map(([k, v]) => [k, String(v)])),
  };
  const schema = field.optionalString(dataset, 'schema', datasetFile);
  const profile = field.optionalString(dataset, 'profile', datasetFile);
  if (schema !== null) input.schema = schema;
  if (profile !== null) input.profile = profile;
  return input;
}

async function readInputs(
  ctx: LocalContext,
  location: RunLocation,
  cache?: DatasetCache,
): Promise<DatasetInput[]> {
  const inputsDir = path.join(location.runDir, 'inputs');
  const ids = (await listDirs(inputsDir)).sort();
  const inputs = await Promise.all(
    ids.map((id) => readInput(ctx, location, path.join(inputsDir, id, META), cache)),
  );
  return inputs.filter((i): i is DatasetInput => i !== null);
}

/** outputs/<model_id>/meta.yaml: the models the run produced (FileStore._get_model_outputs) */
async function readOutputs(ctx: LocalContext, location: RunLocation): Promise<ModelOutput[]> {
  const outputsDir = path.join(location.runDir, 'outputs');
  const outputs: ModelOutput[] = [];
  for (const id of (await listDirs(outputsDir)).sort()) {
    const file = path.join(outputsDir, id, META);
    const link = await ctx.readMeta(file);
    if (link.destination_type !== 'MODEL_OUTPUT') continue;
    outputs.push({
      model_id: ctx.field.string(link, 'destination_id', file),
      step: ctx.field.optionalInteger(link, 'step', file) ?? 0,
    });
  }
  return outputs;
}

export async function readRunData(
  ctx: LocalContext,
  location: RunLocation,
  cache?: DatasetCache,
): Promise<Run> {
  const metricsDir = path.join(location.runDir, 'metrics');
  const [metricFiles, params, tags, inputs, outputs] = await Promise.all([
    readKeyFiles(metricsDir),
    readKeyFiles(path.join(location.runDir, 'params')),
    readKeyFiles(path.join(location.runDir, 'tags')),
    readInputs(ctx, location, cache),
    readOutputs(ctx, location),
  ]);
  const metrics: [string, number][] = [];
  for (const [key, text] of metricFiles) {
    const latest = latestMetric(parseMetricLines(ctx, key, text, path.join(metricsDir, key)));
    if (latest !== undefined) metrics.push([key, latest.value]);
  }
  const tagMap = Object.fromEntries(tags);
  const info = { ...location.info };
  if (info.run_name === '' && typeof tagMap[MLFLOW_RUN_NAME] === 'string')
    info.run_name = tagMap[MLFLOW_RUN_NAME];
  return {
    info,
    data: {
      params: Object.fromEntries(params),
      metrics: Object.fromEntries(metrics),
      tags: tagMap,
    },
    inputs,
    outputs,
  };
}

export async function getMetricHistory(
  ctx: LocalContext,
  runId: string,
  key: string,
): Promise<Metric[]> {
  const location = await locateRun(ctx, runId);
  const file = path.join(location.runDir, 'metrics', key);
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    if (errorCode(error) === 'ENOENT' || errorCode(error) === 'EISDIR') return [];
    throw error;
  }
  return parseMetricLines(ctx, key, text, file);
}

/** One active run of an experiment folder, or null when the folder is not (or no longer) one. */
export async function readActiveRun(
  ctx: LocalContext,
  experimentDir: string,
  name: string,
  cache?: DatasetCache,
): Promise<Run | null> {
  const runDir = path.join(experimentDir, name);
  if (!(await isRunFolder(runDir))) return null;
  const location = await readRunAt(ctx, experimentDir, runDir);
  if (location.info.lifecycle_stage !== 'active') return null;
  return readRunData(ctx, location, cache);
}
