/**
 * The checks every TrackingStore makes before it writes anything, in one place (as MLflow's
 * mlflow/utils/validation.py is called by each of its stores). Both the local folder and
 * the MLflow server store call these first, so a bad request fails with the same one-line
 * message on both, and never half-way through a write. Name rules live in names.ts.
 */
import { InvalidParameterError } from '../errors.js';
import {
  MAX_PARAM_VALUE_LENGTH,
  MAX_TAG_VALUE_LENGTH,
  quote,
  validateAlias,
  validateExperimentId,
  validateExperimentName,
  validateLoggedModelId,
  validateLoggedModelName,
  validateMetricKey,
  validateModelName,
  validateParamKey,
  validateRunId,
  validateTagKey,
  validateVersion,
} from './names.js';
import type {
  CreateLoggedModelRequest,
  CreateModelVersionRequest,
  CreateRunRequest,
  CreateRunWithParams,
  DatasetInput,
  LogBatchRequest,
  ModelOutput,
  RunStatus,
  RunUpdate,
  SearchRunsRequest,
} from './store.js';
import { MLFLOW_RUN_NAME } from './tags.js';

export const MAX_EXPERIMENT_TAG_VALUE_LENGTH = 20_000;
export const MAX_REGISTRY_TAG_VALUE_LENGTH = 100_000;
/** an alias move's --message: short enough that its history tag stays small */
export const MAX_MOVE_MESSAGE_LENGTH = 1000;

/**
 * What one MLflow log-batch request may hold. A `logBatch` call may hold more: the REST store
 * splits it into requests within these (as MLflow's own client does), the folder store has
 * no per-request limit, so a call of any size behaves the same on both.
 */
export const BATCH_LIMITS = {
  metrics: 1000,
  params: 100,
  tags: 100,
  entities: 1000,
  datasets: 1000,
  /** MAX_BATCH_LOG_REQUEST_SIZE is 1e6 bytes; keep a margin for the envelope */
  bytes: 900_000,
} as const;

export const DATASET_LIMITS = {
  name: 500,
  digest: 36,
  source: 65535,
  schema: 1048575,
  profile: 16777215,
  tagKey: 255,
  tagValue: 500,
} as const;

export const RUN_STATUSES: readonly RunStatus[] = [
  'RUNNING',
  'SCHEDULED',
  'FINISHED',
  'FAILED',
  'KILLED',
];

export function checkValue(what: string, key: string, value: unknown, limit: number): string {
  if (typeof value !== 'string')
    throw new InvalidParameterError(`invalid ${what} ${quote(key)}: the value must be a string`);
  if (value.length > limit)
    throw new InvalidParameterError(
      `invalid ${what} ${quote(key)}: the value is ${value.length} characters, more than ${limit}`,
    );
  return value;
}

function checkTags(what: string, tags: Record<string, string> | undefined, limit: number): void {
  for (const [key, value] of Object.entries(tags ?? {})) {
    validateTagKey(key);
    checkValue(what, key, value, limit);
  }
}

function checkEpochMs(what: string, value: unknown): void {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0)
    throw new InvalidParameterError(
      `invalid ${what} ${String(value)}: expected epoch milliseconds`,
    );
}

export function checkCreateExperiment(name: string, tags: Record<string, string> = {}): void {
  validateExperimentName(name);
  checkTags('experiment tag', tags, MAX_EXPERIMENT_TAG_VALUE_LENGTH);
}

/** Returns the run name the run will have (asked for, from its tag, or '' to be made up). */
export function checkCreateRun(request: CreateRunRequest): void {
  validateExperimentId(request.experimentId);
  checkEpochMs('start time', request.startTime);
  if (typeof request.userId !== 'string')
    throw new InvalidParameterError('invalid user id: expected a string');
  checkTags('tag', request.tags, MAX_TAG_VALUE_LENGTH);
  const tagName = request.tags?.[MLFLOW_RUN_NAME];
  if (request.runName !== '' && tagName !== undefined && tagName !== request.runName) {
    throw new InvalidParameterError(
      `run name ${quote(request.runName)} differs from the mlflow.runName tag ${quote(tagName)}`,
    );
  }
  if (request.runName !== '')
    checkValue('run name', request.runName, request.runName, MAX_TAG_VALUE_LENGTH);
}

export function checkLogBatch(runId: string, batch: LogBatchRequest): void {
  validateRunId(runId);
  checkBatchEntries(batch);
}

/** createRuns: each run as createRun checks it, its params as logBatch checks them. */
export function checkCreateRuns(requests: CreateRunWithParams[]): void {
  if (!Array.isArray(requests))
    throw new InvalidParameterError('invalid runs: expected a list of runs to create');
  for (const request of requests) {
    checkCreateRun(request);
    checkBatchEntries({ params: request.params ?? [] });
  }
}

/** updateRuns: each batch as logBatch checks it, each status as updateRun does. */
export function checkUpdateRuns(updates: RunUpdate[]): void {
  if (!Array.isArray(updates))
    throw new InvalidParameterError('invalid run updates: expected a list of updates');
  for (const u of updates) {
    checkLogBatch(u.runId, u.batch ?? {});
    if (u.status !== undefined) checkUpdateRun(u.runId, u.status, u.endTime ?? null);
  }
}

