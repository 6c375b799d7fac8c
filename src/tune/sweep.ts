/**
 * irisops tune as one core function. The lanes' fit workers start first, so they boot while
 * the data and the folds are checked, before the store is touched; then a parent run (the
 * search space), one child per trial (tune/trial-run.ts) on the worker pool (tune/pool.ts),
 * the winner (tune/winner.ts) refitted and logged by the train pipeline itself
 * (model/pipeline.ts, so it is logged and registered exactly as `irisops train` would) in
 * the worker of the first lane to fall idle and with the winning trial's fold scores (the
 * same folds and seed would give the same numbers again), and the winner's params and metric
 * on the parent. Once the parent exists, a failure marks it FAILED, an interrupt KILLED
 * (with every unfinished child).
 */
import { CLASSES, FEATURES, loadDataset } from '../data/dataset.js';
import { stratifiedKFold } from '../data/split.js';
import { InterruptedError, ModelError } from '../errors.js';
import { openFitSession, type FitSession } from '../model/fit.js';
import {
  ensureExperiment,
  trainAndLog,
  type TrainDeps,
  type TrainOutcome,
} from '../model/pipeline.js';
import { buildRunRecord } from '../model/run-record.js';
import type { TrainRequest } from '../model/train-request.js';
import type { TuneResult } from '../schemas/types.js';
import type { DatasetInput, TrackingStore } from '../tracking/store.js';
import {
  MLFLOW_PARENT_RUN_ID,
  TUNE_GOAL_TAG,
  TUNE_METRIC_TAG,
  TUNE_ROLE_TAG,
  TUNE_TRIAL_TAG,
  TUNE_WINNER_RUN_TAG,
} from '../tracking/tags.js';
import { runPool, type Settled } from './pool.js';
import { gatherRunWrites } from './run-writes.js';
import { TUNED_PARAMS, type SearchKind, type SearchSpace, type Trial } from './space.js';
import { runTrial, TrialFailure, type TrialOutcome, type TrialScope } from './trial-run.js';
import { pickWinner, TUNE_METRICS, type Scored, type TuneMetric } from './winner.js';

export interface TuneRequest {
  dataPath: string;
  experiment: string;
  runName: string;
  modelName: string;
  register: boolean;
  testSize: number;
  cvFolds: number;
  seed: number;
  search: SearchKind;
  metric: TuneMetric;
  space: SearchSpace;
  trials: Trial[];
  parallel: number;
}

export interface TrialProgress {
  done: number;
  total: number;
  settled: Settled<TrialOutcome>;
  best: Scored | null;
}

export interface TuneDeps extends TrainDeps {
  onTrial?: (progress: TrialProgress) => void;
  /** swapped by tests (a trial that throws); a fit worker by default */
  openSession?: (signal?: AbortSignal) => FitSession;
}

export interface TuneOutcome {
  result: TuneResult;
  notices: string[];
  winner: TrainOutcome;
}

/** The train request the sweep's runs share their tags and dataset input with. */
function sharedRequest(request: TuneRequest, trial: Trial | null, tags = {}): TrainRequest {
  return {
    dataPath: request.dataPath,
    experiment: request.experiment,
    runName: request.runName,
    modelName: request.modelName,
    register: request.register,
    params: trial?.params ?? { ...firstParams(request.space), random_state: request.seed },
    testSize: request.testSize,
    cvFolds: request.cvFolds,
    splitSeed: request.seed,
    source: 'irisops tune',
    tags,
  };
}

function firstParams(space: SearchSpace) {
  return {
    n_estimators: space.n_estimators[0] as number,
    max_depth: space.max_depth[0] as number,
    max_features: space.max_features[0] as number,
  };
}

function spaceParams(request: TuneRequest): Record<string, string> {
  const params: Record<string, string> = {
    search: request.search,
    metric: request.metric,
    cv_folds: String(request.cvFolds),
    seed: String(request.seed),
    n_trials: String(request.trials.length),
  };
  for (const p of TUNED_PARAMS) params[`space_${p}`] = request.space[p].join(',');
  return params;
}

function toTrialResult(s: Settled<TrialOutcome>): TuneResult['trials'][number] {
  const { trial } = s;
  if (s.ok)
    return {
      index: trial.index,
      run_id: s.value.runId,
      status: 'FINISHED',
      params: trial.params,
      metrics: s.value.metrics,
    };
  const error = s.error instanceof Error ? s.error.message : String(s.error);
  const runId = s.error instanceof TrialFailure ? s.error.runId : '';
  return {
    index: trial.index,
    run_id: runId,
    status: 'FAILED',
    params: trial.params,
    metrics: {},
    error,
  };
}

