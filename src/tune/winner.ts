/**
 * The metrics a trial reports, which way each is better, and the winner: the best metric,
 * ties going to the simpler model (fewer trees, then smaller depth, then fewer features,
 * then the earlier trial), so the pick never depends on the order trials finished in.
 */
import { UsageError } from '../errors.js';
import { meanAndStd } from '../model/metrics.js';
import type { TuneResult } from '../schemas/types.js';
import type { Trial } from './space.js';

/** the names are schemas/tune-result.schema.json's (the type checks they agree) */
export type TuneMetric = TuneResult['metric'];
export const TUNE_METRICS: Record<TuneMetric, 'higher' | 'lower'> = {
  cv_accuracy_mean: 'higher',
  cv_accuracy_min: 'higher',
  cv_accuracy_std: 'lower',
};

export function checkMetric(name: string): TuneMetric {
  if (!(name in TUNE_METRICS))
    throw new UsageError(`--metric ${name} is not a trial metric`, {
      hint: `use one of ${Object.keys(TUNE_METRICS).join(', ')}`,
    });
  return name as TuneMetric;
}

/** What a child run logs from its fold accuracies. */
export function trialMetrics(foldAccuracies: number[]): Record<TuneMetric, number> {
  const { mean, std } = meanAndStd(foldAccuracies);
  return {
    cv_accuracy_mean: mean,
    cv_accuracy_std: std,
    cv_accuracy_min: Math.min(...foldAccuracies),
  };
}

export interface Scored {
  trial: Trial;
  metrics: Record<TuneMetric, number>;
}

/** Negative when a ranks before b (better, or as good and simpler). */
export function compareScored(metric: TuneMetric, a: Scored, b: Scored): number {
  const sign = TUNE_METRICS[metric] === 'higher' ? -1 : 1;
  const byMetric = sign * (a.metrics[metric] - b.metrics[metric]);
  if (byMetric !== 0) return byMetric;
  const pa = a.trial.params;
  const pb = b.trial.params;
  return (
    pa.n_estimators - pb.n_estimators ||
    pa.max_depth - pb.max_depth ||
    pa.max_features - pb.max_features ||
    a.trial.index - b.trial.index
  );
}

/** Best first. */
export function rankScored<T extends Scored>(metric: TuneMetric, scored: T[]): T[] {
  return [...scored].sort((a, b) => compareScored(metric, a, b));
}

export function pickWinner<T extends Scored>(metric: TuneMetric, scored: T[]): T | null {
  return rankScored(metric, scored)[0] ?? null;
}
