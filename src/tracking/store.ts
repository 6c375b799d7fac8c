/**
 * The one interface both tracking backends implement (local folder in MLflow's file-store
 * layout, and an MLflow tracking server over REST). Shapes follow MLflow's entities so a
 * value read from either store looks the same to every command.
 */
export type RunStatus = 'RUNNING' | 'SCHEDULED' | 'FINISHED' | 'FAILED' | 'KILLED';
export type LifecycleStage = 'active' | 'deleted';

export interface Experiment {
  experiment_id: string;
  name: string;
  artifact_location: string;
  lifecycle_stage: LifecycleStage;
  creation_time: number | null;
  last_update_time: number | null;
  tags: Record<string, string>;
}

export interface RunInfo {
  run_id: string;
  run_name: string;
  experiment_id: string;
  user_id: string;
  status: RunStatus;
  /** epoch ms */
  start_time: number;
  end_time: number | null;
  artifact_uri: string;
  lifecycle_stage: LifecycleStage;
}

export interface Metric {
  key: string;
  value: number;
  timestamp: number;
  step: number;
  /** a logged model the metric also belongs to (MLflow 3's Metric.model_id) */
  model_id?: string;
}

export interface Param {
  key: string;
  value: string;
}

export interface Tag {
  key: string;
  value: string;
}

/** MLflow's dataset input (mlflow.entities.Dataset + InputTag) */
export interface DatasetInput {
  name: string;
  digest: string;
  source_type: string;
  source: string;
  schema?: string;
  profile?: string;
  /** input tags, e.g. mlflow.data.context = "training" */
  tags?: Record<string, string>;
}

/** A model a run produced (MLflow 3's LoggedModelOutput), at a step of the run. */
export interface ModelOutput {
  model_id: string;
  step: number;
}

/** What a listing shows of a run: its info and data, not its inputs and outputs. */
export type RunSummary = Pick<Run, 'info' | 'data'>;

export function summaryOf({ info, data }: Run): RunSummary {
  return { info, data };
}

export interface Run {
  info: RunInfo;
  data: {
    params: Record<string, string>;
    /** latest value per key (highest step, then latest timestamp), as MLflow reports it */
    metrics: Record<string, number>;
    tags: Record<string, string>;
  };
  inputs: DatasetInput[];
  /** the logged models the run produced */
  outputs: ModelOutput[];
}

export interface ArtifactFile {
  /** path relative to the run's artifact root, '/'-separated */
  path: string;
  is_dir: boolean;
  file_size?: number;
}

export type LoggedModelStatus = 'PENDING' | 'READY' | 'FAILED';

/**
 * MLflow 3's LoggedModel: the model as an entity of its experiment, with its own artifacts,
 * params, tags and metrics, and the run that produced it. MLflow's UI lists these on a run's
 * page and in an experiment's Models tab.
 */
export interface LoggedModel {
  model_id: string;
  experiment_id: string;
  name: string;
  /** where the model's own files live (its artifacts, apart from the run's) */
  artifact_location: string;
  creation_timestamp: number;
  last_updated_timestamp: number;
  source_run_id: string | null;
  status: LoggedModelStatus;
  model_type: string | null;
  params: Record<string, string>;
  tags: Record<string, string>;
  /** every value logged to the model, with the run it was logged by */
  metrics: (Metric & { run_id: string | null })[];
}

export interface CreateLoggedModelRequest {
  experimentId: string;
  name: string;
  sourceRunId: string | null;
  modelType?: string;
  params?: Record<string, string>;
  tags?: Record<string, string>;
}

export type ModelVersionStatus = 'PENDING_REGISTRATION' | 'FAILED_REGISTRATION' | 'READY';

export interface ModelVersion {
  name: string;
  /** a string, as MLflow sends it on the wire */
  version: string;
  creation_timestamp: number;
  last_updated_timestamp: number;
  run_id: string | null;
  source: string;
  status: ModelVersionStatus;
  description: string;
  tags: Record<string, string>;
  aliases: string[];
}

export interface RegisteredModel {
  name: string;
  creation_timestamp: number;
  last_updated_timestamp: number;
  description: string;
  tags: Record<string, string>;
  /** alias -> version */
  aliases: Record<string, string>;
}

export interface CreateRunRequest {
  experimentId: string;
  runName: string;
  startTime: number;
  userId: string;
  tags?: Record<string, string>;
}

/** A run of a group created in one call (a sweep's trials), with the params it starts with. */
export interface CreateRunWithParams extends CreateRunRequest {
  params?: Param[];
}

/** One run's part of updateRuns: its batch logged, then its status set when one is given. */
export interface RunUpdate {
  runId: string;
  batch?: LogBatchRequest;
  status?: RunStatus;
  /** with status: the end time (null or absent leaves it unset) */
  endTime?: number | null;
}

export interface LogBatchRequest {
  metrics?: Metric[];
  params?: Param[];
  tags?: Tag[];
}

