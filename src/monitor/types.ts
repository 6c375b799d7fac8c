/**
 * The shapes of schemas/reference-profile.schema.json and schemas/drift-report.schema.json.
 * Written by hand only until src/schemas/generated.ts is regenerated with those two files
 * (npm run gen:types); then these become re-exports of ReferenceProfile and DriftReport from
 * src/schemas/types.ts. test/monitor validates every built value against the schema files,
 * so the two cannot drift apart unnoticed meanwhile.
 */
export type Verdict = 'stable' | 'warning' | 'drift' | 'insufficient data';

export interface FeatureProfile {
  name: string;
  sorted_values: number[];
  bin_edges: number[];
  bin_shares: number[];
}

export interface ClassProfile {
  name: string;
  count: number;
  share: number;
}

export interface ReferenceProfile {
  format: 'irisops-reference-profile';
  format_version: 1;
  n_rows: number;
  features: FeatureProfile[];
  classes: ClassProfile[];
}

export interface DriftThresholds {
  psi_warning: number;
  psi_drift: number;
  alpha: number;
  min_samples: number;
}

export interface FeatureDrift {
  name: string;
  n: number;
  psi: number | null;
  ks: number | null;
  p: number | null;
  corrected_p: number | null;
  verdict: Verdict;
}

export interface PredictionDrift {
  n: number;
  psi: number | null;
  chi2: number | null;
  df: number;
  p: number | null;
  corrected_p: number | null;
  verdict: Verdict;
  classes: { name: string; observed: number; expected: number }[];
}

export interface DriftReport {
  model_version?: string;
  verdict: Verdict;
  n: number;
  reference_n: number;
  thresholds: DriftThresholds;
  correction: 'holm';
  features: FeatureDrift[];
  predictions: PredictionDrift | null;
}
