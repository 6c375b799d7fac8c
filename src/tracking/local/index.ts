/**
 * The embedded tracking store: a folder in MLflow's own FileStore layout (see layout.ts), so
 * MLflow reads it as if it had written it, and `mlflow migrate-filestore` imports it.
 *
 * What irisops adds is safety, invisible to MLflow: every file is written to a temp file and
 * renamed into place, every folder is built aside and renamed into place, and writers take a
 * lock on the folder so concurrent processes never hand out one version number twice.
 *
 * This class only composes: each method checks its request (validation.ts, shared with the
 * MLflow server store), then hands the work to the file of its job, under the lock to write.
 */
import {
  validateArtifactPath,
  validateExperimentId,
  validateExperimentName,
  validateLoggedModelId,
  validateMetricKey,
  validateModelName,
  validateRunId,
  validateVersion,
} from '../names.js';
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
} from '../store.js';
import { summaryOf } from '../store.js';
import {
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
} from '../validation.js';
import * as artifacts from './artifacts.js';
import { LocalContext, type LocalStoreOptions } from './context.js';
import * as experiments from './experiments.js';
import * as loggedModels from './logged-models.js';
import * as registry from './registry.js';
import * as reads from './run-read.js';
import { searchRuns } from './run-search.js';
import { SUMMARY } from './run-signature.js';
import * as writes from './run-write.js';

export type { LocalStoreOptions } from './context.js';

export class LocalStore implements TrackingStore {
  readonly kind = 'local' as const;
  readonly displayUri: string;
  private readonly ctx: LocalContext;

  constructor(rootDir: string, options: LocalStoreOptions) {
    this.displayUri = rootDir;
    this.ctx = new LocalContext(rootDir, options, experiments.prepareRoot);
  }

  async ping(): Promise<void> {
    await experiments.ping(this.ctx);
  }

  async getExperimentByName(name: string): Promise<Experiment | null> {
    validateExperimentName(name);
    return this.ctx.reading(() => experiments.getExperimentByName(this.ctx, name));
  }

  async getExperiment(experimentId: string): Promise<Experiment> {
    validateExperimentId(experimentId);
    return this.ctx.reading(() => experiments.getExperiment(this.ctx, experimentId));
  }

  async createExperiment(name: string, tags: Record<string, string> = {}): Promise<Experiment> {
    checkCreateExperiment(name, tags);
    return this.ctx.writing(() => experiments.createExperiment(this.ctx, name, tags));
  }

  async listExperiments(): Promise<Experiment[]> {
    return this.ctx.reading(() => experiments.listExperiments(this.ctx));
  }

  async createRun(request: CreateRunRequest): Promise<RunInfo> {
    checkCreateRun(request);
    return this.ctx.writing(() => writes.createRun(this.ctx, request));
  }

  async logBatch(runId: string, batch: LogBatchRequest): Promise<void> {
    checkLogBatch(runId, batch);
    await this.ctx.writing(() => writes.logBatch(this.ctx, runId, batch));
  }

  async createRuns(requests: CreateRunWithParams[]): Promise<RunInfo[]> {
    checkCreateRuns(requests);
    if (requests.length === 0) return [];
    return this.ctx.writing(() => writes.createRuns(this.ctx, requests));
  }

  async updateRuns(updates: RunUpdate[]): Promise<void> {
    checkUpdateRuns(updates);
    if (updates.length === 0) return;
    await this.ctx.writing(() => writes.updateRuns(this.ctx, updates));
  }

  async logInputs(runId: string, datasets: DatasetInput[]): Promise<void> {
    checkLogInputs(runId, datasets);
    await this.ctx.writing(() => writes.logInputs(this.ctx, runId, datasets));
  }

  async updateRun(runId: string, status: RunStatus, endTime: number | null): Promise<RunInfo> {
    checkUpdateRun(runId, status, endTime);
    return this.ctx.writing(() => writes.updateRun(this.ctx, runId, status, endTime));
  }

  async getRun(runId: string): Promise<Run> {
    validateRunId(runId);
    return this.ctx.reading(async () =>
      reads.readRunData(this.ctx, await reads.locateRun(this.ctx, runId)),
    );
  }

  async getMetricHistory(runId: string, key: string): Promise<Metric[]> {
    validateRunId(runId);
    validateMetricKey(key);
    return this.ctx.reading(() => reads.getMetricHistory(this.ctx, runId, key));
  }

  async searchRuns(request: SearchRunsRequest): Promise<Run[]> {
    checkSearchRuns(request);
    return this.ctx.reading(() => searchRuns(this.ctx, request));
  }

  async searchRunSummaries(request: SearchRunsRequest): Promise<RunSummary[]> {
    checkSearchRuns(request);
    const runs = await this.ctx.reading(() => searchRuns(this.ctx, request, SUMMARY));
    return runs.map(summaryOf);
  }

