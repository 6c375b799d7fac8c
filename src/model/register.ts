/**
 * Registers a finished run's irisops model as a new version: what train does last, and what
 * `irisops registry register <run-id>` does for a train stopped before that step.
 */
import { IrisopsError, NotFoundError } from '../errors.js';
import type { ModelVersion, Run, TrackingStore } from '../tracking/store.js';
import { MODEL_DIGEST_TAG } from '../tracking/tags.js';
import { FLAVOR, MODEL_ARTIFACT_PATH } from './artifact.js';
import { namesFlavor } from './mlmodel-text.js';
import { yamlModule } from '../yaml-module.js';

export type RegisterRefusal = 'RUN_NOT_FINISHED' | 'RUN_HAS_NO_MODEL' | 'RUN_ALREADY_REGISTERED';

export class RegisterRefusedError extends IrisopsError {
  readonly reason: RegisterRefusal;
  constructor(reason: RegisterRefusal, message: string, hint: string) {
    super(reason, message, { hint });
    this.reason = reason;
  }
}

const noModel = (runId: string, why: string) =>
  new RegisterRefusedError(
    'RUN_HAS_NO_MODEL',
    `run ${runId} has no irisops model: ${why}`,
    'register a run logged by irisops train',
  );

async function hasIrisopsFlavor(store: TrackingStore, runId: string): Promise<boolean> {
  let bytes: Buffer;
  try {
    bytes = await store.readArtifact(runId, `${MODEL_ARTIFACT_PATH}/MLmodel`);
  } catch (error) {
    if (error instanceof NotFoundError) return false;
    throw error;
  }
  const text = bytes.toString('utf8');
  // the common case answered without loading the YAML library
  if (namesFlavor(text, FLAVOR)) return true;
  let doc: unknown;
  try {
    doc = yamlModule().parse(text);
  } catch {
    return false;
  }
  const flavors = (doc as { flavors?: Record<string, unknown> } | null)?.flavors;
  return typeof flavors === 'object' && flavors !== null && FLAVOR in flavors;
}

/**
 * Throws RegisterRefusedError unless `run` is FINISHED, holds an irisops model, and is not
 * yet a version of `modelName`; returns the model digest the run recorded.
 */
async function checkRegistrable(
  store: TrackingStore,
  run: Run,
  modelName: string,
): Promise<string> {
  const runId = run.info.run_id;
  if (run.info.status !== 'FINISHED') {
    throw new RegisterRefusedError(
      'RUN_NOT_FINISHED',
      `run ${runId} is ${run.info.status}, not FINISHED: only a finished run's model is registered`,
      'train again: irisops train',
    );
  }
  const digest = run.data.tags[MODEL_DIGEST_TAG];
  if (!digest) throw noModel(runId, `no ${MODEL_DIGEST_TAG} tag`);
  if (!(await hasIrisopsFlavor(store, runId)))
    throw noModel(runId, `no ${MODEL_ARTIFACT_PATH}/MLmodel with the ${FLAVOR} flavor`);
  const versions = await store.searchModelVersions(modelName).catch((error: unknown) => {
    if (error instanceof NotFoundError) return [];
    throw error;
  });
  const existing = versions.find((v) => v.run_id === runId);
  if (existing) {
    throw new RegisterRefusedError(
      'RUN_ALREADY_REGISTERED',
      `run ${runId} is already registered as ${modelName} version ${existing.version}`,
      `promote it: irisops registry promote ${modelName} ${existing.version} --alias <alias>`,
    );
  }
  return digest;
}

export async function registerRunModel(
  store: TrackingStore,
  runId: string,
  modelName: string,
): Promise<ModelVersion> {
  const run = await store.getRun(runId);
  const digest = await checkRegistrable(store, run, modelName);
  await store.createRegisteredModel(modelName);
  return store.createModelVersion({
    name: modelName,
    source: `${run.info.artifact_uri}/${MODEL_ARTIFACT_PATH}`,
    runId,
    tags: { [MODEL_DIGEST_TAG]: digest },
  });
}
