import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import t from 'tap';
import {
  InvalidParameterError,
  IrisopsError,
  NotFoundError,
  StoreUnavailableError,
  TrackingError,
} from '../../src/errors.js';
import { HttpClient, readHttpSettings, redactUrl } from '../../src/tracking/http.js';
import { MlflowStore } from '../../src/tracking/mlflow.js';
import { startFaultProxy } from '../helpers/fault-proxy.js';
import { freePort } from '../helpers/mlflow-server.js';

const fastRetries = { backoffFactorMs: 10, jitterMs: 5, timeoutMs: 2000, totalTimeoutMs: 10_000 };

function client(url: string, env: Record<string, string> = {}, settings = {}): HttpClient {
  return new HttpClient(url, {
    env,
    fetch: globalThis.fetch,
    settings: { ...fastRetries, ...settings },
  });
}

async function caught(promise: Promise<unknown>): Promise<IrisopsError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof IrisopsError) return error;
    throw error;
  }
  throw new Error('expected a rejection');
}

function everyText(error: IrisopsError): string {
  return [error.message, error.hint ?? '', String(error.stack), JSON.stringify(error)].join('\n');
}

t.test('redactUrl hides user info and secret query values, keeps the rest', async (t) => {
  t.equal(
    redactUrl('http://alice:s3cr3t@mlflow.example:5000/prefix'),
    'http://***@mlflow.example:5000/prefix',
  );
  t.equal(redactUrl('https://tok@host'), 'https://***@host');
  t.equal(redactUrl('http://127.0.0.1:5000'), 'http://127.0.0.1:5000');
  t.equal(redactUrl('http://h/p?token=abc&x=1'), 'http://h/p?token=***&x=1');
  t.notMatch(redactUrl('not a url //bob:pw@host'), /pw/);
});

t.test('settings follow MLflow environment variables, with CLI-friendly defaults', async (t) => {
  const defaults = readHttpSettings({});
  t.equal(defaults.timeoutMs, 30_000);
  t.equal(defaults.maxRetries, 4);
  const custom = readHttpSettings({
    MLFLOW_HTTP_REQUEST_TIMEOUT: '2.5',
    MLFLOW_HTTP_REQUEST_MAX_RETRIES: '0',
  });
  t.equal(custom.timeoutMs, 2500);
  t.equal(custom.maxRetries, 0);
  t.throws(() => readHttpSettings({ MLFLOW_HTTP_REQUEST_MAX_RETRIES: 'lots' }), { code: 'USAGE' });
});

t.test('a 500 once is retried and the request succeeds', async (t) => {
  const proxy = await startFaultProxy(t);
  proxy.faults.push({ status: 500, body: '{"error_code":"INTERNAL_ERROR","message":"boom"}' });
  const body = await client(proxy.url).json('POST', '/api/2.0/mlflow/runs/log-batch', {
    json: { run_id: 'r' },
  });
  t.same(body, {});
  t.equal(proxy.seen.length, 2);
  t.equal(proxy.seen[1]?.method, 'POST');
});

t.test('429 waits as long as Retry-After says', async (t) => {
  const proxy = await startFaultProxy(t);
  proxy.faults.push({ status: 429, headers: { 'retry-after': '1' } });
  const delays: number[] = [];
  const http = new HttpClient(proxy.url, {
    env: {},
    fetch: globalThis.fetch,
    settings: fastRetries,
    sleep: (ms) => {
      delays.push(ms);
      return new Promise((resolve) => setTimeout(resolve, ms));
    },
  });
  const started = performance.now();
  await http.json('GET', '/api/2.0/mlflow/experiments/get', { query: { experiment_id: '0' } });
  t.same(delays, [1000]);
  t.ok(performance.now() - started >= 950, 'waited about one second');
  t.equal(proxy.seen.length, 2);
});

t.test('a Retry-After beyond the retry budget fails at once instead of waiting', async (t) => {
  const proxy = await startFaultProxy(t);
  proxy.faults.push({ status: 429, headers: { 'retry-after': '3600' } });
  const started = performance.now();
  const error = await caught(client(proxy.url, {}, { totalTimeoutMs: 5000 }).json('GET', '/x'));
  t.type(error, StoreUnavailableError);
  t.match(error.message, /HTTP 429/);
  t.ok(performance.now() - started < 2000);
});

