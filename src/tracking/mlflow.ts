/**
 * TrackingStore over an MLflow tracking server's REST API (/api/2.0/mlflow/...), with
 * artifacts through the server's artifact proxy (/api/2.0/mlflow-artifacts/...). Facts about
 * the wire format come from MLflow 3.17's rest stores and server handlers.
 */
import { randomUUID } from 'node:crypto';
import { InvalidParameterError, NotFoundError, TrackingError } from '../errors.js';
import { HttpClient, type Env } from './http.js';
import { createRunsOneByOne, updateRunsOneByOne } from './run-group.js';
import { CREATE_TOKEN_TAG } from './tags.js';
import {
  collectPages,
  list,
  obj,
  splitBatch,
  str,
  toExperiment,
  toMetric,
  toModelVersion,
  toRegisteredModel,
  toRun,
  toRunInfo,
  toWireTags,
  type Json,
} from './mlflow-wire.js';
import * as models from './mlflow-logged-models.js';
import * as registry from './mlflow-registry.js';
import {
  listProxied,
  notProxied,
  proxyPath,
  readProxied,
  uploadToProxy,
} from './mlflow-artifacts.js';
import {
  validateAlias,
  validateArtifactPath,
  validateExperimentId,
  validateLoggedModelId,
  validateMetricKey,
  validateModelName,
  validateRunId,
  validateVersion,
} from './names.js';
import type {
  ArtifactFile,
  CreateLoggedModelRequest,
  CreateModelVersionRequest,
  CreateRunRequest,
  CreateRunWithParams,
  DatasetInput,
  Experiment,
  LogBatchRequest,
  LoggedModel,
  Metric,
  ModelOutput,
  ModelVersion,
  RegisteredModel,
  Run,
  RunSummary,
  RunInfo,
  RunStatus,
  RunUpdate,
  SearchRunsRequest,
  TrackingStore,
} from './store.js';
import { summaryOf } from './store.js';
import {
  BATCH_LIMITS,
  checkCreateExperiment,
  checkCreateLoggedModel,
  checkCreateModelVersion,
  checkCreateRun,
  checkCreateRuns,
  checkLogBatch,
  checkLogInputs,
  checkLogOutputs,
  checkSearchRuns,
  checkSetAlias,
  checkSetRegisteredModelTag,
  checkUpdateRun,
  checkUpdateRuns,
} from './validation.js';

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

const searchRunsPageSize = 1000;
const metricHistoryPageSize = 25_000;
const registeredModelsPageSize = 1000;

