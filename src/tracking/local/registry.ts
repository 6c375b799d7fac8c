/** The model registry: models/<name>/meta.yaml, tags/, aliases/<alias>, version-<n>/. */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { InvalidParameterError, NotFoundError, TrackingError } from '../../errors.js';
import { errorCode } from '../fs-atomic.js';
import { quote, validateAlias, validateModelName, validateVersion } from '../names.js';
import type {
  CreateModelVersionRequest,
  ModelVersion,
  ModelVersionStatus,
  RegisteredModel,
} from '../store.js';
import type { LocalContext } from './context.js';
import { DELETED_VERSION_STAGE, META, VERSION_STATUSES } from './layout.js';
import { exists, isDir, listDirs, readKeyFiles, type Meta } from './meta-files.js';

function modelDir(ctx: LocalContext, name: string): string {
  return path.join(ctx.modelsDir, validateModelName(name));
}

async function requireModelDir(ctx: LocalContext, name: string): Promise<string> {
  const dir = modelDir(ctx, name);
  if (!(await isDir(dir))) {
    throw new NotFoundError(`registered model ${quote(name)} not found in ${ctx.displayUri}`, {
      hint: 'list the models with: irisops registry ls',
    });
  }
  return dir;
}

async function readAliases(dir: string): Promise<Record<string, string>> {
  const files = await readKeyFiles(path.join(dir, 'aliases'));
  return Object.fromEntries([...files].map(([alias, version]) => [alias, version.trim()]));
}

async function readRegisteredModelAt(ctx: LocalContext, dir: string): Promise<RegisteredModel> {
  const file = path.join(dir, META);
  let meta: Meta;
  try {
    meta = await ctx.readMeta(file);
  } catch (error) {
    if (errorCode(error) === 'ENOENT') throw ctx.malformed(file, 'the file is missing');
    throw error;
  }
  const { field } = ctx;
  const creation = field.optionalInteger(meta, 'creation_timestamp', file) ?? 0;
  return {
    name: field.string(meta, 'name', file),
    creation_timestamp: creation,
    last_updated_timestamp: field.optionalInteger(meta, 'last_updated_timestamp', file) ?? creation,
    description: field.optionalString(meta, 'description', file) ?? '',
    tags: Object.fromEntries(await readKeyFiles(path.join(dir, 'tags'))),
    aliases: await readAliases(dir),
  };
}

/** MLflow re-saves the model's meta.yaml on every registry change, aliases snapshot included. */
async function touchRegisteredModel(ctx: LocalContext, dir: string): Promise<void> {
  const file = path.join(dir, META);
  const meta = await ctx.readMeta(file);
  await ctx.writeYaml(file, {
    ...meta,
    aliases: await readAliases(dir),
    last_updated_timestamp: ctx.timestamp(),
  });
}

async function readVersionAt(
  ctx: LocalContext,
  dir: string,
  version: string,
): Promise<{ version: ModelVersion; stage: string }> {
  const versionDir = path.join(dir, `version-${version}`);
  const file = path.join(versionDir, META);
  const meta = await ctx.readMeta(file);
  const { field } = ctx;
  const recorded = field.string(meta, 'version', file);
  if (recorded !== version)
    throw ctx.malformed(file, `version ${recorded} does not match its folder version-${version}`);
  const status = meta.status ?? 'READY';
  if (typeof status !== 'string' || !VERSION_STATUSES.has(status as ModelVersionStatus))
    throw ctx.malformed(file, `unknown status '${String(status)}'`);
  const aliases = Object.entries(await readAliases(dir))
    .filter(([, v]) => v === version)
    .map(([alias]) => alias)
    .sort();
  const creation = field.optionalInteger(meta, 'creation_timestamp', file) ?? 0;
  const runId = field.optionalString(meta, 'run_id', file);
  return {
    stage: field.optionalString(meta, 'current_stage', file) ?? 'None',
    version: {
      name: field.string(meta, 'name', file),
      version,
      creation_timestamp: creation,
      last_updated_timestamp:
        field.optionalInteger(meta, 'last_updated_timestamp', file) ?? creation,
      run_id: runId === '' ? null : runId,
      source: field.optionalString(meta, 'source', file) ?? '',
      status: status as ModelVersionStatus,
      description: field.optionalString(meta, 'description', file) ?? '',
      tags: Object.fromEntries(await readKeyFiles(path.join(versionDir, 'tags'))),
      aliases,
    },
  };
}