t.test('a dropped connection is retried', async (t) => {
  const proxy = await startFaultProxy(t);
  proxy.faults.push({ drop: true }, { drop: true });
  await client(proxy.url).json('GET', '/api/2.0/mlflow/runs/get', { query: { run_id: 'x' } });
  t.equal(proxy.seen.length, 3);
});

t.test('a stalled server ends in a clear timeout error within the bounds', async (t) => {
  const proxy = await startFaultProxy(t);
  proxy.faults.push({ stall: true }, { stall: true }, { stall: true });
  const started = performance.now();
  const error = await caught(
    client(proxy.url, {}, { timeoutMs: 300, maxRetries: 1 }).json(
      'GET',
      '/api/2.0/mlflow/runs/get',
    ),
  );
  const elapsed = performance.now() - started;
  t.type(error, StoreUnavailableError);
  t.match(
    error.message,
    /did not answer: no answer within 0\.3 s \(GET \/api\/2\.0\/mlflow\/runs\/get\); 2 attempts/,
  );
  t.match(error.hint, /MLFLOW_HTTP_REQUEST_TIMEOUT/);
  t.equal(proxy.seen.length, 2);
  t.ok(elapsed < 2000, `bounded (${Math.round(elapsed)} ms)`);
});

t.test('4xx answers are not retried and map to the typed errors', async (t) => {
  const proxy = await startFaultProxy(t);
  proxy.faults.push({
    status: 404,
    body: '{"error_code":"RESOURCE_DOES_NOT_EXIST","message":"Run with id=zz not found"}',
  });
  const notFound = await caught(client(proxy.url).json('GET', '/api/2.0/mlflow/runs/get'));
  t.type(notFound, NotFoundError);
  t.equal(notFound.message, 'Run with id=zz not found');
  t.equal(proxy.seen.length, 1);

  proxy.faults.push({
    status: 400,
    body: '{"error_code":"INVALID_PARAMETER_VALUE","message":"bad\\n[SQL: SELECT secret]"}',
  });
  const invalid = await caught(client(proxy.url).json('POST', '/api/2.0/mlflow/runs/create'));
  t.type(invalid, InvalidParameterError);
  t.equal(invalid.message, 'bad', 'only the first line of a server message');
  t.equal(proxy.seen.length, 2);

  proxy.faults.push({
    status: 400,
    body: '{"error_code":"RESOURCE_ALREADY_EXISTS","message":"exists"}',
  });
  const exists = await caught(client(proxy.url).json('POST', '/x'));
  t.type(exists, TrackingError);
  t.equal(exists.code, 'RESOURCE_ALREADY_EXISTS');

  proxy.faults.push({ status: 404, body: '<html>nope</html>' });
  const notMlflow = await caught(client(proxy.url).json('GET', '/api/2.0/mlflow/experiments/get'));
  t.equal(notMlflow.code, 'ENDPOINT_NOT_FOUND');
  t.equal(proxy.seen.length, 4);
});

t.test(
  '5xx that never stops ends in StoreUnavailableError after maxRetries + 1 attempts',
  async (t) => {
    const proxy = await startFaultProxy(t);
    for (let i = 0; i < 10; i += 1) proxy.faults.push({ status: 503 });
    const error = await caught(
      client(proxy.url, {}, { maxRetries: 2 }).json('GET', '/api/2.0/mlflow/runs/get'),
    );
    t.type(error, StoreUnavailableError);
    t.match(
      error.message,
      /failed GET \/api\/2\.0\/mlflow\/runs\/get with HTTP 503 \(3 attempts\)/,
    );
    t.equal(proxy.seen.length, 3);
  },
);

