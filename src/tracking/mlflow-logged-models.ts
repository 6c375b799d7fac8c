/**
 * MLflow 3's logged models over REST (rest_store.py create_logged_model,
 * finalize_logged_model, log_outputs); their files go through mlflow-artifacts.ts.
 */
import type { HttpClient } from './http.js';
import { LOGGED_MODEL_WIRE_STATUS, toLoggedModel, toWireTags, type Json } from './mlflow-wire.js';
import type {
  CreateLoggedModelRequest,
  LoggedModel,
  LoggedModelStatus,
  ModelOutput,
} from './store.js';

const api = '/api/2.0/mlflow';

export async function createLoggedModel(
  http: HttpClient,
  request: CreateLoggedModelRequest,
): Promise<LoggedModel> {
  const json: Json = {
    experiment_id: request.experimentId,
    name: request.name,
    params: toWireTags(request.params),
    tags: toWireTags(request.tags),
  };
  if (request.sourceRunId !== null) json.source_run_id = request.sourceRunId;
  if (request.modelType !== undefined) json.model_type = request.modelType;
  const body = await http.json('POST', `${api}/logged-models`, { json });
  return toLoggedModel(body.model);
}

export async function getLoggedModel(http: HttpClient, modelId: string): Promise<LoggedModel> {
  const body = await http.json('GET', `${api}/logged-models/${encodeURIComponent(modelId)}`);
  return toLoggedModel(body.model);
}

export async function finalizeLoggedModel(
  http: HttpClient,
  modelId: string,
  status: LoggedModelStatus,
): Promise<LoggedModel> {
  const body = await http.json('PATCH', `${api}/logged-models/${encodeURIComponent(modelId)}`, {
    json: { model_id: modelId, status: LOGGED_MODEL_WIRE_STATUS[status] },
  });
  return toLoggedModel(body.model);
}

export async function logOutputs(
  http: HttpClient,
  runId: string,
  outputs: readonly ModelOutput[],
): Promise<void> {
  await http.json('POST', `${api}/runs/outputs`, {
    json: { run_id: runId, models: outputs.map((o) => ({ model_id: o.model_id, step: o.step })) },
  });
}
