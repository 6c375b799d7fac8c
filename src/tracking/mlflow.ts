/**
 * TrackingStore over an MLflow tracking server's REST API (/api/2.0/mlflow/...), with
 * artifacts through the server's artifact proxy (/api/2.0/mlflow-artifacts/...). Facts about
 * the wire format come from MLflow 3.17's rest stores and server handlers.
 */
import { randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { InvalidParameterError, NotFoundError, TrackingError, UsageError } from '../errors.js';
import { HttpClient, type Env } from './http.js';
import { CREATE_TOKEN_TAG } from './tags.js';
import {
  validateAlias,
  validateArtifactPath,
  validateExperimentId,
  validateExperimentName,
  validateMetricKey,
  validateModelName,
  validateParamKey,
  validateRunId,
  validateTagKey,
  validateVersion,
} from './names.js';
import type {
  ArtifactFile,
  CreateModelVersionRequest,
  CreateRunRequest,
  DatasetInput,
  Experiment,
  LifecycleStage,
  LogBatchRequest,
  Metric,
  ModelVersion,
  ModelVersionStatus,
  RegisteredModel,
  Run,
  RunInfo,
  RunStatus,
  SearchRunsRequest,
  Tag,
  TrackingStore,
} from './store.js';

export interface MlflowStoreOptions {
  env: Env;
  fetch: typeof globalThis.fetch;
  now: () => number;
  /** overrides for tests (fast retries) */
  http?: ConstructorParameters<typeof HttpClient>[1]['settings'];
  /** runs/search page size; tests lower it to page without creating 1000 runs */
  searchPageSize?: number;
}

const api = '/api/2.0/mlflow';
const artifactsApi = '/api/2.0/mlflow-artifacts/artifacts';

// mlflow/utils/validation.py: the server refuses a log-batch over any of these.
export const batchLimits = {
  metrics: 1000,
  params: 100,
  tags: 100,
  entities: 1000,
  datasets: 1000,
  /** MAX_BATCH_LOG_REQUEST_SIZE is 1e6 bytes; keep a margin for the envelope */
  bytes: 900_000,
} as const;
const searchRunsPageSize = 1000;
const metricHistoryPageSize = 25_000;
const registeredModelsPageSize = 1000;
const modelVersionsPageSize = 10_000;
const uploadConcurrency = 4;

type Json = Record<string, unknown>;

function obj(value: unknown): Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Json)
    : {};
}

function list(value: unknown): Json[] {
  return Array.isArray(value) ? value.map(obj) : [];
}

function str(value: unknown, fallback = ''): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  return fallback;
}

function int(value: unknown): number | null {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)))
    return Number(value);
  return null;
}

/** protobuf JSON spells non-finite doubles as strings */
function double(value: unknown): number {
  if (typeof value === 'number') return value;
  if (value === 'NaN') return Number.NaN;
  if (value === 'Infinity') return Number.POSITIVE_INFINITY;
  if (value === '-Infinity') return Number.NEGATIVE_INFINITY;
  return Number(value);
}

function wireDouble(value: number): number | string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Number.POSITIVE_INFINITY) return 'Infinity';
  if (value === Number.NEGATIVE_INFINITY) return '-Infinity';
  return value;
}

function keyValues(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of list(value)) out[str(entry.key)] = str(entry.value);
  return out;
}

function toWireTags(tags: Record<string, string> | undefined): Tag[] {
  return Object.entries(tags ?? {}).map(([key, value]) => ({ key, value }));
}

function stage(value: unknown): LifecycleStage {
  return value === 'deleted' ? 'deleted' : 'active';
}

const runStatuses: readonly RunStatus[] = ['RUNNING', 'SCHEDULED', 'FINISHED', 'FAILED', 'KILLED'];
const versionStatuses: readonly ModelVersionStatus[] = [
  'PENDING_REGISTRATION',
  'FAILED_REGISTRATION',
  'READY',
];

