/** A live irisops server on an ephemeral loopback port, in one line, plus a raw HTTP client. */
import http from 'node:http';
import net from 'node:net';
import { loadModel } from '../../src/model/load.js';
import {
  createMetrics,
  ModelHolder,
  startServer,
  type RunningServer,
  type ServerOptions,
} from '../../src/serve/index.js';
import type { Logger } from '../../src/serve/logger.js';
import { ownSequence } from '../../src/serve/request-id.js';
import { defaultModelUri } from '../../src/tracking/model-uri.js';
import type { TrackingStore } from '../../src/tracking/store.js';
import type { Teardown } from '../helpers/temp.js';

export interface LogLine {
  level: string;
  msg: string;
  [key: string]: unknown;
}

/** Keeps every log line in memory so tests can assert on them. */
export function memoryLogger(): Logger & { lines: LogLine[] } {
  const lines: LogLine[] = [];
  return {
    lines,
    enabled: () => true,
    log: (level, msg, fields) => lines.push({ level, msg, ...fields }),
    request: (level, r) => lines.push({ level, msg: 'request', ...r }),
    flush: () => undefined,
    settle: async () => true,
  };
}

export interface TestServer extends RunningServer {
  holder: ModelHolder;
  logs: LogLine[];
}

export function storeLoader(store: TrackingStore, uri?: string) {
  return async () => {
    const resolved =
      uri ?? (await defaultModelUri(store, 'iris_classifier', 'production', 'iris-classification'));
    return resolved ? loadModel(store, resolved) : null;
  };
}

export async function startTestServer(
  t: Teardown,
  store: TrackingStore | null,
  options: Partial<ServerOptions> & { uri?: string } = {},
): Promise<TestServer> {
  const logger = memoryLogger();
  const metrics = createMetrics();
  const holder = new ModelHolder({
    logger,
    metrics,
    load: store ? storeLoader(store, options.uri) : async () => null,
    hint: 'irisops train',
  });
  await holder.reload('start');
  const server = await startServer({
    host: '127.0.0.1',
    port: 0,
    holder,
    logger,
    metrics,
    maxBody: 65536,
    maxBatch: 1000,
    drainMs: 0,
    shutdownTimeoutMs: 5000,
    serviceVersion: '0.0.0-test',
    ...options,
  });
  t.teardown(() => server.shutdown('test over'));
  return Object.assign(server, { holder, logs: logger.lines });
}

export interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  json: unknown;
}

export interface CallOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  agent?: http.Agent | false;
}

/** Sends exactly the headers given (no default content type), over a fresh connection. */
export function call(base: string, path: string, o: CallOptions = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      `${base}${path}`,
      {
        method: o.method ?? (o.body === undefined ? 'GET' : 'POST'),
        headers: o.headers,
        agent: o.agent ?? false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown = undefined;
          try {
            json = JSON.parse(text);
          } catch {
            // not JSON: leave undefined
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(o.body);
  });
}

export const JSON_HEADERS = { 'content-type': 'application/json' };

export function postJson(
  base: string,
  path: string,
  body: unknown,
  agent?: http.Agent,
): Promise<Answer> {
  return call(base, path, {
    body: typeof body === 'string' ? body : JSON.stringify(body),
    headers: JSON_HEADERS,
    agent,
  });
}

/** Writes raw bytes to the server and collects whatever comes back until the server closes. */
export function rawExchange(
  port: number,
  bytes: string | Buffer,
  timeoutMs = 5000,
): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error('no answer in time'));
    }, timeoutMs);
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks).toString('utf8'));
    });
    socket.on('error', () => undefined);
    socket.write(bytes);
  });
}

export const SAMPLES = {
  setosa: { sepal_length: 5.1, sepal_width: 3.5, petal_length: 1.4, petal_width: 0.2 },
  versicolor: { sepal_length: 6.4, sepal_width: 3.2, petal_length: 4.5, petal_width: 1.5 },
  virginica: { sepal_length: 6.3, sepal_width: 3.3, petal_length: 6.0, petal_width: 2.5 },
} as const;

/** Clients sending /predict in a loop over keep-alive connections until stopped (hot-reload tests). */
export function loadLoop(base: string, clients = 4) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: clients });
  const versions: string[] = [];
  // the server's own request counter, given as a request's head arrives: answers reach the
  // clients' sockets out of the order the server gave them
  const answered: { sequence: number; version: string }[] = [];
  // each client's answers in its own order: its next request leaves after its last answer,
  // so the server picked their models in this order (across clients it cannot be seen)
  const byClient: string[][] = Array.from({ length: clients }, () => []);
  const failures: string[] = [];
  let running = true;
  const loops = byClient.map(async (mine) => {
    while (running) {
      try {
        const a = await postJson(base, '/predict', { features: SAMPLES.versicolor }, agent);
        if (a.status === 200) {
          const version = (a.json as { model_version: string }).model_version;
          versions.push(version);
          mine.push(version);
          answered.push({ sequence: ownSequence(String(a.headers['x-request-id'])), version });
        } else failures.push(`${a.status} ${a.text}`);
      } catch (error) {
        failures.push(String(error));
      }
    }
  });
  return {
    versions,
    byClient,
    /**
     * the versions in the order the server received the requests' heads (a request picks its
     * model once its body is in, so requests in flight together may pick in another order)
     */
    inServerOrder: () => answered.sort((a, b) => a.sequence - b.sequence).map((a) => a.version),
    failures,
    async stop() {
      running = false;
      await Promise.all(loops);
      agent.destroy();
    },
  };
}

export async function until(what: () => boolean, ms = 10_000): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (what()) return true;
    await new Promise((r) => setTimeout(r, 20));
  }
  return what();
}
