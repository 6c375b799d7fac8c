/**
 * `runs push`, the logged models a run produced (MLflow 3): each is made again on the target
 * with its params, tags and own files, produced by the copied run, with the run's metrics
 * that were the model's linked to it again. A copy carries the id it came from.
 */
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ArtifactFile, LoggedModel, Metric, Run, TrackingStore } from './store.js';
import { isLoggedModelId } from './names.js';
import { SOURCE_MODEL_TAG } from './tags.js';

const MODELS_SCHEME = 'models:/';

/** What a copy of a folder of artifacts reads from the source and hands to the target. */
export interface ArtifactCopy {
  list(artifactPath: string): Promise<ArtifactFile[]>;
  read(artifactPath: string): Promise<Buffer>;
  /** uploads the staged folder, holding every file read */
  upload(localDir: string): Promise<void>;
}

/** Copies every file through a staging folder under tmpRoot; returns how many were copied. */
export async function copyFiles(copy: ArtifactCopy, tmpRoot: string): Promise<number> {
  const stage = await mkdtemp(path.join(tmpRoot, 'irisops-push-'));
  try {
    let files = 0;
    const walk = async (dir: string): Promise<void> => {
      for (const entry of await copy.list(dir)) {
        if (entry.is_dir) {
          await walk(entry.path);
          continue;
        }
        const local = path.join(stage, ...entry.path.split('/'));
        await mkdir(path.dirname(local), { recursive: true });
        await writeFile(local, await copy.read(entry.path));
        files += 1;
      }
    };
    await walk('');
    if (files > 0) await copy.upload(stage);
    return files;
  } finally {
    await rm(stage, { recursive: true, force: true });
  }
}

export interface ModelCopy {
  source: LoggedModel;
  target: LoggedModel;
  step: number;
}

/**
 * Creates the run's models on the target, PENDING, as outputs of the copied run: before the
 * run's metrics are logged, and found by the next push if this one dies half-way.
 */
export async function createModels(
  source: TrackingStore,
  target: TrackingStore,
  run: Run,
  targetExperimentId: string,
  targetRunId: string,
): Promise<ModelCopy[]> {
  const copies: ModelCopy[] = [];
  for (const output of run.outputs) {
    const model = await source.getLoggedModel(output.model_id);
    const created = await target.createLoggedModel({
      experimentId: targetExperimentId,
      name: model.name,
      sourceRunId: targetRunId,
      ...(model.model_type === null ? {} : { modelType: model.model_type }),
      params: model.params,
      tags: { ...model.tags, [SOURCE_MODEL_TAG]: model.model_id },
    });
    copies.push({ source: model, target: created, step: output.step });
  }
  if (copies.length > 0)
    await target.logOutputs(
      targetRunId,
      copies.map((m) => ({ model_id: m.target.model_id, step: m.step })),
    );
  return copies;
}

/**
 * The run's metric history with each value the source logged to one of its models naming
 * that model's copy, so logging it once fills the run and the model, as log_batch does.
 */
export function linkMetrics(metrics: Metric[], models: ModelCopy[], runId: string): Metric[] {
  const owner = new Map<string, string>();
  const keyOf = (m: Metric) => `${m.key}\u0000${m.value}\u0000${m.timestamp}\u0000${m.step}`;
  for (const { source, target } of models)
    for (const m of source.metrics) if (m.run_id === runId) owner.set(keyOf(m), target.model_id);
  return metrics.map((m) => {
    const modelId = owner.get(keyOf(m));
    return modelId === undefined ? m : { ...m, model_id: modelId };
  });
}

/** The models' own files, then each model's status as the source has it. */
export async function finishModels(
  source: TrackingStore,
  target: TrackingStore,
  models: ModelCopy[],
  tmpRoot: string,
): Promise<void> {
  for (const { source: from, target: to } of models) {
    await copyFiles(
      {
        list: (p) => source.listLoggedModelArtifacts(from.model_id, p),
        read: (p) => source.readLoggedModelArtifact(from.model_id, p),
        upload: (dir) => target.logLoggedModelArtifacts(to.model_id, dir),
      },
      tmpRoot,
    );
  }
  for (const { source: from, target: to } of models)
    if (from.status !== 'PENDING') await target.finalizeLoggedModel(to.model_id, from.status);
}

/** A copy left half-way by an interrupted push: its models still PENDING become FAILED. */
export async function failPendingModels(target: TrackingStore, copy: Run): Promise<void> {
  for (const { model_id } of copy.outputs) {
    const model = await target.getLoggedModel(model_id);
    if (model.status === 'PENDING') await target.finalizeLoggedModel(model_id, 'FAILED');
  }
}

/**
 * A version source naming a logged model (`models:/m-…`, as MLflow 3 registers one), pointed
 * at that model's copy among the copied run's outputs, with the copy's id (MLflow's server
 * wants it beside such a source); null for any other source, or when the run produced no
 * copy of it.
 */
export async function mapModelSource(
  target: TrackingStore,
  versionSource: string,
  targetRun: Run,
): Promise<{ source: string; modelId: string } | null> {
  if (!versionSource.startsWith(MODELS_SCHEME)) return null;
  const rest = versionSource.slice(MODELS_SCHEME.length);
  const slash = rest.indexOf('/');
  const sourceId = slash === -1 ? rest : rest.slice(0, slash);
  if (!isLoggedModelId(sourceId)) return null;
  const tail = slash === -1 ? '' : rest.slice(slash);
  for (const { model_id } of targetRun.outputs) {
    const model = await target.getLoggedModel(model_id);
    if (model.tags[SOURCE_MODEL_TAG] === sourceId)
      return { source: `${MODELS_SCHEME}${model_id}${tail}`, modelId: model_id };
  }
  return null;
}