function toExperiment(value: unknown): Experiment {
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

function toRunInfo(value: unknown): RunInfo {
  const i = obj(value);
  const status = str(i.status);
  return {
    run_id: str(i.run_id) || str(i.run_uuid),
    run_name: str(i.run_name),
    experiment_id: str(i.experiment_id),
    user_id: str(i.user_id),
    status: runStatuses.find((s) => s === status) ?? 'RUNNING',
    start_time: int(i.start_time) ?? 0,
    end_time: int(i.end_time),
    artifact_uri: str(i.artifact_uri),
    lifecycle_stage: stage(i.lifecycle_stage),
  };
}

function toMetric(value: unknown): Metric {
  const m = obj(value);
  return {
    key: str(m.key),
    value: double(m.value),
    timestamp: int(m.timestamp) ?? 0,
    step: int(m.step) ?? 0,
  };
}

function toRun(value: unknown): Run {
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
  return {
    info: toRunInfo(r.info),
    data: { params: keyValues(data.params), metrics, tags: keyValues(data.tags) },
    inputs,
  };
}

function toModelVersion(value: unknown): ModelVersion {
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
function fromModelVersion(v: ModelVersion): Record<string, unknown> {
  return { ...v, tags: Object.entries(v.tags).map(([key, value]) => ({ key, value })) };
}

function toRegisteredModel(value: unknown): RegisteredModel {
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

function encodePath(value: string): string {
  return value
    .split('/')
    .filter((part) => part !== '')
    .map(encodeURIComponent)
    .join('/');
}

/** MLflow's filter grammar quotes strings with ' or "; it has no escape inside them */
function quoteFilterValue(value: string): string {
  if (!value.includes("'")) return `'${value}'`;
  if (!value.includes('"')) return `"${value}"`;
  throw new InvalidParameterError(`a model name with both ' and " cannot be searched: ${value}`);
}

interface Chunk {
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
        ? batchLimits.metrics
        : kind === 'params'
          ? batchLimits.params
          : batchLimits.tags;
    const total = current.metrics.length + current.params.length + current.tags.length;
    if (
      current[kind].length >= limit ||
      total >= batchLimits.entities ||
      (total > 0 && current.bytes + size > batchLimits.bytes)
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
    });
  }
  if (current.metrics.length + current.params.length + current.tags.length > 0)
    chunks.push(current);
  return chunks;
}

async function listFiles(root: string, prefix = ''): Promise<string[]> {
  const entries = await readdir(path.join(root, prefix), { withFileTypes: true });
  const out: string[] = [];
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const relative = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
    if (entry.isDirectory()) out.push(...(await listFiles(root, relative)));
    else if (entry.isFile()) out.push(relative);
  }
  return out;
}

export class MlflowStore implements TrackingStore {
  readonly kind = 'mlflow' as const;
  readonly displayUri: string;
  private readonly http: HttpClient;
  private readonly artifactRoots = new Map<string, string>();
  private readonly searchPageSize: number;

  constructor(baseUrl: string, options: MlflowStoreOptions) {
    this.searchPageSize = options.searchPageSize ?? searchRunsPageSize;
    const clientOptions: ConstructorParameters<typeof HttpClient>[1] = {
      env: options.env,
      fetch: options.fetch,
    };
    if (options.http !== undefined) clientOptions.settings = options.http;
    this.http = new HttpClient(baseUrl, clientOptions);
    this.displayUri = this.http.displayUrl;
  }

  async ping(): Promise<void> {
    await this.http.request('GET', '/health');
  }

  async getExperimentByName(name: string): Promise<Experiment | null> {
    try {
      const body = await this.http.json('GET', `${api}/experiments/get-by-name`, {
        query: { experiment_name: name },
      });
      return toExperiment(body.experiment);
    } catch (error) {
      if (error instanceof NotFoundError) return null;
      throw error;
    }
  }

  async getExperiment(experimentId: string): Promise<Experiment> {
    const body = await this.http.json('GET', `${api}/experiments/get`, {
      query: { experiment_id: validateExperimentId(experimentId) },
    });
    return toExperiment(body.experiment);
  }

  async createExperiment(name: string, tags?: Record<string, string>): Promise<Experiment> {
    validateExperimentName(name);
    const existing = await this.getExperimentByName(name);
    if (existing?.lifecycle_stage === 'deleted') {
      await this.http.json('POST', `${api}/experiments/restore`, {
        json: { experiment_id: existing.experiment_id },
      });
      return this.getExperiment(existing.experiment_id);
    }
    if (existing !== null) return existing;
    try {
      const body = await this.http.json('POST', `${api}/experiments/create`, {
        json: { name, tags: toWireTags(tags) },
      });
      return await this.getExperiment(str(body.experiment_id));
    } catch (error) {
      // Another client created it between our lookup and our create.
      if (error instanceof TrackingError && error.code === 'RESOURCE_ALREADY_EXISTS') {
        const raced = await this.getExperimentByName(name);
        if (raced !== null) return raced;
      }
      throw error;
    }
  }

