/**
 * The MLflow REST wire format: JSON bodies to and from irisops' TrackingStore types, log-batch
 * packing within the server's request limits, and the paging loop every search uses.
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { InvalidParameterError } from '../errors.js';
import { double, wireDouble } from './metric-json.js';
import type {
  DatasetInput,
  Experiment,
  LifecycleStage,
  LogBatchRequest,
  LoggedModel,
  LoggedModelStatus,
  Metric,
  ModelVersion,
  ModelVersionStatus,
  RegisteredModel,
  Run,
  RunInfo,
  Tag,
} from './store.js';
import { BATCH_LIMITS, RUN_STATUSES } from './validation.js';

export type Json = Record<string, unknown>;

export function obj(value: unknown): Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Json)
    : {};
}

export function list(value: unknown): Json[] {
  return Array.isArray(value) ? value.map(obj) : [];
}

export function str(value: unknown, fallback = ''): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  return fallback;
}

export function int(value: unknown): number | null {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)))
    return Number(value);
  return null;
}

export function keyValues(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of list(value)) out[str(entry.key)] = str(entry.value);
  return out;
}

export function toWireTags(tags: Record<string, string> | undefined): Tag[] {
  return Object.entries(tags ?? {}).map(([key, value]) => ({ key, value }));
}

export function stage(value: unknown): LifecycleStage {
  return value === 'deleted' ? 'deleted' : 'active';
}

export const versionStatuses: readonly ModelVersionStatus[] = [
  'PENDING_REGISTRATION',
  'FAILED_REGISTRATION',
  'READY',
];

export function toExperiment(value: unknown): Experiment {
  const e = obj(value);
  return {
    experiment_id: str(e.experiment_id),
    name: str(e.name),
    artifact_location: str(e.artifact_location),
    lifecycle_stage: stage(e.lifecycle_stage),
    creation_time: int(e.creation_time),
    last_update_time: int(e.last_update_time),
    tags: keyValues(e.tags),
  };
}

export function toRunInfo(value: unknown): RunInfo {
  const i = obj(value);
  const status = str(i.status);
  return {
    run_id: str(i.run_id) || str(i.run_uuid),
    run_name: str(i.run_name),
    experiment_id: str(i.experiment_id),
    user_id: str(i.user_id),
    status: RUN_STATUSES.find((s) => s === status) ?? 'RUNNING',
    start_time: int(i.start_time) ?? 0,
    end_time: int(i.end_time),
    artifact_uri: str(i.artifact_uri),
    lifecycle_stage: stage(i.lifecycle_stage),
  };
}

export function toMetric(value: unknown): Metric {
  const m = obj(value);
  return {
    key: str(m.key),
    value: double(m.value),
    timestamp: int(m.timestamp) ?? 0,
    step: int(m.step) ?? 0,
  };
}

export function toRun(value: unknown): Run {
  const r = obj(value);
  const data = obj(r.data);
  const metrics: Record<string, number> = {};
  for (const metric of list(data.metrics)) metrics[str(metric.key)] = double(metric.value);
  const inputs: DatasetInput[] = list(obj(r.inputs).dataset_inputs).map((entry) => {
    const d = obj(entry.dataset);
    const input: DatasetInput = {
      name: str(d.name),
      digest: str(d.digest),
      source_type: str(d.source_type),
      source: str(d.source),
    };
    if (typeof d.schema === 'string') input.schema = d.schema;
    if (typeof d.profile === 'string') input.profile = d.profile;
    const tags = keyValues(entry.tags);
    if (Object.keys(tags).length > 0) input.tags = tags;
    return input;
  });
  const outputs = list(obj(r.outputs).model_outputs).map((o) => ({
    model_id: str(o.model_id),
    step: int(o.step) ?? 0,
  }));
  return {
    info: toRunInfo(r.info),
    data: { params: keyValues(data.params), metrics, tags: keyValues(data.tags) },
    inputs,
    outputs,
  };
}

/** LoggedModelStatus as the protobuf enum names it on the wire */
export const LOGGED_MODEL_WIRE_STATUS: Record<LoggedModelStatus, string> = {
  PENDING: 'LOGGED_MODEL_PENDING',
  READY: 'LOGGED_MODEL_READY',
  FAILED: 'LOGGED_MODEL_UPLOAD_FAILED',
};

export function toLoggedModel(value: unknown): LoggedModel {
  const info = obj(obj(value).info);
  const data = obj(obj(value).data);
  const wireStatus = str(info.status);
  const status = (Object.keys(LOGGED_MODEL_WIRE_STATUS) as LoggedModelStatus[]).find(
    (s) => LOGGED_MODEL_WIRE_STATUS[s] === wireStatus,
  );
  const runId = str(info.source_run_id);
  const modelType = str(info.model_type);
  return {
    model_id: str(info.model_id),
    experiment_id: str(info.experiment_id),
    name: str(info.name),
    artifact_location: str(info.artifact_uri),
    creation_timestamp: int(info.creation_timestamp_ms) ?? 0,
    last_updated_timestamp: int(info.last_updated_timestamp_ms) ?? 0,
    source_run_id: runId === '' ? null : runId,
    status: status ?? 'PENDING',
    model_type: modelType === '' ? null : modelType,
    params: keyValues(data.params),
    tags: keyValues(info.tags),
    metrics: list(data.metrics).map((m) => {
      const metricRunId = str(m.run_id);
      return { ...toMetric(m), run_id: metricRunId === '' ? null : metricRunId };
    }),
  };
}

