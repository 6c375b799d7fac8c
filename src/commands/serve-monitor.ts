/**
 * serve's monitoring flags turned into the live drift window, its gauges and the
 * prediction log; kept apart from serve.ts so the server's own options stay few.
 */
import path from 'node:path';
import type { Registry } from 'prom-client';
import { UsageError } from '../errors.js';
import type { LiveDrift } from '../monitor/live.js';
import type { PredictionObserver } from '../serve/observer.js';
import type { Logger } from '../serve/index.js';
import { thresholdsOf, type DriftThresholdFlags } from './drift.js';

export interface MonitorFlags extends DriftThresholdFlags {
  /** inputs kept per model version; 0 turns drift detection off */
  driftWindow?: number;
  logPredictions?: string;
  logPredictionsMaxMb?: number;
}

export interface Monitoring {
  observer: PredictionObserver | null;
  drift: LiveDrift | null;
  /** writes what the prediction log still holds */
  close(): void;
}

export async function createMonitoring(
  flags: MonitorFlags,
  deps: { registry: Registry; cwd: string; now: () => number; logger: Logger; width: number },
): Promise<Monitoring> {
  const [{ LiveDrift }, { createObserver }, { registerDriftGauges }] = await Promise.all([
    import('../monitor/live.js'),
    import('../serve/observer.js'),
    import('../serve/handlers/drift.js'),
  ]);
  const window = flags.driftWindow ?? 1000;
  const drift =
    window === 0 ? null : new LiveDrift(deps.width, { window, thresholds: thresholdsOf(flags) });
  if (drift) registerDriftGauges(deps.registry, drift);
  let writer: import('../monitor/prediction-log.js').PredictionLogWriter | null = null;
  if (flags.logPredictions) {
    const [{ PredictionLogWriter }, { createPredictionLogSink }] = await Promise.all([
      import('../monitor/prediction-log.js'),
      import('../serve/prediction-log-sink.js'),
    ]);
    const file = path.resolve(deps.cwd, flags.logPredictions);
    try {
      writer = new PredictionLogWriter(
        file,
        { maxBytes: (flags.logPredictionsMaxMb ?? 100) * 1024 * 1024 },
        (error) =>
          deps.logger.log('error', 'prediction log write failed', { error: error.message }),
      );
    } catch (error) {
      throw new UsageError(
        `cannot open the prediction log ${flags.logPredictions}: ${(error as Error).message}`,
        { hint: 'give --log-predictions a file in a folder that exists and is writable' },
      );
    }
    const sink = createPredictionLogSink(writer, deps.now);
    return { observer: createObserver(drift, sink), drift, close: () => writer?.close() };
  }
  return { observer: createObserver(drift, null), drift, close: () => {} };
}
