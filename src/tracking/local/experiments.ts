/** Experiments: <root>/<id>/meta.yaml and tags/, deleted ones under .trash/. */
import { randomUUID } from 'node:crypto';
import { promises as fs, constants as fsConstants } from 'node:fs';
import path from 'node:path';
import { NotFoundError, StoreUnavailableError, TrackingError } from '../../errors.js';
import { errorCode, makeStagingDir, publishDir, sweepStaleTemps } from '../fs-atomic.js';
import type { Experiment, LifecycleStage } from '../store.js';
import { isMalformed, type LocalContext } from './context.js';
import {
  allExperimentDirs,
  DEFAULT_EXPERIMENT_ID,
  localUri,
  META,
  runFolderNames,
  TRASH,
} from './layout.js';
import { exists, isDir, readKeyFiles } from './meta-files.js';

const SCRATCH_MAX_AGE_MS = 60 * 60 * 1000;

/**
 * MLflow's _generate_unique_integer_id: the last 18 digits of a random 128-bit number, with
 * leading zeros replaced so the id keeps its width. Numeric ids matter: migrate-filestore
 * only imports experiments whose folder name is an integer.
 */
function generateExperimentId(): string {
  const big = BigInt(`0x${randomUUID().replace(/-/g, '')}`).toString();
  let digits = big.slice(-18);
  while (digits.startsWith('0')) digits = digits.slice(1) + String(Math.floor(Math.random() * 10));
  return digits;
}

async function publishExperiment(
  ctx: LocalContext,
  experimentId: string,
  name: string,
  tags: Record<string, string>,
): Promise<boolean> {
  const stage = await makeStagingDir(ctx.scratch, `exp-${experimentId}`);
  try {
    const now = ctx.timestamp();
    await ctx.writeYaml(path.join(stage, META), {
      artifact_location: localUri(path.join(ctx.root, experimentId)),
      creation_time: now,
      effective_trace_archival_retention: null,
      experiment_id: experimentId,
      last_update_time: now,
      lifecycle_stage: 'active',
      name,
      trace_location: null,
      workspace: 'default',
    });
    for (const [key, value] of Object.entries(tags))
      await ctx.writeFile(path.join(stage, 'tags', key), value);
    return await publishDir(stage, path.join(ctx.root, experimentId));
  } finally {
    await fs.rm(stage, { recursive: true, force: true });
  }
}

/**
 * Creates the folder on first write the way MLflow's FileStore does (root, default
 * experiment 0, .trash) plus irisops' scratch folder. Only the process whose mkdir made the
 * root writes experiment 0, so racing first writers never create it twice.
 */
export async function prepareRoot(ctx: LocalContext): Promise<void> {
  const existing = await fs.stat(ctx.root).catch((error: unknown) => {
    if (errorCode(error) === 'ENOENT') return null;
    throw error;
  });
  if (existing !== null && !existing.isDirectory()) {
    throw new StoreUnavailableError(`the tracking store ${ctx.displayUri} is not a folder`, {
      hint: 'pass --tracking-uri with a folder path',
    });
  }
  const created = await fs.mkdir(ctx.root, { recursive: true });
  await fs.mkdir(ctx.scratch, { recursive: true });
  await fs.mkdir(ctx.trash, { recursive: true });
  if (created !== undefined) {
    await ctx.lock.run(async () => {
      if (!(await exists(path.join(ctx.root, DEFAULT_EXPERIMENT_ID)))) {
        await publishExperiment(ctx, DEFAULT_EXPERIMENT_ID, 'Default', {});
      }
    });
  }
  await sweepStaleTemps(ctx.scratch, SCRATCH_MAX_AGE_MS, Date.now());
}

async function readExperimentAt(
  ctx: LocalContext,
  dir: string,
  expectedId: string,
): Promise<Experiment> {
  const file = path.join(dir, META);
  const meta = await ctx.readMeta(file);
  const experimentId = ctx.field.string(meta, 'experiment_id', file);
  if (experimentId !== expectedId)
    throw ctx.malformed(
      file,
      `experiment_id '${experimentId}' does not match its folder '${expectedId}'`,
    );
  const stage = meta.lifecycle_stage ?? 'active';
  if (stage !== 'active' && stage !== 'deleted')
    throw ctx.malformed(file, `unknown lifecycle_stage '${String(stage)}'`);
  const tags = Object.fromEntries(await readKeyFiles(path.join(dir, 'tags')));
  return {
    experiment_id: experimentId,
    name: ctx.field.string(meta, 'name', file),
    artifact_location: ctx.field.optionalString(meta, 'artifact_location', file) ?? '',
    // A folder in .trash is deleted whatever its meta.yaml says (a restore cut short).
    lifecycle_stage:
      path.basename(path.dirname(dir)) === TRASH ? 'deleted' : (stage as LifecycleStage),
    creation_time: ctx.field.optionalInteger(meta, 'creation_time', file),
    last_update_time: ctx.field.optionalInteger(meta, 'last_update_time', file),
    tags,
  };
}

/** Folder of an experiment: active first, then .trash; null when neither has it. */
async function experimentDir(ctx: LocalContext, experimentId: string): Promise<string | null> {
  for (const dir of [path.join(ctx.root, experimentId), path.join(ctx.trash, experimentId)]) {
    if (await isDir(dir)) return dir;
  }
  return null;
}

