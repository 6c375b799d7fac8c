/**
 * A cache of read runs beside each experiment folder (<experiment>/.irisops-index), so
 * listing 10,000 runs costs a few stats per run instead of reading thirty files. The folder
 * stays the truth: an entry is used only while its signature holds (run-signature.ts says
 * what is checked, and what cannot be seen), so a run written, changed or deleted by MLflow
 * or by hand shows up as it is at the next listing. MLflow lists only folders, so it never
 * sees this file.
 *
 * One line per run, so a listing parses only what it reads:
 *
 *   irisops-run-index 5
 *   <run folder> TAB <head> TAB <signature> TAB <rest> TAB <io>
 *
 * <head> is {"s": meta.yaml's stamp, "i": info, "m": latest metrics (NaN and the infinities
 * as the strings "NaN", "Infinity", "-Infinity")}, what every listing reads of every run;
 * <signature> the JSON of the metric files' stamps, read when a query filters or sorts on a
 * metric or returns the run; <rest> the JSON of the folders' times, the params and the tags,
 * read for the runs a listing returns (or filters on them); <io> the JSON of the inputs and
 * outputs, read only for runs returned whole (a listing's summaries leave it unparsed). An
 * info of null is a folder that is not an active run (its rest: the times only; its io: null).
 * The file is replaced
 * atomically, unchanged lines are written back byte for byte, and a missing, damaged or
 * foreign file (another version's included) is rebuilt whole.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../fs-atomic.js';
import { metricsFromJson, metricsToJson } from '../metric-json.js';
import type { DatasetInput, ModelOutput, Run, RunInfo } from '../store.js';
import type { LocalContext } from './context.js';
import { isStamp, signatureHolds, type Need, type Signature, type Stamp } from './run-signature.js';

export const INDEX_FILE = '.irisops-index';
/** version 2's name (one JSON document), removed whenever the index is rebuilt */
const LEGACY_FILE = '.irisops-index.json';
/**
 * 5: inputs and outputs in a part of their own; 4: metrics that are not finite kept as text
 * (3 wrote them as JSON's null, and a warm listing then showed null for MLflow's NaN); 3: one
 * line per run, the signature in parts; 2: one JSON document. An index of another version
 * is rebuilt.
 */
const HEADER = 'irisops-run-index 5\n';
const TAB = 9;
const NEWLINE = 10;

export interface Entry {
  /** meta.yaml's stamp */
  meta: Stamp;
  /** null: the folder is not an active run (deleted, or not a run) */
  info: RunInfo | null;
  metrics: Record<string, number>;
  /** the entry's line as written, without its newline */
  line: Buffer;
  /** where <signature>, <rest> and <io> start in line */
  sigAt: number;
  restAt: number;
  ioAt: number;
  /** the parts once parsed */
  sig?: Signature['metrics'];
  rest?: Rest;
  io?: Io;
}

interface Rest {
  dirs: Signature['dirs'];
  params: Record<string, string>;
  tags: Record<string, string>;
}

interface Io {
  inputs: DatasetInput[];
  outputs: ModelOutput[];
}

export interface RunIndex {
  entries: Map<string, Entry>;
  changed: boolean;
  /** the file was missing or unreadable: it is written whole at the end */
  rebuilt: boolean;
}

class DamagedIndex extends Error {}

function parseLine(buf: Buffer, start: number, end: number): [string, Entry] {
  const tab1 = buf.indexOf(TAB, start);
  const tab2 = tab1 === -1 ? -1 : buf.indexOf(TAB, tab1 + 1);
  const tab3 = tab2 === -1 ? -1 : buf.indexOf(TAB, tab2 + 1);
  const tab4 = tab3 === -1 ? -1 : buf.indexOf(TAB, tab3 + 1);
  if (tab4 === -1 || tab4 > end) throw new DamagedIndex();
  const head = JSON.parse(buf.toString('utf8', tab1 + 1, tab2)) as {
    s?: unknown;
    i?: RunInfo | null;
    m?: unknown;
  };
  const info = head.i ?? null;
  if (!isStamp(head.s)) throw new DamagedIndex();
  const metrics = metricsFromJson(head.m);
  if (metrics === null) throw new DamagedIndex();
  if (info !== null && (typeof info !== 'object' || typeof info.run_id !== 'string'))
    throw new DamagedIndex();
  const name = buf.toString('utf8', start, tab1);
  const line = buf.subarray(start, end);
  const [sigAt, restAt, ioAt] = [tab2 + 1 - start, tab3 + 1 - start, tab4 + 1 - start];
  return [name, { meta: head.s, info, metrics, line, sigAt, restAt, ioAt }];
}

export async function loadIndex(experimentDir: string): Promise<RunIndex> {
  const entries = new Map<string, Entry>();
  try {
    const buf = await fs.readFile(path.join(experimentDir, INDEX_FILE));
    if (buf.toString('utf8', 0, HEADER.length) !== HEADER) throw new DamagedIndex();
    for (let start = HEADER.length; start < buf.length;) {
      const end = buf.indexOf(NEWLINE, start);
      if (end === -1) throw new DamagedIndex();
      const [name, entry] = parseLine(buf, start, end);
      entries.set(name, entry);
      start = end + 1;
    }
  } catch {
    // Missing, damaged or foreign: start empty; the listing rebuilds it.
    return { entries: new Map(), changed: true, rebuilt: true };
  }
  return { entries, changed: false, rebuilt: false };
}

