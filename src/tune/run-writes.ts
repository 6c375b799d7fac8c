/**
 * A sweep's child-run writes, gathered: a trial asks for its run to be created (tags and
 * params) or updated (metrics and status) and waits; what is asked while a store call is in
 * flight goes to the store together in the next call (createRuns, updateRuns). A sweep then
 * takes the store's lock and pays its fsyncs a few times per round of trials instead of four
 * times per trial, and the main thread, which the fit workers share two cores with, does a
 * fraction of the work.
 */
import type { CreateRunWithParams, RunInfo, RunUpdate, TrackingStore } from '../tracking/store.js';

interface Waiting<T, R> {
  item: T;
  resolve: (result: R) => void;
  reject: (error: unknown) => void;
}

/**
 * Calls `write` with what was added, one call at a time; whatever is added meanwhile waits
 * for the next. A failed call fails every request it carried.
 */
export function gather<T, R>(write: (items: T[]) => Promise<R[]>): (item: T) => Promise<R> {
  let queue: Waiting<T, R>[] = [];
  let writing = false;
  const drain = async (): Promise<void> => {
    writing = true;
    // the requests made in the same turn (two lanes starting together) join the first call
    await Promise.resolve();
    while (queue.length > 0) {
      const batch = queue;
      queue = [];
      try {
        const results = await write(batch.map((w) => w.item));
        batch.forEach((w, i) => w.resolve(results[i] as R));
      } catch (error) {
        for (const w of batch) w.reject(error);
      }
    }
    writing = false;
  };
  return (item) =>
    new Promise<R>((resolve, reject) => {
      queue.push({ item, resolve, reject });
      if (!writing) void drain();
    });
}

export interface RunWrites {
  create(request: CreateRunWithParams): Promise<RunInfo>;
  update(update: RunUpdate): Promise<void>;
}

export function gatherRunWrites(store: TrackingStore): RunWrites {
  return {
    create: gather((requests) => store.createRuns(requests)),
    update: gather(async (updates) => {
      await store.updateRuns(updates);
      return updates.map(() => undefined);
    }),
  };
}
