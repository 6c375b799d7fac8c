/**
 * Parent and child runs, as MLflow nests them (a child carries mlflow.parentRunId): a
 * sweep's parent and its trials. One home for every view that groups them: `runs ls`,
 * `runs show`, the UI.
 */
import type { Run, RunSummary, TrackingStore } from './store.js';
import { MLFLOW_PARENT_RUN_ID, TUNE_GOAL_TAG, TUNE_METRIC_TAG } from './tags.js';

export function parentRunId(run: Pick<Run, 'data'>): string | null {
  return run.data.tags[MLFLOW_PARENT_RUN_ID] ?? null;
}

/** MLflow's filter for the children of one run (both stores understand it). */
export function childrenFilter(parentId: string): string {
  return `tags.\`${MLFLOW_PARENT_RUN_ID}\` = '${parentId}'`;
}

/** Every child of `parentId` in its experiment, in the store's order (newest first). */
export async function childRuns(store: TrackingStore, parent: Run): Promise<RunSummary[]> {
  return store.searchRunSummaries({
    experimentIds: [parent.info.experiment_id],
    filter: childrenFilter(parent.info.run_id),
    maxResults: 100000,
  });
}

export interface RunFamily<R> {
  run: R;
  children: R[];
}

/** A run's id and its parent's, for either shape: a store's Run or a flat view of one. */
export type FamilyKey<R> = (run: R) => { id: string; parent: string | null };

export const runKey: FamilyKey<Run> = (run) => ({ id: run.info.run_id, parent: parentRunId(run) });
export const viewKey: FamilyKey<{ run_id: string; tags: Record<string, string> }> = (view) => ({
  id: view.run_id,
  parent: view.tags[MLFLOW_PARENT_RUN_ID] ?? null,
});

/**
 * Runs grouped under their parents, keeping the given order: a child follows its top
 * ancestor when that is in the list, and stands on its own when it is not (a page that
 * holds only part of a sweep still shows every run once).
 */
export function groupByParent<R>(runs: R[], key: FamilyKey<R>): RunFamily<R>[] {
  const byId = new Map(runs.map((r) => [key(r).id, r]));
  const rootOf = (run: R): string => {
    // walk up while the parent is listed; a cycle stops at the first repeat
    const seen = new Set<string>();
    let current = key(run);
    while (current.parent !== null && byId.has(current.parent) && !seen.has(current.parent)) {
      seen.add(current.id);
      current = key(byId.get(current.parent) as R);
    }
    return current.id;
  };
  const families = new Map<string, RunFamily<R>>();
  const top: RunFamily<R>[] = [];
  const roots = runs.map(rootOf);
  runs.forEach((run, i) => {
    if (roots[i] !== key(run).id) return;
    const family = { run, children: [] };
    families.set(key(run).id, family);
    top.push(family);
  });
  runs.forEach((run, i) => {
    const family = families.get(roots[i] as string);
    if (family && family.run !== run) family.children.push(run);
    else if (!family) top.push({ run, children: [] });
  });
  return top;
}

/** The metric a sweep ranked its trials by (tag on its parent), if it is one. */
export function sweepMetric(run: Pick<Run, 'data'>): string | null {
  return run.data.tags[TUNE_METRIC_TAG] ?? null;
}

/**
 * Children best first by their parent's sweep metric (its goal tag says which way is
 * better), the simpler model first on a tie, runs without the metric (failed, killed)
 * last. A parent that is no sweep keeps the store's order.
 */
export function rankChildRuns(parent: Pick<Run, 'data'>, runs: RunSummary[]): RunSummary[] {
  const metric = sweepMetric(parent);
  const goal = parent.data.tags[TUNE_GOAL_TAG];
  if (metric === null || (goal !== 'higher' && goal !== 'lower')) return runs;
  const sign = goal === 'higher' ? -1 : 1;
  const num = (r: RunSummary, key: string) => Number(r.data.params[key] ?? Infinity);
  return [...runs].sort((a, b) => {
    const va = a.data.metrics[metric];
    const vb = b.data.metrics[metric];
    if (va === undefined || vb === undefined)
      return (va === undefined ? 1 : 0) - (vb === undefined ? 1 : 0);
    return (
      sign * (va - vb) ||
      num(a, 'n_estimators') - num(b, 'n_estimators') ||
      num(a, 'max_depth') - num(b, 'max_depth')
    );
  });
}
