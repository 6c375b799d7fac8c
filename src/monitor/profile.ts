/**
 * The reference profile of a training split (schemas/reference-profile.schema.json): what
 * drift detection compares live inputs with. All training values are kept, sorted: the iris
 * training split is 120 rows, and keeping them makes the KS test exact instead of read off a
 * handful of quantiles.
 */
import { CLASSES, FEATURES } from '../data/dataset.js';
import { binShares, PSI_BINS, quantileBinEdges } from './psi.js';
import type { ReferenceProfile } from './types.js';

/** the artifact's name beside the model in a run */
export const REFERENCE_PROFILE_FILE = 'reference-profile.json';

export interface ProfileOptions {
  featureNames?: readonly string[];
  classNames?: readonly string[];
  bins?: number;
}

/** x: training rows in feature order; y: class index per row, into classNames */
export function buildReferenceProfile(
  x: readonly (readonly number[])[],
  y: readonly number[],
  options: ProfileOptions = {},
): ReferenceProfile {
  const featureNames = options.featureNames ?? FEATURES;
  const classNames = options.classNames ?? CLASSES;
  if (x.length === 0) throw new RangeError('a reference profile needs at least one row');
  if (x.length !== y.length) throw new RangeError('x and y differ in length');
  const width = featureNames.length;
  const short = x.findIndex((row) => row.length !== width);
  if (short >= 0) throw new RangeError(`row ${short} has ${x[short]?.length} values, not ${width}`);
  const features = featureNames.map((name, f) => {
    const sorted = x.map((row) => row[f] as number).sort((a, b) => a - b);
    if (sorted.some((v) => !Number.isFinite(v)))
      throw new RangeError(`${name} has a non-finite value`);
    const edges = quantileBinEdges(sorted, options.bins ?? PSI_BINS);
    return { name, sorted_values: sorted, bin_edges: edges, bin_shares: binShares(edges, sorted) };
  });
  const counts = classNames.map(() => 0);
  for (const label of y) {
    if (counts[label] === undefined) throw new RangeError(`class index ${label} is out of range`);
    counts[label] += 1;
  }
  return {
    format: 'irisops-reference-profile',
    format_version: 1,
    n_rows: x.length,
    features,
    classes: classNames.map((name, k) => ({
      name,
      count: counts[k] as number,
      share: (counts[k] as number) / y.length,
    })),
  };
}