export function toModelVersion(value: unknown): ModelVersion {
  const v = obj(value);
  const status = str(v.status);
  const runId = str(v.run_id);
  return {
    name: str(v.name),
    version: str(v.version),
    creation_timestamp: int(v.creation_timestamp) ?? 0,
    last_updated_timestamp: int(v.last_updated_timestamp) ?? 0,
    run_id: runId === '' ? null : runId,
    source: str(v.source),
    status: versionStatuses.find((s) => s === status) ?? 'READY',
    description: str(v.description),
    tags: keyValues(v.tags),
    aliases: Array.isArray(v.aliases) ? v.aliases.map((a) => str(a)) : [],
  };
}

/** The wire form of a version found by a recovery search, read back by toModelVersion. */
export function fromModelVersion(v: ModelVersion): Record<string, unknown> {
  return { ...v, tags: Object.entries(v.tags).map(([key, value]) => ({ key, value })) };
}

export function toRegisteredModel(value: unknown): RegisteredModel {
  const m = obj(value);
  const aliases: Record<string, string> = {};
  for (const entry of list(m.aliases)) aliases[str(entry.alias)] = str(entry.version);
  return {
    name: str(m.name),
    creation_timestamp: int(m.creation_timestamp) ?? 0,
    last_updated_timestamp: int(m.last_updated_timestamp) ?? 0,
    description: str(m.description),
    tags: keyValues(m.tags),
    aliases,
  };
}

export function encodePath(value: string): string {
  return value
    .split('/')
    .filter((part) => part !== '')
    .map(encodeURIComponent)
    .join('/');
}

/** MLflow's filter grammar quotes strings with ' or "; it has no escape inside them */
export function quoteFilterValue(value: string): string {
  if (!value.includes("'")) return `'${value}'`;
  if (!value.includes('"')) return `"${value}"`;
  throw new InvalidParameterError(`a model name with both ' and " cannot be searched: ${value}`);
}

export interface Chunk {
  metrics: Json[];
  params: Json[];
  tags: Json[];
  bytes: number;
}

/** Greedy packing of a log-batch into requests the server accepts, preserving order. */
export function splitBatch(batch: LogBatchRequest): Chunk[] {
  const chunks: Chunk[] = [];
  let current: Chunk = { metrics: [], params: [], tags: [], bytes: 0 };
  const push = (kind: 'metrics' | 'params' | 'tags', item: Json): void => {
    const size = Buffer.byteLength(JSON.stringify(item)) + 1;
    const limit =
      kind === 'metrics'
        ? BATCH_LIMITS.metrics
        : kind === 'params'
          ? BATCH_LIMITS.params
          : BATCH_LIMITS.tags;
    const total = current.metrics.length + current.params.length + current.tags.length;
    if (
      current[kind].length >= limit ||
      total >= BATCH_LIMITS.entities ||
      (total > 0 && current.bytes + size > BATCH_LIMITS.bytes)
    ) {
      chunks.push(current);
      current = { metrics: [], params: [], tags: [], bytes: 0 };
    }
    current[kind].push(item);
    current.bytes += size;
  };
  // Params first: a run's params are the least likely to be retried and must not be split
  // from their run by a failure midway through its metrics.
  for (const p of batch.params ?? []) push('params', { key: p.key, value: p.value });
  for (const t of batch.tags ?? []) push('tags', { key: t.key, value: t.value });
  for (const m of batch.metrics ?? []) {
    push('metrics', {
      key: m.key,
      value: wireDouble(m.value),
      timestamp: m.timestamp,
      step: m.step,
      ...(m.model_id === undefined ? {} : { model_id: m.model_id }),
    });
  }
  if (current.metrics.length + current.params.length + current.tags.length > 0)
    chunks.push(current);
  return chunks;
}

export async function listFiles(root: string, prefix = ''): Promise<string[]> {
  const entries = await readdir(path.join(root, prefix), { withFileTypes: true });
  const out: string[] = [];
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const relative = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
    if (entry.isDirectory()) out.push(...(await listFiles(root, relative)));
    else if (entry.isFile()) out.push(relative);
  }
  return out;
}

/**
 * Follows next_page_token until the server has no more pages or `wanted` items arrived.
 * `fetchPage` gets the token (undefined first) and how many items are still wanted.
 */
export async function collectPages<T>(
  fetchPage: (
    pageToken: string | undefined,
    remaining: number,
  ) => Promise<{ items: T[]; next: unknown }>,
  wanted = Number.POSITIVE_INFINITY,
): Promise<T[]> {
  const out: T[] = [];
  let pageToken: string | undefined;
  do {
    const page = await fetchPage(pageToken, wanted - out.length);
    out.push(...page.items);
    pageToken = str(page.next) || undefined;
  } while (pageToken !== undefined && out.length < wanted);
  return out;
}
