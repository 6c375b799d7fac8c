/**
 * Every tag name irisops writes or reads, in one place (as MLflow keeps its own in
 * mlflow/utils/mlflow_tags.py). The `mlflow.*` names are MLflow's: its UI and client read them.
 */
export const MLFLOW_RUN_NAME = 'mlflow.runName';
export const MLFLOW_USER = 'mlflow.user';
export const MLFLOW_SOURCE_NAME = 'mlflow.source.name';
export const MLFLOW_SOURCE_TYPE = 'mlflow.source.type';
export const MLFLOW_GIT_COMMIT = 'mlflow.source.git.commit';
/** a child run's parent (sweeps), as MLflow groups nested runs */
export const MLFLOW_PARENT_RUN_ID = 'mlflow.parentRunId';
/**
 * An experiment's kind, as MLflow 3's UI sets it (custom_model_development: model training,
 * not GenAI). MLflow's Python client never writes it; the UI writes it once it has guessed
 * the kind from the runs. MLflow 3.17's UI chooses its view from a per-browser switch instead.
 */
export const MLFLOW_EXPERIMENT_KIND = 'mlflow.experimentKind';
export const EXPERIMENT_KIND_CUSTOM_MODEL = 'custom_model_development';
/** dataset input tag: what the dataset was used for */
export const MLFLOW_DATASET_CONTEXT = 'mlflow.data.context';

export const IRISOPS_VERSION = 'irisops.version';
/** host and pid of the process that ran a run, so a RUNNING run whose process is gone is stale */
export const IRISOPS_HOST = 'irisops.host';
export const IRISOPS_PID = 'irisops.pid';
/** sha256 of the CSV bytes the run trained on */
export const DATASET_DIGEST_TAG = 'irisops.dataset_digest';
export const DATASET_PATH_TAG = 'irisops.dataset_path';
export const LIBRARY_VERSION_TAG = 'irisops.library_version';
/** sha256 of model.json, on the run and on the registered version */
export const MODEL_DIGEST_TAG = 'irisops.model_digest';
/** a create request's idempotency token (MLflow server): removed once the create succeeded */
export const CREATE_TOKEN_TAG = 'irisops.create_token';
/**
 * runs push: where a copied run, version or logged model came from, and a copy not finished
 * yet
 */
export const SOURCE_RUN_TAG = 'irisops.source_run_id';
export const PARTIAL_RUN_TAG = 'irisops.push.partial_of';
export const SOURCE_VERSION_TAG = 'irisops.source_version';
export const SOURCE_MODEL_TAG = 'irisops.source_model_id';
/** tune: what a run is in a sweep (parent, trial, winner), its trial number, its metric */
export const TUNE_ROLE_TAG = 'irisops.tune.role';
export const TUNE_TRIAL_TAG = 'irisops.tune.trial';
export const TUNE_METRIC_TAG = 'irisops.tune.metric';
/** on a sweep's parent: which way its metric is better, "higher" or "lower" */
export const TUNE_GOAL_TAG = 'irisops.tune.goal';
/** on a sweep's parent: the run the winner was refitted and logged as */
export const TUNE_WINNER_RUN_TAG = 'irisops.tune.winner_run_id';
/**
 * On a registered model: one tag per alias move irisops made (promote, rollback, ab promote,
 * the web UI), key <prefix><epoch ms, 13 digits>-<8 random hex>, value a small JSON object
 * (alias-history.ts).
 */
export const ALIAS_HISTORY_TAG_PREFIX = 'irisops.alias_history.';