export class MlflowStore implements TrackingStore {
  readonly kind = 'mlflow' as const;
  readonly displayUri: string;
  private readonly http: HttpClient;
  private readonly artifactRoots = new Map<string, string>();
  /** model id -> artifact_location: a model's never moves, and a copy walks its files */
  private readonly modelRoots = new Map<string, string>();
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
    checkCreateExperiment(name, tags);
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
    return collectPages(async (pageToken) => {
      const body = await this.http.json('POST', `${api}/experiments/search`, {
        json: { max_results: 1000, view_type: 'ACTIVE_ONLY', page_token: pageToken },
      });
      return { items: list(body.experiments).map(toExperiment), next: body.next_page_token };
    });
  }

  async createRun(request: CreateRunRequest): Promise<RunInfo> {
    checkCreateRun(request);
    const experimentId = request.experimentId;
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
    // Checked up front: once split, a bad key in a later request would leave a half-written batch.
    checkLogBatch(runId, batch);
    for (const chunk of splitBatch(batch)) {
      await this.http.json('POST', `${api}/runs/log-batch`, {
        json: { run_id: runId, metrics: chunk.metrics, params: chunk.params, tags: chunk.tags },
      });
    }
  }

  async createRuns(requests: CreateRunWithParams[]): Promise<RunInfo[]> {
    checkCreateRuns(requests);
    return createRunsOneByOne(this, requests);
  }

  async updateRuns(updates: RunUpdate[]): Promise<void> {
    checkUpdateRuns(updates);
    await updateRunsOneByOne(this, updates);
  }

  async logInputs(runId: string, datasets: DatasetInput[]): Promise<void> {
    checkLogInputs(runId, datasets);
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
    for (let start = 0; start < wire.length; start += BATCH_LIMITS.datasets) {
      await this.http.json('POST', `${api}/runs/log-inputs`, {
        json: { run_id: runId, datasets: wire.slice(start, start + BATCH_LIMITS.datasets) },
      });
    }
  }

  async updateRun(runId: string, status: RunStatus, endTime: number | null): Promise<RunInfo> {
    checkUpdateRun(runId, status, endTime);
    const json: Json = { run_id: runId, run_uuid: runId, status };
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
    validateRunId(runId);
    validateMetricKey(key);
    const out = await collectPages(async (pageToken) => {
      const body = await this.http.json('GET', `${api}/metrics/get-history`, {
        query: {
          run_id: runId,
          metric_key: key,
          max_results: metricHistoryPageSize,
          page_token: pageToken,
        },
      });
      return { items: list(body.metrics).map(toMetric), next: body.next_page_token };
    });
    return out.sort((a, b) => a.step - b.step || a.timestamp - b.timestamp);
  }

  async searchRunSummaries(request: SearchRunsRequest): Promise<RunSummary[]> {
    return (await this.searchRuns(request)).map(summaryOf);
  }

  async searchRuns(request: SearchRunsRequest): Promise<Run[]> {
    checkSearchRuns(request);
    return collectPages(async (pageToken, remaining) => {
      const json: Json = {
        experiment_ids: request.experimentIds,
        run_view_type: 'ACTIVE_ONLY',
        max_results: Math.min(this.searchPageSize, remaining),
      };
      if (request.filter !== undefined && request.filter.trim() !== '')
        json.filter = request.filter;
      if (request.orderBy !== undefined && request.orderBy.length > 0)
        json.order_by = request.orderBy;
      if (pageToken !== undefined) json.page_token = pageToken;
      const body = await this.http.json('POST', `${api}/runs/search`, { json });
      return { items: list(body.runs).map(toRun), next: body.next_page_token };
    }, request.maxResults);
  }

  async logArtifacts(runId: string, localDir: string, artifactPath = ''): Promise<void> {
    const target = validateArtifactPath(artifactPath, { allowRoot: true });
    await uploadToProxy(this.http, localDir, await this.artifactProxyRoot(runId), target);
  }

  async logOutputs(runId: string, outputs: ModelOutput[]): Promise<void> {
    checkLogOutputs(runId, outputs);
    // the server refuses a link it already has (a UNIQUE constraint); the folder keeps one
    const known = new Set((await this.getRun(runId)).outputs.map((o) => o.model_id));
    const missing = outputs.filter((o) => !known.has(o.model_id));
    if (missing.length > 0) await models.logOutputs(this.http, runId, missing);
  }

  async createLoggedModel(request: CreateLoggedModelRequest): Promise<LoggedModel> {
    checkCreateLoggedModel(request);
    return this.remembered(await models.createLoggedModel(this.http, request));
  }

  async getLoggedModel(modelId: string): Promise<LoggedModel> {
    return this.remembered(await models.getLoggedModel(this.http, validateLoggedModelId(modelId)));
  }

  private remembered(model: LoggedModel): LoggedModel {
    this.modelRoots.set(model.model_id, model.artifact_location);
    return model;
  }

  async logLoggedModelArtifacts(modelId: string, localDir: string): Promise<void> {
    await uploadToProxy(this.http, localDir, await this.modelProxyRoot(modelId), '');
  }

  async listLoggedModelArtifacts(modelId: string, artifactPath = ''): Promise<ArtifactFile[]> {
    const relative = validateArtifactPath(artifactPath, { allowRoot: true });
    return listProxied(this.http, await this.modelProxyRoot(modelId), relative);
  }

  async readLoggedModelArtifact(modelId: string, artifactPath: string): Promise<Buffer> {
    const relative = validateArtifactPath(artifactPath);
    return readProxied(this.http, await this.modelProxyRoot(modelId), relative);
  }

  async finalizeLoggedModel(modelId: string, status: 'READY' | 'FAILED'): Promise<LoggedModel> {
    return models.finalizeLoggedModel(this.http, validateLoggedModelId(modelId), status);
  }

  async listArtifacts(runId: string, artifactPath = ''): Promise<ArtifactFile[]> {
    const relative = validateArtifactPath(artifactPath, { allowRoot: true });
    return listProxied(this.http, await this.artifactProxyRoot(runId), relative);
  }

  async readArtifact(runId: string, artifactPath: string): Promise<Buffer> {
    const relative = validateArtifactPath(artifactPath);
    return readProxied(this.http, await this.artifactProxyRoot(runId), relative);
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

  async setRegisteredModelTag(name: string, key: string, value: string): Promise<void> {
    checkSetRegisteredModelTag(name, key, value);
    await this.http.json('POST', `${api}/registered-models/set-tag`, {
      json: { name, key, value },
    });
  }

  async searchRegisteredModels(): Promise<RegisteredModel[]> {
    const out = await collectPages(async (pageToken) => {
      const body = await this.http.json('GET', `${api}/registered-models/search`, {
        query: { max_results: registeredModelsPageSize, page_token: pageToken },
      });
      return {
        items: list(body.registered_models).map(toRegisteredModel),
        next: body.next_page_token,
      };
    });
    return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  async createModelVersion(request: CreateModelVersionRequest): Promise<ModelVersion> {
    // The server checks the source before the name, so an unknown model would surface as a
    // bad source; asking first gives the NotFoundError the local store gives.
    checkCreateModelVersion(request);
    await this.getRegisteredModel(request.name);
    return registry.createModelVersion(this.http, request, () =>
      this.searchModelVersions(request.name),
    );
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
    return registry.searchModelVersions(this.http, model);
  }

  async setAlias(name: string, alias: string, version: string): Promise<string | null> {
    const canonical = checkSetAlias(name, alias, version);
    const previous = await this.getModelVersionByAlias(name, alias).then(
      (v) => v.version,
      (error: unknown) => {
        if (error instanceof NotFoundError) return null;
        throw error;
      },
    );
    await this.http.json('POST', `${api}/registered-models/alias`, {
      json: { name, alias, version: canonical },
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

  /** The proxy path ('<experiment_id>/models/<model_id>/artifacts') of a model's own files. */
  private async modelProxyRoot(modelId: string): Promise<string> {
    const uri =
      this.modelRoots.get(modelId) ?? (await this.getLoggedModel(modelId)).artifact_location;
    const root = proxyPath(uri);
    if (root === null) throw notProxied(`logged model ${modelId}`, uri, this.displayUri);
    return root;
  }

  /**
   * The proxy path ('<experiment_id>/<run_id>/artifacts') of a run whose artifact_uri is
   * mlflow-artifacts:/… ; any other scheme means the server does not proxy this run's files.
   */
  private async artifactProxyRoot(runId: string): Promise<string> {
    validateRunId(runId);
    let uri = this.artifactRoots.get(runId);
    if (uri === undefined) uri = (await this.getRun(runId)).info.artifact_uri;
    const root = proxyPath(uri);
    if (root === null) throw notProxied(`run ${runId}`, uri, this.displayUri);
    return root;
  }
}
