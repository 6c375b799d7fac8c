/**
 * The rule that tells whether a run folder still holds what the index remembers of it: the
 * modification times (and, for files, sizes) of the files and folders a change touches.
 *
 *   meta.yaml                      MLflow rewrites it in place (status, end time, deletion)
 *   metrics/ params/ tags/         adding or removing a param, tag, metric key, input or
 *   inputs/ outputs/ folders       output adds or removes a file or folder there, which
 *   (and key sub-folders)          moves the folder's time (also the sub-folders of keys
 *                                  with '/', whose files live one level down)
 *   metrics/<key>, each            MLflow appends a step to a metric file in place, also on a
 *                                  FINISHED run (its check is the lifecycle stage, not the
 *                                  status), so every metric file is stat'ed, never skipped
 *
 * A listing checks only what its query reads (meta.yaml always; a filtered or sorted metric's
 * file; params/, tags/ or inputs/ when the filter or order names them) and, of each run it
 * returns, all it returns of it (WHOLE, or SUMMARY when the caller reads no inputs or outputs),
 * so a stale part can never reach the answer. Stats are synchronous on purpose: one
 * on a cached inode costs a few microseconds, and a thread-pool round trip costs several
 * times that (measured: 110,000 stats 0.5 s sync, 2 to 2.6 s async).
 *
 * What the times cannot see: a file rewritten in place within the same time tick and size
 * (hence the racy rule below), and MLflow rewriting an existing tag file in place (set_tag
 * on a key the run already has) — the folder's time does not move, and tags/ files are not
 * stat'ed one by one (nor params/ files, which MLflow never rewrites). irisops itself always
 * renames files into place, which moves the folder's time.
 */
import { statSync, type Stats } from 'node:fs';
import { errorCode } from '../fs-atomic.js';
import type { Run } from '../store.js';
import { META } from './layout.js';

/**
 * A file changed this recently may change again within the file system's time resolution
 * without its time moving; such a run is read but not remembered (git's "racy" rule).
 */
export const RACY_MS = 2_000;

/** A file's modification time and size, or null when it is missing. */
export type Stamp = [mtimeMs: number, size: number] | null;

export interface Signature {
  /** meta.yaml */
  meta: Stamp;
  /** metric files by key */
  metrics: Record<string, Stamp>;
  /** folders' modification times by path relative to the run folder */
  dirs: Record<string, number | null>;
}

const SECTIONS = ['metrics', 'params', 'tags', 'inputs', 'outputs'] as const;
export type Section = (typeof SECTIONS)[number];

/**
 * What a check reads of a run folder, past meta.yaml: the metric files of these keys (or
 * all of them), and the folders of these sections (a section's folder moves when a key is
 * added or removed; the metrics folder is needed only to see new or removed metric keys).
 */
export interface Need {
  metrics: ReadonlySet<string> | 'all';
  sections: ReadonlySet<Section>;
}

/** all of the run: what getRun and searchRuns return */
export const WHOLE: Need = { metrics: 'all', sections: new Set(SECTIONS) };
/** info and data (params, metrics, tags): what a listing shows of each run it returns */
export const SUMMARY: Need = { metrics: 'all', sections: new Set(['metrics', 'params', 'tags']) };

/** Everything either need reads. */
export function unionOf(a: Need, b: Need): Need {
  const metrics =
    a.metrics === 'all' || b.metrics === 'all' ? 'all' : new Set([...a.metrics, ...b.metrics]);
  return { metrics, sections: new Set([...a.sections, ...b.sections]) };
}

function statOf(file: string): Stats | undefined {
  try {
    return statSync(file, { throwIfNoEntry: false });
  } catch (error) {
    if (errorCode(error) === 'ENOTDIR') return undefined;
    throw error;
  }
}

function fileHolds(file: string, stamp: Stamp | undefined): boolean {
  const stats = statOf(file);
  if (stats === undefined || stamp === null || stamp === undefined)
    return stats === undefined && (stamp ?? null) === null;
  return stats.mtimeMs === stamp[0] && stats.size === stamp[1];
}

function dirHolds(dir: string, mtimeMs: number | null): boolean {
  const stats = statOf(dir);
  return stats === undefined ? mtimeMs === null : stats.mtimeMs === mtimeMs;
}

/** The folders of a section that keys with '/' live in ('tags/a', 'tags/a/b'). */
function keyFolders(section: string, keys: Iterable<string>, into: Set<string>): void {
  for (const key of keys) {
    const parts = key.split('/');
    for (let i = 1; i < parts.length; i++) into.add(`${section}/${parts.slice(0, i).join('/')}`);
  }
}

/**
 * The signature of a run folder as `run` was read from it (null: not an active run), or null
 * when a time is too recent to trust (see RACY_MS). Taken after the read: a change during
 * the read leaves a recent time, and a change before it is in what was read.
 */
export function signatureOf(runDir: string, run: Run | null, now: number): Signature | null {
  const folders = new Set<string>(SECTIONS);
  if (run !== null) {
    keyFolders('metrics', Object.keys(run.data.metrics), folders);
    keyFolders('params', Object.keys(run.data.params), folders);
    keyFolders('tags', Object.keys(run.data.tags), folders);
  }
  let newest = 0;
  const take = (file: string): Stats | undefined => {
    const stats = statOf(file);
    if (stats !== undefined) newest = Math.max(newest, stats.mtimeMs);
    return stats;
  };
  const stampOf = (file: string): Stamp => {
    const stats = take(file);
    return stats === undefined ? null : [stats.mtimeMs, stats.size];
  };
  const sig: Signature = { meta: stampOf(`${runDir}/${META}`), metrics: {}, dirs: {} };
  for (const key of Object.keys(run?.data.metrics ?? {}))
    sig.metrics[key] = stampOf(`${runDir}/metrics/${key}`);
  for (const folder of folders) sig.dirs[folder] = take(`${runDir}/${folder}`)?.mtimeMs ?? null;
  return newest > now - RACY_MS ? null : sig;
}

/**
 * Whether what `need` reads of the run folder is as the signature says. Past meta.yaml the
 * signature's parts are asked for only when the check reads them, since an index keeps them
 * unparsed until then.
 */
export function signatureHolds(
  runDir: string,
  meta: Stamp,
  need: Need,
  parts: { metrics: () => Signature['metrics']; dirs: () => Signature['dirs'] },
): boolean {
  if (!fileHolds(`${runDir}/${META}`, meta)) return false;
  if (need.metrics === 'all' || need.metrics.size > 0) {
    const metrics = parts.metrics();
    for (const key of need.metrics === 'all' ? Object.keys(metrics) : need.metrics)
      if (!fileHolds(`${runDir}/metrics/${key}`, metrics[key])) return false;
  }
  if (need.sections.size === 0) return true;
  for (const [folder, mtimeMs] of Object.entries(parts.dirs())) {
    if (!need.sections.has(folder.split('/')[0] as Section)) continue;
    if (!dirHolds(`${runDir}/${folder}`, mtimeMs)) return false;
  }
  return true;
}

export function isStamp(value: unknown): value is Stamp {
  return (
    value === null ||
    (Array.isArray(value) &&
      value.length === 2 &&
      typeof value[0] === 'number' &&
      typeof value[1] === 'number')
  );
}