type ScoredTrial = Scored & { runId: string; foldScores: number[] };

/** Why the sweep has no winner: the first trial's failure. */
function allFailed(settled: Settled<TrialOutcome>[]): ModelError {
  const first = settled[0];
  const reason =
    first && !first.ok && first.error instanceof Error ? first.error.message : 'no trial ran';
  return new ModelError('TUNE_ALL_FAILED', `every trial of the sweep failed (first: ${reason})`, {
    hint: 'irisops runs ls shows the FAILED trials; check --data and the search space',
  });
}

/**
 * The trials on the pool. The first lane to run out of trials keeps its worker, warm, for
 * the winner's refit (returned as `spare`, which the caller closes).
 */
async function runTrials(
  request: TuneRequest,
  deps: TuneDeps,
  scope: TrialScope,
  sessions: FitSession[],
) {
  let best: ScoredTrial | null = null;
  let done = 0;
  const kept: { spare: FitSession | null } = { spare: null };
  try {
    const settled = await runPool(request.trials, {
      parallel: request.parallel,
      signal: deps.signal,
      openSession: deps.openSession,
      sessions,
      run: (trial, session, release) => runTrial(scope, trial, session, release),
      onIdle: (session) => {
        kept.spare ??= session;
        return kept.spare === session;
      },
      onSettled: (s) => {
        done++;
        if (s.ok)
          best = pickWinner(request.metric, [
            ...(best ? [best] : []),
            { trial: s.trial, ...s.value },
          ]);
        deps.onTrial?.({ done, total: request.trials.length, settled: s, best });
      },
    });
    // a trial that failed before its run existed means the store is failing: stop here
    const lost = settled.find((s) => !s.ok && !(s.error instanceof TrialFailure));
    if (lost && !lost.ok) throw lost.error;
    const scored: ScoredTrial[] = settled.flatMap((s) =>
      s.ok ? [{ trial: s.trial, ...s.value }] : [],
    );
    const winner = pickWinner(request.metric, scored);
    if (!winner) throw allFailed(settled);
    return { settled, winner, spare: kept.spare };
  } catch (error) {
    await kept.spare?.close();
    throw error;
  }
}

async function finishParent(
  store: TrackingStore,
  parentId: string,
  request: TuneRequest,
  winner: ScoredTrial,
  winnerRunId: string,
  now: () => number,
): Promise<void> {
  const params = Object.entries(winner.trial.params).map(([k, v]) => ({
    key: `best_${k}`,
    value: String(v),
  }));
  const timestamp = now();
  await store.logBatch(parentId, {
    params,
    metrics: [
      { key: `best_${request.metric}`, value: winner.metrics[request.metric], timestamp, step: 0 },
    ],
    tags: [{ key: TUNE_WINNER_RUN_TAG, value: winnerRunId }],
  });
  await store.updateRun(parentId, 'FINISHED', now());
}

/**
 * The parent's search space and dataset input are written while the first trials fit (the
 * store's lock keeps them ahead of the children's writes); both are over before the refit.
 */
async function runTrialsBesideParent(
  request: TuneRequest,
  deps: TuneDeps,
  scope: TrialScope,
  sessions: FitSession[],
  input: DatasetInput,
) {
  const [trials, described] = await Promise.allSettled([
    runTrials(request, deps, scope, sessions),
    (async () => {
      await scope.store.logBatch(scope.parentRunId, {
        params: Object.entries(spaceParams(request)).map(([key, value]) => ({ key, value })),
      });
      await scope.store.logInputs(scope.parentRunId, [input]);
    })(),
  ]);
  if (trials.status === 'rejected') throw trials.reason;
  if (described.status === 'rejected') {
    await trials.value.spare?.close();
    throw described.reason;
  }
  return trials.value;
}

async function sweep(
  request: TuneRequest,
  deps: TuneDeps,
  scope: TrialScope,
  sessions: FitSession[],
  input: DatasetInput,
) {
  const { settled, winner, spare } = await runTrialsBesideParent(
    request,
    deps,
    scope,
    sessions,
    input,
  );
  const winnerRequest = sharedRequest(request, winner.trial, {
    [MLFLOW_PARENT_RUN_ID]: scope.parentRunId,
    [TUNE_ROLE_TAG]: 'winner',
    [TUNE_TRIAL_TAG]: String(winner.trial.index),
  });
  const trained = await trainAndLog(
    { ...winnerRequest, runName: `${request.runName}-best`, foldScores: winner.foldScores },
    spare === null ? deps : { ...deps, fitSession: spare },
  );
  await finishParent(
    scope.store,
    scope.parentRunId,
    request,
    winner,
    trained.result.run_id,
    deps.now,
  );
  return { settled, winner, trained };
}

