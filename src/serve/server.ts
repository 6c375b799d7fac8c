/**
 * The HTTP server: routes, timeouts that bound slow clients, and a graceful shutdown
 * (report 503 on /health, drain, stop accepting, finish in-flight requests, then force
 * whatever is left at the deadline).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { IrisopsError } from '../errors.js';
import { ClientGoneError } from './body.js';
import { createClientErrorHandler } from './client-error.js';
import type { HandlerContext, ServeState } from './context.js';
import { reply, replyProblem, requestId, type Exchange } from './exchange.js';
import { createDocsHandlers, DOCS_ASSETS } from './handlers/docs.js';
import { createInfoHandlers } from './handlers/info.js';
import { createInvocationsHandler } from './handlers/invocations.js';
import { createPredictHandlers } from './handlers/predict.js';
import type { Logger } from './logger.js';
import type { ServeMetrics } from './metrics.js';
import type { ModelHolder } from './model-holder.js';
import { HttpProblem } from './problem.js';
import { createRouter, type Route } from './router.js';
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
  logger: Logger;
  metrics: ServeMetrics | null;
  /** what /metrics answers; defaults to this process's registry (workers ask the primary) */
  metricsText?: () => Promise<{ contentType: string; text: string }>;
  maxBody: number;
  maxBatch: number;
  drainMs: number;
  shutdownTimeoutMs: number;
  reloadIntervalMs?: number | null;
  serviceVersion: string;
  timeouts?: Partial<ServerTimeouts>;
  now?: () => number;
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

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const now = options.now ?? Date.now;
  const timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
  const state: ServeState = { draining: false, closing: false, startedAt: now() };
  const { logger, metrics, holder } = options;
  const ctx: HandlerContext = {
    logger,
    metrics,
    holder,
    validators: compileRequestValidators(),
    state,
    maxBody: options.maxBody,
    maxBatch: options.maxBatch,
    serviceVersion: options.serviceVersion,
    now,
  };
  const metricsText =
    options.metricsText ??
    (async () => ({
      contentType: metrics?.registry.contentType ?? 'text/plain; charset=utf-8',
      text: metrics ? await metrics.registry.metrics() : '',
    }));

  const predict = createPredictHandlers(ctx);
  const info = createInfoHandlers(ctx);
  const docs = createDocsHandlers(ctx);
  const routes: Route[] = [
    { method: 'GET', path: '/', handler: info.root },
    { method: 'GET', path: '/health', handler: info.health },
    { method: 'GET', path: '/contract', handler: info.contract },
    { method: 'POST', path: '/predict', handler: predict.predict },
    { method: 'POST', path: '/predict/batch', handler: predict.batch },
    { method: 'POST', path: '/invocations', handler: createInvocationsHandler(ctx) },
    { method: 'GET', path: '/ping', handler: info.ping },
    { method: 'GET', path: '/version', handler: info.version },
    { method: 'GET', path: '/openapi.json', handler: docs.openapi },
    { method: 'GET', path: '/docs', handler: docs.page },
    ...Object.keys(DOCS_ASSETS).map((path): Route => ({
      method: 'GET',
      path,
      handler: docs.asset,
    })),
    {
      method: 'GET',
      path: '/metrics',
      handler: async (ex) => {
        const { contentType, text } = await metricsText().catch((error: Error) => {
          throw new HttpProblem(503, `metrics are not available right now: ${error.message}`);
        });
        reply(ctx, ex, 200, contentType, text);
      },
    },
  ];
  const match = createRouter(routes);

  const fail = (ex: Exchange, error: unknown) => {
    if (error instanceof ClientGoneError) {
      logger.log('debug', 'client left before its request was read', {
        request_id: ex.id,
        path: ex.path,
      });
      return;
    }
    replyProblem(ctx, ex, error);
  };

  const server = http.createServer(
    {
      headersTimeout: timeouts.headersMs,
      requestTimeout: timeouts.requestMs,
      keepAliveTimeout: timeouts.keepAliveMs,
      connectionsCheckingInterval: timeouts.checkIntervalMs,
    },
    (req, res) => {
      const url = req.url ?? '/';
      const q = url.indexOf('?');
      const ex: Exchange = {
        req,
        res,
        id: requestId(req.headers['x-request-id']),
        path: q === -1 ? url : url.slice(0, q),
        route: 'unmatched',
        started: performance.now(),
        modelVersion: null,
        server: state,
        closeAfter: false,
      };
      const found = match(req.method ?? '', ex.path);
      if (found.kind === 'not-found') {
        replyProblem(
          ctx,
          ex,
          new HttpProblem(404, `no such endpoint: ${ex.path}; see /openapi.json`, {
            errors: [{ path: '', message: 'unknown path' }],
          }),
        );
        return;
      }
      if (found.kind === 'method-not-allowed') {
        ex.route = ex.path;
        replyProblem(
          ctx,
          ex,
          new HttpProblem(
            405,
            `${req.method ?? ''} is not allowed on ${ex.path}; use ${found.allow}`,
            {
              errors: [{ path: '', message: `method must be one of ${found.allow}` }],
              headers: { allow: found.allow },
            },
          ),
        );
        return;
      }
      ex.route = found.route.path;
      try {
        const pending = found.route.handler(ex);
        if (pending) pending.catch((error: unknown) => fail(ex, error));
      } catch (error) {
        fail(ex, error);
      }
    },
  );
  server.timeout = timeouts.socketIdleMs;
  server.on('clientError', createClientErrorHandler(logger, metrics));

  await new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      reject(
        error.code === 'EADDRINUSE'
          ? new IrisopsError(
              'PORT_IN_USE',
              `port ${options.port} on ${options.host} is already in use`,
              { hint: `irisops serve --port ${options.port + 1}` },
            )
          : new IrisopsError(
              'LISTEN_FAILED',
              `cannot listen on ${options.host}:${options.port}: ${error.message}`,
              { cause: error },
            ),
      );
    };
    const onListening = () => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen({ host: options.host, port: options.port });
  });
  server.on('error', (error) => logger.log('error', 'server error', { error: error.message }));
  const port = (server.address() as AddressInfo).port;

  if (options.reloadIntervalMs) holder.startPolling(options.reloadIntervalMs);

  let closed: Promise<void> | null = null;
  const shutdown = (reason: string): Promise<void> => {
    closed ??= (async () => {
      const deadline = performance.now() + options.shutdownTimeoutMs;
      state.draining = true;
      holder.stopPolling();
      logger.log('info', 'shutting down: /health now answers 503', {
        reason,
        drain_ms: options.drainMs,
        shutdown_timeout_ms: options.shutdownTimeoutMs,
      });
      const drain = Math.min(options.drainMs, options.shutdownTimeoutMs);
      if (drain > 0) await new Promise((r) => setTimeout(r, drain));
      state.closing = true;
      await new Promise<void>((resolve) => {
        const force = setTimeout(
          () => {
            logger.log('warn', 'shutdown timeout reached: closing the connections still open', {
              reason,
            });
            server.closeAllConnections();
          },
          Math.max(0, deadline - performance.now()),
        );
        server.close(() => {
          clearTimeout(force);
          resolve();
        });
        server.closeIdleConnections();
      });
      logger.log('info', 'stopped', { reason });
      logger.flush();
    })();
    return closed;
  };

  return { url: urlOf(options.host, port), host: options.host, port, server, state, shutdown };
}
