/**
 * JSON-lines logging for the server. Lines are buffered and written once per event-loop
 * turn, so a busy server pays one stream write per batch rather than per request.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';
export type Level = Exclude<LogLevel, 'silent'>;

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

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
  /** the per-request line: same shape as log(level, 'request', r), built without a generic stringify */
  request(level: Level, r: RequestRecord): void;
  flush(): void;
}

export interface LogStream {
  write(chunk: string): unknown;
}

export function isLogLevel(value: unknown): value is LogLevel {
  return typeof value === 'string' && value in RANK;
}

export function createJsonLogger(
  stream: LogStream,
  level: LogLevel,
  now: () => number = Date.now,
): Logger {
  const threshold = RANK[level];
  let pending = '';
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    if (pending === '') return;
    const text = pending;
    pending = '';
    stream.write(text);
  };
  const append = (line: string) => {
    pending += line;
    if (!scheduled) {
      scheduled = true;
      setImmediate(flush);
    }
  };
  // the timestamp text changes at most once per millisecond: reuse it between requests
  let stampAt = -1;
  let stamp = '';
  const time = () => {
    const t = now();
    if (t !== stampAt) {
      stampAt = t;
      stamp = new Date(t).toISOString();
    }
    return stamp;
  };
  return {
    enabled: (l) => RANK[l] >= threshold,
    log(l, msg, fields) {
      if (RANK[l] < threshold) return;
      append(`${JSON.stringify({ time: time(), level: l, msg, ...fields })}\n`);
    },
    request(l, r) {
      if (RANK[l] < threshold) return;
      append(
        `{"time":"${time()}","level":"${l}","msg":"request","request_id":${JSON.stringify(r.request_id)},"method":${JSON.stringify(r.method)},` +
          `"path":${JSON.stringify(r.path)},"status":${r.status},"latency_ms":${r.latency_ms},"model_version":${r.model_version === null ? 'null' : JSON.stringify(r.model_version)}}\n`,
      );
    },
    flush,
  };
}

export const silentLogger: Logger = {
  enabled: () => false,
  log: () => undefined,
  request: () => undefined,
  flush: () => undefined,
};