  async listExperiments(): Promise<Experiment[]> {
    const out: Experiment[] = [];
    let pageToken: string | undefined;
    do {
      const body = await this.http.json('POST', `${api}/experiments/search`, {
        json: { max_results: 1000, view_type: 'ACTIVE_ONLY', page_token: pageToken },
      });
      out.push(...list(body.experiments).map(toExperiment));
      pageToken = str(body.next_page_token) || undefined;
    } while (pageToken !== undefined);
    return out;
  }

  async createRun(request: CreateRunRequest): Promise<RunInfo> {
    const experimentId = validateExperimentId(request.experimentId);
    // a token on the new run lets a retry after a lost answer find it instead of making another
    const token = randomUUID();
    const body = await this.http.json('POST', `${api}/runs/create`, {
      json: {
        experiment_id: experimentId,
        user_id: request.userId,
        run_name: request.runName,
        start_time: request.startTime,
        tags: toWireTags({ ...request.tags, [CREATE_TOKEN_TAG]: token }),
      },
      recover: async () => {
        const [landed] = await this.searchRuns({
          experimentIds: [experimentId],
          filter: `tags.\`${CREATE_TOKEN_TAG}\` = '${token}'`,
          maxResults: 1,
        });
        return landed ? { run: { info: landed.info } } : null;
      },
    });
    const info = toRunInfo(obj(body.run).info);
    this.artifactRoots.set(info.run_id, info.artifact_uri);
    // its job is done: the run keeps exactly the tags it was asked to have. Best effort: the
    // run exists, and a failure here must not hide its id from the caller that closes it.
    await this.http
      .json('POST', `${api}/runs/delete-tag`, {
        json: { run_id: info.run_id, key: CREATE_TOKEN_TAG },
      })
      .catch(() => undefined);
    return info;
  }

  async logBatch(runId: string, batch: LogBatchRequest): Promise<void> {
    validateRunId(runId);
    // Checked up front: once split, a bad key in a later request would leave a half-written batch.
    for (const m of batch.metrics ?? []) validateMetricKey(m.key);
    for (const p of batch.params ?? []) validateParamKey(p.key);
    for (const t of batch.tags ?? []) validateTagKey(t.key);
    for (const chunk of splitBatch(batch)) {
      await this.http.json('POST', `${api}/runs/log-batch`, {
        json: { run_id: runId, metrics: chunk.metrics, params: chunk.params, tags: chunk.tags },
      });
    }
  }

  async logInputs(runId: string, datasets: DatasetInput[]): Promise<void> {
    validateRunId(runId);
    const wire = datasets.map((d) => {
      const dataset: Json = {
        name: d.name,
        digest: d.digest,
        source_type: d.source_type,
        source: d.source,
      };
      if (d.schema !== undefined) dataset.schema = d.schema;
      if (d.profile !== undefined) dataset.profile = d.profile;
      return { tags: toWireTags(d.tags), dataset };
    });
    for (let start = 0; start < wire.length; start += batchLimits.datasets) {
      await this.http.json('POST', `${api}/runs/log-inputs`, {
        json: { run_id: runId, datasets: wire.slice(start, start + batchLimits.datasets) },
      });
    }
  }

  async updateRun(runId: string, status: RunStatus, endTime: number | null): Promise<RunInfo> {
    const json: Json = { run_id: validateRunId(runId), run_uuid: runId, status };
    if (endTime !== null) json.end_time = endTime;
    const body = await this.http.json('POST', `${api}/runs/update`, { json });
    return toRunInfo(body.run_info);
  }

  async getRun(runId: string): Promise<Run> {
    const body = await this.http.json('GET', `${api}/runs/get`, {
      query: { run_id: validateRunId(runId) },
    });
    const run = toRun(body.run);
    this.artifactRoots.set(run.info.run_id, run.info.artifact_uri);
    return run;
  }

  async getMetricHistory(runId: string, key: string): Promise<Metric[]> {
    const out: Metric[] = [];
    let pageToken: string | undefined;
    do {
      const body = await this.http.json('GET', `${api}/metrics/get-history`, {
        query: {
          run_id: validateRunId(runId),
          metric_key: key,
          max_results: metricHistoryPageSize,
          page_token: pageToken,
        },
      });
      out.push(...list(body.metrics).map(toMetric));
      pageToken = str(body.next_page_token) || undefined;
    } while (pageToken !== undefined);
    return out.sort((a, b) => a.step - b.step || a.timestamp - b.timestamp);
  }

