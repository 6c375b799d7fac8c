/**
 * Model versions over REST (rest_store.py create_model_version, search_model_versions): the
 * parts of the registry that need more than one call.
 */
import { randomUUID } from 'node:crypto';
import type { HttpClient } from './http.js';
import {
  collectPages,
  fromModelVersion,
  list,
  quoteFilterValue,
  toModelVersion,
  toWireTags,
  type Json,
} from './mlflow-wire.js';
import type { CreateModelVersionRequest, ModelVersion, RegisteredModel } from './store.js';
import { CREATE_TOKEN_TAG } from './tags.js';

const api = '/api/2.0/mlflow';
const modelVersionsPageSize = 10_000;

/**
 * Creates a version, once even when the answer is lost: the request carries a one-off tag,
 * and a retry first looks (through `versionsOf`) for a version that already has it. The tag is
 * removed once the version exists.
 */
export async function createModelVersion(
  http: HttpClient,
  request: CreateModelVersionRequest,
  versionsOf: () => Promise<ModelVersion[]>,
): Promise<ModelVersion> {
  const token = randomUUID();
  const json: Json = {
    name: request.name,
    source: request.source,
    tags: toWireTags({ ...request.tags, [CREATE_TOKEN_TAG]: token }),
  };
  if (request.runId !== null) json.run_id = request.runId;
  if (request.modelId !== undefined) json.model_id = request.modelId;
  if (request.description !== undefined) json.description = request.description;
  const body = await http.json('POST', `${api}/model-versions/create`, {
    json,
    recover: async () => {
      const landed = (await versionsOf()).find((v) => v.tags[CREATE_TOKEN_TAG] === token);
      return landed ? { model_version: fromModelVersion(landed) } : null;
    },
  });
  const created = toModelVersion(body.model_version);
  await http
    .json('DELETE', `${api}/model-versions/delete-tag`, {
      json: { name: created.name, version: created.version, key: CREATE_TOKEN_TAG },
    })
    .catch(() => undefined);
  delete created.tags[CREATE_TOKEN_TAG];
  return created;
}

/** Every version of `model`, newest first, each with the aliases the model gives it. */
export async function searchModelVersions(
  http: HttpClient,
  model: RegisteredModel,
): Promise<ModelVersion[]> {
  const out = await collectPages(async (pageToken) => {
    const body = await http.json('GET', `${api}/model-versions/search`, {
      query: {
        filter: `name=${quoteFilterValue(model.name)}`,
        max_results: modelVersionsPageSize,
        page_token: pageToken,
      },
    });
    return { items: list(body.model_versions).map(toModelVersion), next: body.next_page_token };
  });
  for (const version of out) {
    version.aliases = Object.entries(model.aliases)
      .filter(([, v]) => v === version.version)
      .map(([alias]) => alias)
      .sort();
  }
  return out.sort((a, b) => Number(b.version) - Number(a.version));
}
