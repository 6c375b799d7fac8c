/**
 * Writes one trained model as a run: create it, log params and input, the model as MLflow 3
 * logs one (a logged model of the run's experiment, with its own copy of the model folder,
 * linked to the run as its output), the run's artifacts and metrics, mark it FINISHED. Once
 * the run exists, a failure marks it FAILED (KILLED when interrupted), and a logged model
 * FAILED, and says what reached the store.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { InterruptedError, IrisopsError } from '../errors.js';
import type { LoggedModel, Metric, RunInfo, TrackingStore } from '../tracking/store.js';
import {
  MLFLOW_GIT_COMMIT,
  MLFLOW_SOURCE_NAME,
  MLFLOW_SOURCE_TYPE,
  MLFLOW_USER,
  MODEL_DIGEST_TAG,
} from '../tracking/tags.js';
import { MODEL_ARTIFACT_PATH, writeModelDir } from './artifact.js';
import { confusionMatrixSvg } from './confusion-svg.js';
import type { RunRecord } from './run-record.js';
import type { Trained } from './train-fit.js';

/** A run that failed after it was created: says what reached the store and what did not. */
export class TrainLoggingError extends IrisopsError {
  constructor(runId: string, recorded: string[], cause: unknown, markedFailed: boolean) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    const done = recorded.length > 0 ? recorded.join(', ') : 'nothing';
    super(
      cause instanceof IrisopsError ? cause.code : 'TRAIN_LOGGING_FAILED',
      `run ${runId} ${markedFailed ? 'marked FAILED' : 'left unfinished'}: ${reason} (recorded: ${done})`,
      {
        hint:
          cause instanceof IrisopsError
            ? cause.hint
            : 'check the tracking store, then run irisops train again',
        cause,
      },
    );
  }
}

export interface LogRunInput {
  experimentId: string;
  runName: string;
  startTime: number;
  userId: string;
  irisopsVersion: string;
  record: RunRecord;
  trained: Trained;
  report: string;
  now: () => number;
  /** throws InterruptedError once the train was interrupted */
  checkAbort: () => void;
}

export interface LoggedRun {
  run: RunInfo;
  modelDigest: string;
  /** MLflow 3's id of the model (models:/<model_id>) */
  modelId: string;
}

/** The tags MLflow's context registry puts on a logged model: who, from where. */
const MODEL_CONTEXT_TAGS = [MLFLOW_USER, MLFLOW_SOURCE_NAME, MLFLOW_SOURCE_TYPE, MLFLOW_GIT_COMMIT];

/** Writes the model folder and the evaluation files the run keeps as artifacts. */
function stageArtifacts(dir: string, input: LogRunInput, runId: string, modelId: string): string {
  const { evaluation } = input.trained;
  const written = writeModelDir(path.join(dir, MODEL_ARTIFACT_PATH), input.trained.model, {
    runId,
    modelId,
    irisopsVersion: input.irisopsVersion,
    now: input.now(),
    profile: input.trained.profile,
  });
  const matrix = { labels: evaluation.labels, matrix: evaluation.confusion_matrix };
  writeFileSync(path.join(dir, 'confusion_matrix.json'), `${JSON.stringify(matrix, null, 2)}\n`);
  writeFileSync(
    path.join(dir, 'confusion_matrix.svg'),
    confusionMatrixSvg(evaluation.labels, evaluation.confusion_matrix),
  );
  writeFileSync(path.join(dir, 'classification_report.txt'), input.report);
  return written.digest;
}

/** MLflow 3's log_model, first half: the model entity, PENDING, with the run's params. */
function createModel(
  store: TrackingStore,
  runId: string,
  input: LogRunInput,
): Promise<LoggedModel> {
  const tags = Object.fromEntries(
    MODEL_CONTEXT_TAGS.flatMap((key) => {
      const value = input.record.tags[key];
      return value === undefined ? [] : [[key, value]];
    }),
  );
  return store.createLoggedModel({
    experimentId: input.experimentId,
    name: MODEL_ARTIFACT_PATH,
    sourceRunId: runId,
    params: input.record.params,
    tags,
  });
}

async function writeRecords(
  store: TrackingStore,
  runId: string,
  input: LogRunInput,
  recorded: string[],
  onModel: (modelId: string) => void,
): Promise<{ digest: string; modelId: string }> {
  const { checkAbort } = input;
  const params = Object.entries(input.record.params).map(([key, value]) => ({ key, value }));
  await store.logBatch(runId, { params });
  recorded.push('params');
  checkAbort();
  await store.logInputs(runId, [input.record.input]);
  recorded.push('dataset input');
  checkAbort();
  const modelId = (await createModel(store, runId, input)).model_id;
  onModel(modelId);
  recorded.push('logged model');
  const staging = mkdtempSync(path.join(tmpdir(), 'irisops-train-'));
  let digest: string;
  try {
    digest = stageArtifacts(staging, input, runId, modelId);
    await store.logArtifacts(runId, staging, '');
    // the model's own copy, where MLflow 3 keeps a logged model's files (models:/<model_id>)
    await store.logLoggedModelArtifacts(modelId, path.join(staging, MODEL_ARTIFACT_PATH));
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  recorded.push('artifacts');
  checkAbort();
  await store.logOutputs(runId, [{ model_id: modelId, step: 0 }]);
  const timestamp = input.now();
  // each metric is the run's and the model's, as log_model links the run's metrics
  const metrics: Metric[] = Object.entries(input.trained.metrics).map(([key, value]) => ({
    key,
    value,
    timestamp,
    step: 0,
    model_id: modelId,
  }));
  // the digest tag goes last among the records: a model without it is never served
  await store.logBatch(runId, { metrics, tags: [{ key: MODEL_DIGEST_TAG, value: digest }] });
  recorded.push('metrics');
  checkAbort();
  await store.finalizeLoggedModel(modelId, 'READY');
  return { digest, modelId };
}

export async function logRun(store: TrackingStore, input: LogRunInput): Promise<LoggedRun> {
  const run = await store.createRun({
    experimentId: input.experimentId,
    runName: input.runName,
    startTime: input.startTime,
    userId: input.userId,
    tags: input.record.tags,
  });
  const recorded: string[] = ['run'];
  let pendingModel: string | null = null;
  try {
    const written = await writeRecords(store, run.run_id, input, recorded, (id) => {
      pendingModel = id;
    });
    pendingModel = null;
    await store.updateRun(run.run_id, 'FINISHED', input.now());
    return { run, modelDigest: written.digest, modelId: written.modelId };
  } catch (error) {
    const interrupted = error instanceof InterruptedError;
    let marked = false;
    try {
      // as MLflow's _use_logged_model does when log_model fails half-way
      if (pendingModel !== null) await store.finalizeLoggedModel(pendingModel, 'FAILED');
    } catch {
      // the run's status below is what matters; the model stays PENDING
    }
    try {
      await store.updateRun(run.run_id, interrupted ? 'KILLED' : 'FAILED', input.now());
      marked = true;
    } catch {
      // the store itself is failing; the error below says the run was left unfinished
    }
    if (interrupted)
      throw new InterruptedError(
        `irisops train interrupted: run ${run.run_id} marked ${marked ? 'KILLED' : 'unfinished'}`,
      );
    throw new TrainLoggingError(run.run_id, recorded, error, marked);
  }
}
