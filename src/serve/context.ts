/** What every handler shares: the model holder, validators, limits and the server's state. */
import type { ExchangeSinks } from './exchange.js';
import type { LiveDrift } from '../monitor/live.js';
import type { ModelHolder } from './model-holder.js';
import type { PredictionObserver } from './observer.js';
import type { RequestValidators } from './validation.js';
import type { ServeVariants } from './variants.js';

export interface ServeState {
  /** shutdown has begun: /health answers 503 */
  draining: boolean;
  /** the listener is closing: answers carry connection: close */
  closing: boolean;
  readonly startedAt: number;
}

export interface HandlerContext extends ExchangeSinks {
  holder: ModelHolder;
  /** champion, challenger and shadow (champion-only without a rollout) */
  variants: ServeVariants;
  validators: RequestValidators;
  state: ServeState;
  maxBody: number;
  maxBatch: number;
  serviceVersion: string;
  now: () => number;
  /** the drift window and the prediction log (observer.ts); null when both are off */
  observer?: PredictionObserver | null;
  drift?: LiveDrift | null;
}
