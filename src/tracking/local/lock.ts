/**
 * One writer at a time per folder: a promise chain orders the writers of this process, and
 * proper-lockfile (a mkdir lock with a refreshed mtime) orders processes. A writer killed
 * with the lock held leaves it stale, and the next writer takes it over after LOCK_STALE_MS.
 */
import lockfile from 'proper-lockfile';
import { StoreUnavailableError } from '../../errors.js';
import { errorCode } from '../fs-atomic.js';
import { sleep } from './meta-files.js';

/** A lock older than this belongs to a writer that died; its holder refreshes it far more often. */
const LOCK_STALE_MS = 10_000;
/** How long a writer waits for a live lock: well past LOCK_STALE_MS, so a dead holder is outwaited. */
const LOCK_WAIT_MS = 60_000;

export class FolderLock {
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly target: string,
    private readonly lockPath: string,
  ) {}

  /**
   * Retries only while another process holds the lock: any other failure (a read-only
   * folder, a full disk) is reported at once instead of after the whole retry budget.
   */
  private async acquire(onCompromised: (error: Error) => void): Promise<() => Promise<void>> {
    const deadline = Date.now() + LOCK_WAIT_MS;
    for (let attempt = 0; ; attempt++) {
      try {
        return await lockfile.lock(this.target, {
          lockfilePath: this.lockPath,
          realpath: false,
          stale: LOCK_STALE_MS,
          update: LOCK_STALE_MS / 4,
          onCompromised,
        });
      } catch (error) {
        if (errorCode(error) !== 'ELOCKED') throw error;
        if (Date.now() > deadline) {
          throw new StoreUnavailableError(
            `the store ${this.target} stayed locked by another irisops process for ${LOCK_WAIT_MS / 1000} s`,
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
