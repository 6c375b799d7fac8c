/**
 * MLflow 3's logged models over REST (rest_store.py create_logged_model,
 * finalize_logged_model, log_outputs) and uploads through the server's artifact proxy,
 * shared by a run's artifacts and a logged model's own.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { TrackingError, UsageError } from '../errors.js';
import type { HttpClient } from './http.js';
import {
  encodePath,
  listFiles,
  LOGGED_MODEL_WIRE_STATUS,
  toLoggedModel,
  toWireTags,
  type Json,
} from './mlflow-wire.js';
import type {
  CreateLoggedModelRequest,
  LoggedModel,
  LoggedModelStatus,
  ModelOutput,
} from './store.js';

const api = '/api/2.0/mlflow';
const artifactsApi = '/api/2.0/mlflow-artifacts/artifacts';
const uploadConcurrency = 4;

/** The proxy path of an mlflow-artifacts:/… URI, or null when the server does not proxy it. */
export function proxyPath(uri: string): string | null {
  const match = /^mlflow-artifacts:(?:\/\/[^/]*)?(\/.*)?$/.exec(uri);
  return match === null ? null : (match[1] ?? '').replace(/^\/+|\/+$/g, '');
}

/** Why files at `uri` (of a run or a logged model) cannot go through `displayUri`'s proxy. */
export function notProxied(what: string, uri: string, displayUri: string): TrackingError {
  return new TrackingError(
    'ARTIFACTS_NOT_PROXIED',
    `${what} stores artifacts at ${uri.split(':')[0]}:…, which ${displayUri} does not proxy`,
    {
      hint: 'start the server with --artifacts-destination <uri> (artifact proxying is on by default) and train again',
    },
  );
}

/** PUTs every file under localDir to <root>/<target>/… on the artifact proxy, a few at a time. */
export async function uploadToProxy(
  http: HttpClient,
  localDir: string,
  root: string,
  target: string,
): Promise<void> {
  let files: string[];
  try {
    files = await listFiles(localDir);
  } catch (error) {
    throw new UsageError(`cannot read the artifact folder ${localDir}`, { cause: error });
  }
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < files.length) {
      const relative = files[next++] as string;
      // Whole-file bodies so a retried PUT resends the same bytes; irisops artifacts are small.
      const body = await readFile(path.join(localDir, relative));
      const remote = target === '' ? relative : `${target}/${relative}`;
      await http.request('PUT', `${artifactsApi}/${encodePath(`${root}/${remote}`)}`, { body });
    }
  };
  await Promise.all(Array.from({ length: Math.min(uploadConcurrency, files.length) }, worker));
}

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
