/**
 * Moving an alias, optionally only when the candidate is better on a metric: one core call
 * for `registry promote` and the web UI, so both check and refuse alike.
 */
import { NotFoundError, PromotionRefusedError, TrackingError, UsageError } from '../errors.js';
import type { PromoteResult } from '../schemas/types.js';
import { moveOf, recordMove, type AliasMove, type MoveRecord } from './alias-history.js';
import type { ModelVersion, Run, TrackingStore } from './store.js';

export interface PromoteRequest {
  name: string;
  version: string;
  alias: string;
  /** metrics.<name>: refuse unless the candidate is at least as good as the holder */
  ifBetter?: string;
  allowDifferentData?: boolean;
  /** who, when, why: recorded in the alias history when the alias really moves */
  record: MoveRecord;
}

export interface PromoteOutcome {
  result: PromoteResult;
  /** set when the alias moved between the check and the move: the version compared against */
  comparedAgainst: string | null;
  raced: boolean;
  /** the move recorded in the alias history; null when the alias already held the version */
  move: AliasMove | null;
}

/** The version's run, or null when it has none or it is gone. */
export async function runOfVersion(store: TrackingStore, v: ModelVersion): Promise<Run | null> {
  if (!v.run_id) return null;
  try {
    return await store.getRun(v.run_id);
  } catch (error) {
    if (error instanceof NotFoundError) return null;
    throw error;
  }
}

export async function currentHolder(
  store: TrackingStore,
  name: string,
  alias: string,
): Promise<ModelVersion | null> {
  try {
    return await store.getModelVersionByAlias(name, alias);
  } catch (error) {
    if (error instanceof NotFoundError) return null;
    throw error;
  }
}

/** Refuses when the candidate is worse, or when the two runs are not comparable. */
async function checkIfBetter(
  store: TrackingStore,
  metricKey: string,
  candidate: ModelVersion,
  current: ModelVersion | null,
  allowDifferentData: boolean,
): Promise<NonNullable<PromoteResult['compared']>> {
  const metric = metricKey.replace(/^metrics\./, '');
  if (!/^metrics\.[A-Za-z0-9_.\-/ ]+$/.test(metricKey)) {
    throw new UsageError(`--if-better expects metrics.<name>, got "${metricKey}"`, {
      hint: 'e.g. --if-better metrics.accuracy',
    });
  }
  const candidateRun = await runOfVersion(store, candidate);
  const candidateValue = candidateRun?.data.metrics[metric];
  if (candidateValue === undefined) {
    throw new PromotionRefusedError(
      `version ${candidate.version} has no metric ${metric} to compare`,
      { hint: 'promote without --if-better' },
    );
  }
  if (!current || current.version === candidate.version)
    return { metric: metricKey, candidate: candidateValue, current: null };
  const currentRun = await runOfVersion(store, current);
  const currentValue = currentRun?.data.metrics[metric];
  if (currentValue === undefined)
    return { metric: metricKey, candidate: candidateValue, current: null };
  if (!allowDifferentData && candidateRun && currentRun) {
    const facts = ['tags.irisops.dataset_digest', 'params.test_size', 'params.random_state'];
    const value = (r: Run, f: string) =>
      f.startsWith('tags.') ? r.data.tags[f.slice(5)] : r.data.params[f.slice(7)];
    const differing = facts.filter((f) => value(candidateRun, f) !== value(currentRun, f));
    if (differing.length > 0) {
      throw new PromotionRefusedError(
        `cannot compare ${metric}: version ${candidate.version} and version ${current.version} differ in ${differing.join(', ').replace(/tags\.irisops\.dataset_digest/, 'training data')}`,
        { hint: 'retrain both on the same data and split, or pass --allow-different-data' },
      );
    }
  }
  if (candidateValue < currentValue) {
    throw new PromotionRefusedError(
      `version ${candidate.version} has ${metric} ${candidateValue.toFixed(4)}, below version ${current.version}'s ${currentValue.toFixed(4)}: not promoted`,
      { hint: 'train a better model, or promote without --if-better' },
    );
  }
  return { metric: metricKey, candidate: candidateValue, current: currentValue };
}

/** A version is a positive whole number; checked before any store is opened. */
export function checkVersionNumber(name: string, version: string): void {
  if (!/^[1-9][0-9]*$/.test(version)) {
    throw new UsageError(`version must be a positive whole number, got "${version}"`, {
      hint: `list versions with: irisops registry ls ${name}`,
    });
  }
}

async function recordOrSay(store: TrackingStore, name: string, move: AliasMove): Promise<void> {
  try {
    await recordMove(store, name, move);
  } catch (error) {
    throw new TrackingError(
      'HISTORY_NOT_RECORDED',
      `${name} @${move.alias} moved to v${move.to}, but the move was not recorded in its history: ${(error as Error).message}`,
      { cause: error, hint: `the move stands; see: irisops registry history ${name}` },
    );
  }
}

export async function promoteAlias(
  store: TrackingStore,
  request: PromoteRequest,
): Promise<PromoteOutcome> {
  const { name, version, alias } = request;
  checkVersionNumber(name, version);
  const candidate = await store.getModelVersion(name, version);
  const previous = await currentHolder(store, name, alias);
  const compared =
    request.ifBetter !== undefined
      ? await checkIfBetter(
          store,
          request.ifBetter,
          candidate,
          previous,
          request.allowDifferentData === true,
        )
      : undefined;
  // the holder the store replaced, read under its lock: what was checked may have moved since
  const replaced = await store.setAlias(name, alias, version);
  // recorded after the move, from what the store replaced: the history never lists a move
  // that did not happen (a failure here leaves the move unrecorded, and says so)
  const move = replaced === version ? null : moveOf(request.record, alias, replaced, version);
  if (move) await recordOrSay(store, name, move);
  const result: PromoteResult = {
    name,
    alias,
    version,
    previous_version: replaced,
    ...(compared ? { compared } : {}),
  };
  return {
    result,
    comparedAgainst: previous?.version ?? null,
    raced: compared !== undefined && replaced !== (previous?.version ?? null),
    move,
  };
}