function tuneResult(
  request: TuneRequest,
  parentRunId: string,
  experimentId: string,
  { settled, winner, trained }: Awaited<ReturnType<typeof sweep>>,
): TuneOutcome['result'] {
  return {
    parent_run_id: parentRunId,
    experiment_id: experimentId,
    run_name: request.runName,
    status: 'FINISHED',
    search: request.search,
    metric: request.metric,
    cv_folds: request.cvFolds,
    seed: request.seed,
    space: request.space,
    trials: settled.map(toTrialResult),
    winner: {
      trial_index: winner.trial.index,
      trial_run_id: winner.runId,
      params: winner.trial.params,
      trial_metrics: winner.metrics,
      run_id: trained.result.run_id,
      metrics: trained.result.metrics,
      model_uri: trained.result.model_uri,
      model_digest: trained.result.model_digest,
      dataset_digest: trained.result.dataset_digest,
    },
    registered_model: trained.result.registered_model,
  };
}

/** The parent run and what every trial shares; the data and the folds are checked first. */
async function openSweep(request: TuneRequest, deps: TuneDeps, notices: string[]) {
  const { store } = deps;
  const data = await loadDataset(request.dataPath);
  // refused here (too few rows per class), before anything is written
  const folds = stratifiedKFold(data.y, request.cvFolds, request.seed);
  if (deps.signal?.aborted) throw new InterruptedError('irisops tune interrupted');
  const experiment = await ensureExperiment(store, request.experiment, notices);
  const record = buildRunRecord(sharedRequest(request, null), deps, data);
  const parent = await store.createRun({
    experimentId: experiment.experiment_id,
    runName: request.runName,
    startTime: deps.now(),
    userId: deps.user,
    tags: {
      ...record.tags,
      [TUNE_ROLE_TAG]: 'parent',
      [TUNE_METRIC_TAG]: request.metric,
      [TUNE_GOAL_TAG]: TUNE_METRICS[request.metric],
    },
  });
  const scope: TrialScope = {
    store,
    runs: gatherRunWrites(store),
    experimentId: experiment.experiment_id,
    parentRunId: parent.run_id,
    parentName: request.runName,
    userId: deps.user,
    baseTags: record.tags,
    baseParams: {
      cv_folds: String(request.cvFolds),
      split_seed: String(request.seed),
      n_samples: String(data.x.length),
      n_features: String(FEATURES.length),
    },
    data: { x: data.x, y: data.y, featureNames: FEATURES, classLabels: CLASSES },
    folds,
    now: deps.now,
    signal: deps.signal,
  };
  return { scope, input: record.input };
}

export async function tune(request: TuneRequest, deps: TuneDeps): Promise<TuneOutcome> {
  const { store } = deps;
  const notices: string[] = [];
  // the lanes' workers boot (load their modules, warm up) while the data is read and checked
  const open = deps.openSession ?? openFitSession;
  const lanes = Math.max(1, Math.min(request.parallel, request.trials.length));
  const sessions = Array.from({ length: lanes }, () => open(deps.signal));
  try {
    const { scope, input } = await openSweep(request, deps, notices);
    const parentId = scope.parentRunId;
    try {
      const outcome = await sweep(request, deps, scope, sessions, input);
      return {
        notices,
        winner: outcome.trained,
        result: tuneResult(request, parentId, scope.experimentId, outcome),
      };
    } catch (error) {
      throw await markParent(store, parentId, error, deps);
    }
  } finally {
    // the pool closes the workers it used; these are the ones a refused sweep never handed on
    await Promise.all(sessions.map((s) => s.close()));
  }
}

/** Marks the parent FAILED (KILLED when interrupted) and returns the error to throw. */
async function markParent(
  store: TrackingStore,
  parentId: string,
  error: unknown,
  deps: TuneDeps,
): Promise<unknown> {
  const interrupted = error instanceof InterruptedError || deps.signal?.aborted === true;
  let marked = true;
  await store
    .updateRun(parentId, interrupted ? 'KILLED' : 'FAILED', deps.now())
    .catch(() => (marked = false));
  if (interrupted)
    return new InterruptedError(
      `irisops tune interrupted: sweep ${parentId} ${marked ? 'and its unfinished trials marked KILLED' : 'left unfinished'}, nothing registered`,
    );
  return error;
}
