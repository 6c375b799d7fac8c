/**
 * Writes that are either complete or absent: data goes to a temporary file first and is
 * renamed over the target, so a reader (irisops or MLflow) never sees a half-written file,
 * even when the writer is killed mid-way.
 */
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  fsync,
  openSync,
  promises as fs,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';

/** Errors Windows raises transiently when another process has the target open. */
const TRANSIENT_RENAME_CODES = new Set(['EPERM', 'EACCES', 'EBUSY']);

export function errorCode(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error) {
    const code = (error as { code: unknown }).code;
    return typeof code === 'string' ? code : undefined;
  }
  return undefined;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A name nobody else will pick, tagged with the pid so a leftover can be traced to a crash. */
export function tempName(hint: string): string {
  const base = hint.replace(/[^\w.-]/g, '_').slice(0, 40);
  return `.${base}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
}

async function renameWithRetry(from: string, to: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await fs.rename(from, to);
      return;
    } catch (error) {
      const code = errorCode(error);
      if (
        process.platform !== 'win32' ||
        code === undefined ||
        !TRANSIENT_RENAME_CODES.has(code) ||
        attempt >= 10
      )
        throw error;
      await sleep(10 * (attempt + 1));
    }
  }
}

export interface AtomicWriteOptions {
  /**
   * Where the temporary file lives; it must be on the same file system as the target. The
   * default is the target's own folder; the local store passes a private folder so that a
   * crash never leaves a stray file where MLflow would read it as a tag or a metric.
   */
  tempDir?: string;
}

/** Writes data to target atomically (temp file, fsync, rename). Parent folders must exist. */
export async function writeFileAtomic(
  target: string,
  data: string | Buffer,
  options: AtomicWriteOptions = {},
): Promise<void> {
  const tempPath = path.join(
    options.tempDir ?? path.dirname(target),
    tempName(path.basename(target)),
  );
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(tempPath, 'wx');
    await handle.writeFile(data);
    await handle.sync();
    await handle.close();
    handle = undefined;
    await renameWithRetry(tempPath, target);
  } catch (error) {
    await handle?.close().catch(() => undefined);
    await fs.rm(tempPath, { force: true }).catch(() => undefined);
    throw error;
  }
}

function fsyncFd(fd: number): Promise<void> {
  return new Promise((resolve, reject) =>
    fsync(fd, (error) => (error ? reject(error) : resolve())),
  );
}

function renameNow(from: string, to: string): Promise<void> | undefined {
  try {
    renameSync(from, to);
    return undefined;
  } catch (error) {
    const code = errorCode(error);
    if (process.platform === 'win32' && code !== undefined && TRANSIENT_RENAME_CODES.has(code))
      return renameWithRetry(from, to);
    throw error;
  }
}

export interface ManyFilesOptions extends AtomicWriteOptions {
  /**
   * The targets are new files in a folder nobody reads yet (one built aside and published by
   * a rename): written in place, with no temporary file, as the folder's rename is the atomic
   * step. Their fsyncs still come first, so a published folder never holds empty files.
   */
  fresh?: boolean;
}

/**
 * How many files writeFilesAtomic holds open at once: a batch of any size (the local store
 * puts no limit on one logBatch) stays far below the descriptor limit.
 */
export const FILES_OPEN_AT_ONCE = 256;

/** Writes the bytes of a slice of the files, then waits for all their fsyncs together. */
async function writeAndSync(
  files: readonly (readonly [string, string])[],
  tempOf: (target: string) => string,
  written: { temp: string; target: string }[],
): Promise<void> {
  const open: number[] = [];
  try {
    for (const [target, data] of files) {
      const temp = tempOf(target);
      const fd = openSync(temp, 'wx');
      open.push(fd);
      written.push({ temp, target });
      writeFileSync(fd, data);
    }
    // every fsync ends before any descriptor closes: one still running may not lose its fd
    const synced = await Promise.allSettled(open.map(fsyncFd));
    const failed = synced.find((r) => r.status === 'rejected');
    if (failed) throw failed.reason;
  } finally {
    for (const fd of open) closeSync(fd);
  }
}

/**
 * Writes several small files, each as writeFileAtomic does (temp file, fsync, rename), in one
 * go: the bytes are written synchronously, since a thread-pool round trip for each open,
 * write and close costs far more than writing a few bytes; the fsyncs, which wait on the
 * disk, run together in the thread pool (FILES_OPEN_AT_ONCE at a time); the renames follow.
 * Parent folders must exist. Resolves, or throws the first failure with every temporary file
 * removed, once all is done; as with separate writes, the files renamed before a failing
 * rename stay written.
 */
export async function writeFilesAtomic(
  files: readonly (readonly [string, string])[],
  options: ManyFilesOptions = {},
): Promise<void> {
  const tempOf = (target: string): string =>
    options.fresh === true
      ? target
      : path.join(options.tempDir ?? path.dirname(target), tempName(path.basename(target)));
  // what is on this list on failure is still a temporary file, to remove
  const written: { temp: string; target: string }[] = [];
  try {
    for (let start = 0; start < files.length; start += FILES_OPEN_AT_ONCE)
      await writeAndSync(files.slice(start, start + FILES_OPEN_AT_ONCE), tempOf, written);
    if (options.fresh === true) return;
    const pending: Promise<void>[] = [];
    while (written.length > 0) {
      const f = written[0] as (typeof written)[number];
      const retrying = renameNow(f.temp, f.target);
      if (retrying) pending.push(retrying.catch(rmTempAndThrow(f.temp)));
      written.shift();
    }
    await Promise.all(pending);
  } catch (error) {
    for (const f of written) rmSync(f.temp, { force: true });
    throw error;
  }
}

function rmTempAndThrow(temp: string): (error: unknown) => never {
  return (error) => {
    rmSync(temp, { force: true });
    throw error;
  };
}

/** Copies a file atomically: the destination appears only once all its bytes are there. */
export async function copyFileAtomic(
  source: string,
  target: string,
  options: AtomicWriteOptions = {},
): Promise<void> {
  const tempPath = path.join(
    options.tempDir ?? path.dirname(target),
    tempName(path.basename(target)),
  );
  try {
    await fs.copyFile(source, tempPath, fs.constants.COPYFILE_EXCL);
    const handle = await fs.open(tempPath, 'r+');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    await renameWithRetry(tempPath, target);
  } catch (error) {
    await fs.rm(tempPath, { force: true }).catch(() => undefined);
    // fs.copyFile names the source in error.path even when it is the destination's disk
    // that is full or read-only: name the file being written, which is what the user can fix
    const code = errorCode(error);
    if (code !== undefined && DESTINATION_CODES.has(code) && error instanceof Error)
      (error as NodeJS.ErrnoException).path = target;
    throw error;
  }
}

const DESTINATION_CODES = new Set(['ENOSPC', 'EDQUOT', 'EROFS']);

/**
 * Moves a fully built folder into place. Returns false, leaving the staged folder untouched,
 * when the target already exists (someone else got there first), so the caller can decide.
 */
export async function publishDir(staged: string, target: string): Promise<boolean> {
  try {
    await fs.access(target);
    return false;
  } catch (error) {
    if (errorCode(error) !== 'ENOENT') throw error;
  }
  try {
    await renameWithRetry(staged, target);
    return true;
  } catch (error) {
    const code = errorCode(error);
    if (code === 'EEXIST' || code === 'ENOTEMPTY') return false;
    throw error;
  }
}

/** Creates a fresh private folder under parent for building something before publishing it. */
export async function makeStagingDir(parent: string, hint: string): Promise<string> {
  const dir = path.join(parent, tempName(hint));
  await fs.mkdir(dir);
  return dir;
}

/**
 * Removes leftovers of writers that died mid-way (older than maxAgeMs), so a crash costs a
 * few bytes for a while, never forever.
 */
export async function sweepStaleTemps(dir: string, maxAgeMs: number, now: number): Promise<void> {
  let entries: string[];
  try {
    entries = await fs.readdir(dir);
  } catch {
    return;
  }
  await Promise.all(
    entries
      .filter((name) => name.endsWith('.tmp'))
      .map(async (name) => {
        const full = path.join(dir, name);
        try {
          const stat = await fs.lstat(full);
          if (now - stat.mtimeMs > maxAgeMs) await fs.rm(full, { recursive: true, force: true });
        } catch {
          // Another process may have published or swept it meanwhile: nothing to do.
        }
      }),
  );
}
