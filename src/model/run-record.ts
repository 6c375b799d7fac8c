/** What a train run records besides its metrics: params, tags and its dataset input. */
import { FEATURES, type Dataset } from '../data/dataset.js';
import type { DatasetInput } from '../tracking/store.js';
import {
  DATASET_DIGEST_TAG,
  DATASET_PATH_TAG,
  IRISOPS_HOST,
  IRISOPS_PID,
  IRISOPS_VERSION,
  LIBRARY_VERSION_TAG,
  MLFLOW_DATASET_CONTEXT,
  MLFLOW_GIT_COMMIT,
  MLFLOW_RUN_NAME,
  MLFLOW_SOURCE_NAME,
  MLFLOW_SOURCE_TYPE,
  MLFLOW_USER,
} from '../tracking/tags.js';
import { forestLibrary } from './forest-spec.js';
import type { TrainDeps, TrainRequest } from './train-request.js';

export interface RunRecord {
  params: Record<string, string>;
  tags: Record<string, string>;
  input: DatasetInput;
}

function runParams(request: TrainRequest, data: Dataset): Record<string, string> {
  const params: Record<string, string> = {
    n_estimators: String(request.params.n_estimators),
    max_depth: String(request.params.max_depth),
    max_features: String(request.params.max_features),
    random_state: String(request.params.random_state),
    test_size: String(request.testSize),
    n_samples: String(data.x.length),
    n_features: String(FEATURES.length),
  };
  if (request.cvFolds) params.cv_folds = String(request.cvFolds);
  if (request.splitSeed !== undefined) params.split_seed = String(request.splitSeed);
  return params;
}

function runTags(
  request: TrainRequest,
  deps: Omit<TrainDeps, 'store'>,
  data: Dataset,
): Record<string, string> {
  const library = forestLibrary();
  const tags: Record<string, string> = {
    dataset: data.name,
    framework: library.name,
    algorithm: 'RandomForestClassifier',
    [MLFLOW_RUN_NAME]: request.runName,
    [MLFLOW_USER]: deps.user,
    [MLFLOW_SOURCE_NAME]: request.source ?? 'irisops train',
    [MLFLOW_SOURCE_TYPE]: 'LOCAL',
    [IRISOPS_VERSION]: deps.irisopsVersion,
    [IRISOPS_HOST]: deps.host,
    [IRISOPS_PID]: String(deps.pid),
    [DATASET_DIGEST_TAG]: data.digest,
    [DATASET_PATH_TAG]: data.path,
    [LIBRARY_VERSION_TAG]: library.version,
  };
  if (deps.gitCommit) tags[MLFLOW_GIT_COMMIT] = deps.gitCommit;
  return { ...tags, ...request.tags };
}

/** The training dataset as MLflow's log_input records it (a column spec and a profile). */
function datasetInput(data: Dataset): DatasetInput {
  return {
    name: data.name,
    digest: data.digest.slice(0, 32),
    source_type: 'local',
    source: JSON.stringify({ uri: `file://${data.path}` }),
    schema: JSON.stringify({
      mlflow_colspec: [
        ...FEATURES.map((name) => ({ type: 'double', name, required: true })),
        { type: 'string', name: 'species', required: true },
      ],
    }),
    profile: JSON.stringify({
      num_rows: data.x.length,
      num_elements: data.x.length * (FEATURES.length + 1),
    }),
    tags: { [MLFLOW_DATASET_CONTEXT]: 'training' },
  };
}

export function buildRunRecord(
  request: TrainRequest,
  deps: Omit<TrainDeps, 'store'>,
  data: Dataset,
): RunRecord {
  return {
    params: runParams(request, data),
    tags: runTags(request, deps, data),
    input: datasetInput(data),
  };
}
