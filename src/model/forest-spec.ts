/**
 * What describes a forest without loading the library that fits it: its params and their
 * rule, the library's version, the model file's bytes. The main thread of train needs only
 * these; ml-random-forest itself loads in the fit worker.
 */
import { createRequire } from 'node:module';
import { UsageError } from '../errors.js';
import type { ModelFile } from '../schemas/types.js';

export interface ForestParams {
  n_estimators: number;
  max_depth: number;
  /** share of features (0, 1] or a whole count, drawn once per tree */
  max_features: number;
  random_state: number;
}

export function checkMaxFeatures(maxFeatures: number, nFeatures: number): void {
  const share = maxFeatures > 0 && maxFeatures <= 1;
  const count = Number.isInteger(maxFeatures) && maxFeatures >= 1 && maxFeatures <= nFeatures;
  if (!share && !count) {
    throw new UsageError(
      `--max-features must be a share in (0, 1] or a whole number from 1 to ${nFeatures}, got ${maxFeatures}`,
    );
  }
}

export function libraryVersion(): string {
  const require = createRequire(import.meta.url);
  return (require('ml-random-forest/package.json') as { version: string }).version;
}

/** Stable bytes: the same forest always serialises to the same model.json. */
export function serializeModel(model: ModelFile): string {
  return `${JSON.stringify(model)}\n`;
}
