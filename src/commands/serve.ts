/**
 * irisops serve: resolves settings, opens the store, starts the server (or, with
 * --workers, a cluster of them), tells the person where it listens, and returns only after
 * a graceful shutdown, so the CLI exits 0.
 */
import type { Context } from '../context.js';
import { irisopsVersion } from '../package-info.js';
import { isIrisopsError, UsageError } from '../errors.js';
import type { SettingFlags, Settings } from '../config/resolve.js';
import type {
  LogLevel,
  Logger,
  ModelHolder,
  ReloadResult,
  RunningServer,
  ServeMetrics,
} from '../serve/index.js';
import type { Output } from './output.js';
import type { MonitorFlags } from './serve-monitor.js';
import type { TrackingStore } from '../tracking/store.js';
import { buildVariants, checkRolloutFlags, type RolloutFlags } from './serve-rollout.js';
import { commandKit, type CommandKit } from './shared.js';

export interface ServeFlags extends SettingFlags, MonitorFlags, RolloutFlags {
  model?: string;
  workers?: number;
  maxBody?: number;
  maxBatch?: number;
  reloadInterval?: number;
  shutdownTimeout?: number;
  drainMs?: number;
  logLevel?: string;
}

const STOP_SIGNALS = ['SIGTERM', 'SIGINT'] as const;

/** The URL shown is one this machine can open; say when the server also listens beyond it. */
function everywhere(host: string): string {
  return host === '0.0.0.0' || host === '::' ? ` (bound to ${host}: every interface)` : '';
}

function logLevelOf(
  flags: ServeFlags,
  env: Record<string, string | undefined>,
  isLevel: (v: unknown) => v is LogLevel,
): LogLevel {
  const wanted = flags.logLevel ?? env.IRISOPS_LOG_LEVEL;
  if (wanted !== undefined) {
    if (!isLevel(wanted))
      throw new UsageError(`unknown log level ${wanted}`, {
        hint: 'use debug, info, warn, error or silent',
      });
    return wanted;
  }
  return env.NODE_ENV === 'test' ? 'silent' : 'info';
}

function describeModel(holder: ModelHolder): string {
  const m = holder.current;
  if (!m) return 'none loaded';
  const where = m.source.name
    ? `${m.source.name} version ${m.version}${m.source.alias ? ` (@${m.source.alias})` : ''}`
    : `run ${m.source.runId}`;
  return `${where} from ${m.source.uri}`;
}

type ServeModule = typeof import('../serve/index.js');

/** --workers N: this process only forks, forwards signals and reports the workers' address. */
async function runPrimary(
  serve: ServeModule,
  out: Output,
  logger: Logger,
  host: string,
  workers: number,
): Promise<void> {
  const primary = serve.startPrimary(workers, logger);
  const onSignal = (signal: NodeJS.Signals) => primary.forward(signal);
  for (const s of [...STOP_SIGNALS, 'SIGHUP'] as const) process.on(s, onSignal);
  try {
    const ready = await primary.ready;
    out.note(
      `irisops serve: listening on ${ready.url}${everywhere(host)} with ${workers} workers\n` +
        `  model: ${ready.model ?? 'none loaded (answering 503; run: irisops train)'}\n` +
        `  docs:  ${ready.url}/docs`,
    );
    await primary.done;
  } finally {
    for (const s of [...STOP_SIGNALS, 'SIGHUP'] as const) process.off(s, onSignal);
    logger.flush();
  }
}

async function createHolder(
  serve: ServeModule,
  kit: CommandKit,
  settings: Settings,
  flags: ServeFlags,
  logger: Logger,
  metrics: ServeMetrics,
): Promise<{
  holder: ModelHolder;
  trainHint: string;
  storeUri: string;
  store: TrackingStore;
  loadModel: typeof import('../model/load.js').loadModel;
}> {
  const [{ loadModel }, { defaultModelUri, parseModelUri }] = await Promise.all([
    import('../model/load.js'),
    import('../tracking/model-uri.js'),
  ]);
  // a malformed --model is a usage error now, not a 503 forever
  for (const uri of [flags.model, flags.challenger, flags.shadow]) if (uri) parseModelUri(uri);
  const store = await kit.openStore(settings.tracking_uri);
  const trainHint = `irisops train${flags.trackingUri ? ` --tracking-uri ${store.displayUri}` : ''}`;
  const holder = new serve.ModelHolder({
    logger,
    metrics,
    hint: trainHint,
    load: async () => {
      const uri =
        flags.model ??
        (await defaultModelUri(store, settings.model_name, settings.alias, settings.experiment));
      return uri ? loadModel(store, uri) : null;
    },
  });
  return { holder, trainHint, storeUri: store.displayUri, store, loadModel };
}

