/**
 * --workers N: N processes share the port through node:cluster. The primary serves no
 * requests; it forwards SIGTERM/SIGINT/SIGHUP, restarts a worker that dies unexpectedly,
 * and answers the workers' requests for metrics aggregated over all of them.
 */
import cluster, { type Worker } from 'node:cluster';
import { AggregatorRegistry, type Registry } from 'prom-client';
import { IrisopsError } from '../errors.js';
import type { Logger } from './logger.js';

const METRICS_REQUEST = 'irisops:metrics-request';
const METRICS_RESPONSE = 'irisops:metrics-response';
const READY = 'irisops:ready';

interface MetricsRequest {
  type: typeof METRICS_REQUEST;
  id: number;
}
interface MetricsResponse {
  type: typeof METRICS_RESPONSE;
  id: number;
  contentType: string;
  text: string;
  error?: string;
}
/** what a worker reports once it listens, so the primary can print one start-up summary */
export interface ReadyMessage {
  type: typeof READY;
  url: string;
  model: string | null;
}

function isMessage<T extends { type: string }>(value: unknown, type: T['type']): value is T {
  return typeof value === 'object' && value !== null && (value as { type?: unknown }).type === type;
}

export interface Primary {
  /** every worker is listening */
  ready: Promise<ReadyMessage>;
  /** every worker has exited after a stop */
  done: Promise<void>;
  forward(signal: NodeJS.Signals): void;
}

export function startPrimary(workers: number, logger: Logger): Primary {
  const aggregator = new AggregatorRegistry();
  let stopping = false;
  let listening = 0;
  let resolveReady: (m: ReadyMessage) => void = () => undefined;
  let rejectReady: (e: Error) => void = () => undefined;
  let resolveDone: () => void = () => undefined;
  const ready = new Promise<ReadyMessage>((resolve, reject) => {
    resolveReady = resolve;
    rejectReady = reject;
  });
  const done = new Promise<void>((resolve) => {
    resolveDone = resolve;
  });
  const everListened = new WeakSet<Worker>();

  cluster.on('message', (worker, message: unknown) => {
    if (isMessage<ReadyMessage>(message, READY)) {
      everListened.add(worker);
      listening++;
      if (listening === workers) resolveReady(message);
      return;
    }
    if (isMessage<MetricsRequest>(message, METRICS_REQUEST)) {
      aggregator.clusterMetrics().then(
        (text) =>
          worker.send({
            type: METRICS_RESPONSE,
            id: message.id,
            contentType: aggregator.contentType,
            text,
          } satisfies MetricsResponse),
        (error: Error) =>
          worker.send({
            type: METRICS_RESPONSE,
            id: message.id,
            contentType: '',
            text: '',
            error: error.message,
          } satisfies MetricsResponse),
      );
    }
  });

  cluster.on('exit', (worker, code, signal) => {
    const alive = Object.keys(cluster.workers ?? {}).length;
    if (stopping) {
      if (alive === 0) resolveDone();
      return;
    }
    if (!everListened.has(worker)) {
      // a worker that cannot even start (port taken, bad store) would fail again: stop all
      stopping = true;
      rejectReady(
        new IrisopsError(
          'WORKER_FAILED',
          `a worker exited during start-up (code ${code ?? 'none'}${signal ? `, ${signal}` : ''}); see its log above`,
        ),
      );
      for (const w of Object.values(cluster.workers ?? {})) w?.process.kill('SIGTERM');
      if (alive === 0) resolveDone();
      return;
    }
    logger.log('error', 'worker died; starting another', { pid: worker.process.pid, code, signal });
    cluster.fork();
  });

  for (let i = 0; i < workers; i++) cluster.fork();

  return {
    ready,
    done,
    forward(signal) {
      if (signal !== 'SIGHUP') stopping = true;
      for (const w of Object.values(cluster.workers ?? {})) w?.process.kill(signal);
      if (stopping && Object.keys(cluster.workers ?? {}).length === 0) resolveDone();
    },
  };
}

export const isClusterWorker = (): boolean => cluster.isWorker;

/** In a worker: /metrics asks the primary, which gathers every worker's registry. */
export function workerMetricsText(
  registry: Registry,
): () => Promise<{ contentType: string; text: string }> {
  AggregatorRegistry.setRegistries([registry]);
  // constructing one installs prom-client's listener that answers the primary
  new AggregatorRegistry();
  let next = 0;
  const pending = new Map<number, (r: MetricsResponse) => void>();
  process.on('message', (message: unknown) => {
    if (isMessage<MetricsResponse>(message, METRICS_RESPONSE)) pending.get(message.id)?.(message);
  });
  return () =>
    new Promise((resolve, reject) => {
      const id = next++;
      const timer = setTimeout(() => {
        pending.delete(id);
        reject(new Error('the primary did not answer the metrics request'));
      }, 5000);
      pending.set(id, (r) => {
        clearTimeout(timer);
        pending.delete(id);
        if (r.error) reject(new Error(r.error));
        else resolve({ contentType: r.contentType, text: r.text });
      });
      process.send?.({ type: METRICS_REQUEST, id } satisfies MetricsRequest);
    });
}

export function reportReady(message: Omit<ReadyMessage, 'type'>): void {
  process.send?.({ type: READY, ...message } satisfies ReadyMessage);
}
