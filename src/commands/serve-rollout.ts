/**
 * irisops serve's rollout flags: --challenger/--split and --shadow/--shadow-percent become
 * extra model holders (loaded, digest-checked and hot-reloaded like the champion) and the
 * ServeVariants the server routes with. A challenger or shadow that does not load is a
 * warning: it gets no traffic and the champion keeps serving.
 */
import { isIrisopsError, UsageError } from '../errors.js';
import type { Logger, ModelHolder, ServeMetrics } from '../serve/index.js';
import type { ServeVariants } from '../serve/variants.js';
import type { TrackingStore } from '../tracking/store.js';
import type { Output } from './output.js';

export interface RolloutFlags {
  challenger?: string;
  split?: number;
  shadow?: string;
  shadowPercent?: number;
  feedbackWindow?: number;
  workers?: number;
}

/** Usage errors before anything is opened: exit 2, one line. */
export function checkRolloutFlags(flags: RolloutFlags, championUri: string): void {
  if (flags.split !== undefined && !flags.challenger)
    throw new UsageError('--split needs --challenger <uri>', {
      hint: 'irisops serve --challenger models:/iris_classifier@challenger --split 10',
    });
  if (flags.shadowPercent !== undefined && !flags.shadow)
    throw new UsageError('--shadow-percent needs --shadow <uri>', {
      hint: 'irisops serve --shadow models:/iris_classifier/7 --shadow-percent 50',
    });
  for (const [flag, uri] of [
    ['--challenger', flags.challenger],
    ['--shadow', flags.shadow],
  ] as const) {
    if (uri !== undefined && uri === championUri)
      throw new UsageError(`${flag} ${uri} is the champion itself`, {
        hint: `give ${flag} another version, e.g. models:/iris_classifier/2, or set --model`,
      });
  }
  if ((flags.challenger || flags.shadow) && (flags.workers ?? 1) > 1)
    throw new UsageError('--challenger and --shadow need a single process (drop --workers)', {
      hint: 'feedback and the A/B tallies are kept in memory by one process',
    });
}

/** Every log line of an extra holder says which variant it is about. */
function tagged(logger: Logger, variant: string): Logger {
  return {
    enabled: (level) => logger.enabled(level),
    log: (level, msg, fields) => logger.log(level, `${variant}: ${msg}`, { variant, ...fields }),
    request: (level, r) => logger.request(level, r),
    flush: () => logger.flush(),
    settle: (withinMs) => logger.settle(withinMs),
  };
}

export interface RolloutDeps {
  serve: typeof import('../serve/index.js');
  variantsModule: typeof import('../serve/variants.js');
  loadModel: typeof import('../model/load.js').loadModel;
  store: TrackingStore;
  logger: Logger;
  metrics: ServeMetrics;
  out: Output;
  champion: { holder: ModelHolder; uri: string };
}

export async function buildVariants(
  flags: RolloutFlags,
  deps: RolloutDeps,
): Promise<ServeVariants> {
  const { serve, store, logger, out } = deps;
  const extra = async (variant: string, uri: string | undefined) => {
    if (!uri) return null;
    const holder = new serve.ModelHolder({
      logger: tagged(logger, variant),
      load: () => deps.loadModel(store, uri),
    });
    await holder.reload('start');
    if (!holder.current) {
      const why = holder.lastError;
      out.warn(
        `${variant} ${uri} not loaded: ${isIrisopsError(why) ? why.message : String(why)}; it gets no traffic`,
        isIrisopsError(why) ? why.hint : undefined,
      );
    }
    return { holder, uri };
  };
  const challenger = await extra('challenger', flags.challenger);
  const shadow = await extra('shadow', flags.shadow);
  return new deps.variantsModule.ServeVariants({
    champion: deps.champion,
    challenger: challenger ? { ...challenger, splitPercent: flags.split ?? 50 } : null,
    shadow: shadow ? { ...shadow, percent: flags.shadowPercent ?? 100 } : null,
    feedbackWindow: flags.feedbackWindow,
    registry: deps.metrics.registry,
    logger,
  });
}
