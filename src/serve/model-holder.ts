/**
 * Holds the model being served and swaps it atomically: a request reads `current` once
 * and keeps that model to its end, so a reload never splits a request between versions.
 * A model that fails to load or verify leaves the previous one serving.
 */
import { isIrisopsError } from '../errors.js';
import type { Logger } from './logger.js';
import type { ServeMetrics } from './metrics.js';
import { compileServedModel, type ModelSource, type ServedModel } from './served-model.js';

/** Resolves and loads what should be served now; null when there is nothing to serve yet. */
export type ModelLoader = () => Promise<ModelSource | null>;

export type ReloadResult = 'loaded' | 'unchanged' | 'failed' | 'none';

export interface ModelHolderOptions {
  load: ModelLoader;
  logger: Logger;
  metrics?: ServeMetrics;
  /** how a missing model is fixed, for the warning */
  hint?: string;
}

export class ModelHolder {
  current: ServedModel | null = null;
  /** why the last reload failed, null after a success */
  lastError: unknown = null;
  private readonly options: ModelHolderOptions;
  private inFlight: Promise<ReloadResult> | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(options: ModelHolderOptions) {
    this.options = options;
  }

  /** Concurrent calls share one attempt. */
  reload(reason: string): Promise<ReloadResult> {
    this.inFlight ??= this.attempt(reason).finally(() => {
      this.inFlight = null;
    });
    return this.inFlight;
  }

  /** Re-resolves every intervalMs; the timer never keeps the process alive on its own. */
  startPolling(intervalMs: number): void {
    this.stopPolling();
    const tick = () => {
      void this.reload('interval').finally(() => {
        if (this.timer) this.timer = setTimeout(tick, intervalMs).unref();
      });
    };
    this.timer = setTimeout(tick, intervalMs).unref();
  }

  stopPolling(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private async attempt(reason: string): Promise<ReloadResult> {
    const { logger, metrics } = this.options;
    const result = await this.swap(reason).catch((error: unknown) => {
      this.lastError = error;
      const keeping = this.current
        ? `keeping version ${this.current.version}`
        : 'no model is loaded';
      logger.log('error', `model reload failed, ${keeping}`, {
        reason,
        code: isIrisopsError(error) ? error.code : 'UNEXPECTED',
        error: error instanceof Error ? error.message : String(error),
        hint: isIrisopsError(error) ? error.hint : undefined,
      });
      return 'failed' as const;
    });
    metrics?.countReload(result);
    return result;
  }

  private async swap(reason: string): Promise<ReloadResult> {
    const { logger, metrics } = this.options;
    const source = await this.options.load();
    this.lastError = null;
    const previous = this.current;
    if (!source) {
      if (!previous)
        logger.log('warn', 'no model to serve yet: /health and /predict answer 503', {
          reason,
          hint: this.options.hint,
        });
      return 'none';
    }
    if (
      previous &&
      previous.source.digest === source.digest &&
      previous.source.version === source.version &&
      previous.source.uri === source.uri
    ) {
      return 'unchanged';
    }
    const next = compileServedModel(source);
    this.current = next;
    metrics?.setModel({ ...next.source, version: next.version });
    logger.log('info', previous ? 'model swapped' : 'model loaded', {
      reason,
      model_uri: next.source.uri,
      model_name: next.source.name,
      model_version: next.version,
      previous_version: previous?.version ?? null,
      digest: next.source.digest,
      trees: next.predictor.nTrees,
    });
    return 'loaded';
  }
}