async function versionNumbers(dir: string): Promise<number[]> {
  return (await listDirs(dir))
    .map((n) => /^version-(\d+)$/.exec(n)?.[1])
    .filter((n): n is string => n !== undefined)
    .map(Number)
    .filter((n) => Number.isSafeInteger(n) && n > 0);
}

async function getVersionIn(
  ctx: LocalContext,
  name: string,
  dir: string,
  version: string,
): Promise<ModelVersion> {
  const notFound = new NotFoundError(
    `version ${version} of registered model ${quote(name)} not found in ${ctx.displayUri}`,
    { hint: `list the versions with: irisops registry ls ${name}` },
  );
  try {
    const found = await readVersionAt(ctx, dir, version);
    if (found.stage === DELETED_VERSION_STAGE) throw notFound;
    return found.version;
  } catch (error) {
    if (errorCode(error) === 'ENOENT') throw notFound;
    throw error;
  }
}

/** Called under the lock. */
export async function createRegisteredModel(
  ctx: LocalContext,
  name: string,
): Promise<RegisteredModel> {
  const dir = modelDir(ctx, name);
  if (!(await isDir(dir))) {
    await fs.mkdir(ctx.modelsDir, { recursive: true });
    const now = ctx.timestamp();
    await ctx.publishFolder(dir, {
      aliases: {},
      creation_timestamp: now,
      deployment_job_id: null,
      deployment_job_state: null,
      description: null,
      last_updated_timestamp: now,
      name,
      workspace: 'default',
    });
  }
  return readRegisteredModelAt(ctx, dir);
}

export async function getRegisteredModel(
  ctx: LocalContext,
  name: string,
): Promise<RegisteredModel> {
  return readRegisteredModelAt(ctx, await requireModelDir(ctx, name));
}

/** Called under the lock, after checkSetRegisteredModelTag: MLflow's tags/<key> file. */
export async function setRegisteredModelTag(
  ctx: LocalContext,
  name: string,
  key: string,
  value: string,
): Promise<void> {
  const dir = await requireModelDir(ctx, name);
  await ctx.writeFile(path.join(dir, 'tags', key), value);
  await touchRegisteredModel(ctx, dir);
}

