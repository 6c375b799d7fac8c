/**
 * The trial pool: `parallel` lanes, each with its own fit worker (model/fit.ts), taking the
 * next trial until none is left. A trial that throws is recorded and its lane goes on with a
 * fresh worker (a failed worker stays failed); an abort terminates every worker at once and
 * no further trial starts. Which lane ran a trial changes nothing in its result: its seed
 * and folds are fixed before the pool starts.
 */
import { InterruptedError } from '../errors.js';
import { openFitSession, type FitSession } from '../model/fit.js';
import type { Trial } from './space.js';

export type Settled<R> =
  { trial: Trial; ok: true; value: R } | { trial: Trial; ok: false; error: unknown };

export interface PoolOptions<R> {
  parallel: number;
  signal?: AbortSignal;
  run(trial: Trial, session: FitSession): Promise<R>;
  onSettled?(settled: Settled<R>): void;
  /** swapped by tests; a fit worker by default */
  openSession?: (signal?: AbortSignal) => FitSession;
}

/**
 * Settles every trial that started, in index order. Throws InterruptedError when the signal
 * fired, after every lane has stopped (so callers mark runs once nothing writes any more).
 */
export async function runPool<R>(trials: Trial[], options: PoolOptions<R>): Promise<Settled<R>[]> {
  const open = options.openSession ?? openFitSession;
  const { signal } = options;
  const settled: Settled<R>[] = [];
  let next = 0;

  const lane = async () => {
    let session = open(signal);
    try {
      while (next < trials.length && !signal?.aborted) {
        const trial = trials[next++] as Trial;
        let result: Settled<R>;
        try {
          result = { trial, ok: true, value: await options.run(trial, session) };
        } catch (error) {
          if (signal?.aborted || error instanceof InterruptedError) return;
          result = { trial, ok: false, error };
          await session.close();
          session = open(signal);
        }
        settled.push(result);
        options.onSettled?.(result);
      }
    } finally {
      await session.close();
    }
  };

  const lanes = Math.max(1, Math.min(options.parallel, trials.length));
  await Promise.all(Array.from({ length: lanes }, lane));
  if (signal?.aborted) throw new InterruptedError('irisops tune interrupted');
  return settled.sort((a, b) => a.trial.index - b.trial.index);
}
