/**
 * One trial as a child run: created RUNNING under the sweep's parent with its params, its
 * folds scored in a fit worker, its CV metrics logged, then FINISHED. A trial that throws
 * marks its child FAILED (KILLED when the sweep was interrupted).
 */
import { InterruptedError } from '../errors.js';
import type { Split } from '../data/split.js';
import type { FitData, FitSession } from '../model/fit.js';
import type { TrackingStore } from '../tracking/store.js';
import {
  MLFLOW_PARENT_RUN_ID,
  MLFLOW_RUN_NAME,
  TUNE_ROLE_TAG,
  TUNE_TRIAL_TAG,
} from '../tracking/tags.js';
import type { Trial } from './space.js';
import { trialMetrics, type TuneMetric } from './winner.js';

export interface TrialScope {
  store: TrackingStore;
  experimentId: string;
  parentRunId: string;
  parentName: string;
  userId: string;
  /** the tags every run of the sweep carries (user, source, host, dataset, …) */
  baseTags: Record<string, string>;
  /** params every child shares (cv_folds, split_seed, n_samples, n_features) */
  baseParams: Record<string, string>;
  data: FitData;
  folds: Split[];
  now: () => number;
  signal?: AbortSignal;
}

export interface TrialOutcome {
  runId: string;
  metrics: Record<TuneMetric, number>;
}

/** A trial that failed after its child run existed: the run is marked FAILED. */
export class TrialFailure extends Error {
  readonly runId: string;
  constructor(runId: string, cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause), { cause });
    this.runId = runId;
  }
}

export function trialRunName(parentName: string, trial: Trial): string {
  return `${parentName}-t${String(trial.index + 1).padStart(3, '0')}`;
}

async function scoreTrial(scope: TrialScope, trial: Trial, session: FitSession, runId: string) {
  const { store } = scope;
  const params = {
    ...scope.baseParams,
    n_estimators: String(trial.params.n_estimators),
    max_depth: String(trial.params.max_depth),
    max_features: String(trial.params.max_features),
    random_state: String(trial.params.random_state),
  };
  await store.logBatch(runId, {
    params: Object.entries(params).map(([key, value]) => ({ key, value })),
  });
  const scores = await session.crossValidate({
    data: scope.data,
    params: trial.params,
    folds: scope.folds,
  });
  const metrics = trialMetrics(scores);
  const timestamp = scope.now();
  await store.logBatch(runId, {
    metrics: Object.entries(metrics).map(([key, value]) => ({ key, value, timestamp, step: 0 })),
  });
  return metrics;
}

export async function runTrial(
  scope: TrialScope,
  trial: Trial,
  session: FitSession,
): Promise<TrialOutcome> {
  const { store } = scope;
  const runName = trialRunName(scope.parentName, trial);
  const run = await store.createRun({
    experimentId: scope.experimentId,
    runName,
    startTime: scope.now(),
    userId: scope.userId,
    tags: {
      ...scope.baseTags,
      [MLFLOW_RUN_NAME]: runName,
      [MLFLOW_PARENT_RUN_ID]: scope.parentRunId,
      [TUNE_ROLE_TAG]: 'trial',
      [TUNE_TRIAL_TAG]: String(trial.index),
    },
  });
  try {
    const metrics = await scoreTrial(scope, trial, session, run.run_id);
    await store.updateRun(run.run_id, 'FINISHED', scope.now());
    return { runId: run.run_id, metrics };
  } catch (error) {
    const interrupted = error instanceof InterruptedError || scope.signal?.aborted === true;
    // a store that fails here fails the sweep anyway; the first error is the one to tell
    await store
      .updateRun(run.run_id, interrupted ? 'KILLED' : 'FAILED', scope.now())
      .catch(() => {});
    if (interrupted) throw new InterruptedError('irisops tune interrupted');
    throw new TrialFailure(run.run_id, error);
  }
}
