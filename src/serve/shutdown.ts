/**
 * The graceful shutdown: /health answers 503, the drain lets load balancers notice, the
 * listener stops accepting, in-flight requests finish, and whatever is left at the deadline
 * is closed. Then the log is written out: every line, in order, unless its reader stalls.
 */
import type http from 'node:http';
import { performance } from 'node:perf_hooks';
import type { ServeState } from './context.js';
import type { Logger } from './logger.js';
import type { ModelHolder } from './model-holder.js';

export interface ShutdownParts {
  server: http.Server;
  state: ServeState;
  holder: ModelHolder;
  logger: Logger;
  drainMs: number;
  shutdownTimeoutMs: number;
}

/** the log gets at least this long to be written at shutdown, even past the deadline */
const LOG_SETTLE_MIN_MS = 1000;

function closeWithin(parts: ShutdownParts, deadline: number, reason: string): Promise<void> {
  const { server, logger } = parts;
  return new Promise<void>((resolve) => {
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
}

/** Returns an idempotent shutdown: every call gets the same promise. */
export function createShutdown(parts: ShutdownParts): (reason: string) => Promise<void> {
  let closed: Promise<void> | null = null;
  return (reason) => {
    closed ??= (async () => {
      const deadline = performance.now() + parts.shutdownTimeoutMs;
      parts.state.draining = true;
      parts.holder.stopPolling();
      parts.logger.log('info', 'shutting down: /health now answers 503', {
        reason,
        drain_ms: parts.drainMs,
        shutdown_timeout_ms: parts.shutdownTimeoutMs,
      });
      const drain = Math.min(parts.drainMs, parts.shutdownTimeoutMs);
      if (drain > 0) await new Promise((r) => setTimeout(r, drain));
      parts.state.closing = true;
      await closeWithin(parts, deadline, reason);
      parts.logger.log('info', 'stopped', { reason });
      await parts.logger.settle(Math.max(LOG_SETTLE_MIN_MS, deadline - performance.now()));
    })();
    return closed;
  };
}