/**
 * Every readable experiment, active then deleted; damaged ones are skipped with a warning.
 * With `strict`, a damaged experiment meta.yaml is an error rather than skipped: a lookup by
 * name cannot know the damaged one is not the one asked for, and creating a second
 * experiment of the same name would damage the store further.
 */
async function allExperiments(
  ctx: LocalContext,
  includeDeleted: boolean,
  strict = false,
): Promise<Experiment[]> {
  const dirs = await allExperimentDirs(ctx.root);
  const wanted = includeDeleted ? dirs : dirs.filter(({ dir }) => path.dirname(dir) === ctx.root);
  return ctx.readEach(wanted, 'experiment', ({ id, dir }) => readExperimentAt(ctx, dir, id), {
    strict,
  });
}

export async function ping(ctx: LocalContext): Promise<void> {
  try {
    const stat = await fs.stat(ctx.root);
    if (!stat.isDirectory())
      throw new StoreUnavailableError(`the tracking store ${ctx.displayUri} is not a folder`);
    await fs.readdir(ctx.root);
    await fs.access(ctx.root, fsConstants.R_OK | fsConstants.X_OK);
  } catch (error) {
    if (errorCode(error) !== 'ENOENT') throw ctx.translate(error, 'read');
    // Not there yet: fine if the first write will be able to create it.
    let parent = path.dirname(ctx.root);
    while (!(await exists(parent)) && path.dirname(parent) !== parent)
      parent = path.dirname(parent);
    try {
      await fs.access(parent, fsConstants.W_OK | fsConstants.X_OK);
    } catch (accessError) {
      throw new StoreUnavailableError(
        `cannot create the tracking store ${ctx.displayUri}: ${parent} is not writable (${errorCode(accessError) ?? 'error'})`,
        {
          hint: 'pass --tracking-uri with a folder you can write',
          cause: accessError,
        },
      );
    }
  }
}

export async function getExperimentByName(
  ctx: LocalContext,
  name: string,
): Promise<Experiment | null> {
  return (await allExperiments(ctx, true, true)).find((e) => e.name === name) ?? null;
}

export async function getExperiment(ctx: LocalContext, experimentId: string): Promise<Experiment> {
  const dir = await experimentDir(ctx, experimentId);
  if (dir === null)
    throw new NotFoundError(`experiment ${experimentId} not found in ${ctx.displayUri}`);
  try {
    return await readExperimentAt(ctx, dir, experimentId);
  } catch (error) {
    if (errorCode(error) === 'ENOENT')
      throw ctx.malformed(path.join(dir, META), 'the file is missing');
    throw error;
  }
}

/** Called under the lock: an existing experiment of that name is returned (restored if deleted). */
export async function createExperiment(
  ctx: LocalContext,
  name: string,
  tags: Record<string, string>,
): Promise<Experiment> {
  const existing = await getExperimentByName(ctx, name);
  if (existing !== null) {
    if (existing.lifecycle_stage === 'deleted')
      await restoreExperiment(ctx, existing.experiment_id);
    return getExperiment(ctx, existing.experiment_id);
  }
  for (let attempt = 0; attempt < 10; attempt++) {
    const experimentId = generateExperimentId();
    if (await exists(path.join(ctx.trash, experimentId))) continue;
    if (await publishExperiment(ctx, experimentId, name, tags))
      return getExperiment(ctx, experimentId);
  }
  throw new TrackingError(
    'INTERNAL_ERROR',
    `could not find a free experiment id in ${ctx.displayUri}`,
  );
}

/** MLflow's restore_experiment: back from .trash, active again, and so are its runs. */
async function restoreExperiment(ctx: LocalContext, experimentId: string): Promise<void> {
  const trashed = path.join(ctx.trash, experimentId);
  const active = path.join(ctx.root, experimentId);
  const inTrash = await isDir(trashed);
  const dir = inTrash ? trashed : active;
  const now = ctx.timestamp();
  // Runs first, the experiment's own meta last, the move at the very end: a restore cut
  // short leaves the experiment in .trash, where the next attempt finds and finishes it.
  for (const runId of await runFolderNames(dir)) {
    const file = path.join(dir, runId, META);
    try {
      const meta = await ctx.readMeta(file);
      if (meta.lifecycle_stage === 'deleted') {
        delete meta.deleted_time;
        await ctx.writeYaml(file, { ...meta, lifecycle_stage: 'active' });
      }
    } catch (error) {
      if (errorCode(error) === 'ENOENT' || isMalformed(error)) continue;
      throw error;
    }
  }
  const metaFile = path.join(dir, META);
  const meta = await ctx.readMeta(metaFile);
  await ctx.writeYaml(metaFile, { ...meta, lifecycle_stage: 'active', last_update_time: now });
  if (inTrash && !(await publishDir(trashed, active))) {
    throw new TrackingError(
      'RESOURCE_ALREADY_EXISTS',
      `cannot restore experiment ${experimentId}: ${ctx.shown(active)} already exists`,
    );
  }
}

export async function listExperiments(ctx: LocalContext): Promise<Experiment[]> {
  const experiments = (await allExperiments(ctx, false)).filter(
    (e) => e.lifecycle_stage === 'active',
  );
  // MLflow's default order: creation_time DESC, then experiment_id ASC.
  return experiments.sort(
    (a, b) =>
      (b.creation_time ?? -Infinity) - (a.creation_time ?? -Infinity) ||
      (a.experiment_id < b.experiment_id ? -1 : a.experiment_id > b.experiment_id ? 1 : 0),
  );
}
