/**
 * One request and its answer. Every response leaves through `reply`, which sets the
 * common headers and records the request in the metrics and the request log.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { Logger } from './logger.js';
import type { ServeMetrics } from './metrics.js';
import { ClientGoneError } from './body.js';
import { HttpProblem, PROBLEM_CONTENT_TYPE, problemBody } from './problem.js';

export interface Exchange {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly id: string;
  /** the counter of an id this process made (request-id.ts), -1 for a caller's own id */
  readonly sequence: number;
  readonly path: string;
  /** the route pattern, or "unmatched": bounded label values for the metrics */
  route: string;
  readonly started: number;
  /** the model version that answered, for the log line */
  modelVersion: string | null;
  /** the server's own flags: once it is closing, answers tell keep-alive clients to go */
  readonly server: { readonly closing: boolean };
  /** this answer must close the connection (e.g. the body was left unread) */
  closeAfter: boolean;
}

export interface ExchangeSinks {
  logger: Logger;
  metrics: ServeMetrics | null;
}

export function reply(
  sinks: ExchangeSinks,
  ex: Exchange,
  status: number,
  contentType: string,
  body: string | Buffer,
  headers?: Record<string, string>,
): void {
  const { res } = ex;
  if (res.headersSent || res.destroyed) return;
  // one flat header list: writeHead with an array skips setHeader's per-call bookkeeping
  const list = [
    'content-type',
    contentType,
    'content-length',
    String(typeof body === 'string' ? Buffer.byteLength(body) : body.length),
    'x-content-type-options',
    'nosniff',
    'x-request-id',
    ex.id,
  ];
  // answers to POST are not cacheable anyway; GET answers (health, metrics) must never be cached
  if (ex.req.method === 'GET' || ex.req.method === 'HEAD' || headers?.['cache-control']) {
    list.push('cache-control', headers?.['cache-control'] ?? 'no-store');
  }
  if (headers)
    for (const name in headers)
      if (name !== 'cache-control') list.push(name, headers[name] as string);
  if (ex.closeAfter || ex.server.closing) list.push('connection', 'close');
  res.writeHead(status, list);
  res.end(ex.req.method === 'HEAD' ? undefined : body);
  record(sinks, ex, status);
}

export function replyJson(
  sinks: ExchangeSinks,
  ex: Exchange,
  status: number,
  json: string,
  headers?: Record<string, string>,
): void {
  reply(sinks, ex, status, 'application/json', json, headers);
}

/** A handler failed: its problem answer, or only a debug line when the client has left. */
export function failExchange(sinks: ExchangeSinks, ex: Exchange, error: unknown): void {
  if (error instanceof ClientGoneError) {
    sinks.logger.log('debug', 'client left before its request was read', {
      request_id: ex.id,
      path: ex.path,
    });
    return;
  }
  replyProblem(sinks, ex, error);
}

export function replyProblem(sinks: ExchangeSinks, ex: Exchange, error: unknown): void {
  if (error instanceof HttpProblem) {
    if (error.closeConnection) ex.closeAfter = true;
    reply(
      sinks,
      ex,
      error.status,
      PROBLEM_CONTENT_TYPE,
      problemBody(error.status, error.message, error.errors, ex.path, ex.id),
      error.headers,
    );
    return;
  }
  // anything else is a bug: say so in the log, tell the client without details
  sinks.logger.log('error', 'unexpected error while answering', {
    request_id: ex.id,
    path: ex.path,
    error: error instanceof Error ? (error.stack ?? error.message) : String(error),
  });
  reply(
    sinks,
    ex,
    500,
    PROBLEM_CONTENT_TYPE,
    problemBody(
      500,
      'unexpected server error; it is logged with this request id',
      [],
      ex.path,
      ex.id,
    ),
  );
}

function record(sinks: ExchangeSinks, ex: Exchange, status: number): void {
  const ms = performance.now() - ex.started;
  sinks.metrics?.observeRequest(ex.route, ex.req.method ?? '', status, ms / 1000);
  const level = status >= 500 && status !== 503 ? 'error' : 'info';
  if (sinks.logger.enabled(level)) {
    sinks.logger.request(level, {
      request_id: ex.id,
      method: ex.req.method ?? '',
      path: ex.path,
      status,
      latency_ms: Math.round(ms * 1000) / 1000,
      model_version: ex.modelVersion,
    });
  }
}
