/**
 * The A/B verdict from the feedback tallies: per variant its accuracy with a 95 % interval,
 * and the challenger tested against the champion. A difference is only called when each
 * side has at least MIN_LABELS labels (below that the normal approximation is not to be
 * trusted) and the two-sided p-value is under ALPHA.
 */
import type { VariantTally } from './feedback.js';
import { labelsPerVariantNeeded, twoProportionTest, wilsonInterval } from './statistics.js';

export const ALPHA = 0.05;
export const MIN_LABELS = 30;

export type VerdictText = 'challenger better' | 'champion better' | 'no significant difference yet';

export interface VariantFigures {
  requests: number;
  labelled: number;
  correct: number;
  accuracy: number | null;
  interval: [number, number] | null;
}

export interface Verdict {
  verdict: VerdictText;
  p_value: number | null;
  z: number | null;
  /** challenger accuracy minus champion accuracy */
  difference: number | null;
  alpha: number;
  min_labels: number;
  /** roughly how many more labels (both variants together) a decision needs; 0 when decided, null when no estimate */
  more_labels_needed: number | null;
}

export function figuresOf(tally: VariantTally): VariantFigures {
  return {
    requests: tally.requests,
    labelled: tally.labelled,
    correct: tally.correct,
    accuracy: tally.labelled === 0 ? null : tally.correct / tally.labelled,
    interval: wilsonInterval(tally.correct, tally.labelled),
  };
}

export function decide(champion: VariantTally, challenger: VariantTally): Verdict {
  const test = twoProportionTest(
    champion.correct,
    champion.labelled,
    challenger.correct,
    challenger.labelled,
  );
  const base = { alpha: ALPHA, min_labels: MIN_LABELS };
  if (!test) {
    const short =
      Math.max(0, MIN_LABELS - champion.labelled) + Math.max(0, MIN_LABELS - challenger.labelled);
    return {
      ...base,
      verdict: 'no significant difference yet',
      p_value: null,
      z: null,
      difference: null,
      more_labels_needed: short,
    };
  }
  const enough = champion.labelled >= MIN_LABELS && challenger.labelled >= MIN_LABELS;
  const significant = enough && test.pValue < ALPHA;
  const verdict: VerdictText = !significant
    ? 'no significant difference yet'
    : test.difference > 0
      ? 'challenger better'
      : 'champion better';
  let more: number | null = 0;
  if (!significant) {
    const perVariant = labelsPerVariantNeeded(
      champion.correct / champion.labelled,
      challenger.correct / challenger.labelled,
    );
    const target = Math.max(MIN_LABELS, perVariant ?? 0);
    more =
      perVariant === null && enough
        ? null
        : Math.max(0, target - champion.labelled) + Math.max(0, target - challenger.labelled);
    // the sample is already as large as the estimate asked for, yet not significant
    if (more === 0) more = null;
  }
  return {
    ...base,
    verdict,
    p_value: test.pValue,
    z: test.z,
    difference: test.difference,
    more_labels_needed: more,
  };
}
