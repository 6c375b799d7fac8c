/** The part of train that touches no store: load, split, fit, evaluate, cross-validate. */
import { CLASSES, FEATURES, loadDataset, type Dataset } from '../data/dataset.js';
import { stratifiedKFold, stratifiedSplit } from '../data/split.js';
import { buildReferenceProfile } from '../monitor/profile.js';
import type { ModelFile, ReferenceProfile } from '../schemas/types.js';
import { openFitSession, type FitSession } from './fit.js';
import { evaluate, meanAndStd, type Evaluation } from './metrics.js';
import type { StepReporter, TrainRequest } from './train-request.js';

export interface Trained {
  data: Dataset;
  model: ModelFile;
  evaluation: Evaluation;
  metrics: Record<string, number>;
  /** the training split as drift detection compares live inputs with it */
  profile: ReferenceProfile;
}

function pick<T>(items: T[], idx: number[]): T[] {
  return idx.map((i) => items[i] as T);
}

export async function fitAndEvaluate(
  request: TrainRequest,
  step: StepReporter,
  signal?: AbortSignal,
  warm?: FitSession,
): Promise<Trained> {
  // started first: the worker loads its modules while the data is read
  const session = warm ?? openFitSession(signal);
  try {
    step('load', false);
    const data = await loadDataset(request.dataPath);
    step('load', true, `${data.x.length} rows from ${data.path}`);

    step('split', false);
    const { params } = request;
    const splitSeed = request.splitSeed ?? params.random_state;
    const split = stratifiedSplit(data.y, request.testSize, splitSeed, CLASSES);
    step('split', true, `${split.train.length} train / ${split.test.length} test, stratified`);

    const dataset = { x: data.x, y: data.y, featureNames: FEATURES, classLabels: CLASSES };
    step('fit', false);
    const fitted = await session.fit({ data: dataset, params, split });
    step('fit', true, `${params.n_estimators} trees in ${Math.round(fitted.trainTimeMs)} ms`);

    step('evaluate', false);
    const evaluation = evaluate(pick(data.y, split.test), fitted.predicted, CLASSES);
    const metrics: Record<string, number> = {
      accuracy: evaluation.accuracy,
      f1_score: evaluation.f1_score,
      precision: evaluation.precision,
      recall: evaluation.recall,
      train_time_ms: Math.round(fitted.trainTimeMs * 1000) / 1000,
    };
    const f1 = evaluation.f1_score.toFixed(4);
    step('evaluate', true, `accuracy ${evaluation.accuracy.toFixed(4)}, f1 ${f1}`);

    if (request.cvFolds) {
      step('cv', false);
      const folds = stratifiedKFold(data.y, request.cvFolds, splitSeed);
      const scores =
        request.foldScores ?? (await session.crossValidate({ data: dataset, params, folds }));
      const { mean, std } = meanAndStd(scores);
      metrics.cv_accuracy_mean = mean;
      metrics.cv_accuracy_std = std;
      step('cv', true, `${request.cvFolds}-fold accuracy ${mean.toFixed(4)} ± ${std.toFixed(4)}`);
    }
    const profile = buildReferenceProfile(pick(data.x, split.train), pick(data.y, split.train), {
      featureNames: FEATURES,
      classNames: CLASSES,
    });
    return { data, model: fitted.model, evaluation, metrics, profile };
  } finally {
    await session.close();
  }
}