  async searchRuns(request: SearchRunsRequest): Promise<Run[]> {
    if (
      request.maxResults !== undefined &&
      (!Number.isInteger(request.maxResults) || request.maxResults < 1)
    ) {
      throw new InvalidParameterError(
        `maxResults must be a positive integer, got ${request.maxResults}`,
      );
    }
    const wanted = request.maxResults ?? Number.POSITIVE_INFINITY;
    const out: Run[] = [];
    let pageToken: string | undefined;
    do {
      const json: Json = {
        experiment_ids: request.experimentIds,
        run_view_type: 'ACTIVE_ONLY',
        max_results: Math.min(this.searchPageSize, wanted - out.length),
      };
      if (request.filter !== undefined && request.filter.trim() !== '')
        json.filter = request.filter;
      if (request.orderBy !== undefined && request.orderBy.length > 0)
        json.order_by = request.orderBy;
      if (pageToken !== undefined) json.page_token = pageToken;
      const body = await this.http.json('POST', `${api}/runs/search`, { json });
      out.push(...list(body.runs).map(toRun));
      pageToken = str(body.next_page_token) || undefined;
    } while (pageToken !== undefined && out.length < wanted);
    return out;
  }

  async logArtifacts(runId: string, localDir: string, artifactPath = ''): Promise<void> {
    const target = validateArtifactPath(artifactPath, { allowRoot: true });
    let files: string[];
    try {
      files = await listFiles(localDir);
    } catch (error) {
      throw new UsageError(`cannot read the artifact folder ${localDir}`, { cause: error });
    }
    const root = await this.artifactProxyRoot(runId);
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < files.length) {
        const relative = files[next++] as string;
        // Whole-file bodies so a retried PUT resends the same bytes; irisops artifacts are small.
        const body = await readFile(path.join(localDir, relative));
        const remote = target === '' ? relative : `${target}/${relative}`;
        await this.http.request('PUT', `${artifactsApi}/${encodePath(`${root}/${remote}`)}`, {
          body,
        });
      }
    };
    await Promise.all(Array.from({ length: Math.min(uploadConcurrency, files.length) }, worker));
  }

  async listArtifacts(runId: string, artifactPath = ''): Promise<ArtifactFile[]> {
    const relative = validateArtifactPath(artifactPath, { allowRoot: true });
    const root = await this.artifactProxyRoot(runId);
    const body = await this.http.json('GET', artifactsApi, {
      query: { path: relative === '' ? root : `${root}/${relative}` },
    });
    return list(body.files)
      .map((f): ArtifactFile => {
        const name = str(f.path);
        const file: ArtifactFile = {
          path: relative === '' ? name : `${relative}/${name}`,
          is_dir: f.is_dir === true,
        };
        const size = int(f.file_size);
        if (size !== null) file.file_size = size;
        return file;
      })
      .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  async readArtifact(runId: string, artifactPath: string): Promise<Buffer> {
    const relative = validateArtifactPath(artifactPath);
    const root = await this.artifactProxyRoot(runId);
    const response = await this.http.request(
      'GET',
      `${artifactsApi}/${encodePath(`${root}/${relative}`)}`,
    );
    return response.body;
  }

  async createRegisteredModel(name: string): Promise<RegisteredModel> {
    try {
      const body = await this.http.json('POST', `${api}/registered-models/create`, {
        json: { name: validateModelName(name) },
      });
      return toRegisteredModel(body.registered_model);
    } catch (error) {
      if (error instanceof TrackingError && error.code === 'RESOURCE_ALREADY_EXISTS')
        return this.getRegisteredModel(name);
      throw error;
    }
  }

  async getRegisteredModel(name: string): Promise<RegisteredModel> {
    const body = await this.http.json('GET', `${api}/registered-models/get`, {
      query: { name: validateModelName(name) },
    });
    return toRegisteredModel(body.registered_model);
  }

  async searchRegisteredModels(): Promise<RegisteredModel[]> {
    const out: RegisteredModel[] = [];
    let pageToken: string | undefined;
    do {
      const body = await this.http.json('GET', `${api}/registered-models/search`, {
        query: { max_results: registeredModelsPageSize, page_token: pageToken },
      });
      out.push(...list(body.registered_models).map(toRegisteredModel));
      pageToken = str(body.next_page_token) || undefined;
    } while (pageToken !== undefined);
    return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  async createModelVersion(request: CreateModelVersionRequest): Promise<ModelVersion> {
    // The server checks the source before the name, so an unknown model would surface as a
    // bad source; asking first gives the NotFoundError the local store gives.
    await this.getRegisteredModel(request.name);
    if (request.runId !== null) validateRunId(request.runId);
    const json: Json = {
      name: request.name,
      source: request.source,
      tags: toWireTags(request.tags),
    };
    if (request.runId !== null) json.run_id = request.runId;
    if (request.description !== undefined) json.description = request.description;
    const token = randomUUID();
    json.tags = toWireTags({ ...request.tags, [CREATE_TOKEN_TAG]: token });
    const body = await this.http.json('POST', `${api}/model-versions/create`, {
      json,
      recover: async () => {
        const landed = (await this.searchModelVersions(request.name)).find(
          (v) => v.tags[CREATE_TOKEN_TAG] === token,
        );
        return landed ? { model_version: fromModelVersion(landed) } : null;
      },
    });
    const created = toModelVersion(body.model_version);
    await this.http
      .json('DELETE', `${api}/model-versions/delete-tag`, {
        json: { name: created.name, version: created.version, key: CREATE_TOKEN_TAG },
      })
      .catch(() => undefined);
    delete created.tags[CREATE_TOKEN_TAG];
    return created;
  }

  async getModelVersion(name: string, version: string): Promise<ModelVersion> {
    const body = await this.http.json('GET', `${api}/model-versions/get`, {
      query: { name: validateModelName(name), version: validateVersion(version) },
    });
    return toModelVersion(body.model_version);
  }

  async searchModelVersions(name: string): Promise<ModelVersion[]> {
    // model-versions/search leaves out aliases (MLflow 3.17); they come from the model.
    const model = await this.getRegisteredModel(name);
    const out: ModelVersion[] = [];
    let pageToken: string | undefined;
    do {
      const body = await this.http.json('GET', `${api}/model-versions/search`, {
        query: {
          filter: `name=${quoteFilterValue(name)}`,
          max_results: modelVersionsPageSize,
          page_token: pageToken,
        },
      });
      out.push(...list(body.model_versions).map(toModelVersion));
      pageToken = str(body.next_page_token) || undefined;
    } while (pageToken !== undefined);
    for (const version of out) {
      version.aliases = Object.entries(model.aliases)
        .filter(([, v]) => v === version.version)
        .map(([alias]) => alias)
        .sort();
    }
    return out.sort((a, b) => Number(b.version) - Number(a.version));
  }

  async setAlias(name: string, alias: string, version: string): Promise<string | null> {
    validateModelName(name);
    validateAlias(alias);
    validateVersion(version);
    const previous = await this.getModelVersionByAlias(name, alias).then(
      (v) => v.version,
      (error: unknown) => {
        if (error instanceof NotFoundError) return null;
        throw error;
      },
    );
    await this.http.json('POST', `${api}/registered-models/alias`, {
      json: {
        name: validateModelName(name),
        alias: validateAlias(alias),
        version: validateVersion(version),
      },
    });
    return previous;
  }

  async deleteAlias(name: string, alias: string): Promise<void> {
    await this.http.json('DELETE', `${api}/registered-models/alias`, {
      json: { name: validateModelName(name), alias: validateAlias(alias) },
    });
  }

  async getModelVersionByAlias(name: string, alias: string): Promise<ModelVersion> {
    try {
      const body = await this.http.json('GET', `${api}/registered-models/alias`, {
        query: { name: validateModelName(name), alias: validateAlias(alias) },
      });
      return toModelVersion(body.model_version);
    } catch (error) {
      // The server reports a missing alias as INVALID_PARAMETER_VALUE; for irisops it is
      // simply not there, as the local store says.
      if (error instanceof InvalidParameterError && /alias .* not found/i.test(error.message)) {
        throw new NotFoundError(`registered model '${name}' has no alias '${alias}'`, {
          cause: error,
        });
      }
      throw error;
    }
  }

  /**
   * The proxy path ('<experiment_id>/<run_id>/artifacts') of a run whose artifact_uri is
   * mlflow-artifacts:/… ; any other scheme means the server does not proxy this run's files.
   */
  private async artifactProxyRoot(runId: string): Promise<string> {
    validateRunId(runId);
    let uri = this.artifactRoots.get(runId);
    if (uri === undefined) uri = (await this.getRun(runId)).info.artifact_uri;
    const match = /^mlflow-artifacts:(?:\/\/[^/]*)?(\/.*)?$/.exec(uri);
    if (match === null) {
      throw new TrackingError(
        'ARTIFACTS_NOT_PROXIED',
        `run ${runId} stores artifacts at ${uri.split(':')[0]}:…, which ${this.displayUri} does not proxy`,
        {
          hint: 'start the server with --artifacts-destination <uri> (artifact proxying is on by default) and train again',
        },
      );
    }
    return (match[1] ?? '').replace(/^\/+|\/+$/g, '');
  }
}
