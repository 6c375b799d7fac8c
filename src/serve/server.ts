/**
 * The HTTP server: one listener that dispatches each request to its route (routes.ts),
 * timeouts that bound slow clients, the port (listen.ts) and the graceful shutdown
 * (shutdown.ts).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { DEFAULTS } from '../config/resolve.js';
import { createClientErrorHandler } from './client-error.js';
import type { HandlerContext, ServeState } from './context.js';
import { failExchange, replyProblem, type Exchange } from './exchange.js';
import { idFor, sequenceFor } from './request-id.js';
import { listen } from './listen.js';
import type { Logger } from './logger.js';
import type { ServeMetrics } from './metrics.js';
import type { ModelHolder } from './model-holder.js';
import type { PredictionObserver } from './observer.js';
import type { LiveDrift } from '../monitor/live.js';
import { ServeVariants } from './variants.js';
import { HttpProblem } from './problem.js';
import { createRouter, type Match, type Route } from './router.js';
import { buildRoutes, type MetricsText } from './routes.js';
import { createV2Routes } from './v2/routes.js';
import { createShutdown } from './shutdown.js';
import { compileRequestValidators } from './validation.js';

export interface ServerTimeouts {
  /** whole request line + headers must arrive within this (slowloris) */
  headersMs: number;
  /** whole request, body included */
  requestMs: number;
  /** idle keep-alive connections are closed after this */
  keepAliveMs: number;
  /** a socket with no traffic either way (e.g. a client that stopped reading) */
  socketIdleMs: number;
  /** how often Node checks the header/request deadlines */
  checkIntervalMs: number;
}

export const DEFAULT_TIMEOUTS: ServerTimeouts = {
  headersMs: 10_000,
  requestMs: 30_000,
  keepAliveMs: 5_000,
  socketIdleMs: 30_000,
  checkIntervalMs: 1_000,
};

export interface ServerOptions {
  host: string;
  /** 0 picks a free port */
  port: number;
  holder: ModelHolder;
  /** challenger and shadow (src/serve/variants.ts); default: the holder alone */
  variants?: ServeVariants;
  logger: Logger;
  metrics: ServeMetrics | null;
  /** what /metrics answers; defaults to this process's registry (workers ask the primary) */
  metricsText?: MetricsText;
  maxBody: number;
  maxBatch: number;
  drainMs: number;
  shutdownTimeoutMs: number;
  reloadIntervalMs?: number | null;
  serviceVersion: string;
  /** the name /v2 answers to for a model served from runs:/ (it has no registered name) */
  modelName?: string;
  timeouts?: Partial<ServerTimeouts>;
  now?: () => number;
  /**
   * Run once the port is bound (the first model load): a busy port fails before any model
   * is read, and requests that arrive meanwhile wait for it rather than get a 503.
   */
  warmUp?: () => Promise<unknown>;
  observer?: PredictionObserver | null;
  drift?: LiveDrift | null;
}

export interface RunningServer {
  readonly url: string;
  readonly host: string;
  readonly port: number;
  readonly server: http.Server;
  readonly state: ServeState;
  /** Idempotent. Resolves once every connection is gone. */
  shutdown(reason: string): Promise<void>;
}

function urlOf(host: string, port: number): string {
  const shown = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  return `http://${shown.includes(':') ? `[${shown}]` : shown}:${port}`;
}

function newExchange(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  state: ServeState,
): Exchange {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const header = req.headers['x-request-id'];
  const sequence = sequenceFor(header);
  return {
    req,
    res,
    id: idFor(header, sequence),
    sequence,
    path: q === -1 ? url : url.slice(0, q),
    route: 'unmatched',
    started: performance.now(),
    modelVersion: null,
    server: state,
    closeAfter: false,
  };
}