export async function searchRegisteredModels(ctx: LocalContext): Promise<RegisteredModel[]> {
  const names = (await listDirs(ctx.modelsDir)).sort();
  const models = await ctx.readEach(names, 'registered model', (name) =>
    readRegisteredModelAt(ctx, path.join(ctx.modelsDir, name)),
  );
  return models.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function versionMeta(
  request: CreateModelVersionRequest,
  version: number,
  now: number,
  storage: string,
) {
  return {
    creation_timestamp: now,
    current_stage: 'None',
    deployment_job_state: null,
    description:
      request.description === undefined || request.description === '' ? null : request.description,
    last_updated_timestamp: now,
    model_id: request.modelId ?? null,
    name: request.name,
    run_id: request.runId,
    run_link: null,
    source: request.source,
    status: 'READY',
    status_message: null,
    storage_location: storage,
    user_id: null,
    version,
    workspace: 'default',
  };
}

/** Called under the lock, after checkCreateModelVersion. */
export async function createModelVersion(
  ctx: LocalContext,
  request: CreateModelVersionRequest,
): Promise<ModelVersion> {
  const dir = await requireModelDir(ctx, request.name);
  const tags = Object.entries(request.tags ?? {});
  const storage = await storageLocation(ctx, request.source);
  let next = Math.max(0, ...(await versionNumbers(dir))) + 1;
  for (let attempt = 0; attempt < 100; attempt++, next++) {
    const published = await ctx.publishFolder(
      path.join(dir, `version-${next}`),
      versionMeta(request, next, ctx.timestamp(), storage),
      async (stage) => {
        for (const [key, value] of tags) await ctx.writeFile(path.join(stage, 'tags', key), value);
      },
    );
    // Not published means a writer outside irisops' lock (MLflow itself) took that number.
    if (published) {
      await touchRegisteredModel(ctx, dir);
      return getVersionIn(ctx, request.name, dir, String(next));
    }
  }
  throw new TrackingError(
    'INTERNAL_ERROR',
    `could not allocate a version number for ${quote(request.name)}`,
  );
}

/** MLflow resolves a models:/<name>/<version> source to where that version's files are. */
async function storageLocation(ctx: LocalContext, source: string): Promise<string> {
  const match = /^models:\/([^/@]+)\/(\d+)$/.exec(source);
  if (match === null) return source;
  try {
    const file = path.join(
      modelDir(ctx, match[1] as string),
      `version-${validateVersion(match[2])}`,
      META,
    );
    const meta = await ctx.readMeta(file);
    return (
      ctx.field.optionalString(meta, 'storage_location', file) ??
      ctx.field.optionalString(meta, 'source', file) ??
      source
    );
  } catch (error) {
    if (errorCode(error) === 'ENOENT')
      throw new InvalidParameterError(
        `model version source ${quote(source)} names a version that does not exist`,
      );
    throw error;
  }
}

export async function getModelVersion(
  ctx: LocalContext,
  name: string,
  version: string,
): Promise<ModelVersion> {
  return getVersionIn(ctx, name, await requireModelDir(ctx, name), version);
}

export async function searchModelVersions(
  ctx: LocalContext,
  name: string,
): Promise<ModelVersion[]> {
  const dir = modelDir(ctx, name);
  const numbers = (await versionNumbers(dir)).sort((a, b) => b - a);
  const found = await ctx.readEach(numbers, 'model version', async (n) => {
    const read = await readVersionAt(ctx, dir, String(n));
    return read.stage === DELETED_VERSION_STAGE ? null : read.version;
  });
  return found;
}

/** Called under the lock, after checkSetAlias; returns the version the alias held before. */
export async function setAlias(
  ctx: LocalContext,
  name: string,
  alias: string,
  version: string,
): Promise<string | null> {
  const dir = await requireModelDir(ctx, name);
  await getVersionIn(ctx, name, dir, version);
  const file = path.join(dir, 'aliases', alias);
  const previous = await fs.readFile(file, 'utf8').then(
    (text) => text.trim() || null,
    (error: unknown) => {
      if (errorCode(error) === 'ENOENT') return null;
      throw error;
    },
  );
  await ctx.writeFile(file, version);
  await touchRegisteredModel(ctx, dir);
  return previous;
}

/** Called under the lock. */
export async function deleteAlias(ctx: LocalContext, name: string, alias: string): Promise<void> {
  const dir = await requireModelDir(ctx, name);
  const file = path.join(dir, 'aliases', alias);
  if (!(await exists(file))) return;
  await fs.rm(file);
  await touchRegisteredModel(ctx, dir);
}

export async function getModelVersionByAlias(
  ctx: LocalContext,
  name: string,
  alias: string,
): Promise<ModelVersion> {
  validateAlias(alias);
  const dir = await requireModelDir(ctx, name);
  const version = (await readAliases(dir))[alias];
  if (version === undefined) {
    throw new NotFoundError(`alias ${quote(alias)} not found on registered model ${quote(name)}`, {
      hint: `set it with: irisops registry promote ${name} <version> --alias ${alias}`,
    });
  }
  let canonical: string;
  try {
    canonical = validateVersion(version);
  } catch {
    throw ctx.malformed(
      path.join(dir, 'aliases', alias),
      `it holds ${quote(version)}, not a version number`,
    );
  }
  return getVersionIn(ctx, name, dir, canonical);
}
