/**
 * What describes a forest without loading the code that fits it: its params and their
 * rule, the library that fits it, the model file's bytes. The main thread of train needs
 * only these; the forest itself (model/forest.ts, model/cart/) loads in the fit worker.
 */
import { UsageError } from '../errors.js';
import { irisopsVersion } from '../package-info.js';
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

/**
 * What fits the trees: irisops' own forest (model/cart/), which reproduces ml-random-forest
 * 2.1's trees but is not that package, so the model file and the run name irisops and its
 * version. (Model files written before it name ml-random-forest.)
 */
export const FOREST_LIBRARY = 'irisops';

export function forestLibrary(): { name: string; version: string } {
  return { name: FOREST_LIBRARY, version: irisopsVersion() };
}

/** Stable bytes: the same forest always serialises to the same model.json. */
export function serializeModel(model: ModelFile): string {
  return `${JSON.stringify(model)}\n`;
}
