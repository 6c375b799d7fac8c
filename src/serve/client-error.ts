/**
 * Requests Node's HTTP parser rejects (malformed request line or headers, headers too
 * large, request or header timeouts) never reach a handler; they still get an RFC 9457
 * answer, written straight to the socket, as Node itself would write its bare 400.
 */
import { randomUUID } from 'node:crypto';
import type { Duplex } from 'node:stream';
import type { Logger } from './logger.js';
import type { ServeMetrics } from './metrics.js';
import { PROBLEM_CONTENT_TYPE, problemBody, problemTitle } from './problem.js';

interface PendingResponse {
  headersSent?: boolean;
}

const DETAILS: Record<number, string> = {
  400: 'the HTTP request is malformed',
  408: 'the request took too long to arrive (header or request timeout)',
  431: 'the request headers are too large',
};

export function createClientErrorHandler(logger: Logger, metrics: ServeMetrics | null) {
  return (error: NodeJS.ErrnoException, socket: Duplex): void => {
    // an answer already under way cannot be replaced; a reset peer cannot read one
    const pending = (socket as Duplex & { _httpMessage?: PendingResponse | null })._httpMessage;
    if (error.code === 'ECONNRESET' || !socket.writable || pending?.headersSent) {
      socket.destroy();
      return;
    }
    const status =
      error.code === 'HPE_HEADER_OVERFLOW'
        ? 431
        : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' || error.code === 'ERR_HTTP_HEADERS_TIMEOUT'
          ? 408
          : 400;
    const id = randomUUID();
    const body = problemBody(
      status,
      DETAILS[status] ?? (DETAILS[400] as string),
      [{ path: '', message: error.code ?? error.message }],
      undefined,
      id,
    );
    socket.end(
      `HTTP/1.1 ${status} ${problemTitle(status)}\r\ncontent-type: ${PROBLEM_CONTENT_TYPE}\r\ncontent-length: ${Buffer.byteLength(body)}\r\n` +
        `x-content-type-options: nosniff\r\nx-request-id: ${id}\r\nconnection: close\r\n\r\n${body}`,
    );
    // a peer that never reads must not keep the socket open
    setTimeout(() => socket.destroy(), 1000).unref();
    metrics?.observeRequest('unparsed', '', status, 0);
    logger.log('info', 'rejected malformed request', {
      request_id: id,
      status,
      code: error.code ?? null,
    });
  };
}
