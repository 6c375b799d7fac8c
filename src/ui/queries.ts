/**
 * What the UI's pages and its JSON API read, through the TrackingStore interface only: the
 * same views, filter parser, run detail and promotion the commands use.
 */
import { InvalidParameterError, NotFoundError } from '../errors.js';
import type { RegistryList, RunDetail, RunsList, UiExperiments } from '../schemas/types.js';
import { readAliasHistory, type AliasMove } from '../tracking/alias-history.js';
import { parseFilter, parseOrderBy } from '../tracking/filter.js';
import { readRunDetail } from '../tracking/run-detail.js';
import { isStale, listRegistry, readRegistry, toRunView } from '../tracking/run-views.js';
import type { DatasetInput, Metric, Run, TrackingStore } from '../tracking/store.js';

export interface UiDeps {
  store: TrackingStore;
  /** this machine's name and a pid probe, for the stale-RUNNING check `runs ls` makes */
  machine: string;
  alive: (pid: number) => boolean;
}

export interface RunsQuery {
  experimentId: string;
  filter?: string;
  /** e.g. "metrics.accuracy DESC" */
  sort?: string;
  offset: number;
  limit: number;
}

/** Text artifacts shown inline are read only below this size; larger ones are downloads. */
export const INLINE_TEXT_LIMIT = 256 * 1024;
const TIE_BREAK = 'attributes.start_time DESC';

export async function listExperiments(deps: UiDeps): Promise<UiExperiments> {
  const experiments = await deps.store.listExperiments();
  return {
    store: { kind: deps.store.kind, uri: deps.store.displayUri },
    experiments: experiments.map((e) => ({
      experiment_id: e.experiment_id,
      name: e.name,
      lifecycle_stage: e.lifecycle_stage,
      creation_time: e.creation_time,
      tags: e.tags,
    })),
  };
}

/** Checks filter and sort with the parser `runs ls` uses, before the store sees them. */
export function checkRunsQuery(query: RunsQuery): string[] {
  parseFilter(query.filter);
  if (!query.sort) return [TIE_BREAK];
  parseOrderBy(query.sort);
  return [query.sort, TIE_BREAK];
}

/**
 * One page of an experiment's runs. The store searches (the local folder through its run
 * index); the page asks for one run more than it shows, to know whether another page exists.
 */
export async function readRunsPage(deps: UiDeps, query: RunsQuery): Promise<RunsList> {
  const orderBy = checkRunsQuery(query);
  const experiment = await deps.store.getExperiment(query.experimentId);
  const runs = await deps.store.searchRunSummaries({
    experimentIds: [experiment.experiment_id],
    filter: query.filter,
    orderBy,
    maxResults: query.offset + query.limit + 1,
  });
  const page = runs.slice(query.offset, query.offset + query.limit);
  const registry = await readRegistry(deps.store);
  return {
    experiment: { experiment_id: experiment.experiment_id, name: experiment.name },
    runs: page.map((r) => toRunView(r, registry, isStale(r, deps.machine, deps.alive))),
    page: {
      offset: query.offset,
      limit: query.limit,
      next_offset: runs.length > query.offset + query.limit ? query.offset + query.limit : null,
    },
  };
}

export interface RunPage {
  detail: RunDetail;
  /** every dataset input with its schema (RunDetail keeps name, digest and source) */
  inputs: DatasetInput[];
  /** metrics logged at more than one step: their history, for a chart */
  histories: Record<string, Metric[]>;
  /** small text artifacts shown inline: classification report, MLmodel */
  texts: Record<string, string>;
}

const INLINE_TEXTS = ['classification_report.txt', 'model/MLmodel'];

export async function readRun(deps: UiDeps, runId: string): Promise<Run> {
  if (!/^[0-9a-f]{32}$/.test(runId))
    throw new InvalidParameterError(`"${runId}" is not a run id (32 hexadecimal characters)`);
  return deps.store.getRun(runId);
}

export async function readRunPage(deps: UiDeps, runId: string): Promise<RunPage> {
  const run = await readRun(deps, runId);
  const registry = await readRegistry(deps.store);
  const view = toRunView(run, registry, isStale(run, deps.machine, deps.alive));
  const detail = await readRunDetail(deps.store, run, view);
  const histories: Record<string, Metric[]> = {};
  for (const key of Object.keys(run.data.metrics)) {
    const history = await deps.store.getMetricHistory(runId, key);
    if (history.length > 1) histories[key] = [...history].sort((a, b) => a.step - b.step);
  }
  const texts: Record<string, string> = {};
  for (const file of detail.artifacts) {
    if (!INLINE_TEXTS.includes(file.path) || (file.file_size ?? 0) > INLINE_TEXT_LIMIT) continue;
    texts[file.path] = (await deps.store.readArtifact(runId, file.path)).toString('utf8');
  }
  return { detail, inputs: run.inputs, histories, texts };
}

/** The runs to compare, in the order asked; each must exist. */
export async function readCompared(deps: UiDeps, runIds: string[]): Promise<RunsList['runs']> {
  const unique = [...new Set(runIds)];
  if (unique.length < 2)
    throw new InvalidParameterError('pick at least two runs to compare', {
      hint: 'tick two or more runs in the runs table',
    });
  const registry = await readRegistry(deps.store);
  const views: RunsList['runs'] = [];
  for (const id of unique) {
    const run = await readRun(deps, id);
    views.push(toRunView(run, registry, isStale(run, deps.machine, deps.alive)));
  }
  return views;
}

export function readRegistryList(deps: UiDeps, model?: string): Promise<RegistryList> {
  return listRegistry(deps.store, model);
}

/** How many recorded alias moves the registry page shows per model, newest first. */
export const SHOWN_MOVES = 10;

/** Each listed model's latest alias moves, as `registry history` reads them. */
export async function readRecentMoves(
  deps: UiDeps,
  list: RegistryList,
): Promise<Record<string, AliasMove[]>> {
  const moves: Record<string, AliasMove[]> = {};
  for (const m of list.models)
    moves[m.name] = (await readAliasHistory(deps.store, m.name)).moves.slice(0, SHOWN_MOVES);
  return moves;
}

/** An artifact's bytes; the path must be one the store lists (no path ever built from input). */
export async function readArtifactFile(deps: UiDeps, runId: string, path: string): Promise<Buffer> {
  const run = await readRun(deps, runId);
  const dir = path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '';
  const listed = await deps.store.listArtifacts(run.info.run_id, dir || undefined);
  if (!listed.some((f) => f.path === path && !f.is_dir))
    throw new NotFoundError(`run ${runId} has no artifact ${path}`);
  return deps.store.readArtifact(run.info.run_id, path);
}
