/**
 * One writer at a time per folder: a promise chain orders the writers of this process, and
 * proper-lockfile (a mkdir lock with a refreshed mtime) orders processes. The holder writes
 * its pid and host into the lock folder, so a lock left by a process that is gone (killed
 * with -9, say) on this host is taken over at once; a lock of a live holder is waited for,
 * and one whose holder cannot be checked (another host) after it goes stale.
 */
import * as fsCallback from 'node:fs';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import lockfile from 'proper-lockfile';
import { StoreUnavailableError } from '../../errors.js';
import { errorCode, tempName } from '../fs-atomic.js';
import { sleep } from './meta-files.js';

/** A lock older than this belongs to a writer that died; its holder refreshes it far more often. */
const LOCK_STALE_MS = 10_000;
/** How long a writer waits for a live lock: well past LOCK_STALE_MS, so a dead holder is outwaited. */
const LOCK_WAIT_MS = 60_000;
/** A writer says it is waiting, and for whom, once it has waited this long. */
const WAIT_NOTICE_MS = 1_000;
const OWNER_FILE = 'owner.json';

/**
 * proper-lockfile removes its lock folder with rmdir, which fails once the owner file is in
 * it; this file system removes the folder with what it holds.
 */
const lockFs = {
  ...fsCallback,
  rmdir: (target: string, callback: (error: NodeJS.ErrnoException | null) => void) =>
    fsCallback.rm(target, { recursive: true, force: true }, callback),
} as unknown as typeof fsCallback;

interface Owner {
  pid: number;
  host: string;
}

export interface FolderLockOptions {
  onWarning: (message: string) => void;
  /** tests lengthen it to show a dead holder is taken over for being dead, not for being old */
  staleMs?: number;
}

async function readOwner(lockPath: string): Promise<Owner | null> {
  try {
    const parsed = JSON.parse(
      await fs.readFile(path.join(lockPath, OWNER_FILE), 'utf8'),
    ) as unknown;
    const { pid, host } = (parsed ?? {}) as Partial<Owner>;
    return typeof pid === 'number' && typeof host === 'string' ? { pid, host } : null;
  } catch {
    // Not written yet (the holder is between its mkdir and this file), or an older irisops.
    return null;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return errorCode(error) !== 'ESRCH';
  }
}

export class FolderLock {
  private chain: Promise<void> = Promise.resolve();
  private readonly staleMs: number;

  constructor(
    private readonly target: string,
    private readonly lockPath: string,
    private readonly options: FolderLockOptions,
  ) {
    this.staleMs = options.staleMs ?? LOCK_STALE_MS;
  }

  /**
   * Moves a dead holder's lock aside: a rename succeeds for one taker only, so two writers
   * finding the same dead lock do not both go ahead.
   */
  private async takeOver(): Promise<void> {
    const aside = `${this.lockPath}.${tempName('dead')}`;
    try {
      await fs.rename(this.lockPath, aside);
    } catch (error) {
      if (errorCode(error) === 'ENOENT') return;
      throw error;
    }
    await fs.rm(aside, { recursive: true, force: true });
  }

  /**
   * A lock whose owner file could not be written (a full disk) is released at once: left
   * behind, it would hold up every later writer until it went stale.
   */
  private async writeOwner(release: () => Promise<void>): Promise<void> {
    const owner: Owner = { pid: process.pid, host: os.hostname() };
    try {
      await fs.writeFile(path.join(this.lockPath, OWNER_FILE), JSON.stringify(owner));
    } catch (error) {
      await release().catch(() => undefined);
      throw error;
    }
  }

  /** Decides what to do about a lock held by someone else: true when it was taken over. */
  private async handleHeld(waitedMs: number, warned: { done: boolean }): Promise<boolean> {
    const owner = await readOwner(this.lockPath);
    if (owner !== null && owner.host === os.hostname() && !isAlive(owner.pid)) {
      await this.takeOver();
      return true;
    }
    if (!warned.done && waitedMs >= WAIT_NOTICE_MS) {
      warned.done = true;
      this.options.onWarning(
        owner === null
          ? `waiting for the store lock ${this.lockPath} held by another process`
          : `waiting for the store lock held by pid ${owner.pid} on host ${owner.host}`,
      );
    }
    return false;
  }

  /**
   * Retries only while another process holds the lock: any other failure (a read-only
   * folder, a full disk) is reported at once instead of after the whole retry budget.
   */
  private async acquire(onCompromised: (error: Error) => void): Promise<() => Promise<void>> {
    const started = Date.now();
    const waitMs = Math.max(LOCK_WAIT_MS, 6 * this.staleMs);
    const warned = { done: false };
    for (let attempt = 0; ; attempt++) {
      try {
        const release = await lockfile.lock(this.target, {
          lockfilePath: this.lockPath,
          realpath: false,
          stale: this.staleMs,
          update: this.staleMs / 4,
          fs: lockFs,
          onCompromised,
        });
        await this.writeOwner(release);
        return release;
      } catch (error) {
        if (errorCode(error) !== 'ELOCKED') throw error;
        if (await this.handleHeld(Date.now() - started, warned)) continue;
        if (Date.now() - started > waitMs) {
          throw new StoreUnavailableError(
            `the store ${this.target} stayed locked by another irisops process for ${Math.round(waitMs / 1000)} s`,
            {
              hint: `if no irisops process is running, remove ${this.lockPath}`,
              cause: error,
            },
          );
        }
        await sleep(Math.min(20 + attempt * 10, 150) * (0.5 + Math.random()));
      }
    }
  }
  async run<T>(work: () => Promise<T>): Promise<T> {
    const previous = this.chain;
    let done!: () => void;
    this.chain = new Promise<void>((resolve) => (done = resolve));
    await previous;
    try {
      let compromised: Error | undefined;
      const release = await this.acquire((error) => {
        compromised = error;
      });
      try {
        const result = await work();
        if (compromised !== undefined) {
          throw new StoreUnavailableError(
            `lost the lock on ${this.target} while writing: ${compromised.message}`,
            { cause: compromised },
          );
        }
        return result;
      } finally {
        await release().catch(() => undefined);
      }
    } finally {
      done();
    }
  }
}
