/**
 * `irisops runs push`: copies runs (params, full metric histories, tags, dataset inputs,
 * artifacts, logged models) and registered versions with their aliases, and the registered
 * models' tags and alias history, from one store to another, so a class can train offline
 * and publish later. Copies carry the id they came from, which is what makes a second push
 * copy nothing.
 */
import os from 'node:os';
import { NotFoundError } from '../errors.js';
import type { PushResult } from '../schemas/types.js';
import type { Metric, ModelVersion, RegisteredModel, Run, TrackingStore } from './store.js';
import {
  copyFiles,
  createModels,
  failPendingModels,
  finishModels,
  linkMetrics,
  mapModelSource,
  type ModelCopy,
} from './sync-models.js';
import { renumberedMove } from './alias-history.js';
import {
  ALIAS_HISTORY_TAG_PREFIX,
  PARTIAL_RUN_TAG,
  SOURCE_RUN_TAG,
  SOURCE_VERSION_TAG,
} from './tags.js';

export interface PushRequest {
  /** experiment names; default every active experiment of the source */
  experiments?: string[];
  /** where artifacts are staged between the stores; default the OS temp folder */
  tmpDir?: string;
}

export type { PushResult };
export type PushedRun = PushResult['runs']['copied'][number];
export type PushedVersion = PushResult['versions']['copied'][number];

export type PushProgress = (event: { kind: 'run' | 'version' | 'alias'; message: string }) => void;

async function copyRun(
  source: TrackingStore,
  target: TrackingStore,
  run: Run,
  targetExperimentId: string,
  tmpRoot: string,
): Promise<{ runId: string; models: ModelCopy[] }> {
  const sourceId = run.info.run_id;
  const created = await target.createRun({
    experimentId: targetExperimentId,
    runName: run.info.run_name,
    startTime: run.info.start_time,
    userId: run.info.user_id,
    tags: { ...run.data.tags, [PARTIAL_RUN_TAG]: sourceId },
  });
  const models = await createModels(source, target, run, targetExperimentId, created.run_id);
  const metrics: Metric[] = [];
  for (const key of Object.keys(run.data.metrics))
    metrics.push(...(await source.getMetricHistory(sourceId, key)));
  await target.logBatch(created.run_id, {
    params: Object.entries(run.data.params).map(([key, value]) => ({ key, value })),
    metrics: linkMetrics(metrics, models, sourceId),
  });
  if (run.inputs.length > 0) await target.logInputs(created.run_id, run.inputs);
  await copyFiles(
    {
      list: (p) => source.listArtifacts(sourceId, p),
      read: (p) => source.readArtifact(sourceId, p),
      upload: (dir) => target.logArtifacts(created.run_id, dir),
    },
    tmpRoot,
  );
  await finishModels(source, target, models, tmpRoot);
  // The marker goes on last: a push that dies midway leaves a run without it, which the
  // next push closes as FAILED and copies again instead of skipping.
  await target.logBatch(created.run_id, {
    tags: [
      { key: SOURCE_RUN_TAG, value: sourceId },
      { key: PARTIAL_RUN_TAG, value: '' },
    ],
  });
  await target.updateRun(created.run_id, run.info.status, run.info.end_time);
  return { runId: created.run_id, models };
}

/** A version's source rewritten to point at the copied run's artifacts. */
function mapSource(
  version: ModelVersion,
  sourceRun: Run | undefined,
  targetRunId: string,
  targetArtifactUri: string,
): string {
  const runsPrefix = `runs:/${version.run_id ?? ''}/`;
  if (version.source.startsWith(runsPrefix))
    return `runs:/${targetRunId}/${version.source.slice(runsPrefix.length)}`;
  const root = sourceRun?.info.artifact_uri.replace(/\/+$/, '');
  if (
    root !== undefined &&
    root !== '' &&
    (version.source === root || version.source.startsWith(`${root}/`))
  ) {
    return `${targetArtifactUri.replace(/\/+$/, '')}${version.source.slice(root.length)}`;
  }
  return version.source;
}

type RunMap = Map<string, { targetRunId: string; sourceRun: Run }>;

interface PushContext {
  source: TrackingStore;
  target: TrackingStore;
  tmpRoot: string;
  result: PushResult;
  /** source run id → target run id, for every run present in the target after the push */
  runMap: RunMap;
  onProgress: PushProgress;
}

/** Copies one experiment's runs that the target does not have yet; marks abandoned copies FAILED. */
async function pushExperiment(ctx: PushContext, name: string): Promise<void> {
  const { source, target, result, runMap } = ctx;
  const sourceExperiment = await source.getExperimentByName(name);
  if (sourceExperiment === null)
    throw new NotFoundError(`experiment '${name}' does not exist in ${source.displayUri}`);
  const targetExperiment = await target.createExperiment(name, sourceExperiment.tags);
  const existing = new Map<string, string>();
  for (const copy of await target.searchRuns({
    experimentIds: [targetExperiment.experiment_id],
  })) {
    const from = copy.data.tags[SOURCE_RUN_TAG];
    if (from !== undefined && from !== '') existing.set(from, copy.info.run_id);
    else if ((copy.data.tags[PARTIAL_RUN_TAG] ?? '') !== '' && copy.info.status === 'RUNNING') {
      await failPendingModels(target, copy);
      await target.updateRun(
        copy.info.run_id,
        'FAILED',
        copy.info.end_time ?? copy.info.start_time,
      );
      result.runs.abandoned.push(copy.info.run_id);
    }
  }
  // Oldest first, so the target lists them in the same order as the source.
  const runs = (
    await source.searchRuns({ experimentIds: [sourceExperiment.experiment_id] })
  ).reverse();
  for (const run of runs) {
    const sourceRunId = run.info.run_id;
    const already = existing.get(sourceRunId);
    if (already !== undefined) {
      result.runs.skipped.push({
        experiment: name,
        source_run_id: sourceRunId,
        target_run_id: already,
      });
      runMap.set(sourceRunId, { targetRunId: already, sourceRun: run });
      continue;
    }
    const copied = await copyRun(source, target, run, targetExperiment.experiment_id, ctx.tmpRoot);
    const targetRunId = copied.runId;
    ctx.onProgress({ kind: 'run', message: `run ${sourceRunId} → ${targetRunId}` });
    result.runs.copied.push({
      experiment: name,
      source_run_id: sourceRunId,
      target_run_id: targetRunId,
      logged_models: copied.models.map((m) => ({
        source_model_id: m.source.model_id,
        target_model_id: m.target.model_id,
      })),
    });
    runMap.set(sourceRunId, { targetRunId, sourceRun: run });
  }
}