t.test(
  'a server that is down gives one clear line naming the URL, within a bounded time, with default settings',
  async (t) => {
    const port = await freePort();
    const store = new MlflowStore(`http://alice:pa55word@127.0.0.1:${port}`, {
      env: {},
      fetch: globalThis.fetch,
      now: Date.now,
    });
    const started = performance.now();
    const error = await caught(store.getExperimentByName('iris'));
    const elapsed = performance.now() - started;
    t.type(error, StoreUnavailableError);
    t.equal(error.exitCode, 1);
    t.match(
      error.message,
      `cannot reach the MLflow tracking server at http://***@127.0.0.1:${port} (ECONNREFUSED; 5 attempts)`,
    );
    t.notMatch(error.message, /\n/);
    t.match(error.hint, /mlflow server --host 127\.0\.0\.1 --port 5000/);
    t.notMatch(everyText(error), /pa55word/);
    t.ok(elapsed < 15_000, `gave up in ${Math.round(elapsed)} ms`);
  },
);

t.test('credentials travel as headers', async (t) => {
  const proxy = await startFaultProxy(t);
  const port = new URL(proxy.url).port;

  await client(proxy.url, { MLFLOW_TRACKING_TOKEN: 'tok-123' }).json('GET', '/a');
  t.equal(proxy.seen.at(-1)?.headers.authorization, 'Bearer tok-123');

  await client(proxy.url, {
    MLFLOW_TRACKING_USERNAME: 'bob',
    MLFLOW_TRACKING_PASSWORD: 'pw:x',
  }).json('GET', '/b');
  t.equal(
    proxy.seen.at(-1)?.headers.authorization,
    `Basic ${Buffer.from('bob:pw:x').toString('base64')}`,
  );

  await client(`http://carol:p%40ss@127.0.0.1:${port}`).json('GET', '/c');
  t.equal(
    proxy.seen.at(-1)?.headers.authorization,
    `Basic ${Buffer.from('carol:p@ss').toString('base64')}`,
  );
  t.equal(proxy.seen.at(-1)?.url, '/c', 'the credentials left the URL');

  await client(proxy.url, {
    MLFLOW_TRACKING_TOKEN: 'tok-9',
    MLFLOW_TRACKING_USERNAME: 'bob',
    MLFLOW_TRACKING_PASSWORD: 'pw',
  }).json('GET', '/d');
  t.equal(proxy.seen.at(-1)?.headers.authorization, 'Bearer tok-9', 'the token wins, as in MLflow');

  await client(proxy.url).json('GET', '/e');
  t.equal(proxy.seen.at(-1)?.headers.authorization, undefined);
});

t.test('no error message, hint or displayUri ever holds a secret', async (t) => {
  const token = 'TOKEN-planted-7f3a';
  const password = 'PASSWORD-planted-91c';
  const proxy = await startFaultProxy(t);
  const port = new URL(proxy.url).port;
  const envs: Record<string, string>[] = [
    { MLFLOW_TRACKING_TOKEN: token },
    { MLFLOW_TRACKING_USERNAME: 'u', MLFLOW_TRACKING_PASSWORD: password },
    {},
  ];
  const echo = JSON.stringify({ error_code: 'X', message: `denied for ${token} ${password}` });
  for (const env of envs) {
    const url = `http://user:${password}@127.0.0.1:${port}`;
    const store = new MlflowStore(url, {
      env,
      fetch: globalThis.fetch,
      now: Date.now,
      http: { ...fastRetries, maxRetries: 1, timeoutMs: 300 },
    });
    t.notMatch(store.displayUri, password);
    const errors: IrisopsError[] = [];
    proxy.faults.push({ status: 401, body: echo });
    errors.push(await caught(store.getRun('r1')));
    proxy.faults.push({ status: 403, body: echo });
    errors.push(await caught(store.getRun('r1')));
    proxy.faults.push({ status: 404, body: echo.replace('"X"', '"RESOURCE_DOES_NOT_EXIST"') });
    errors.push(await caught(store.getRun('r1')));
    proxy.faults.push({ status: 500, body: echo }, { status: 500, body: echo });
    errors.push(await caught(store.getRun('r1')));
    proxy.faults.push({ stall: true }, { stall: true });
    errors.push(await caught(store.getRun('r1')));
    const down = new MlflowStore(`http://user:${password}@127.0.0.1:${await freePort()}`, {
      env,
      fetch: globalThis.fetch,
      now: Date.now,
      http: { ...fastRetries, maxRetries: 1 },
    });
    errors.push(await caught(down.ping()));
    for (const error of errors) {
      const text = everyText(error);
      // a token the client was never given is not its secret to know
      if (env.MLFLOW_TRACKING_TOKEN !== undefined)
        t.notMatch(text, token, `${error.code} hides the token`);
      t.notMatch(text, password, `${error.code} hides the password`);
    }
    t.same(
      errors.map((e) => e.code),
      [
        'UNAUTHENTICATED',
        'PERMISSION_DENIED',
        'RESOURCE_DOES_NOT_EXIST',
        'STORE_UNAVAILABLE',
        'STORE_UNAVAILABLE',
        'STORE_UNAVAILABLE',
      ],
    );
  }
});

