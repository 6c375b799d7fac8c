/**
 * One trial as a child run: created RUNNING under the sweep's parent with its params while
 * a fit worker scores its folds, its CV metrics logged and FINISHED in one update. A trial
 * that throws marks its child FAILED (KILLED when the sweep was interrupted). The writes go
 * through the sweep's gathered run writes (run-writes.ts), a few trials' at a time.
 */
import { InterruptedError } from '../errors.js';
import type { Split } from '../data/split.js';
import type { FitData, FitSession } from '../model/fit.js';
import type { CreateRunWithParams, TrackingStore } from '../tracking/store.js';
import {
  MLFLOW_PARENT_RUN_ID,
  MLFLOW_RUN_NAME,
  TUNE_ROLE_TAG,
  TUNE_TRIAL_TAG,
} from '../tracking/tags.js';
import type { RunWrites } from './run-writes.js';
import type { Trial } from './space.js';
import { trialMetrics, type TuneMetric } from './winner.js';

export interface TrialScope {
  store: TrackingStore;
  /** the children's creates and updates, gathered into few store calls */
  runs: RunWrites;
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
  /** accuracy of each fold: the winner's refit logs these rather than fit the folds again */
  foldScores: number[];
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

function trialParams(scope: TrialScope, trial: Trial) {
  const params = {
    ...scope.baseParams,
    n_estimators: String(trial.params.n_estimators),
    max_depth: String(trial.params.max_depth),
    max_features: String(trial.params.max_features),
    random_state: String(trial.params.random_state),
  };
  return Object.entries(params).map(([key, value]) => ({ key, value }));
}

function trialRunRequest(scope: TrialScope, trial: Trial): CreateRunWithParams {
  const runName = trialRunName(scope.parentName, trial);
  return {
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
    params: trialParams(scope, trial),
  };
}

/**
 * The worker scores the folds while the child run is created with its params, and `release`
 * is called as soon as the scores are in, so the lane's next trial fits while this one's
 * metrics are written. A store that fails before the run exists fails as it is (the sweep
 * stops); after, the run is marked FAILED (KILLED when the sweep was interrupted).
 */
export async function runTrial(
  scope: TrialScope,
  trial: Trial,
  session: FitSession,
  release: () => void = () => {},
): Promise<TrialOutcome> {
  const scoring = session.crossValidate({
    data: scope.data,
    params: trial.params,
    folds: scope.folds,
  });
  // awaited below; a rejection must not go unhandled while the run is being created
  scoring.then(release, () => {});
  const { run_id: runId } = await scope.runs.create(trialRunRequest(scope, trial));
  try {
    const foldScores = await scoring;
    const metrics = trialMetrics(foldScores);
    const timestamp = scope.now();
    await scope.runs.update({
      runId,
      batch: {
        metrics: Object.entries(metrics).map(([key, value]) => ({
          key,
          value,
          timestamp,
          step: 0,
        })),
      },
      status: 'FINISHED',
      endTime: scope.now(),
    });
    return { runId, metrics, foldScores };
  } catch (error) {
    const interrupted = error instanceof InterruptedError || scope.signal?.aborted === true;
    // a store that fails here fails the sweep anyway; the first error is the one to tell
    await scope.runs
      .update({ runId, status: interrupted ? 'KILLED' : 'FAILED', endTime: scope.now() })
      .catch(() => {});
    if (interrupted) throw new InterruptedError('irisops tune interrupted');
    throw new TrialFailure(runId, error);
  }
}
