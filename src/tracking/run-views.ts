/**
 * Views of runs shared by `runs ls`, `runs show` and `registry ls`: registered versions per
 * run, and the stale-run check (a RUNNING run whose process is gone, e.g. after SIGKILL).
 */
import type { RegistryList, RunsList } from '../schemas/types.js';
import { metricsToJson } from './metric-json.js';
import { runOfVersion } from './promote.js';
import type { ModelVersion, RegisteredModel, RunSummary, TrackingStore } from './store.js';
import { IRISOPS_HOST, IRISOPS_PID, MODEL_DIGEST_TAG } from './tags.js';

export type RunView = RunsList['runs'][number];

/** What a reader looks for first in a table of runs: these lead, the rest follow by name. */
export const LEAD_METRICS = ['accuracy', 'cv_accuracy_mean', 'f1_score'];
export const LEAD_PARAMS = ['n_estimators', 'max_depth', 'max_features'];

/** Keys in reading order: the lead ones present first, in their order, then the others sorted. */
export function orderKeys(keys: Iterable<string>, lead: readonly string[]): string[] {
  const all = new Set(keys);
  const first = lead.filter((k) => all.has(k));
  return [...first, ...[...all].filter((k) => !first.includes(k)).sort()];
}

export interface RegistryIndex {
  models: RegisteredModel[];
  versions: Map<string, ModelVersion[]>;
  /** the versions made from each run, in model then version order, so a view of 10,000 runs
   * looks its run up once instead of scanning every version */
  byRun: Map<string, ModelVersion[]>;
}

export async function readRegistry(store: TrackingStore, only?: string): Promise<RegistryIndex> {
  const models = only
    ? [await store.getRegisteredModel(only)]
    : await store.searchRegisteredModels();
  const versions = new Map<string, ModelVersion[]>();
  const byRun = new Map<string, ModelVersion[]>();
  for (const m of models) {
    const found = await store.searchModelVersions(m.name);
    versions.set(m.name, found);
    for (const v of found)
      if (v.run_id !== null) byRun.set(v.run_id, [...(byRun.get(v.run_id) ?? []), v]);
  }
  return { models, versions, byRun };
}

export function isStale(run: RunSummary, host: string, alive: (pid: number) => boolean): boolean {
  if (run.info.status !== 'RUNNING') return false;
  const pid = Number(run.data.tags[IRISOPS_PID]);
  if (run.data.tags[IRISOPS_HOST] !== host || !Number.isInteger(pid) || pid <= 0) return false;
  return !alive(pid);
}

export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function toRunView(run: RunSummary, registry: RegistryIndex, stale: boolean): RunView {
  const registered = (registry.byRun.get(run.info.run_id) ?? []).map((v) => ({
    name: v.name,
    version: v.version,
    aliases: [...v.aliases],
  }));
  return {
    run_id: run.info.run_id,
    run_name: run.info.run_name,
    experiment_id: run.info.experiment_id,
    status: run.info.status,
    start_time: run.info.start_time,
    end_time: run.info.end_time,
    params: run.data.params,
    metrics: metricsToJson(run.data.metrics),
    tags: run.data.tags,
    registered_versions: registered,
    stale,
  };
}

/** `registry ls`: every model (or only one), its versions with their runs' metrics. */
export async function listRegistry(store: TrackingStore, only?: string): Promise<RegistryList> {
  const registry = await readRegistry(store, only);
  const result: RegistryList = { models: [] };
  for (const model of registry.models) {
    const versions: RegistryList['models'][number]['versions'] = [];
    for (const v of registry.versions.get(model.name) ?? []) {
      const run = await runOfVersion(store, v);
      versions.push({
        version: v.version,
        run_id: v.run_id,
        source: v.source,
        status: v.status,
        aliases: [...v.aliases],
        metrics: metricsToJson(run?.data.metrics ?? {}),
        creation_timestamp: v.creation_timestamp,
        servable: Boolean(run?.data.tags[MODEL_DIGEST_TAG]),
      });
    }
    result.models.push({ name: model.name, aliases: model.aliases, versions });
  }
  return result;
}
