/**
 * Finding what a user names on the command line: an experiment by name, a run by its id or
 * a unique prefix of it (as git takes a short commit id).
 */
import { NotFoundError, UsageError } from '../errors.js';
import type { Experiment, Run, TrackingStore } from './store.js';

/** The shortest prefix accepted: shorter ones match too many runs to be useful. */
export const MIN_RUN_ID_PREFIX = 6;

const RUN_ID_HINT = `pass the 32-character run id or its first ${MIN_RUN_ID_PREFIX}+ characters (irisops runs ls)`;

export async function experimentOrFail(store: TrackingStore, name: string): Promise<Experiment> {
  const exp = await store.getExperimentByName(name);
  if (!exp) {
    throw new NotFoundError(`experiment "${name}" not found in ${store.displayUri}`, {
      hint: 'run irisops train first, or pass --experiment <name>',
    });
  }
  return exp;
}

function checkRunIdShape(idOrPrefix: string): void {
  if (!/^[0-9a-f]*$/.test(idOrPrefix) || idOrPrefix.length > 32) {
    throw new UsageError(`"${idOrPrefix}" is not a run id: run ids are 32 hex characters`, {
      hint: RUN_ID_HINT,
    });
  }
  if (idOrPrefix.length < MIN_RUN_ID_PREFIX) {
    throw new UsageError(
      `"${idOrPrefix}" is too short to name a run: give at least ${MIN_RUN_ID_PREFIX} characters of its id`,
      { hint: RUN_ID_HINT },
    );
  }
}

/** A run by its full id (any experiment) or a unique prefix within `experiment`. */
export async function findRun(
  store: TrackingStore,
  idOrPrefix: string,
  experiment: string,
): Promise<Run> {
  const wanted = idOrPrefix.trim().toLowerCase();
  checkRunIdShape(wanted);
  if (wanted.length === 32) return store.getRun(wanted);
  const exp = await experimentOrFail(store, experiment);
  const matches = (
    await store.searchRuns({ experimentIds: [exp.experiment_id], maxResults: 10000 })
  ).filter((r) => r.info.run_id.startsWith(wanted));
  if (matches.length === 0)
    throw new NotFoundError(`no run id starts with ${wanted} in experiment ${experiment}`, {
      hint: 'list runs with: irisops runs ls',
    });
  if (matches.length > 1)
    throw new UsageError(`${wanted} matches ${matches.length} runs`, {
      hint: 'give more characters of the run id',
    });
  return matches[0] as Run;
}
