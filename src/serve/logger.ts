/**
 * JSON-lines logging for the server, through pino. On a file descriptor (stdout, as
 * `irisops serve` runs) lines go to pino's asynchronous destination (sonic-boom): a request
 * costs an append to a buffer, not a write. flush() writes what is buffered synchronously,
 * so shutdown loses no line. Read the log as text with `irisops serve | npx pino-pretty`.
 */
import { pino, type DestinationStream, type Logger as PinoLogger } from 'pino';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';
export type Level = Exclude<LogLevel, 'silent'>;

const LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error', 'silent'];

export interface RequestRecord {
  request_id: string;
  method: string;
  path: string;
  status: number;
  latency_ms: number;
  model_version: string | null;
}

export interface Logger {
  enabled(level: Level): boolean;
  log(level: Level, msg: string, fields?: Record<string, unknown>): void;
  /** the per-request line: the same as log(level, 'request', r) */
  request(level: Level, r: RequestRecord): void;
  flush(): void;
}

/** a stream to write lines to; one with a file descriptor (stdout) gets the async writer */
export interface LogStream {
  write(chunk: string): unknown;
  fd?: number;
}

export function isLogLevel(value: unknown): value is LogLevel {
  return typeof value === 'string' && (LEVELS as readonly string[]).includes(value);
}

export function createJsonLogger(
  stream: LogStream,
  level: LogLevel,
  now: () => number = Date.now,
): Logger {
  const sonic =
    typeof stream.fd === 'number' ? pino.destination({ dest: stream.fd, sync: false }) : null;
  const destination: DestinationStream = sonic ?? { write: (line) => void stream.write(line) };
  // the timestamp text changes at most once per millisecond: reuse it between requests
  let stampAt = -1;
  let stamp = '';
  const log: PinoLogger = pino(
    {
      level,
      base: null,
      messageKey: 'msg',
      formatters: { level: (label) => ({ level: label }) },
      timestamp: () => {
        const t = now();
        if (t !== stampAt) {
          stampAt = t;
          stamp = `,"time":"${new Date(t).toISOString()}"`;
        }
        return stamp;
      },
    },
    destination,
  );
  return {
    enabled: (l) => log.isLevelEnabled(l),
    log(l, msg, fields) {
      if (fields) log[l](fields, msg);
      else log[l](msg);
    },
    request(l, r) {
      log[l](r, 'request');
    },
    flush() {
      // sonic-boom refuses a sync flush before its fd is open; nothing is buffered then
      try {
        sonic?.flushSync();
      } catch {
        /* not open yet: nothing written */
      }
    },
  };
}

export const silentLogger: Logger = {
  enabled: () => false,
  log: () => undefined,
  request: () => undefined,
  flush: () => undefined,
};
