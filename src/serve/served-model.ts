/**
 * A loaded model made ready to answer: compiled predictor, its registry identity, and the
 * JSON fragments of its answers built once, so a prediction body is a few concatenations.
 */
import { ModelError } from '../errors.js';
import { compilePredictor, type Predictor } from '../model/predictor.js';
import { CLASSES, FEATURES, type FeatureName } from '../schemas/iris.js';
import type { ModelFile, ReferenceProfile } from '../schemas/types.js';
import { jsonFloat } from './json-number.js';

export { CLASSES, FEATURES, type FeatureName } from '../schemas/iris.js';

/** What the holder needs from a loaded model (src/model/load.ts LoadedModel fits it). */
export interface ModelSource {
  uri: string;
  name: string | null;
  version: string | null;
  alias: string | null;
  runId: string;
  digest: string;
  model: ModelFile;
  /** for drift detection; null or absent for a model logged without one */
  profile?: ReferenceProfile | null;
  profileProblem?: string;
}

export interface ServedModel {
  readonly source: Omit<ModelSource, 'model'>;
  /** the version clients see: the registry version, or the run id for runs:/ URIs */
  readonly version: string;
  readonly predictor: Predictor;
  /** request field read for each model input, in the model's feature order */
  readonly inputOrder: readonly FeatureName[];
  /** {"prediction":…,"prediction_label":…,"confidence":…,"model_version":…,"probabilities":{…}} */
  predictionJson(classIndex: number, votes: Int32Array): string;
  /** the same without model_version, for batch items */
  batchItemJson(classIndex: number, votes: Int32Array): string;
  readonly versionJson: string;
}

export function compileServedModel(source: ModelSource): ServedModel {
  const { model, ...identity } = source;
  const names = model.feature_names;
  if (names.length !== FEATURES.length || !FEATURES.every((f) => names.includes(f))) {
    throw new ModelError(
      'MODEL_INCOMPATIBLE',
      `${source.uri} takes features ${names.join(', ')}; this service's contract is ${FEATURES.join(', ')}`,
      {
        hint: 'serve a model trained by irisops train on the iris data',
      },
    );
  }
  if (
    model.class_labels.length !== CLASSES.length ||
    model.class_labels.some((c, i) => c !== CLASSES[i])
  ) {
    throw new ModelError(
      'MODEL_INCOMPATIBLE',
      `${source.uri} predicts ${model.class_labels.join(', ')}; this service's contract is ${CLASSES.join(', ')} (in that order)`,
      {
        hint: 'serve a model trained by irisops train on the iris data',
      },
    );
  }
  const predictor = compilePredictor(model);
  const version = source.version ?? source.runId;
  const versionJson = JSON.stringify(version);
  const nTrees = predictor.nTrees;
  const heads = CLASSES.map(
    (label, i) => `{"prediction":${i},"prediction_label":${JSON.stringify(label)},"confidence":`,
  );
  const keys = CLASSES.map((label, i) => `${i === 0 ? '{' : ','}${JSON.stringify(label)}:`);
  const probabilities = (votes: Int32Array) => {
    let out = '';
    for (let i = 0; i < keys.length; i++)
      out += `${keys[i]}${jsonFloat((votes[i] as number) / nTrees)}`;
    return `${out}}`;
  };
  return {
    source: identity,
    version,
    predictor,
    inputOrder: names as FeatureName[],
    versionJson,
    predictionJson(c, votes) {
      return `${heads[c]}${jsonFloat((votes[c] as number) / nTrees)},"model_version":${versionJson},"probabilities":${probabilities(votes)}}`;
    },
    batchItemJson(c, votes) {
      return `${heads[c]}${jsonFloat((votes[c] as number) / nTrees)},"probabilities":${probabilities(votes)}}`;
    },
  };
}
