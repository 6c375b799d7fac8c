/** Verify fixtures: deps pointing at a temp folder, tiny services on ephemeral ports. */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolveSettings, type SettingFlags } from '../../src/config/resolve.js';
import { openStore } from '../../src/tracking/index.js';
import { loadSchema } from '../../src/schemas/index.js';
import { runCheck, VerifyState, type VerifyDeps } from '../../src/verify/index.js';
import type { CheckId } from '../../src/verify/types.js';
import type { Teardown } from '../helpers/temp.js';

export function verifyDeps(
  cwd: string,
  over: Partial<VerifyDeps> & { flags?: SettingFlags } = {},
): VerifyDeps {
  const flags = over.flags ?? {};
  const env: Record<string, string | undefined> = over.env ?? { PATH: '' };
  return {
    cwd,
    env,
    fetch: globalThis.fetch.bind(globalThis),
    now: () => Date.now(),
    flags,
    resolveSettings: () => resolveSettings(flags, env, cwd),
    openStore: (s) =>
      openStore(s.tracking_uri, {
        env: { MLFLOW_HTTP_REQUEST_MAX_RETRIES: '0', MLFLOW_HTTP_REQUEST_TIMEOUT: '2' },
        cwd,
        fetch: globalThis.fetch.bind(globalThis),
        now: () => Date.now(),
      }),
    runCommand: async () => ({ code: null, stdout: '', stderr: 'not stubbed' }),
    findExecutable: () => null,
    nodeVersion: '20.20.0',
    irisopsEngines: '>=20.12',
    httpTimeoutMs: 2000,
    ...over,
  };
}

export function check(id: CheckId, deps: VerifyDeps, strict = false) {
  return runCheck(id, new VerifyState(deps), strict);
}

export type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

/** a node:http server on an ephemeral port, closed when the test ends; returns its base URL */
export async function serveOn(t: Teardown, handler: Handler): Promise<string> {
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => handler(req, res, body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

export function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

export const contract = () => ({
  input_schema: loadSchema('predict-request'),
  output_schema: loadSchema('predict-response'),
});

export interface FakeService {
  health?: { status: number; body: unknown };
  predict?: { status: number; body: unknown };
  contract?: unknown;
}

export const HEALTHY = {
  status: 200,
  body: {
    status: 'healthy',
    model_loaded: true,
    model_version: '1',
    model_name: 'iris_classifier',
  },
};
export const NO_MODEL = {
  status: 503,
  body: { status: 'unhealthy', model_loaded: false, model_version: null },
};
export const SETOSA_ANSWER = {
  status: 200,
  body: {
    prediction: 0,
    prediction_label: 'setosa',
    confidence: 1.0,
    model_version: '1',
    probabilities: { setosa: 1.0, versicolor: 0.0, virginica: 0.0 },
  },
};

/** a service emulating irisops serve: healthy with a model by default */
export function fakeService(t: Teardown, s: FakeService = {}): Promise<string> {
  return serveOn(t, (req, res) => {
    if (req.url === '/health')
      return json(res, s.health?.status ?? 200, s.health?.body ?? HEALTHY.body);
    if (req.url === '/contract') return json(res, 200, s.contract ?? contract());
    if (req.url === '/predict' && req.method === 'POST')
      return json(res, s.predict?.status ?? 200, s.predict?.body ?? SETOSA_ANSWER.body);
    json(res, 404, { title: 'not found' });
  });
}

/** a port nothing listens on (was free a moment ago) */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
