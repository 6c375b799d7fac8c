/**
 * A window of inputs (and the classes predicted for them) against a reference profile:
 * schemas/drift-report.schema.json.
 *
 * Verdict, per test (each feature's KS test, the predicted classes' chi-squared test):
 *  - fewer than min_samples rows: `insufficient data`, whatever the figures say. PSI is
 *    biased upwards on small samples (10 bins, 100 rows against 120, no drift at all: the
 *    mean PSI is 0.17 on continuous data, 0.11 on resampled iris; 10 iris rows can give
 *    PSI near 2), and a handful of rows proves nothing either way.
 *  - Holm-corrected p >= alpha: `stable`. The difference is within what sampling alone
 *    produces, so it is not called drift however large the PSI looks.
 *  - significant: graded by PSI, the conventional magnitude scale: >= psi_drift `drift`,
 *    >= psi_warning `warning`, below `stable` (a shift a big window can detect but too small
 *    to matter).
 * Significance gates every alarm, so under no drift P(any test says drift) <= alpha: the
 * family-wise guarantee Holm gives (see correction.ts). The overall verdict is the worst of
 * the tests, or `insufficient data` while the window is below min_samples.
 */
import { UsageError } from '../errors.js';
import { chiSquaredGoodnessOfFit } from './chi2.js';
import { holm } from './correction.js';
import { ksTest } from './ks.js';
import { binShares, psi, PSI_EPSILON } from './psi.js';
import type {
  DriftReport,
  DriftThresholds,
  FeatureDrift,
  PredictionDrift,
  ReferenceProfile,
  Verdict,
} from './types.js';

/** the defaults of serve's --drift-* flags and irisops drift's: one place */
export const DRIFT_DEFAULTS: Readonly<DriftThresholds> = Object.freeze({
  psi_warning: 0.1,
  psi_drift: 0.25,
  alpha: 0.01,
  min_samples: 100,
});

export interface DriftWindowData {
  /** input rows, in the profile's feature order */
  rows: readonly (readonly number[])[];
  /** predicted class index per answered row, into the profile's classes */
  predicted?: readonly number[];
}

export interface DriftOptions {
  thresholds?: Partial<DriftThresholds>;
  modelVersion?: string;
}

const SEVERITY: Record<Verdict, number> = {
  'insufficient data': 0,
  stable: 1,
  warning: 2,
  drift: 3,
};

export function resolveThresholds(partial: Partial<DriftThresholds> = {}): DriftThresholds {
  const t = { ...DRIFT_DEFAULTS, ...partial };
  if (!(t.alpha > 0 && t.alpha < 1))
    throw new UsageError(`the drift alpha must be between 0 and 1, got ${t.alpha}`);
  if (!(t.psi_warning >= 0 && t.psi_drift >= t.psi_warning)) {
    throw new UsageError(
      `PSI thresholds need 0 <= warning <= drift, got ${t.psi_warning} and ${t.psi_drift}`,
    );
  }
  if (!(Number.isInteger(t.min_samples) && t.min_samples >= 1)) {
    throw new UsageError(
      `the drift minimum sample size must be a positive integer, got ${t.min_samples}`,
    );
  }
  return t;
}

function grade(
  n: number,
  psiValue: number | null,
  correctedP: number | null,
  t: DriftThresholds,
): Verdict {
  if (n < t.min_samples || psiValue === null || correctedP === null) return 'insufficient data';
  if (correctedP >= t.alpha) return 'stable';
  if (psiValue >= t.psi_drift) return 'drift';
  return psiValue >= t.psi_warning ? 'warning' : 'stable';
}

function featureFigures(profile: ReferenceProfile, rows: DriftWindowData['rows']) {
  return profile.features.map((feature, f) => {
    const values = rows.map((row) => row[f] as number).sort((a, b) => a - b);
    if (values.length === 0) return { name: feature.name, n: 0, psi: null, ks: null, p: null };
    const ks = ksTest(feature.sorted_values, values);
    const shares = binShares(feature.bin_edges, values);
    return {
      name: feature.name,
      n: values.length,
      psi: psi(feature.bin_shares, shares),
      ks: ks.statistic,
      p: ks.p,
    };
  });
}

function predictionFigures(profile: ReferenceProfile, predicted: readonly number[]) {
  const observed = profile.classes.map(() => 0);
  for (const label of predicted) {
    if (observed[label] === undefined)
      throw new UsageError(`predicted class index ${label} is not one of the model's classes`);
    observed[label] += 1;
  }
  const shares = profile.classes.map((c) => c.share);
  const fit = chiSquaredGoodnessOfFit(observed, shares);
  const n = predicted.length;
  return {
    n,
    psi:
      n === 0
        ? null
        : psi(
            shares,
            observed.map((o) => o / n),
            PSI_EPSILON,
          ),
    chi2: n === 0 ? null : fit.statistic,
    df: fit.df,
    p: n === 0 ? null : fit.p,
    classes: profile.classes.map((c, k) => ({
      name: c.name,
      observed: observed[k] as number,
      expected: fit.expected[k] as number,
    })),
  };
}

export function analyzeDrift(
  profile: ReferenceProfile,
  window: DriftWindowData,
  options: DriftOptions = {},
): DriftReport {
  const t = resolveThresholds(options.thresholds);
  const width = profile.features.length;
  window.rows.forEach((row, i) => {
    if (row.length !== width)
      throw new UsageError(
        `input row ${i} has ${row.length} values, the profile has ${width} features`,
      );
  });
  const figures = featureFigures(profile, window.rows);
  const prediction =
    window.predicted === undefined ? null : predictionFigures(profile, window.predicted);
  // one family: the overall verdict fires on any of these tests, so all are corrected together
  const corrected = holm([...figures.map((f) => f.p), ...(prediction ? [prediction.p] : [])]);
  const features: FeatureDrift[] = figures.map((f, k) => {
    const correctedP = corrected[k] ?? null;
    return { ...f, corrected_p: correctedP, verdict: grade(f.n, f.psi, correctedP, t) };
  });
  let predictions: PredictionDrift | null = null;
  if (prediction) {
    const correctedP = corrected[figures.length] ?? null;
    predictions = {
      ...prediction,
      corrected_p: correctedP,
      verdict: grade(prediction.n, prediction.psi, correctedP, t),
    };
  }
  const n = window.rows.length;
  const tests = [...features.map((f) => f.verdict), ...(predictions ? [predictions.verdict] : [])];
  const worst = tests.reduce<Verdict>(
    (w, v) => (SEVERITY[v] > SEVERITY[w] ? v : w),
    'insufficient data',
  );
  return {
    ...(options.modelVersion === undefined ? {} : { model_version: options.modelVersion }),
    verdict: n < t.min_samples ? 'insufficient data' : worst,
    n,
    reference_n: profile.n_rows,
    thresholds: t,
    correction: 'holm',
    features,
    predictions,
  };
}