  async logOutputs(runId: string, outputs: ModelOutput[]): Promise<void> {
    checkLogOutputs(runId, outputs);
    await this.ctx.writing(() => loggedModels.logOutputs(this.ctx, runId, outputs));
  }

  async createLoggedModel(request: CreateLoggedModelRequest): Promise<LoggedModel> {
    checkCreateLoggedModel(request);
    return this.ctx.writing(() => loggedModels.createLoggedModel(this.ctx, request));
  }

  async getLoggedModel(modelId: string): Promise<LoggedModel> {
    validateLoggedModelId(modelId);
    return this.ctx.reading(() => loggedModels.getLoggedModel(this.ctx, modelId));
  }

  async logLoggedModelArtifacts(modelId: string, localDir: string): Promise<void> {
    validateLoggedModelId(modelId);
    await loggedModels.logLoggedModelArtifacts(this.ctx, modelId, localDir);
  }

  async listLoggedModelArtifacts(modelId: string, artifactPath = ''): Promise<ArtifactFile[]> {
    validateLoggedModelId(modelId);
    const relative = validateArtifactPath(artifactPath, { allowRoot: true });
    return this.ctx.reading(async () =>
      artifacts.listArtifacts(await loggedModels.modelArtifacts(this.ctx, modelId), relative),
    );
  }

  async readLoggedModelArtifact(modelId: string, artifactPath: string): Promise<Buffer> {
    validateLoggedModelId(modelId);
    const relative = validateArtifactPath(artifactPath);
    return this.ctx.reading(async () =>
      artifacts.readArtifact(await loggedModels.modelArtifacts(this.ctx, modelId), relative),
    );
  }

  async finalizeLoggedModel(modelId: string, status: 'READY' | 'FAILED'): Promise<LoggedModel> {
    validateLoggedModelId(modelId);
    return this.ctx.writing(() => loggedModels.finalizeLoggedModel(this.ctx, modelId, status));
  }

  async logArtifacts(runId: string, localDir: string, artifactPath = ''): Promise<void> {
    validateRunId(runId);
    const prefix = validateArtifactPath(artifactPath, { allowRoot: true });
    await artifacts.logArtifacts(this.ctx, runId, localDir, prefix);
  }

  async listArtifacts(runId: string, artifactPath = ''): Promise<ArtifactFile[]> {
    validateRunId(runId);
    const relative = validateArtifactPath(artifactPath, { allowRoot: true });
    return this.ctx.reading(async () =>
      artifacts.listArtifacts(await artifacts.runArtifacts(this.ctx, runId), relative),
    );
  }

  async readArtifact(runId: string, artifactPath: string): Promise<Buffer> {
    validateRunId(runId);
    const relative = validateArtifactPath(artifactPath);
    return this.ctx.reading(async () =>
      artifacts.readArtifact(await artifacts.runArtifacts(this.ctx, runId), relative),
    );
  }

  async createRegisteredModel(name: string): Promise<RegisteredModel> {
    validateModelName(name);
    return this.ctx.writing(() => registry.createRegisteredModel(this.ctx, name));
  }

  async getRegisteredModel(name: string): Promise<RegisteredModel> {
    validateModelName(name);
    return this.ctx.reading(() => registry.getRegisteredModel(this.ctx, name));
  }

  async setRegisteredModelTag(name: string, key: string, value: string): Promise<void> {
    checkSetRegisteredModelTag(name, key, value);
    await this.ctx.writing(() => registry.setRegisteredModelTag(this.ctx, name, key, value));
  }

  async searchRegisteredModels(): Promise<RegisteredModel[]> {
    return this.ctx.reading(() => registry.searchRegisteredModels(this.ctx));
  }

  async createModelVersion(request: CreateModelVersionRequest): Promise<ModelVersion> {
    checkCreateModelVersion(request);
    return this.ctx.writing(() => registry.createModelVersion(this.ctx, request));
  }

  async getModelVersion(name: string, version: string): Promise<ModelVersion> {
    validateModelName(name);
    const canonical = validateVersion(version);
    return this.ctx.reading(() => registry.getModelVersion(this.ctx, name, canonical));
  }

  async searchModelVersions(name: string): Promise<ModelVersion[]> {
    validateModelName(name);
    return this.ctx.reading(() => registry.searchModelVersions(this.ctx, name));
  }

  async setAlias(name: string, alias: string, version: string): Promise<string | null> {
    const canonical = checkSetAlias(name, alias, version);
    return this.ctx.writing(() => registry.setAlias(this.ctx, name, alias, canonical));
  }

  async deleteAlias(name: string, alias: string): Promise<void> {
    checkSetAlias(name, alias, '1');
    await this.ctx.writing(() => registry.deleteAlias(this.ctx, name, alias));
  }

  async getModelVersionByAlias(name: string, alias: string): Promise<ModelVersion> {
    validateModelName(name);
    return this.ctx.reading(() => registry.getModelVersionByAlias(this.ctx, name, alias));
  }
}