function checkBatchEntries(batch: LogBatchRequest): void {
  for (const m of batch.metrics ?? []) {
    validateMetricKey(m.key);
    if (typeof m.value !== 'number')
      throw new InvalidParameterError(`invalid metric ${quote(m.key)}: the value must be a number`);
    if (!Number.isSafeInteger(m.timestamp) || m.timestamp < 0)
      throw new InvalidParameterError(
        `invalid metric ${quote(m.key)}: timestamp ${String(m.timestamp)} is not a non-negative integer`,
      );
    if (!Number.isSafeInteger(m.step))
      throw new InvalidParameterError(
        `invalid metric ${quote(m.key)}: step ${String(m.step)} is not an integer`,
      );
    if (m.model_id !== undefined) validateLoggedModelId(m.model_id);
  }
  const seen = new Set<string>();
  for (const p of batch.params ?? []) {
    validateParamKey(p.key);
    checkValue('param', p.key, p.value, MAX_PARAM_VALUE_LENGTH);
    if (seen.has(p.key))
      throw new InvalidParameterError(`param ${quote(p.key)} appears twice in one batch`);
    seen.add(p.key);
  }
  for (const t of batch.tags ?? []) {
    validateTagKey(t.key);
    checkValue('tag', t.key, t.value, MAX_TAG_VALUE_LENGTH);
  }
}

export function checkLogInputs(runId: string, datasets: DatasetInput[]): void {
  validateRunId(runId);
  for (const d of datasets) {
    for (const key of ['name', 'digest', 'source_type', 'source'] as const) {
      if (typeof d[key] !== 'string')
        throw new InvalidParameterError(`invalid dataset input: ${key} must be a string`);
    }
    for (const key of ['name', 'digest', 'source', 'schema', 'profile'] as const) {
      const value = d[key];
      if (value !== undefined && value.length > DATASET_LIMITS[key]) {
        throw new InvalidParameterError(
          `invalid dataset ${quote(d.name)}: ${key} is ${value.length} characters, more than MLflow's ${DATASET_LIMITS[key]}`,
        );
      }
    }
    for (const [key, value] of Object.entries(d.tags ?? {})) {
      if (
        key.length > DATASET_LIMITS.tagKey ||
        typeof value !== 'string' ||
        value.length > DATASET_LIMITS.tagValue
      ) {
        throw new InvalidParameterError(
          `invalid input tag ${quote(key)} on dataset ${quote(d.name)}: keys are at most ${DATASET_LIMITS.tagKey} characters, values strings of at most ${DATASET_LIMITS.tagValue}`,
        );
      }
    }
  }
}

export function checkLogOutputs(runId: string, outputs: ModelOutput[]): void {
  validateRunId(runId);
  for (const o of outputs) {
    validateLoggedModelId(o.model_id);
    if (!Number.isSafeInteger(o.step))
      throw new InvalidParameterError(
        `invalid model output ${quote(o.model_id)}: step ${String(o.step)} is not an integer`,
      );
  }
}

export function checkCreateLoggedModel(request: CreateLoggedModelRequest): void {
  validateExperimentId(request.experimentId);
  validateLoggedModelName(request.name);
  if (request.sourceRunId !== null) validateRunId(request.sourceRunId);
  for (const [key, value] of Object.entries(request.params ?? {})) {
    validateParamKey(key);
    checkValue('param', key, value, MAX_PARAM_VALUE_LENGTH);
  }
  checkTags('tag', request.tags, MAX_TAG_VALUE_LENGTH);
}

export function checkUpdateRun(runId: string, status: RunStatus, endTime: number | null): void {
  validateRunId(runId);
  if (!RUN_STATUSES.includes(status))
    throw new InvalidParameterError(
      `invalid run status ${quote(String(status))}: expected one of ${RUN_STATUSES.join(', ')}`,
    );
  if (endTime !== null) checkEpochMs('end time', endTime);
}

export function checkCreateModelVersion(request: CreateModelVersionRequest): void {
  validateModelName(request.name);
  if (typeof request.source !== 'string' || request.source === '')
    throw new InvalidParameterError('invalid model version source: it must be a non-empty URI');
  if (request.runId !== null) validateRunId(request.runId);
  if (request.modelId !== undefined) validateLoggedModelId(request.modelId);
  checkTags('model version tag', request.tags, MAX_REGISTRY_TAG_VALUE_LENGTH);
}

/** Returns the canonical version ('007' -> '7'). */
export function checkSetAlias(name: string, alias: string, version: string): string {
  validateModelName(name);
  validateAlias(alias);
  return validateVersion(version);
}

export function checkSetRegisteredModelTag(name: string, key: string, value: string): void {
  validateModelName(name);
  validateTagKey(key);
  checkValue('registered model tag', key, value, MAX_REGISTRY_TAG_VALUE_LENGTH);
}

export function checkSearchRuns(request: SearchRunsRequest): void {
  for (const id of request.experimentIds) validateExperimentId(id);
  const max = request.maxResults;
  if (max !== undefined && (!Number.isSafeInteger(max) || max < 1))
    throw new InvalidParameterError(
      `invalid maxResults ${String(max)}: expected a positive integer`,
    );
}
