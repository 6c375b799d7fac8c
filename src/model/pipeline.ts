/**
 * irisops train as one core function: load → split → fit → evaluate → log → register.
 * Everything that can fail on bad input happens before the store is touched, so a refused
 * train leaves the store as it was; once a run exists, a failure marks it FAILED.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { InterruptedError, IrisopsError, TrackingError } from '../errors.js';
import { CLASSES, FEATURES, loadDataset } from '../data/dataset.js';
import { stratifiedKFold, stratifiedSplit } from '../data/split.js';
import type { Metric, ModelVersion, TrackingStore } from '../tracking/store.js';
import type { TrainResult } from '../schemas/types.js';
import { MODEL_ARTIFACT_PATH, writeModelDir } from './artifact.js';
import { confusionMatrixSvg } from './confusion-svg.js';
import { type ForestParams, libraryVersion } from './forest.js';
import { openFitSession, type Fitted } from './fit.js';
import { classificationReport, evaluate, meanAndStd, type Evaluation } from './metrics.js';
import {
  DATASET_DIGEST_TAG,
  DATASET_PATH_TAG,
  IRISOPS_HOST,
  IRISOPS_PID,
  IRISOPS_VERSION,
  LIBRARY_VERSION_TAG,
  MLFLOW_DATASET_CONTEXT,
  MLFLOW_GIT_COMMIT,
  MLFLOW_RUN_NAME,
  MLFLOW_SOURCE_NAME,
  MLFLOW_SOURCE_TYPE,
  MLFLOW_USER,
  MODEL_DIGEST_TAG,
} from '../tracking/tags.js';

export type TrainStep = 'load' | 'split' | 'fit' | 'evaluate' | 'cv' | 'log' | 'register';

export interface TrainRequest {
  dataPath: string;
  experiment: string;
  runName: string;
  modelName: string;
  register: boolean;
  params: ForestParams;
  testSize: number;
  cvFolds: number | null;
}

export interface TrainDeps {
  store: TrackingStore;
  now: () => number;
  irisopsVersion: string;
  user: string;
  host: string;
  pid: number;
  gitCommit: string | null;
  onStep?: (step: TrainStep, done: boolean, detail?: string) => void;
  /** aborted on Ctrl-C: the run is then marked KILLED and InterruptedError thrown */
  signal?: AbortSignal;
}

export interface TrainOutcome {
  result: TrainResult;
  /** things the person should know that are not failures (e.g. a restored experiment) */
  notices: string[];
  evaluation: Evaluation;
  report: string;
}

function pick<T>(items: T[], idx: number[]): T[] {
  return idx.map((i) => items[i] as T);
}

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