function warnNoModel(
  out: Output,
  holder: ModelHolder,
  first: ReloadResult | undefined,
  parts: { trainHint: string; storeUri: string; polling: boolean },
): void {
  const why = holder.lastError;
  if (first === 'failed' && isIrisopsError(why)) {
    out.warn(`no model loaded: ${why.message}`, why.hint);
  } else {
    out.warn(
      `no model to serve in ${parts.storeUri}: /health and /predict answer 503 until one is trained`,
      parts.trainHint,
    );
  }
  if (!parts.polling)
    out.note('  (send SIGHUP, or start with --reload-interval 5, to pick it up without a restart)');
}

export async function run(ctx: Context, _args: string[], flags: ServeFlags): Promise<void> {
  const serve = await import('../serve/index.js');
  const kit = commandKit(ctx, flags);
  const { out } = kit;
  const settings = await kit.resolveSettings();
  const logger = serve.createJsonLogger(ctx.stdout, logLevelOf(flags, ctx.env, serve.isLogLevel));
  const workers = flags.workers ?? 1;
  const championUri = flags.model ?? `models:/${settings.model_name}@${settings.alias}`;
  checkRolloutFlags(flags, championUri);
  if (workers > 1 && !serve.isClusterWorker()) {
    return runPrimary(serve, out, logger, settings.host, workers);
  }
  const metrics = serve.createMetrics();
  const { holder, store, loadModel, ...parts } = await createHolder(
    serve,
    kit,
    settings,
    flags,
    logger,
    metrics,
  );
  const variants = await buildVariants(flags, {
    serve,
    variantsModule: await import('../serve/variants.js'),
    loadModel,
    store,
    logger,
    metrics,
    out,
    champion: { holder, uri: championUri },
  });
  const monitoring = await (
    await import('./serve-monitor.js')
  ).createMonitoring(flags, {
    registry: metrics.registry,
    cwd: ctx.cwd,
    now: ctx.now,
    logger,
    width: serve.FEATURES.length,
  });
  let first: ReloadResult | undefined;
  const server: RunningServer = await serve.startServer({
    observer: monitoring.observer,
    drift: monitoring.drift,
    host: settings.host,
    port: settings.port,
    holder,
    variants,
    logger,
    metrics,
    metricsText: serve.isClusterWorker() ? serve.workerMetricsText(metrics.registry) : undefined,
    maxBody: flags.maxBody ?? 65536,
    maxBatch: flags.maxBatch ?? 1000,
    drainMs: flags.drainMs ?? 0,
    shutdownTimeoutMs: flags.shutdownTimeout ?? 10_000,
    reloadIntervalMs: flags.reloadInterval ? flags.reloadInterval * 1000 : null,
    serviceVersion: irisopsVersion(),
    modelName: settings.model_name,
    now: ctx.now,
    warmUp: async () => (first = await holder.reload('start')),
  });
  if (serve.isClusterWorker()) {
    serve.reportReady({ url: server.url, model: holder.current ? describeModel(holder) : null });
  } else {
    if (!holder.current)
      warnNoModel(out, holder, first, { ...parts, polling: !!flags.reloadInterval });
    out.note(
      `irisops serve: listening on ${server.url}${everywhere(settings.host)}\n  model: ${describeModel(holder)}\n  docs:  ${server.url}/docs\n` +
        `  v2:    ${server.url}/v2/models/${holder.current?.source.name ?? settings.model_name}`,
    );
  }
  await waitForStop(server, variants.holders(), logger);
  monitoring.close();
  if (serve.isClusterWorker()) process.disconnect?.();
}

/** Resolves after a graceful shutdown; a second stop signal closes what is left at once. */
function waitForStop(server: RunningServer, holders: ModelHolder[], logger: Logger): Promise<void> {
  return new Promise((resolve) => {
    let stopping = false;
    const onStop = (signal: NodeJS.Signals) => {
      if (stopping) {
        logger.log('warn', `second ${signal}: closing every connection now`);
        server.server.closeAllConnections();
        return;
      }
      stopping = true;
      void server.shutdown(signal).then(() => {
        for (const s of STOP_SIGNALS) process.off(s, onStop);
        process.off('SIGHUP', onHup);
        resolve();
      });
    };
    const onHup = () => {
      for (const h of holders) void h.reload('SIGHUP');
    };
    for (const s of STOP_SIGNALS) process.on(s, onStop);
    process.on('SIGHUP', onHup);
  });
}
