/**
 * Loads a model through any TrackingStore, refusing one whose bytes differ from the digest
 * its run recorded or that is not an irisops model.
 */
import { ModelError, NotFoundError } from '../errors.js';
import type { ModelFile, ReferenceProfile } from '../schemas/types.js';
import { digestBytes } from '../data/dataset.js';
import { resolveModel, type ResolvedModel } from '../tracking/model-uri.js';
import type { TrackingStore } from '../tracking/store.js';
import { MODEL_FILE, REFERENCE_PROFILE_FILE } from './artifact.js';
import { MODEL_DIGEST_TAG } from '../tracking/tags.js';

export interface LoadedModel extends ResolvedModel {
  model: ModelFile;
  /** "sha256:<hex>" */
  digest: string;
  /** the training split's profile for drift detection; null for a model logged without one */
  profile: ReferenceProfile | null;
  /** why profile is null, in words drift reports repeat */
  profileProblem?: string;
}

type ProfileOutcome = Pick<LoadedModel, 'profile' | 'profileProblem'>;

/**
 * The profile is optional: models trained before it existed, or whose profile is damaged,
 * still serve (only drift detection is off for them, and says why).
 */
async function readProfile(
  store: TrackingStore,
  resolved: ResolvedModel,
  model: ModelFile,
): Promise<ProfileOutcome> {
  let bytes: Buffer;
  try {
    bytes = await store.readArtifact(
      resolved.runId,
      `${resolved.artifactPath}/${REFERENCE_PROFILE_FILE}`,
    );
  } catch (error) {
    if (error instanceof NotFoundError)
      return {
        profile: null,
        profileProblem: 'no reference profile (trained before irisops logged one)',
      };
    throw error;
  }
  const { validatorFor, describeErrors, formatIssues } = await import('../schemas/index.js');
  const validate = validatorFor<ReferenceProfile>('reference-profile');
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch {
    return { profile: null, profileProblem: `${REFERENCE_PROFILE_FILE} is not valid JSON` };
  }
  if (!validate(value)) {
    const issues = formatIssues(describeErrors(validate.errors).slice(0, 3));
    return { profile: null, profileProblem: `${REFERENCE_PROFILE_FILE} is invalid: ${issues}` };
  }
  const names = value.features.map((f) => f.name);
  if (names.join() !== model.feature_names.join())
    return {
      profile: null,
      profileProblem: `${REFERENCE_PROFILE_FILE} describes ${names.join(', ')}, not the model's features`,
    };
  return { profile: value };
}

export async function loadModel(store: TrackingStore, uri: string): Promise<LoadedModel> {
  const resolved = await resolveModel(store, uri);
  const run = await store.getRun(resolved.runId);
  let bytes: Buffer;
  try {
    bytes = await store.readArtifact(resolved.runId, `${resolved.artifactPath}/${MODEL_FILE}`);
  } catch (error) {
    if (error instanceof NotFoundError) {
      throw new ModelError(
        'MODEL_NOT_IRISOPS',
        `${uri} has no ${MODEL_FILE}: it is not an irisops model`,
        {
          hint: 'serve a model logged by irisops train',
        },
      );
    }
    throw error;
  }
  const digest = `sha256:${digestBytes(bytes)}`;
  const recorded = run.data.tags[MODEL_DIGEST_TAG];
  if (!recorded) {
    throw new ModelError(
      'MODEL_NOT_IRISOPS',
      `run ${resolved.runId} recorded no model digest (tag ${MODEL_DIGEST_TAG})`,
      {
        hint: 'serve a model logged by irisops train',
      },
    );
  }
  // the registry keeps its own copy of the digest: both records must agree with the bytes
  const registered = resolved.versionTags[MODEL_DIGEST_TAG];
  const expected = recorded !== digest ? recorded : registered;
  if (expected !== undefined && expected !== digest) {
    const where = expected === recorded ? 'its run recorded' : 'the registry recorded';
    throw new ModelError(
      'MODEL_DIGEST_MISMATCH',
      `${uri}: model.json digest ${digest.slice(0, 19)}… does not match the ${expected.slice(0, 19)}… ${where} (the file or the record changed after it was logged)`,
      {
        hint: 'retrain with irisops train, or promote another version',
      },
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new ModelError('MODEL_INVALID', `${uri}: model.json is not valid JSON`);
  }
  const { validatorFor, describeErrors, formatIssues } = await import('../schemas/index.js');
  const validate = validatorFor<ModelFile>('model');
  if (!validate(value)) {
    throw new ModelError(
      'MODEL_INVALID',
      `${uri}: model.json does not match schemas/model.schema.json: ${formatIssues(describeErrors(validate.errors).slice(0, 3))}`,
    );
  }
  return { ...resolved, model: value, digest, ...(await readProfile(store, resolved, value)) };
}