export async function trainAndLog(request: TrainRequest, deps: TrainDeps): Promise<TrainOutcome> {
  const onStep = deps.onStep ?? (() => {});
  const checkAbort = () => {
    if (deps.signal?.aborted) throw new InterruptedError('irisops train interrupted');
  };
  const step: typeof onStep = (name, done, detail) => {
    checkAbort();
    onStep(name, done, detail);
  };
  const startTime = deps.now();

  // started first: the worker loads its modules while the data is read
  const session = openFitSession(deps.signal);
  let fitted: Fitted;
  let evaluation: Evaluation;
  let data: Awaited<ReturnType<typeof loadDataset>>;
  const metrics: Record<string, number> = {};
  try {
    step('load', false);
    data = await loadDataset(request.dataPath);
    step('load', true, `${data.x.length} rows from ${data.path}`);

    step('split', false);
    const split = stratifiedSplit(data.y, request.testSize, request.params.random_state, CLASSES);
    step('split', true, `${split.train.length} train / ${split.test.length} test, stratified`);

    const dataset = { x: data.x, y: data.y, featureNames: FEATURES, classLabels: CLASSES };
    step('fit', false);
    fitted = await session.fit({ data: dataset, params: request.params, split });
    step(
      'fit',
      true,
      `${request.params.n_estimators} trees in ${Math.round(fitted.trainTimeMs)} ms`,
    );

    step('evaluate', false);
    evaluation = evaluate(pick(data.y, split.test), fitted.predicted, CLASSES);
    Object.assign(metrics, {
      accuracy: evaluation.accuracy,
      f1_score: evaluation.f1_score,
      precision: evaluation.precision,
      recall: evaluation.recall,
      train_time_ms: Math.round(fitted.trainTimeMs * 1000) / 1000,
    });
    step(
      'evaluate',
      true,
      `accuracy ${evaluation.accuracy.toFixed(4)}, f1 ${evaluation.f1_score.toFixed(4)}`,
    );

    if (request.cvFolds) {
      step('cv', false);
      const folds = stratifiedKFold(data.y, request.cvFolds, request.params.random_state);
      const scores = await session.crossValidate({ data: dataset, params: request.params, folds });
      const { mean, std } = meanAndStd(scores);
      metrics.cv_accuracy_mean = mean;
      metrics.cv_accuracy_std = std;
      step('cv', true, `${request.cvFolds}-fold accuracy ${mean.toFixed(4)} ± ${std.toFixed(4)}`);
    }
  } finally {
    await session.close();
  }
  const model = fitted.model;
  const report = classificationReport(evaluation);

  step('log', false);
  const store = deps.store;
  const notices: string[] = [];
  let experiment = await store.getExperimentByName(request.experiment);
  if (experiment === null || experiment.lifecycle_stage === 'deleted') {
    // createExperiment restores a deleted one (with its runs), as MLflow's clients do
    if (experiment !== null)
      notices.push(`experiment "${request.experiment}" was deleted: restored it, with its runs`);
    experiment = await store.createExperiment(request.experiment);
  }
  const params: Record<string, string> = {
    n_estimators: String(request.params.n_estimators),
    max_depth: String(request.params.max_depth),
    max_features: String(request.params.max_features),
    random_state: String(request.params.random_state),
    test_size: String(request.testSize),
    n_samples: String(data.x.length),
    n_features: String(FEATURES.length),
  };
  if (request.cvFolds) params.cv_folds = String(request.cvFolds);
  const tags: Record<string, string> = {
    dataset: data.name,
    framework: 'ml-random-forest',
    algorithm: 'RandomForestClassifier',
    [MLFLOW_RUN_NAME]: request.runName,
    [MLFLOW_USER]: deps.user,
    [MLFLOW_SOURCE_NAME]: 'irisops train',
    [MLFLOW_SOURCE_TYPE]: 'LOCAL',
    [IRISOPS_VERSION]: deps.irisopsVersion,
    [IRISOPS_HOST]: deps.host,
    [IRISOPS_PID]: String(deps.pid),
    [DATASET_DIGEST_TAG]: data.digest,
    [DATASET_PATH_TAG]: data.path,
    [LIBRARY_VERSION_TAG]: libraryVersion(),
  };
  if (deps.gitCommit) tags[MLFLOW_GIT_COMMIT] = deps.gitCommit;

  const run = await store.createRun({
    experimentId: experiment.experiment_id,
    runName: request.runName,
    startTime,
    userId: deps.user,
    tags,
  });
  const runId = run.run_id;
  const recorded: string[] = ['run'];
  let finished = false;
  const staging = mkdtempSync(path.join(tmpdir(), 'irisops-train-'));
  try {
    await store.logBatch(runId, {
      params: Object.entries(params).map(([key, value]) => ({ key, value })),
    });
    recorded.push('params');
    await store.logInputs(runId, [
      {
        name: data.name,
        digest: data.digest.slice(0, 32),
        source_type: 'local',
        source: JSON.stringify({ uri: `file://${data.path}` }),
        schema: JSON.stringify({
          mlflow_colspec: [
            ...FEATURES.map((name) => ({ type: 'double', name, required: true })),
            { type: 'string', name: 'species', required: true },
          ],
        }),
        profile: JSON.stringify({
          num_rows: data.x.length,
          num_elements: data.x.length * (FEATURES.length + 1),
        }),
        tags: { [MLFLOW_DATASET_CONTEXT]: 'training' },
      },
    ]);
    recorded.push('dataset input');

    const written = writeModelDir(path.join(staging, MODEL_ARTIFACT_PATH), model, {
      runId,
      irisopsVersion: deps.irisopsVersion,
      now: deps.now(),
    });
    writeFileSync(
      path.join(staging, 'confusion_matrix.json'),
      `${JSON.stringify({ labels: evaluation.labels, matrix: evaluation.confusion_matrix }, null, 2)}\n`,
    );
    writeFileSync(
      path.join(staging, 'confusion_matrix.svg'),
      confusionMatrixSvg(evaluation.labels, evaluation.confusion_matrix),
    );
    writeFileSync(path.join(staging, 'classification_report.txt'), report);
    await store.logArtifacts(runId, staging, '');
    recorded.push('artifacts');

    const timestamp = deps.now();
    const metricList: Metric[] = Object.entries(metrics).map(([key, value]) => ({
      key,
      value,
      timestamp,
      step: 0,
    }));
    // the digest tag goes last among the records: a model without it is never served
    await store.logBatch(runId, {
      metrics: metricList,
      tags: [{ key: MODEL_DIGEST_TAG, value: written.digest }],
    });
    recorded.push('metrics');
    checkAbort();
    await store.updateRun(runId, 'FINISHED', deps.now());
    finished = true;
    step('log', true, `run ${runId}`);

    let version: ModelVersion | null = null;
    if (request.register) {
      step('register', false);
      try {
        await store.createRegisteredModel(request.modelName);
        version = await store.createModelVersion({
          name: request.modelName,
          source: `${run.artifact_uri}/${MODEL_ARTIFACT_PATH}`,
          runId,
          tags: { [MODEL_DIGEST_TAG]: written.digest },
        });
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        throw new TrackingError(
          error instanceof IrisopsError ? error.code : 'REGISTER_FAILED',
          `run ${runId} is logged and FINISHED, but registering ${request.modelName} failed: ${reason}`,
          {
            hint: `retry later, or serve the run directly: irisops serve --model runs:/${runId}/model`,
            cause: error,
          },
        );
      }
      step('register', true, `${request.modelName} version ${version.version}`);
    }

    const final = await store.getRun(runId);
    return {
      evaluation,
      report,
      notices,
      result: {
        run_id: runId,
        experiment_id: experiment.experiment_id,
        run_name: request.runName,
        status: final.info.status,
        params: final.data.params,
        metrics: final.data.metrics,
        tags: final.data.tags,
        artifact_uri: final.info.artifact_uri,
        model_uri: `runs:/${runId}/model`,
        model_digest: written.digest,
        dataset_digest: data.digest,
        registered_model: version ? { name: version.name, version: version.version } : null,
      },
    };
  } catch (error) {
    if (finished) throw error;
    const interrupted = error instanceof InterruptedError;
    let markedFailed = false;
    try {
      await store.updateRun(runId, interrupted ? 'KILLED' : 'FAILED', deps.now());
      markedFailed = true;
    } catch {
      // the store itself is failing; the error below says the run was left unfinished
    }
    if (interrupted)
      throw new InterruptedError(
        `irisops train interrupted: run ${runId} marked ${markedFailed ? 'KILLED' : 'unfinished'}`,
      );
    throw new TrainLoggingError(runId, recorded, error, markedFailed);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}
