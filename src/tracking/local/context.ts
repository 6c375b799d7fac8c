/**
 * What every part of the local store shares: the root, the clock, the warning sink, the
 * lock, OS-error translation and the meta-file helpers bound to this root's messages.
 */
import { mkdirSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { IrisopsError, StoreUnavailableError, TrackingError } from '../../errors.js';
import { errorCode, makeStagingDir, publishDir, writeFilesAtomic } from '../fs-atomic.js';
import { META, MODELS, SCRATCH, TRASH } from './layout.js';
import { FolderLock, type FolderLockOptions } from './lock.js';
import { dumpYaml, fieldReader, readMetaFile, type FieldReader, type Meta } from './meta-files.js';

export interface LocalStoreOptions {
  now: () => number;
  /**
   * Told about damaged items that a listing skips (so one bad meta.yaml does not hide all
   * the rest): the command shows them as warnings instead of leaving them silently out.
   */
  onWarning?: (message: string) => void;
  /** how old a lock of a holder that cannot be checked must be to count as dead (default 10 s) */
  lockStaleMs?: number;
}

const UNAVAILABLE_REASONS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EIO: 'input/output error',
  ENOTDIR: 'a path component is not a folder',
  ELOOP: 'too many symbolic links',
  EMFILE: 'too many open files',
  ENAMETOOLONG: 'path too long',
};

/** How many entries a listing reads at once: enough to hide disk latency, few enough for EMFILE. */
const READ_CONCURRENCY = 32;

export function isMalformed(error: unknown): boolean {
  return error instanceof TrackingError && error.code === 'MALFORMED_STORE';
}

export class LocalContext {
  readonly root: string;
  readonly scratch: string;
  readonly trash: string;
  readonly modelsDir: string;
  readonly onWarning: (message: string) => void;
  readonly lock: FolderLock;
  readonly field: FieldReader;
  private readonly now: () => number;
  private prepared: Promise<void> | null = null;

  constructor(
    readonly displayUri: string,
    options: LocalStoreOptions,
    /** Creates the folder on first write (experiment 0 and friends). */
    private readonly prepare: (ctx: LocalContext) => Promise<void>,
  ) {
    this.root = path.resolve(displayUri);
    this.scratch = path.join(this.root, SCRATCH);
    this.trash = path.join(this.root, TRASH);
    this.modelsDir = path.join(this.root, MODELS);
    this.now = options.now;
    this.onWarning = options.onWarning ?? (() => {});
    const lockOptions: FolderLockOptions = { onWarning: this.onWarning };
    if (options.lockStaleMs !== undefined) lockOptions.staleMs = options.lockStaleMs;
    this.lock = new FolderLock(this.root, path.join(this.scratch, 'store.lock'), lockOptions);
    this.field = fieldReader((file, reason) => this.malformed(file, reason));
  }

  /** The root as the user named it, plus a relative part: what messages show. */
  shown(absolute: string): string {
    const relative = path.relative(this.root, absolute);
    return relative === '' ? this.displayUri : path.join(this.displayUri, relative);
  }

  timestamp(): number {
    return Math.trunc(this.now());
  }

  malformed(file: string, reason: string): TrackingError {
    return new TrackingError(
      'MALFORMED_STORE',
      `${this.shown(file)} is not a valid MLflow file: ${reason}`,
      {
        hint: `restore ${this.shown(file)} from a backup, or move its folder out of ${this.displayUri}`,
      },
    );
  }

  /** Turns OS errors into StoreUnavailableError naming the path and the reason. */
  translate(error: unknown, action: string): unknown {
    if (error instanceof IrisopsError) return error;
    const code = errorCode(error);
    const reason = code === undefined ? undefined : UNAVAILABLE_REASONS[code];
    if (reason === undefined) return error;
    const where =
      typeof (error as { path?: unknown }).path === 'string'
        ? (error as { path: string }).path
        : this.root;
    return new StoreUnavailableError(`cannot ${action} ${where}: ${reason} (${code})`, {
      hint:
        code === 'ENOSPC' || code === 'EDQUOT'
          ? `free some space on the disk that holds ${this.displayUri}`
          : `check that ${this.displayUri} is a folder you can ${action === 'read' ? 'read' : 'write'}, or pass --tracking-uri with another folder`,
      cause: error,
    });
  }

  async reading<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      throw this.translate(error, 'read');
    }
  }

  async writing<T>(work: () => Promise<T>): Promise<T> {
    try {
      await this.ensureRoot();
      return await this.lock.run(work);
    } catch (error) {
      throw this.translate(error, 'write');
    }
  }

  async ensureRoot(): Promise<void> {
    this.prepared ??= this.prepare(this).catch((error: unknown) => {
      this.prepared = null;
      throw error;
    });
    await this.prepared;
  }

  readMeta(file: string): Promise<Meta> {
    return readMetaFile(file, (f, reason) => this.malformed(f, reason));
  }

  async writeFile(target: string, data: string): Promise<void> {
    await this.writeFiles([[target, data]]);
  }

  /**
   * Writes several files at once, each atomically (fs-atomic.ts's writeFilesAtomic: their
   * fsyncs overlap instead of queueing one behind the other). Resolves, or throws the first
   * failure, only once every write has ended, so nothing is still writing once the caller
   * releases the lock. `fresh`: new files in a folder built aside, published by a rename.
   */
  async writeFiles(
    files: Iterable<readonly [string, string]>,
    options: { fresh?: boolean } = {},
  ): Promise<void> {
    const list = [...files];
    // tag and metric keys may hold '/': their files sit in sub-folders
    for (const dir of new Set(list.map(([target]) => path.dirname(target))))
      mkdirSync(dir, { recursive: true });
    await writeFilesAtomic(list, { tempDir: this.scratch, fresh: options.fresh === true });
  }

  async writeYaml(target: string, data: Meta): Promise<void> {
    await this.writeFile(target, dumpYaml(data));
  }

  /** A folder holding meta.yaml (and what `extra` adds), appearing all at once or not at all. */
  async publishFolder(
    target: string,
    meta: Meta,
    extra?: (stage: string) => Promise<void>,
  ): Promise<boolean> {
    const stage = await makeStagingDir(this.scratch, path.basename(target));
    try {
      await this.writeYaml(path.join(stage, META), meta);
      if (extra !== undefined) await extra(stage);
      return await publishDir(stage, target);
    } finally {
      await fs.rm(stage, { recursive: true, force: true });
    }
  }

  /**
   * Reads every item of a listing, in order, a few at a time. An item that vanished is left
   * out; a damaged one is left out with a warning naming it (one bad meta.yaml must not hide
   * all the rest), unless `strict`, where it is an error. `read` returns null to skip an item.
   */
  async readEach<T, R>(
    items: readonly T[],
    what: string,
    read: (item: T) => Promise<R | null>,
    options: { strict?: boolean } = {},
  ): Promise<R[]> {
    const results: (R | null)[] = new Array<R | null>(items.length).fill(null);
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < items.length) {
        const index = next++;
        try {
          results[index] = await read(items[index] as T);
        } catch (error) {
          if (errorCode(error) === 'ENOENT') continue;
          if (options.strict !== true && isMalformed(error)) {
            this.onWarning(`skipped a damaged ${what}: ${(error as Error).message}`);
            continue;
          }
          throw error;
        }
      }
    };
    await Promise.all(
      Array.from({ length: Math.min(READ_CONCURRENCY, items.length) }, () => worker()),
    );
    return results.filter((r): r is R => r !== null);
  }
}
