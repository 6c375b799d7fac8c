/**
 * The contract's vocabulary, read from schemas/iris.schema.json: the four measurement names
 * in model order, their range, the label column and the class labels in class-index order.
 * data/, serve/ and model/ import these instead of restating them.
 */
import type { DatasetRow, PredictResponse } from './generated.js';
import { readSchemaFile } from './index.js';

export type FeatureName = Exclude<keyof DatasetRow, 'species'>;
export type ClassLabel = PredictResponse['prediction_label'];

interface IrisDefs {
  measurement: { minimum: number; maximum: number };
  features: { required: string[]; properties: Record<string, unknown> };
  record_or_row: { required: string[]; maxItems: number };
  rows_or_columns: { required: string[] };
  species: { enum: string[] };
  class_index: { minimum: number; maximum: number };
}

const defs = (readSchemaFile('iris') as unknown as { $defs: IrisDefs }).$defs;

/** the four measurements, in the order models take them */
export const FEATURES: readonly FeatureName[] = Object.freeze(
  Object.keys(defs.features.properties) as FeatureName[],
);
/** the class labels; a label's position is its class index */
export const CLASSES: readonly ClassLabel[] = Object.freeze(defs.species.enum as ClassLabel[]);
/** the training CSV's label column: the $defs entry that lists the labels */
export const LABEL = 'species' satisfies keyof DatasetRow;
/** every measurement lies in [min, max], in cm */
export const MEASUREMENT_RANGE = Object.freeze({
  min: defs.measurement.minimum,
  max: defs.measurement.maximum,
});

// the file states these twice for JSON Schema's sake; a disagreement is a broken contract
if (
  defs.features.required.join() !== FEATURES.join() ||
  defs.record_or_row.required.join() !== FEATURES.join() ||
  defs.rows_or_columns.required.join() !== FEATURES.join() ||
  defs.record_or_row.maxItems !== FEATURES.length ||
  defs.class_index.maximum !== CLASSES.length - 1
) {
  throw new Error('schemas/iris.schema.json: the feature lists or class_index disagree');
}
