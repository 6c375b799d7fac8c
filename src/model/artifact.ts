/**
 * The model artifact as MLflow expects a model folder: MLmodel (YAML, with an `irisops`
 * flavor and a column-spec signature) next to model.json. Written to a local staging folder,
 * then uploaded through the TrackingStore.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ModelFile, ReferenceProfile } from '../schemas/types.js';
import { REFERENCE_PROFILE_FILE } from '../monitor/profile.js';
import { digestBytes } from '../data/dataset.js';
import { serializeModel } from './forest-spec.js';
import { dumpMlmodel, SingleQuoted } from './mlmodel-text.js';

export const MODEL_ARTIFACT_PATH = 'model';
export const MODEL_FILE = 'model.json';
export const FLAVOR = 'irisops';
/**
 * Inside the model folder rather than at the run's root: the folder is what a registered
 * version's source points at and what a copy of the model carries (as MLflow keeps
 * input_example.json there), so a version keeps its profile wherever the model goes. The
 * model digest stays the digest of model.json's bytes alone, so adding this file changes no
 * digest and models logged before it verify as before.
 */
export { REFERENCE_PROFILE_FILE } from '../monitor/profile.js';

export interface WrittenModel {
  dir: string;
  /** "sha256:<hex>" of model.json's bytes */
  digest: string;
}

function colspec(names: readonly string[], type: string): string {
  return JSON.stringify(names.map((name) => ({ type, name, required: true })));
}

export function writeModelDir(
  dir: string,
  model: ModelFile,
  meta: {
    runId: string;
    /** MLflow 3's logged model id, as log_model writes it into MLmodel */
    modelId?: string;
    irisopsVersion: string;
    now: number;
    profile?: ReferenceProfile;
  },
): WrittenModel {
  mkdirSync(dir, { recursive: true });
  const json = serializeModel(model);
  const digest = `sha256:${digestBytes(json)}`;
  writeFileSync(path.join(dir, MODEL_FILE), json);
  if (meta.profile)
    writeFileSync(path.join(dir, REFERENCE_PROFILE_FILE), `${JSON.stringify(meta.profile)}\n`);
  // quoted as PyYAML's safe_dump quotes it (mlflow.models.Model writes a str): plain, PyYAML
  // would read a datetime
  const created = new SingleQuoted(
    new Date(meta.now).toISOString().replace('T', ' ').replace('Z', '000'),
  );
  const mlmodel = {
    artifact_path: MODEL_ARTIFACT_PATH,
    flavors: {
      [FLAVOR]: {
        format: model.format,
        format_version: model.format_version,
        model_file: MODEL_FILE,
        model_digest: digest,
        irisops_version: meta.irisopsVersion,
        library: model.library?.name ?? 'ml-random-forest',
        library_version: model.library?.version ?? 'unknown',
        class_labels: model.class_labels,
        ...(meta.profile ? { reference_profile: REFERENCE_PROFILE_FILE } : {}),
        serve: 'irisops serve --model runs:/<run_id>/model',
      },
    },
    ...(meta.modelId === undefined ? {} : { model_id: meta.modelId }),
    model_uuid: randomUUID().replace(/-/g, ''),
    run_id: meta.runId,
    signature: {
      inputs: colspec(model.feature_names, 'double'),
      outputs: colspec(['prediction'], 'long'),
      params: null,
    },
    utc_time_created: created,
  };
  writeFileSync(path.join(dir, 'MLmodel'), dumpMlmodel(mlmodel));
  return { dir, digest };
}
