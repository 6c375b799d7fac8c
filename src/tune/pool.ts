/**
 * The trial pool: `parallel` lanes, each with its own fit worker (model/fit.ts). Lanes take
 * the costliest trial left first (longest-processing-time order), so a sweep does not end
 * with one lane fitting the biggest forest while the other idles. A trial hands its worker
 * back (`release`) once its folds are scored, and its lane starts the next trial while the
 * finished one is still being written to the store. A trial that throws before that is
 * recorded and its lane goes on with a fresh worker (a failed worker stays failed); an abort
 * terminates every worker at once and no further trial starts. Neither the lane nor the
 * order changes a trial's result: its seed and folds are fixed before the pool starts.
 */
import { InterruptedError } from '../errors.js';
import { openFitSession, type FitSession } from '../model/fit.js';
import type { Trial } from './space.js';

export type Settled<R> =
  { trial: Trial; ok: true; value: R } | { trial: Trial; ok: false; error: unknown };

export interface PoolOptions<R> {
  parallel: number;
  signal?: AbortSignal;
  /**
   * Calls `release` once it no longer needs the worker (a run that never calls it keeps the
   * worker until it settles); resolves once the trial is recorded.
   */
  run(trial: Trial, session: FitSession, release: () => void): Promise<R>;
  onSettled?(settled: Settled<R>): void;
  /** swapped by tests; a fit worker by default */
  openSession?: (signal?: AbortSignal) => FitSession;
  /** workers opened ahead, so they boot while the caller reads the data; used up first */
  sessions?: FitSession[];
  /**
   * Offered the worker of a lane that found no trial left; true keeps it open for the caller
   * (tune refits its winner in it), who must close it. Otherwise the pool closes it.
   */
  onIdle?(session: FitSession): boolean;
}

/**
 * The order lanes take trials in: the most trees first (a fit's time grows with them, and
 * with the features tried per split), deeper first, then by index. Results do not depend on
 * it; the wall time does, as the last trials decide how long one lane waits for the other.
 */
export function scheduleOrder(trials: readonly Trial[]): Trial[] {
  const cost = (t: Trial) => t.params.n_estimators * t.params.max_features;
  return [...trials].sort(
    (a, b) => cost(b) - cost(a) || b.params.max_depth - a.params.max_depth || a.index - b.index,
  );
}

/**
 * Settles every trial that started, in index order. Throws InterruptedError when the signal
 * fired, after every lane has stopped and every started trial is recorded (so callers mark
 * runs once nothing writes any more).
 */
export async function runPool<R>(trials: Trial[], options: PoolOptions<R>): Promise<Settled<R>[]> {
  const open = options.openSession ?? openFitSession;
  const { signal } = options;
  const ahead = [...(options.sessions ?? [])];
  const queue = scheduleOrder(trials);
  const settled: Settled<R>[] = [];
  const recording: Promise<void>[] = [];
  let next = 0;
  let halted = false;
  const stopped = () => halted || signal?.aborted === true;

  /** Resolves true once the lane may reuse its worker, false when it needs a fresh one. */
  const start = (trial: Trial, session: FitSession): Promise<boolean> => {
    let release!: () => void;
    const released = new Promise<boolean>((resolve) => (release = () => resolve(true)));
    const recorded = options.run(trial, session, release).then(
      (value) => {
        settled.push({ trial, ok: true, value });
        options.onSettled?.({ trial, ok: true, value });
        return true;
      },
      (error: unknown) => {
        if (signal?.aborted || error instanceof InterruptedError) halted = true;
        else {
          settled.push({ trial, ok: false, error });
          options.onSettled?.({ trial, ok: false, error });
        }
        return false;
      },
    );
    recording.push(recorded.then(() => undefined));
    return Promise.race([released, recorded]);
  };

  const lane = async () => {
    let session: FitSession | null = ahead.shift() ?? open(signal);
    try {
      while (next < queue.length && !stopped()) {
        if (await start(queue[next++] as Trial, session)) continue;
        await session.close();
        session = stopped() ? null : open(signal);
        if (session === null) return;
      }
      if (!stopped() && options.onIdle?.(session) === true) session = null;
    } finally {
      await session?.close();
    }
  };

  const lanes = Math.max(1, Math.min(options.parallel, trials.length));
  try {
    await Promise.all(Array.from({ length: lanes }, lane));
  } finally {
    // sessions opened ahead for lanes the sweep did not need
    await Promise.all(ahead.map((s) => s.close()));
  }
  await Promise.all(recording);
  if (stopped()) throw new InterruptedError('irisops tune interrupted');
  return settled.sort((a, b) => a.trial.index - b.trial.index);
}