t.test(
  'TLS: self-signed server refused by default, accepted with MLFLOW_TRACKING_INSECURE_TLS or its CA in MLFLOW_TRACKING_SERVER_CERT_PATH',
  async (t) => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'irisops-tls-'));
    t.teardown(() => rmSync(dir, { recursive: true, force: true }));
    const key = path.join(dir, 'key.pem');
    const cert = path.join(dir, 'cert.pem');
    const made = spawnSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        key,
        '-out',
        cert,
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
      ],
      { stdio: 'ignore', timeout: 30_000 },
    );
    if (made.status !== 0) {
      t.plan(0, 'openssl is not available to make a test certificate');
      return;
    }
    const server = https.createServer(
      { key: readFileSync(key), cert: readFileSync(cert) },
      (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"ok":true}');
      },
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const address = server.address();
    const url = `https://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`;

    const refused = await caught(client(url, {}, { maxRetries: 0 }).json('GET', '/health'));
    t.type(refused, StoreUnavailableError);
    t.match(refused.message, /SELF_SIGNED|CERT/);

    t.same(await client(url, { MLFLOW_TRACKING_INSECURE_TLS: 'true' }).json('GET', '/health'), {
      ok: true,
    });
    t.same(await client(url, { MLFLOW_TRACKING_SERVER_CERT_PATH: cert }).json('GET', '/health'), {
      ok: true,
    });
    t.throws(
      () =>
        client(url, {
          MLFLOW_TRACKING_INSECURE_TLS: 'true',
          MLFLOW_TRACKING_SERVER_CERT_PATH: cert,
        }),
      { code: 'USAGE' },
    );
  },
);

t.test('what cannot succeed is not retried, and the cause is named', async (t) => {
  const open = (url: string): MlflowStore =>
    new MlflowStore(url, {
      env: {},
      fetch: globalThis.fetch,
      now: Date.now,
      // a budget a retried failure would spend several times over
      http: { maxRetries: 5, backoffFactorMs: 2000, jitterMs: 0, totalTimeoutMs: 60_000 },
    });
  const badPort = await caught(open('http://127.0.0.1:9').getExperimentByName('iris'));
  t.type(badPort, StoreUnavailableError);
  t.match(
    badPort.message,
    'cannot reach the MLflow tracking server at http://127.0.0.1:9 (bad port; 1 attempt): fetch refuses to connect to port 9, one of the ports it blocks',
  );
  t.match(badPort.hint, /--port 5000/);
  const unknownHost = await caught(open('http://no-such-host.invalid:5000').ping());
  t.type(unknownHost, StoreUnavailableError);
  t.match(
    unknownHost.message,
    '(ENOTFOUND; 1 attempt): host not found: DNS has no address for no-such-host.invalid',
  );
  t.match(unknownHost.hint, /check the host name/);
});

t.test('a refused connection says so, and is retried (the server may be starting)', async (t) => {
  const port = await freePort();
  const store = new MlflowStore(`http://127.0.0.1:${port}`, {
    env: {},
    fetch: globalThis.fetch,
    now: Date.now,
    http: { maxRetries: 2, backoffFactorMs: 1, jitterMs: 0 },
  });
  const error = await caught(store.ping());
  t.match(error.message, `(ECONNREFUSED; 3 attempts): connection refused: nothing listens there`);
});