/** The request listener: match the route, run its handler, turn any failure into a problem. */
function createDispatch(
  ctx: HandlerContext,
  routes: Route[],
  /** paths with parameters (/v2/models/{name}/…), asked when no exact path matches */
  matchPattern: (method: string, path: string) => Match,
) {
  const match = createRouter(routes);
  const fail = (ex: Exchange, error: unknown) => failExchange(ctx, ex, error);
  return (req: http.IncomingMessage, res: http.ServerResponse): void => {
    const ex = newExchange(req, res, ctx.state);
    let found = match(req.method ?? '', ex.path);
    if (found.kind === 'not-found') found = matchPattern(req.method ?? '', ex.path);
    if (found.kind === 'not-found') {
      const problem = new HttpProblem(404, `no such endpoint: ${ex.path}; see /openapi.json`, {
        errors: [{ path: '', message: 'unknown path' }],
      });
      replyProblem(ctx, ex, problem);
      return;
    }
    if (found.kind === 'method-not-allowed') {
      ex.route = ex.path;
      const method = req.method ?? '';
      const problem = new HttpProblem(
        405,
        `${method} is not allowed on ${ex.path}; use ${found.allow}`,
        {
          errors: [{ path: '', message: `method must be one of ${found.allow}` }],
          headers: { allow: found.allow },
        },
      );
      replyProblem(ctx, ex, problem);
      return;
    }
    ex.route = found.route.path;
    try {
      const pending = found.route.handler(ex);
      if (pending) pending.catch((error: unknown) => fail(ex, error));
    } catch (error) {
      fail(ex, error);
    }
  };
}

type Listener = (req: http.IncomingMessage, res: http.ServerResponse) => void;

function gated(listener: Listener, warming: { pending: Promise<unknown> | null }): Listener {
  return (req, res) => {
    if (warming.pending) void warming.pending.then(() => listener(req, res));
    else listener(req, res);
  };
}

function handlerContext(
  options: ServerOptions,
  state: ServeState,
  now: () => number,
): HandlerContext {
  return {
    logger: options.logger,
    metrics: options.metrics,
    holder: options.holder,
    variants:
      options.variants ??
      new ServeVariants({
        champion: { holder: options.holder, uri: '' },
        logger: options.logger,
        registry: options.metrics?.registry,
      }),
    validators: compileRequestValidators(),
    state,
    maxBody: options.maxBody,
    maxBatch: options.maxBatch,
    serviceVersion: options.serviceVersion,
    now,
    observer: options.observer ?? null,
    drift: options.drift ?? null,
  };
}

function ownMetricsText(metrics: ServeMetrics | null): MetricsText {
  return async () => ({
    contentType: metrics?.registry.contentType ?? 'text/plain; charset=utf-8',
    text: metrics ? await metrics.registry.metrics() : '',
  });
}

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const now = options.now ?? Date.now;
  const timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
  const state: ServeState = { draining: false, closing: false, startedAt: now() };
  const { logger, metrics, holder } = options;
  const ctx = handlerContext(options, state, now);
  const v2 = createV2Routes(ctx, { modelName: options.modelName ?? DEFAULTS.model_name });
  const routes = [
    ...buildRoutes(ctx, options.metricsText ?? ownMetricsText(metrics)),
    ...v2.routes,
  ];
  const warming = { pending: null as Promise<unknown> | null };
  const server = http.createServer(
    {
      headersTimeout: timeouts.headersMs,
      requestTimeout: timeouts.requestMs,
      keepAliveTimeout: timeouts.keepAliveMs,
      connectionsCheckingInterval: timeouts.checkIntervalMs,
    },
    gated(createDispatch(ctx, routes, v2.match), warming),
  );
  server.timeout = timeouts.socketIdleMs;
  server.on('clientError', createClientErrorHandler(logger, metrics));
  await listen(server, options.host, options.port);
  if (options.warmUp) {
    const first = options.warmUp();
    const settle = () => (warming.pending = null);
    warming.pending = first.then(settle, settle);
    await first.catch((error: unknown) => {
      server.close();
      throw error;
    });
  }
  server.on('error', (error) => logger.log('error', 'server error', { error: error.message }));
  const port = (server.address() as AddressInfo).port;
  const holders = ctx.variants.holders();
  if (options.reloadIntervalMs) for (const h of holders) h.startPolling(options.reloadIntervalMs);
  const shutdown = createShutdown({
    server,
    state,
    holder,
    logger,
    drainMs: options.drainMs,
    shutdownTimeoutMs: options.shutdownTimeoutMs,
  });
  const stop = (reason: string) => {
    for (const h of holders) if (h !== holder) h.stopPolling();
    return shutdown(reason);
  };
  return {
    url: urlOf(options.host, port),
    host: options.host,
    port,
    server,
    state,
    shutdown: stop,
  };
}
