/**
 * The web UI's HTTP server (node:http, as `serve` is): exact-path routes with the state in
 * the query string (stable, shareable URLs; the back button just works), strict security
 * headers on every answer, and the guard every write passes (not read-only, same origin,
 * the page's CSRF token).
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { IrisopsError } from '../errors.js';
import type { AddressInfo } from 'node:net';
import { createRouter } from '../serve/router.js';
import { type UiExchange, type UiHandler } from './handlers.js';
import { createHandlers } from './routes.js';
import { hostAllowed } from './guard.js';
import type { UiDeps } from './queries.js';

export interface UiServerOptions extends UiDeps {
  host: string;
  /** 0 picks a free port */
  port: number;
  readOnly: boolean;
  /** alias the registry form proposes */
  defaultAlias: string;
  /** recorded with every alias move made through the form */
  user: string;
  now: () => number;
  /** the CSRF token; random per start unless a test fixes it */
  token?: string;
}

export interface RunningUi {
  readonly url: string;
  readonly port: number;
  readonly server: http.Server;
  close(): Promise<void>;
}

/** No script, no inline style, nothing from another origin; forms post only to us. */
export const CONTENT_SECURITY_POLICY =
  "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

function urlOf(host: string, port: number): string {
  const shown = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  return `http://${shown.includes(':') ? `[${shown}]` : shown}:${port}`;
}

export async function startUiServer(options: UiServerOptions): Promise<RunningUi> {
  const token = options.token ?? randomBytes(24).toString('base64url');
  const server = http.createServer({ headersTimeout: 10_000, requestTimeout: 30_000 });
  await new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new IrisopsError(
              'PORT_IN_USE',
              `port ${options.port} on ${options.host} is already in use`,
              {
                hint: `irisops ui --port ${options.port + 1}`,
              },
            )
          : new IrisopsError(
              'LISTEN_FAILED',
              `cannot listen on ${options.host}:${options.port}: ${error.message}`,
              {
                cause: error,
              },
            ),
      );
    server.once('error', onError);
    server.listen(options.port, options.host, () => {
      server.off('error', onError);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const handlers = createHandlers({ ...options, token, url: urlOf(options.host, port) });
  const match = createRouter<UiHandler>(handlers.routes);
  server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
    res.setHeader('content-security-policy', CONTENT_SECURITY_POLICY);
    res.setHeader('x-content-type-options', 'nosniff');
    // same-origin, not no-referrer: with no-referrer a browser sends "Origin: null" on our own form posts
    res.setHeader('referrer-policy', 'same-origin');
    res.setHeader('x-frame-options', 'DENY');
    res.setHeader('cache-control', 'no-store');
    const url = new URL(req.url ?? '/', 'http://ui.invalid');
    const ex: UiExchange = { req, res, path: url.pathname, params: url.searchParams };
    if (!hostAllowed(options.host, port, req.headers.host)) {
      handlers.refuse(
        ex,
        421,
        `this UI answers only to its loopback address (${urlOf(options.host, port)})`,
      );
      return;
    }
    const found = match(req.method ?? '', ex.path);
    if (found.kind === 'not-found') return handlers.notFound(ex);
    if (found.kind === 'method-not-allowed') {
      res.setHeader('allow', found.allow);
      return handlers.refuse(ex, 405, `${req.method ?? ''} is not allowed on ${ex.path}`);
    }
    handlers.run(ex, found.route.handler);
  });
  return {
    url: urlOf(options.host, port),
    port,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
