/**
 * JSON-lines logging for the server, through pino. On a file descriptor (stdout, as
 * `irisops serve` runs) lines are gathered in batches (line-batch.ts) for pino's
 * asynchronous destination (sonic-boom): a request costs an append to an array, not a
 * write. (A synchronous destination behind the same batches measured about 15 % fewer
 * requests a second with stdout in a file: the write blocks the event loop.) Warnings and
 * errors leave at once. At shutdown settle() waits for the write in flight and writes the
 * rest, so no line is lost or reordered, unless the log's reader stalls (a paused pager):
 * then the rest is dropped, so that the process can end.
 * Read the log as text with `irisops serve | npx pino-pretty`.
 */
import { pino, type DestinationStream, type Logger as PinoLogger } from 'pino';
import { createLineBatch } from './line-batch.js';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';
export type Level = Exclude<LogLevel, 'silent'>;

/** lines are handed to the destination in batches of about this many characters */
const BATCH_CHARS = 16 * 1024;
/** ... or this long after the first line of a batch, whichever comes first */
const FLUSH_EVERY_MS = 100;
/**
 * At most this much log waits for a reader that does not keep up (a paused pager): past it,
 * lines are dropped rather than held, so a stalled stdout cannot grow the server without end.
 */
export const MAX_PENDING_LOG_BYTES = 16 * 1024 * 1024;

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
  /** the per-request line: the same bytes as log(level, 'request', r) */
  request(level: Level, r: RequestRecord): void;
  /**
   * Writes every line gathered so far, synchronously; a batch already being written may land
   * after them. For exit paths that cannot wait: prefer settle().
   */
  flush(): void;
  /**
   * Resolves true once every line logged so far is written, in order; false if that takes
   * longer than `withinMs`, and then the lines not written are dropped and no more are
   * written: a stalled reader must not hold the process (pino would flush synchronously at
   * exit, blocking for good).
   */
  settle(withinMs: number): Promise<boolean>;
}

/** a stream to write lines to; one with a file descriptor (stdout) gets the async writer */
export interface LogStream {
  write(chunk: string): unknown;
  fd?: number;
}

export function isLogLevel(value: unknown): value is LogLevel {
  return typeof value === 'string' && (LEVELS as readonly string[]).includes(value);
}

/**
 * The per-request line, built directly: it is pino's line byte for byte (a test holds them
 * equal), but pino's generic serialiser cost about 7 µs of CPU a request, a tenth of the
 * whole request, where these six typed fields cost well under one.
 */
export function requestLine(level: Level, timeField: string, r: RequestRecord): string {
  return (
    `{"level":"${level}"${timeField},"request_id":${JSON.stringify(r.request_id)}` +
    `,"method":${JSON.stringify(r.method)},"path":${JSON.stringify(r.path)}` +
    `,"status":${r.status},"latency_ms":${r.latency_ms}` +
    `,"model_version":${JSON.stringify(r.model_version)},"msg":"request"}\n`
  );
}

type Destination = ReturnType<typeof pino.destination>;

/**
 * The destination with a way to wait for it: sonic-boom says 'drain' when it has written all
 * it was handed, and until then a write may be in flight (a synchronous flush would land
 * before it).
 */
function trackWrites(fd: number, maxLength: number) {
  // given up on (settle timed out): the destination is destroyed, lines are dropped
  let dropped = false;
  const sonic: Destination = pino.destination({
    dest: fd,
    sync: false,
    maxWrite: 4 * BATCH_CHARS,
    maxLength,
    // a reader that refuses a write (a full pipe) is asked again every 100 ms, but not once
    // given up on: that retry would hold the stopped process's event loop for good
    retryEAGAIN: () => !dropped,
  });
  let writing: Promise<void> | null = null;
  let droppedBytes = 0;
  sonic.on('drop', (text: string) => (droppedBytes += Buffer.byteLength(text)));
  // a reader gone (EPIPE: pino then drops every later line) or a failed write ends the
  // waiting for good: nothing more will be written
  let broken = false;
  // the refused write of a destination given up on ends in an error: it is expected
  sonic.on('error', () => (broken = true));
  const waitForDrain = () =>
    new Promise<void>((resolve) => {
      const done = (error?: unknown) => {
        sonic.off('drain', done).off('error', done);
        broken ||= error !== undefined;
        writing = null;
        resolve();
      };
      sonic.once('drain', done).once('error', done);
    });
  return {
    droppedBytes: () => droppedBytes,
    flushSync: () => sonic.flushSync(),
    write(text: string) {
      if (dropped) {
        droppedBytes += Buffer.byteLength(text);
        return;
      }
      if (!broken) writing ??= waitForDrain();
      sonic.write(text);
    },
    async idle(withinMs: number): Promise<boolean> {
      if (!writing) return true;
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<false>((resolve) => {
        timer = setTimeout(() => resolve(false), withinMs);
      });
      const written = await Promise.race([writing.then(() => true), timeout]);
      clearTimeout(timer);
      if (!written) {
        dropped = true;
        writing = null;
        sonic.destroy();
      }
      return written;
    },
  };
}

/** the JSON logger also tells how much it dropped for a reader that did not keep up */
export interface JsonLogger extends Logger {
  droppedBytes(): number;
}

export function createJsonLogger(
  stream: LogStream,
  level: LogLevel,
  now: () => number = Date.now,
  maxPendingBytes = MAX_PENDING_LOG_BYTES,
): JsonLogger {
  const tracked = typeof stream.fd === 'number' ? trackWrites(stream.fd, maxPendingBytes) : null;
  const batch = tracked ? createLineBatch(tracked, BATCH_CHARS, FLUSH_EVERY_MS) : null;
  const destination: DestinationStream = batch ?? { write: (line) => void stream.write(line) };
  // the timestamp text changes at most once per millisecond: reuse it between requests
  let stampAt = -1;
  let stamp = '';
  const timestamp = () => {
    const t = now();
    if (t !== stampAt) {
      stampAt = t;
      stamp = `,"time":"${new Date(t).toISOString()}"`;
    }
    return stamp;
  };
  const log: PinoLogger = pino(
    {
      level,
      base: null,
      messageKey: 'msg',
      formatters: { level: (label) => ({ level: label }) },
      timestamp,
    },
    destination,
  );
  return {
    droppedBytes: () => tracked?.droppedBytes() ?? 0,
    enabled: (l) => log.isLevelEnabled(l),
    log(l, msg, fields) {
      if (fields) log[l](fields, msg);
      else log[l](msg);
      // a warning or an error may be the last thing a failing process says
      if (l === 'warn' || l === 'error') batch?.drain();
    },
    request(l, r) {
      if (log.isLevelEnabled(l)) destination.write(requestLine(l, timestamp(), r));
    },
    async settle(withinMs) {
      batch?.drain();
      return tracked ? tracked.idle(withinMs) : true;
    },
    flush() {
      // sonic-boom refuses a sync flush before its fd is open; nothing is buffered then
      batch?.drain();
      try {
        tracked?.flushSync();
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
  settle: async () => true,
};