export async function saveIndex(
  ctx: LocalContext,
  experimentDir: string,
  index: RunIndex,
): Promise<void> {
  if (!index.changed) return;
  const newline = Buffer.from('\n');
  const parts: Buffer[] = [Buffer.from(HEADER)];
  for (const entry of index.entries.values()) parts.push(entry.line, newline);
  try {
    await fs.mkdir(ctx.scratch, { recursive: true });
    await writeFileAtomic(path.join(experimentDir, INDEX_FILE), Buffer.concat(parts), {
      tempDir: ctx.scratch,
    });
    if (index.rebuilt) await fs.rm(path.join(experimentDir, LEGACY_FILE), { force: true });
  } catch {
    // A cache that cannot be written (read-only store) only costs speed.
  }
}

/** Remembers a run as read (null: not an active run) with the signature taken after. */
export function remember(index: RunIndex, name: string, sig: Signature, run: Run | null): void {
  const metrics = metricsToJson(run?.data.metrics ?? {});
  const head = JSON.stringify({ s: sig.meta, i: run?.info ?? null, m: metrics });
  const rest: Rest | Pick<Rest, 'dirs'> =
    run === null
      ? { dirs: sig.dirs }
      : { dirs: sig.dirs, params: run.data.params, tags: run.data.tags };
  const io: Io | null = run === null ? null : { inputs: run.inputs, outputs: run.outputs };
  const toSig = `${name}\t${head}\t`;
  const toRest = `${toSig}${JSON.stringify(sig.metrics)}\t`;
  const toIo = `${toRest}${JSON.stringify(rest)}\t`;
  index.entries.set(name, {
    meta: sig.meta,
    info: run?.info ?? null,
    metrics: run?.data.metrics ?? {},
    line: Buffer.from(toIo + JSON.stringify(io)),
    sigAt: Buffer.byteLength(toSig),
    restAt: Buffer.byteLength(toRest),
    ioAt: Buffer.byteLength(toIo),
  });
  index.changed = true;
}

export function forget(index: RunIndex, name: string): void {
  if (index.entries.delete(name)) index.changed = true;
}

export function forgetMissing(index: RunIndex, names: readonly string[]): void {
  const present = new Set(names);
  for (const name of index.entries.keys()) if (!present.has(name)) forget(index, name);
}

function sigOf(entry: Entry): Signature['metrics'] {
  if (entry.sig === undefined) {
    const text = entry.line.toString('utf8', entry.sigAt, entry.restAt - 1);
    const sig = JSON.parse(text) as Signature['metrics'] | null;
    if (typeof sig !== 'object' || sig === null) throw new TypeError('not a signature');
    entry.sig = sig;
  }
  return entry.sig;
}

function restOf(entry: Entry): Rest {
  if (entry.rest === undefined) {
    const text = entry.line.toString('utf8', entry.restAt, entry.ioAt - 1);
    const rest = JSON.parse(text) as Partial<Rest> | null;
    if (typeof rest?.dirs !== 'object' || rest.dirs === null) throw new TypeError('no times');
    if (
      entry.info !== null &&
      (typeof rest.params !== 'object' ||
        rest.params === null ||
        typeof rest.tags !== 'object' ||
        rest.tags === null)
    )
      throw new TypeError('not a run');
    entry.rest = rest as Rest;
  }
  return entry.rest;
}

function ioOf(entry: Entry): Io {
  if (entry.io === undefined) {
    const io = JSON.parse(entry.line.toString('utf8', entry.ioAt)) as Partial<Io> | null;
    if (!Array.isArray(io?.inputs) || !Array.isArray(io.outputs)) throw new TypeError('no io');
    entry.io = io as Io;
  }
  return entry.io;
}

/** A line that parses but is not ours: the folder answers instead. */
function notOurs(error: unknown): boolean {
  return error instanceof SyntaxError || error instanceof TypeError;
}

/** Whether the entry still tells what `need` reads of the run folder. */
export function entryHolds(entry: Entry, runDir: string, need: Need): boolean {
  try {
    return signatureHolds(runDir, entry.meta, need, {
      metrics: () => sigOf(entry),
      dirs: () => restOf(entry).dirs,
    });
  } catch (error) {
    if (notOurs(error)) return false;
    throw error;
  }
}

const NOTHING = Object.freeze({});
const NONE: DatasetInput[] & ModelOutput[] = [];
Object.freeze(NONE);

/**
 * What a query that reads no params, tags, inputs or outputs needs of an entry's run: its
 * info and metrics, shared with the entry (for filtering and sorting only, never returned).
 */
export function briefRunOf(entry: Entry): Run {
  return {
    info: entry.info as RunInfo,
    data: { params: NOTHING, metrics: entry.metrics, tags: NOTHING },
    inputs: NONE,
    outputs: NONE,
  };
}

/**
 * The run an entry of an active run remembers, whole or (`summary`) without its inputs and
 * outputs, or null when its line is not ours; the objects are the caller's (each entry is
 * turned into a run once a listing).
 */
export function runOf(entry: Entry, summary = false): Run | null {
  let rest: Rest;
  let io: Io;
  try {
    rest = restOf(entry);
    io = summary ? { inputs: NONE, outputs: NONE } : ioOf(entry);
  } catch (error) {
    if (notOurs(error)) return null;
    throw error;
  }
  return {
    info: { ...(entry.info as RunInfo) },
    data: { params: rest.params, metrics: { ...entry.metrics }, tags: rest.tags },
    inputs: io.inputs,
    outputs: io.outputs,
  };
}
