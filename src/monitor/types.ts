/**
 * The shapes of schemas/reference-profile.schema.json and schemas/drift-report.schema.json,
 * taken from the generated types (src/schemas/types.ts) and named for the parts the
 * statistics build one at a time.
 */
import type { DriftReport, ReferenceProfile } from '../schemas/types.js';

export type { DriftReport, ReferenceProfile };
export type Verdict = DriftReport['verdict'];
export type DriftThresholds = DriftReport['thresholds'];
export type FeatureDrift = DriftReport['features'][number];
export type PredictionDrift = NonNullable<DriftReport['predictions']>;
export type FeatureProfile = ReferenceProfile['features'][number];
export type ClassProfile = ReferenceProfile['classes'][number];