/** Copies one version (or finds its earlier copy); returns the target version, or null if not pushed. */
async function pushVersion(
  ctx: PushContext,
  version: ModelVersion,
  targetVersions: () => Promise<ModelVersion[]>,
): Promise<string | null> {
  const { target, result } = ctx;
  const mapped = version.run_id === null ? undefined : ctx.runMap.get(version.run_id);
  if (version.run_id !== null && mapped === undefined) {
    result.versions.not_pushed.push({
      name: version.name,
      version: version.version,
      reason: `its run ${version.run_id} was not pushed`,
    });
    return null;
  }
  const copy = (await targetVersions()).find(
    (v) =>
      v.tags[SOURCE_VERSION_TAG] === version.version && v.run_id === (mapped?.targetRunId ?? null),
  );
  if (copy !== undefined) {
    result.versions.skipped.push({
      name: version.name,
      source_version: version.version,
      target_version: copy.version,
    });
    return copy.version;
  }
  let targetSource = version.source;
  let modelId: string | undefined;
  if (mapped !== undefined) {
    const targetRun = await target.getRun(mapped.targetRunId);
    const ofModel = await mapModelSource(target, version.source, targetRun);
    modelId = ofModel?.modelId;
    targetSource =
      ofModel?.source ??
      mapSource(version, mapped.sourceRun, mapped.targetRunId, targetRun.info.artifact_uri);
  }
  const created = await target.createModelVersion({
    name: version.name,
    source: targetSource,
    runId: mapped?.targetRunId ?? null,
    ...(modelId === undefined ? {} : { modelId }),
    tags: { ...version.tags, [SOURCE_VERSION_TAG]: version.version },
    description: version.description,
  });
  ctx.onProgress({
    kind: 'version',
    message: `${version.name} v${version.version} → v${created.version}`,
  });
  result.versions.copied.push({
    name: version.name,
    source_version: version.version,
    target_version: created.version,
  });
  return created.version;
}

/**
 * The registered model's tags the target lacks: its alias history with each move renumbered
 * to the target's versions (a move naming a version that was not pushed is left out), and
 * any other tag as it is.
 */
async function pushModelTags(
  ctx: PushContext,
  model: RegisteredModel,
  versionMap: ReadonlyMap<string, string>,
  targetTags: Record<string, string>,
): Promise<void> {
  for (const [key, value] of Object.entries(model.tags)) {
    const copy = key.startsWith(ALIAS_HISTORY_TAG_PREFIX)
      ? renumberedMove(value, versionMap)
      : value;
    if (copy !== null && targetTags[key] !== copy)
      await ctx.target.setRegisteredModelTag(model.name, key, copy);
  }
}

/** Copies a registered model's versions whose runs were pushed, its tags, then moves its aliases. */
async function pushModel(ctx: PushContext, model: RegisteredModel): Promise<void> {
  const { source, target } = ctx;
  const versionMap = new Map<string, string>();
  let known: ModelVersion[] | undefined;
  const targetVersions = async (): Promise<ModelVersion[]> => {
    if (known === undefined) {
      await target.createRegisteredModel(model.name);
      known = await target.searchModelVersions(model.name);
    }
    return known;
  };
  for (const version of (await source.searchModelVersions(model.name)).reverse()) {
    const pushed = await pushVersion(ctx, version, targetVersions);
    if (pushed !== null) versionMap.set(version.version, pushed);
  }
  if (versionMap.size === 0) return;
  const { aliases: targetAliases, tags: targetTags } = await target.getRegisteredModel(model.name);
  await pushModelTags(ctx, model, versionMap, targetTags);
  for (const [alias, sourceVersion] of Object.entries(model.aliases)) {
    const targetVersion = versionMap.get(sourceVersion);
    if (targetVersion === undefined || targetAliases[alias] === targetVersion) continue;
    await target.setAlias(model.name, alias, targetVersion);
    ctx.onProgress({ kind: 'alias', message: `${model.name}@${alias} → v${targetVersion}` });
    ctx.result.aliases.push({ name: model.name, alias, version: targetVersion });
  }
}

export async function pushRuns(
  source: TrackingStore,
  target: TrackingStore,
  request: PushRequest = {},
  onProgress: PushProgress = () => undefined,
): Promise<PushResult> {
  const ctx: PushContext = {
    source,
    target,
    tmpRoot: request.tmpDir ?? os.tmpdir(),
    result: {
      runs: { copied: [], skipped: [], abandoned: [] },
      versions: { copied: [], skipped: [], not_pushed: [] },
      aliases: [],
    },
    runMap: new Map(),
    onProgress,
  };
  const names = request.experiments ?? (await source.listExperiments()).map((e) => e.name);
  for (const name of names) await pushExperiment(ctx, name);
  for (const model of await source.searchRegisteredModels()) await pushModel(ctx, model);
  return ctx.result;
}
