/**
 * A cache of read runs beside each experiment folder (<experiment>/.irisops-index.json), so
 * listing 10,000 runs reads a few stats per run instead of a dozen files. The folder stays
 * the truth: an entry is used only while the run's files still have the modification times
 * they had when it was read (meta.yaml, the metrics/, params/, tags/, inputs/, outputs/ folders and
 * each metric file), so a run written, changed or deleted by MLflow or by hand shows up as
 * it is at the next listing. The file is replaced atomically; a missing, damaged or foreign
 * one is rebuilt. MLflow lists only folders, so it never sees this file.
 *
 * What the times cannot see: MLflow rewriting an existing tag file in place (set_tag on a
 * key the run already has) within the same metrics and meta.yaml. irisops itself always
 * renames files into place, which changes the folder's time.
 */
import { promises as fs, statSync } from 'node:fs';
import path from 'node:path';
import { errorCode, writeFileAtomic } from '../fs-atomic.js';
import type { Run } from '../store.js';
import type { LocalContext } from './context.js';
import { META } from './layout.js';

export const INDEX_FILE = '.irisops-index.json';
// 2: runs carry their model outputs
const INDEX_VERSION = 2;
/**
 * A file changed this recently may change again within the file system's time resolution
 * without its time moving; such a run is read but not cached (git's "racy" rule).
 */
const RACY_MS = 2_000;

interface Entry {
  /** modification times the entry was read at */
  sig: string;
  /** null: the folder is not an active run (deleted, or not a run) */
  run: Run | null;
}

export interface RunIndex {
  entries: Map<string, Entry>;
  changed: boolean;
}

export async function loadIndex(experimentDir: string): Promise<RunIndex> {
  const entries = new Map<string, Entry>();
  try {
    const parsed = JSON.parse(await fs.readFile(path.join(experimentDir, INDEX_FILE), 'utf8')) as {
      version?: unknown;
      runs?: unknown;
    };
    if (parsed.version === INDEX_VERSION && typeof parsed.runs === 'object' && parsed.runs !== null)
      for (const [name, entry] of Object.entries(parsed.runs as Record<string, Entry>))
        if (typeof entry?.sig === 'string') entries.set(name, entry);
  } catch {
    // Missing or damaged: start empty; the listing rebuilds it.
    return { entries, changed: true };
  }
  return { entries, changed: false };
}

export async function saveIndex(
  ctx: LocalContext,
  experimentDir: string,
  index: RunIndex,
): Promise<void> {
  if (!index.changed) return;
  const runs = Object.fromEntries(index.entries);
  try {
    await fs.mkdir(ctx.scratch, { recursive: true });
    await writeFileAtomic(
      path.join(experimentDir, INDEX_FILE),
      JSON.stringify({ version: INDEX_VERSION, runs }),
      { tempDir: ctx.scratch },
    );
  } catch {
    // A cache that cannot be written (read-only store) only costs speed.
  }
}

/**
 * Synchronous on purpose: a stat of a cached inode costs about a microsecond, and the
 * thread-pool round trip of an asynchronous one costs ten times that, which at ten stats
 * a run is most of a 10,000-run listing.
 */
function mtime(file: string): bigint | null {
  try {
    return statSync(file, { bigint: true, throwIfNoEntry: false })?.mtimeNs ?? null;
  } catch (error) {
    if (errorCode(error) === 'ENOTDIR') return null;
    throw error;
  }
}

/**
 * The modification times that identify what a run folder holds now, or null when they are
 * too recent to trust (see RACY_MS). `known` is the cached run, whose metric files are
 * checked one by one because MLflow appends to them in place.
 */
export function runSignature(runDir: string, known: Run | null): string | null {
  const files = [META, 'metrics', 'params', 'tags', 'inputs', 'outputs'];
  for (const key of Object.keys(known?.data.metrics ?? {})) files.push(`metrics/${key}`);
  const times = files.map((f) => mtime(path.join(runDir, f)));
  const newest = times.reduce<bigint>((a, b) => (b !== null && b > a ? b : a), 0n);
  if (newest > BigInt(Date.now() - RACY_MS) * 1_000_000n) return null;
  return times.map((t) => (t === null ? '-' : t.toString(36))).join(' ');
}

/**
 * The run of a folder through the index: the cached one while its signature holds, else
 * read afresh by `read` and remembered.
 */
export async function throughIndex(
  index: RunIndex,
  name: string,
  runDir: string,
  read: () => Promise<Run | null>,
): Promise<Run | null> {
  const cached = index.entries.get(name);
  if (cached !== undefined) {
    const sig = runSignature(runDir, cached.run);
    if (sig !== null && sig === cached.sig) return cached.run;
  }
  const run = await read();
  // Taken after the read: a change during the read leaves a time within RACY_MS, so it is
  // not cached, and a change before it is in what was read.
  const sig = runSignature(runDir, run);
  if (sig === null) index.entries.delete(name);
  else index.entries.set(name, { sig, run });
  index.changed = true;
  return run;
}

export function forgetMissing(index: RunIndex, names: readonly string[]): void {
  const present = new Set(names);
  for (const name of index.entries.keys()) {
    if (!present.has(name)) {
      index.entries.delete(name);
      index.changed = true;
    }
  }
}
