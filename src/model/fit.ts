/**
 * The abortable fit: a worker thread that fits forests and scores folds, so a long fit
 * never blocks the event loop. Aborting the signal terminates the worker at once (mid-tree)
 * and rejects what was pending with InterruptedError. train uses one session for its fit
 * and its cross-validation; tune can send many tasks through one session.
 *
 * The worker runs the same code as an in-process fit (fit-task.ts), and structured cloning
 * keeps every number exact, so the same data, params and seed still give the same model.
 */
import { Worker } from 'node:worker_threads';
import { InterruptedError, ModelError } from '../errors.js';
import type { CrossValidateTask, Fitted, FitTask, Task } from './fit-task.js';
import type { TaskReply, TaskRequest } from './fit-worker.js';
import { checkMaxFeatures } from './forest-spec.js';

export type { CrossValidateTask, FitData, Fitted, FitTask } from './fit-task.js';

export interface FitSession {
  fit(task: Omit<FitTask, 'kind'>): Promise<Fitted>;
  /** accuracy of each fold */
  crossValidate(task: Omit<CrossValidateTask, 'kind'>): Promise<number[]>;
  close(): Promise<void>;
}

/** Under ts-node (the tests) this module is fit.ts and its worker fit-worker.ts. */
function workerUrl(): URL {
  const ext = import.meta.url.endsWith('.ts') ? 'ts' : 'js';
  return new URL(`./fit-worker.${ext}`, import.meta.url);
}

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
}

/** Starts the worker now, so it loads its modules while the caller reads the data. */
export function openFitSession(signal?: AbortSignal): FitSession {
  const interrupted = () => new InterruptedError('irisops train interrupted');
  const pending = new Map<number, Pending>();
  let nextId = 1;
  let failure: Error | null = null;
  const worker = new Worker(workerUrl());
  // idle, the worker must not keep the process alive; busy, it must
  worker.unref();

  const failAll = (error: Error) => {
    failure ??= error;
    for (const p of pending.values()) p.reject(failure);
    pending.clear();
    worker.unref();
  };
  const onAbort = () => {
    failAll(interrupted());
    void worker.terminate();
  };
  signal?.addEventListener('abort', onAbort, { once: true });
  worker.on('message', (reply: TaskReply) => {
    const p = pending.get(reply.id);
    if (!p) return;
    pending.delete(reply.id);
    if (pending.size === 0) worker.unref();
    if (reply.ok) p.resolve(reply.value);
    else p.reject(new ModelError('FIT_FAILED', `fitting the forest failed: ${reply.message}`));
  });
  worker.on('error', (error) =>
    failAll(new ModelError('FIT_FAILED', `the fit worker failed: ${error.message}`)),
  );
  worker.on('exit', () => failAll(new ModelError('FIT_FAILED', 'the fit worker stopped')));

  const send = async <T>(task: Task): Promise<T> => {
    if (signal?.aborted) throw interrupted();
    if (failure) throw failure;
    // refused here, with its UsageError, rather than as a worker failure
    checkMaxFeatures(task.params.max_features, task.data.featureNames.length);
    const id = nextId++;
    return new Promise<T>((resolve, reject) => {
      pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      worker.ref();
      worker.postMessage({ id, task } satisfies TaskRequest);
    });
  };

  return {
    fit: (task) => send<Fitted>({ kind: 'fit', ...task }),
    crossValidate: (task) => send<number[]>({ kind: 'cv', ...task }),
    async close() {
      signal?.removeEventListener('abort', onAbort);
      failure ??= new ModelError('FIT_FAILED', 'the fit session is closed');
      await worker.terminate();
    },
  };
}
