/**
 * searchRuns on the local folder, through the run index (run-index.ts): each run folder is
 * checked only for what the query reads of it (run-signature.ts), filtered and sorted, and
 * then each run the answer holds is checked for all that is returned of it (whole, or its
 * summary) — re-read when it changed, and the answer worked out again — so what is returned
 * is always what the folder holds now.
 */
import path from 'node:path';
import { matchesFilter, parseFilter, parseOrderBy, sortRuns } from '../filter.js';
import type { Filter, OrderBy } from '../filter.js';
import type { Run, SearchRunsRequest } from '../store.js';
import type { LocalContext } from './context.js';
import { runFolderNames } from './layout.js';
import { isDir } from './meta-files.js';
import {
  briefRunOf,
  entryHolds,
  forget,
  forgetMissing,
  loadIndex,
  remember,
  runOf,
  saveIndex,
  type Entry,
  type RunIndex,
} from './run-index.js';
import { readActiveRun, type DatasetCache } from './run-read.js';
import { signatureOf, unionOf, WHOLE, type Need, type Section } from './run-signature.js';

interface Listing {
  dir: string;
  names: string[];
  index: RunIndex;
}

interface Candidate {
  listing: Listing;
  name: string;
  /** the index entry it came from; null when read from the folder in this listing */
  entry: Entry | null;
  /** what the query reads of the run, or all that is returned of it once `whole` */
  run: Run;
  whole: boolean;
}

/** What a filter and an order read of every run, beyond meta.yaml. */
function needOf(filter: Filter, orderBy: readonly OrderBy[]): Need {
  const metrics = new Set<string>();
  const sections = new Set<Section>();
  for (const { entity, key } of [...filter.clauses, ...orderBy]) {
    if (entity === 'metric') metrics.add(key);
    else if (entity === 'param') sections.add('params');
    else if (entity === 'tag') sections.add('tags');
    else if (entity === 'dataset') sections.add('inputs');
    // a run without a name in meta.yaml takes its mlflow.runName tag
    else if (key === 'run_name') sections.add('tags');
  }
  return { metrics, sections };
}

/** What the run an entry gives must hold for `need`: only what it reads is parsed. */
function runFor(entry: Entry, need: Need): Run | null {
  const { sections } = need;
  if (sections.has('inputs') || sections.has('outputs')) return runOf(entry);
  if (sections.has('params') || sections.has('tags')) return runOf(entry, true);
  return briefRunOf(entry);
}

/** Reads a run folder afresh and remembers it (unless its times are too recent to trust). */
async function readAndRemember(
  ctx: LocalContext,
  listing: Listing,
  name: string,
  datasets: DatasetCache,
): Promise<Candidate | null> {
  const run = await readActiveRun(ctx, listing.dir, name, datasets);
  const sig = signatureOf(path.join(listing.dir, name), run, Date.now());
  if (sig === null) forget(listing.index, name);
  else remember(listing.index, name, sig, run);
  return run === null ? null : { listing, name, entry: null, run, whole: true };
}

/**
 * The runs of one experiment folder as far as `need` reads them (`whole` when that is all
 * that is returned of them), from the index where it holds and from the folder where it
 * does not.
 */
async function candidatesOf(
  ctx: LocalContext,
  listing: Listing,
  need: Need,
  whole: boolean,
  datasets: DatasetCache,
): Promise<Candidate[]> {
  const { index, dir } = listing;
  const found: Candidate[] = [];
  const stale: string[] = [];
  for (const name of listing.names) {
    const entry = index.entries.get(name);
    // a folder that is not an active run is rare, and checked whole
    const check = entry?.info === null ? WHOLE : need;
    if (entry === undefined || !entryHolds(entry, `${dir}/${name}`, check)) {
      stale.push(name);
      continue;
    }
    if (entry.info === null) continue;
    const run = runFor(entry, need);
    if (run === null) stale.push(name);
    else found.push({ listing, name, entry, run, whole });
  }
  // One damaged run must not hide all the others; getRun reports it by name.
  const read = await ctx.readEach(stale, 'run', (name) =>
    readAndRemember(ctx, listing, name, datasets),
  );
  return [...found, ...read];
}

/** Whether all `returned` reads of the run still holds; if so the candidate carries it. */
function confirmWhole(candidate: Candidate, returned: Need): boolean {
  const { entry, listing, name } = candidate;
  if (candidate.whole) return true;
  if (entry === null || !entryHolds(entry, `${listing.dir}/${name}`, returned)) return false;
  const run = runFor(entry, returned);
  if (run === null) return false;
  candidate.run = run;
  candidate.whole = true;
  return true;
}

function answer(candidates: Candidate[], filter: Filter, orderBy: OrderBy[], max?: number) {
  const byRun = new Map(candidates.map((c) => [c.run, c]));
  const matching = candidates.filter((c) => matchesFilter(c.run, filter)).map((c) => c.run);
  const sorted = sortRuns(matching, orderBy);
  return (max === undefined ? sorted : sorted.slice(0, max)).map((r) => byRun.get(r) as Candidate);
}

/**
 * `view`: what is returned of each run — WHOLE, or SUMMARY (info and data; inputs and
 * outputs are then empty), which checks and parses less of each run.
 */
export async function searchRuns(
  ctx: LocalContext,
  request: SearchRunsRequest,
  view: Need = WHOLE,
): Promise<Run[]> {
  const filter = parseFilter(request.filter);
  const orderBy = (request.orderBy ?? []).map(parseOrderBy);
  const listings: Listing[] = [];
  for (const experimentId of new Set(request.experimentIds)) {
    // Deleted experiments live in .trash and are left out, as MLflow's active-only view does.
    const dir = path.join(ctx.root, experimentId);
    if (!(await isDir(dir))) continue;
    const names = await runFolderNames(dir);
    const index = await loadIndex(dir);
    forgetMissing(index, names);
    listings.push({ dir, names, index });
  }
  const total = listings.reduce((n, l) => n + l.names.length, 0);
  const max = request.maxResults;
  const queried = needOf(filter, orderBy);
  // what a returned run is checked for: what is returned of it, and what chose it
  const returned = unionOf(view, queried);
  // When every run may be returned, each is checked for that at once rather than twice.
  const all = max === undefined || max >= total;
  const datasets: DatasetCache = new Map();
  let candidates: Candidate[] = [];
  for (const listing of listings)
    candidates.push(...(await candidatesOf(ctx, listing, all ? returned : queried, all, datasets)));
  for (;;) {
    const chosen = answer(candidates, filter, orderBy, max);
    const changed = chosen.filter((c) => !confirmWhole(c, returned));
    if (changed.length === 0) {
      await Promise.all(listings.map((l) => saveIndex(ctx, l.dir, l.index)));
      return chosen.map((c) => c.run);
    }
    // A returned run changed where the query did not look: read it again and re-answer.
    const gone = new Set(changed);
    const fresh = await ctx.readEach(changed, 'run', (c) =>
      readAndRemember(ctx, c.listing, c.name, datasets),
    );
    candidates = [...candidates.filter((c) => !gone.has(c)), ...fresh];
  }
}
