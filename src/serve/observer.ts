/**
 * What happens to an answered prediction besides the answer: the live drift window and the
 * prediction log. Handlers call observe() after each prediction with the model that answered
 * and its input in the model's feature order; both sinks copy what they need and return.
 */
import type { LiveDrift } from '../monitor/live.js';
import type { Exchange } from './exchange.js';
import type { ServedModel } from './served-model.js';

export interface PredictionSink {
  write(ex: Exchange, model: ServedModel, x: ArrayLike<number>, predicted: number): void;
}

export interface PredictionObserver {
  observe(ex: Exchange, model: ServedModel, x: ArrayLike<number>, predicted: number): void;
}

export function createObserver(
  drift: LiveDrift | null,
  log: PredictionSink | null,
): PredictionObserver | null {
  if (!drift && !log) return null;
  return {
    observe(ex, model, x, predicted) {
      if (drift) {
        const { profile = null, profileProblem } = model.source;
        drift.observe(model.version, { profile, problem: profileProblem }, x, predicted);
      }
      log?.write(ex, model, x, predicted);
    },
  };
}