export interface SearchRunsRequest {
  experimentIds: string[];
  /** MLflow's filter syntax, e.g. "metrics.accuracy > 0.9 and params.max_depth = '5'" */
  filter?: string;
  /** e.g. ["metrics.accuracy DESC", "attributes.start_time DESC"]; default newest first */
  orderBy?: string[];
  maxResults?: number;
}

export interface CreateModelVersionRequest {
  name: string;
  source: string;
  runId: string | null;
  /** the logged model the version is of (MLflow 3), when the source names one */
  modelId?: string;
  tags?: Record<string, string>;
  description?: string;
}

export interface TrackingStore {
  /** 'local' or 'mlflow' */
  readonly kind: 'local' | 'mlflow';
  /** the tracking URI, with any credentials redacted: safe to print */
  readonly displayUri: string;

  /** Reachability check: folder readable / server /health. Throws StoreUnavailableError. */
  ping(): Promise<void>;

  getExperimentByName(name: string): Promise<Experiment | null>;
  getExperiment(experimentId: string): Promise<Experiment>;
  /** creates it, or restores it when it exists but is deleted; returns it */
  createExperiment(name: string, tags?: Record<string, string>): Promise<Experiment>;
  listExperiments(): Promise<Experiment[]>;

  createRun(request: CreateRunRequest): Promise<RunInfo>;
  logBatch(runId: string, batch: LogBatchRequest): Promise<void>;
  /**
   * Several runs in one call, each with its tags and params, in order (a sweep's trials, a
   * handful at a time): the local folder writes the lot under one lock with one round of
   * fsyncs; MLflow has no such call, so there it is a create and a log-batch per run. Every
   * request is checked before anything is written; the group is not one transaction.
   */
  createRuns(requests: CreateRunWithParams[]): Promise<RunInfo[]>;
  /** logBatch, then updateRun when a status is given, for several runs in one call (as createRuns) */
  updateRuns(updates: RunUpdate[]): Promise<void>;
  logInputs(runId: string, datasets: DatasetInput[]): Promise<void>;
  /** sets status and end time (end time null keeps it unset) */
  updateRun(runId: string, status: RunStatus, endTime: number | null): Promise<RunInfo>;
  getRun(runId: string): Promise<Run>;
  getMetricHistory(runId: string, key: string): Promise<Metric[]>;
  searchRuns(request: SearchRunsRequest): Promise<Run[]>;
  /**
   * searchRuns for a caller that reads only info and data of each run (a listing): the
   * local folder then checks and parses less of each run; MLflow answers with whole runs.
   */
  searchRunSummaries(request: SearchRunsRequest): Promise<RunSummary[]>;

  /** MLflow 3's log_outputs: records models the run produced */
  logOutputs(runId: string, outputs: ModelOutput[]): Promise<void>;

  /** a new logged model, PENDING until finalized */
  createLoggedModel(request: CreateLoggedModelRequest): Promise<LoggedModel>;
  getLoggedModel(modelId: string): Promise<LoggedModel>;
  /** uploads every file under localDir into the logged model's own artifacts */
  logLoggedModelArtifacts(modelId: string, localDir: string): Promise<void>;
  /** the files and folders directly under a path ('' = root) of the model's own artifacts */
  listLoggedModelArtifacts(modelId: string, path?: string): Promise<ArtifactFile[]>;
  readLoggedModelArtifact(modelId: string, path: string): Promise<Buffer>;
  /** sets READY (its files are all there) or FAILED */
  finalizeLoggedModel(modelId: string, status: 'READY' | 'FAILED'): Promise<LoggedModel>;

  /** uploads every file under localDir into the run's artifacts at artifactPath ('' = root) */
  logArtifacts(runId: string, localDir: string, artifactPath?: string): Promise<void>;
  listArtifacts(runId: string, path?: string): Promise<ArtifactFile[]>;
  readArtifact(runId: string, path: string): Promise<Buffer>;

  /** get-or-create */
  createRegisteredModel(name: string): Promise<RegisteredModel>;
  getRegisteredModel(name: string): Promise<RegisteredModel>;
  /** sets (or overwrites) one tag on an existing registered model */
  setRegisteredModelTag(name: string, key: string, value: string): Promise<void>;
  searchRegisteredModels(): Promise<RegisteredModel[]>;
  createModelVersion(request: CreateModelVersionRequest): Promise<ModelVersion>;
  getModelVersion(name: string, version: string): Promise<ModelVersion>;
  /** every version of name, highest first */
  searchModelVersions(name: string): Promise<ModelVersion[]>;
  /**
   * Points alias at version; returns the version that held it before (null if none). The
   * local folder reads and moves it under one lock; MLflow's REST API has no compare-and-set,
   * so there it is read just before the move.
   */
  setAlias(name: string, alias: string, version: string): Promise<string | null>;
  deleteAlias(name: string, alias: string): Promise<void>;
  getModelVersionByAlias(name: string, alias: string): Promise<ModelVersion>;
}
