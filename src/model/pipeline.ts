/**
 * irisops train as one core function: fit and evaluate (train-fit.ts), build the run record
 * (run-record.ts), log it (log-run.ts), register it (register.ts). Everything that can fail
 * on bad input happens before the store is touched, so a refused train leaves the store as
 * it was; once a run exists, a failure marks it FAILED (KILLED when interrupted).
 */
import { InterruptedError, IrisopsError, TrackingError } from '../errors.js';
import type { Experiment, ModelVersion, Run, TrackingStore } from '../tracking/store.js';
import type { TrainResult } from '../schemas/types.js';
import { EXPERIMENT_KIND_CUSTOM_MODEL, MLFLOW_EXPERIMENT_KIND } from '../tracking/tags.js';
import { logRun, type LoggedRun } from './log-run.js';
import { classificationReport, type Evaluation } from './metrics.js';
import { registerRunModel } from './register.js';
import { buildRunRecord } from './run-record.js';
import { fitAndEvaluate, type Trained } from './train-fit.js';
import type { StepReporter, TrainDeps, TrainRequest } from './train-request.js';

export type { TrainDeps, TrainRequest, TrainStep } from './train-request.js';
export { TrainLoggingError } from './log-run.js';

export interface TrainOutcome {
  result: TrainResult;
  /** things the person should know that are not failures (e.g. a restored experiment) */
  notices: string[];
  evaluation: Evaluation;
  report: string;
}

/**
 * Gets the experiment, creating (or restoring) it; tune opens its sweep's the same way. A new
 * one is marked as model training, so MLflow 3's UI opens it on its runs; an existing one is
 * left as it is (MLflow's clients never set the kind, its UI guesses it from the runs).
 */
export async function ensureExperiment(
  store: TrackingStore,
  name: string,
  notices: string[],
): Promise<Experiment> {
  const experiment = await store.getExperimentByName(name);
  if (experiment !== null && experiment.lifecycle_stage !== 'deleted') return experiment;
  // createExperiment restores a deleted one (with its runs), as MLflow's clients do
  if (experiment !== null)
    notices.push(`experiment "${name}" was deleted: restored it, with its runs`);
  return store.createExperiment(name, { [MLFLOW_EXPERIMENT_KIND]: EXPERIMENT_KIND_CUSTOM_MODEL });
}

async function register(
  store: TrackingStore,
  runId: string,
  modelName: string,
): Promise<ModelVersion> {
  try {
    return await registerRunModel(store, runId, modelName);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new TrackingError(
      error instanceof IrisopsError ? error.code : 'REGISTER_FAILED',
      `run ${runId} is logged and FINISHED, but registering ${modelName} failed: ${reason}`,
      {
        hint: `retry with irisops registry register ${runId}, or serve the run directly: irisops serve --model runs:/${runId}/model`,
        cause: error,
      },
    );
  }
}

function trainResult(
  request: TrainRequest,
  trained: Trained,
  logged: LoggedRun,
  final: Run,
  version: ModelVersion | null,
): TrainResult {
  const runId = logged.run.run_id;
  return {
    run_id: runId,
    experiment_id: logged.run.experiment_id,
    run_name: request.runName,
    status: final.info.status,
    params: final.data.params,
    metrics: final.data.metrics,
    tags: final.data.tags,
    artifact_uri: final.info.artifact_uri,
    model_uri: `runs:/${runId}/model`,
    model_digest: logged.modelDigest,
    dataset_digest: trained.data.digest,
    registered_model: version ? { name: version.name, version: version.version } : null,
  };
}

export async function trainAndLog(request: TrainRequest, deps: TrainDeps): Promise<TrainOutcome> {
  const onStep = deps.onStep ?? (() => {});
  const checkAbort = () => {
    if (deps.signal?.aborted) throw new InterruptedError('irisops train interrupted');
  };
  const step: StepReporter = (name, done, detail) => {
    checkAbort();
    onStep(name, done, detail);
  };
  const startTime = deps.now();
  const trained = await fitAndEvaluate(request, step, deps.signal, deps.fitSession);
  const report = classificationReport(trained.evaluation);

  step('log', false);
  const { store } = deps;
  const notices: string[] = [];
  const experiment = await ensureExperiment(store, request.experiment, notices);
  const logged = await logRun(store, {
    experimentId: experiment.experiment_id,
    runName: request.runName,
    startTime,
    userId: deps.user,
    irisopsVersion: deps.irisopsVersion,
    record: buildRunRecord(request, deps, trained.data),
    trained,
    report,
    now: deps.now,
    checkAbort,
  });
  const runId = logged.run.run_id;
  onStep('log', true, `run ${runId}`);

  let version: ModelVersion | null = null;
  if (request.register) {
    if (deps.signal?.aborted)
      throw new InterruptedError(
        `irisops train interrupted: run ${runId} is FINISHED but not registered (irisops registry register ${runId})`,
      );
    onStep('register', false);
    version = await register(store, runId, request.modelName);
    onStep('register', true, `${request.modelName} version ${version.version}`);
  }
  const final = await store.getRun(runId);
  return {
    evaluation: trained.evaluation,
    report,
    notices,
    result: trainResult(request, trained, logged, final, version),
  };
}
