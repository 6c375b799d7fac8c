/**
 * Property-based fuzzing of a live server: thousands of generated requests (random JSON,
 * 1,000-level nesting, huge numbers, NaN/Infinity spelled out, strings for numbers,
 * duplicate and __proto__ keys, invalid UTF-8, random bytes, wrong content types, odd
 * methods and paths, malformed HTTP). Every answer is a 4xx problem+json or a 200 that
 * validates against its endpoint's output schema; nothing hangs, nothing 5xx, and the
 * process ends healthy with its memory near where it started.
 */
import http from 'node:http';
import net from 'node:net';
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import fc from 'fast-check';
import t from 'tap';
import { validatorFor } from '../../src/schemas/index.js';
import type { Logger } from '../../src/serve/logger.js';
import { trainedStore } from '../helpers/fixtures.js';
import { call, SAMPLES, startTestServer } from '../serve/helpers.js';
import { envNumber, parseRawResponse, reportFigures } from './helpers.js';

const TOTAL = envNumber('IRISOPS_FUZZ_REQUESTS', 10_000);
const BATCH = 50;
const CONCURRENCY = 16;
const HANG_MS = 10_000;

interface FuzzRequest {
  kind: 'http' | 'raw';
  label: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body: Buffer | null;
  /** for kind 'raw': bytes written straight to a socket */
  raw?: Buffer;
}

const OUTPUT_SCHEMA: Record<string, string> = {
  '/': 'service-info',
  '/health': 'health',
  '/contract': 'contract',
  '/predict': 'predict-response',
  '/predict/batch': 'batch-response',
  '/invocations': 'invocations-response',
};

const FEATURES = ['sepal_length', 'sepal_width', 'petal_length', 'petal_width'] as const;

// ---------------------------------------------------------------- body generators

/** Number-ish tokens as they appear in the body text, most of them not JSON at all. */
const weirdNumber = fc.constantFrom(
  'NaN',
  'Infinity',
  '-Infinity',
  '1e400',
  '-1e400',
  '1e-400',
  '123456789012345678901234567890',
  '-0',
  '0x10',
  '.5',
  '5.',
  '+1',
  '01',
  '"5.1"',
  '"NaN"',
  '"Infinity"',
  'null',
  'true',
  '[]',
  '{}',
  '10.000000000000001',
  '-0.0000001',
  '1E1',
  '9007199254740993',
);

const goodNumber = fc
  .double({ min: 0, max: 10, noNaN: true, noDefaultInfinity: true })
  .map((n) => JSON.stringify(n));

const featureText = (value: fc.Arbitrary<string>) =>
  fc
    .tuple(
      fc.array(fc.tuple(fc.constantFrom(...FEATURES), value), { minLength: 0, maxLength: 6 }),
      fc.tuple(value, value, value, value),
    )
    .map(([extra, [a, b, c, d]]) => {
      // the four features, then maybe duplicates of some of them (last one wins in JSON.parse)
      const pairs = [
        `"sepal_length":${a}`,
        `"sepal_width":${b}`,
        `"petal_length":${c}`,
        `"petal_width":${d}`,
        ...extra.map(([k, v]) => `"${k}":${v}`),
      ];
      return `{${pairs.join(',')}}`;
    });

const validFeatures = featureText(goodNumber);
const mixedFeatures = featureText(fc.oneof({ weight: 3, arbitrary: goodNumber }, weirdNumber));

const deepNesting = fc
  .record({
    depth: fc.integer({ min: 990, max: 1100 }),
    open: fc.constantFrom('[', '{"a":'),
    closed: fc.boolean(),
    where: fc.constantFrom('root', 'features', 'instances', 'inputs'),
  })
  .map(({ depth, open, closed, where }) => {
    const close = open === '[' ? ']' : '}';
    const inner = `${open.repeat(depth)}1${closed ? close.repeat(depth) : ''}`;
    if (where === 'root') return inner;
    return `{"${where}":${inner}}`;
  });

const protoKeys = fc
  .tuple(
    fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty'),
    validFeatures,
  )
  .chain(([key, features]) =>
    fc.constantFrom(
      `{"${key}":{"polluted":1,"features":${features}}}`,
      `{"features":${features},"${key}":{"polluted":1}}`,
      `{"features":{"${key}":{"sepal_length":1},"polluted":1}}`,
      `{"${key}":{"prototype":{"polluted":1}},"instances":[${features}]}`,
      `{"instances":[${features}],"__proto__":{"length":1e9}}`,
      `{"dataframe_records":[{"__proto__":${features}}]}`,
      `{"inputs":{"__proto__":[1,2,3,4]}}`,
      `{"features":${features.replace('"sepal_length"', '"__proto__":{"sepal_length":1},"x"')}}`,
    ),
  );

const duplicateKeys = fc
  .tuple(validFeatures, mixedFeatures)
  .chain(([good, bad]) =>
    fc.constantFrom(
      `{"features":${good},"features":${bad}}`,
      `{"features":${bad},"features":${good}}`,
      `{"instances":[${good}],"instances":${bad}}`,
      `{"instances":[${good}],"inputs":[${good}]}`,
      `{"dataframe_records":[${good}],"dataframe_records":"x"}`,
    ),
  );

const invalidUtf8Bytes = fc.constantFrom(
  [0xff],
  [0xfe, 0xff],
  [0xc0, 0xaf],
  [0xe0, 0x80, 0xaf],
  [0xed, 0xa0, 0x80],
  [0xf8, 0x88, 0x80, 0x80, 0x80],
  [0x80],
  [0xc3],
  [0xf4, 0x90, 0x80, 0x80],
);

const invalidUtf8 = fc
  .tuple(validFeatures, invalidUtf8Bytes, fc.constantFrom('key', 'value', 'outside'))
  .map(([features, bad, where]) => {
    const b = Buffer.from(bad);
    if (where === 'key')
      return Buffer.concat([Buffer.from('{"feat'), b, Buffer.from(`ures":${features}}`)]);
    if (where === 'value')
      return Buffer.concat([Buffer.from(`{"features":${features},"note":"`), b, Buffer.from('"}')]);
    return Buffer.concat([Buffer.from(`{"features":${features}}`), b]);
  });

const rowOf = (value: fc.Arbitrary<string>) =>
  fc.array(value, { minLength: 0, maxLength: 6 }).map((v) => `[${v.join(',')}]`);

const invocationsBody = fc.oneof(
  fc
    .tuple(
      fc.option(fc.shuffledSubarray([...FEATURES, 'species', 'x'], { minLength: 0, maxLength: 6 })),
      fc.array(rowOf(fc.oneof({ weight: 4, arbitrary: goodNumber }, weirdNumber)), {
        minLength: 0,
        maxLength: 20,
      }),
    )
    .map(
      ([columns, rows]) =>
        `{"dataframe_split":{${columns ? `"columns":${JSON.stringify(columns)},` : ''}"data":[${rows.join(',')}]}}`,
    ),
  fc
    .tuple(
      fc.constantFrom('dataframe_records', 'instances', 'inputs'),
      fc.array(fc.oneof(mixedFeatures, rowOf(goodNumber)), { minLength: 0, maxLength: 20 }),
    )
    .map(([key, items]) => `{"${key}":[${items.join(',')}]}`),
  fc
    .tuple(validFeatures, fc.jsonValue({ maxDepth: 3 }))
    .map(([f, params]) => `{"instances":[${f}],"params":${JSON.stringify(params)}}`),
);

const csvBody = fc
  .tuple(
    fc.constantFrom(
      FEATURES.join(','),
      [...FEATURES].reverse().join(','),
      'a,b,c,d',
      `${FEATURES.join(',')},species`,
      '',
      '"sepal_length",sepal_width,petal_length,petal_width',
    ),
    fc.array(
      fc
        .array(fc.oneof(goodNumber, weirdNumber, fc.string({ maxLength: 5 })), {
          minLength: 0,
          maxLength: 5,
        })
        .map((cells) => cells.join(',')),
      { maxLength: 15 },
    ),
    fc.constantFrom('\n', '\r\n'),
  )
  .map(([header, lines, nl]) => [header, ...lines].join(nl));

const batchBody = fc.oneof(
  fc
    .array(fc.oneof({ weight: 4, arbitrary: validFeatures }, mixedFeatures), {
      minLength: 0,
      maxLength: 40,
    })
    .map((items) => `{"instances":[${items.join(',')}]}`),
  fc
    .integer({ min: 999, max: 1003 })
    .map((n) => `{"instances":[${Array(n).fill('{"sepal_length":1}').join(',')}]}`),
);

interface Body {
  label: string;
  bytes: Buffer | null;
}

const body: fc.Arbitrary<Body> = fc
  .oneof(
    {
      weight: 6,
      arbitrary: validFeatures.map((f) => ({ label: 'valid', text: `{"features":${f}}` })),
    },
    {
      weight: 6,
      arbitrary: mixedFeatures.map((f) => ({ label: 'weird-numbers', text: `{"features":${f}}` })),
    },
    {
      weight: 4,
      arbitrary: fc.jsonValue().map((v) => ({ label: 'random-json', text: JSON.stringify(v) })),
    },
    {
      weight: 3,
      arbitrary: fc
        .tuple(
          fc.constantFrom('features', 'instances', 'dataframe_split', 'inputs'),
          fc.jsonValue({ maxDepth: 4 }),
        )
        .map(([k, v]) => ({
          label: 'random-json-under-key',
          text: `{"${k}":${JSON.stringify(v)}}`,
        })),
    },
    { weight: 2, arbitrary: deepNesting.map((text) => ({ label: 'deep-nesting', text })) },
    { weight: 2, arbitrary: protoKeys.map((text) => ({ label: 'proto-keys', text })) },
    { weight: 2, arbitrary: duplicateKeys.map((text) => ({ label: 'duplicate-keys', text })) },
    { weight: 4, arbitrary: batchBody.map((text) => ({ label: 'batch', text })) },
    { weight: 4, arbitrary: invocationsBody.map((text) => ({ label: 'invocations', text })) },
    { weight: 2, arbitrary: csvBody.map((text) => ({ label: 'csv', text })) },
    {
      weight: 2,
      arbitrary: fc
        .string({ unit: 'binary', maxLength: 200 })
        .map((text) => ({ label: 'random-text', text })),
    },
    {
      weight: 1,
      arbitrary: fc.integer({ min: 65_000, max: 70_000 }).map((n) => ({
        label: 'oversized',
        text: `{"features":${JSON.stringify(SAMPLES.setosa)},"pad":"${'x'.repeat(n)}"}`,
      })),
    },
    { weight: 1, arbitrary: fc.constant({ label: 'empty', text: '' }) },
  )
  .map((b): Body => ({ label: b.label, bytes: Buffer.from(b.text, 'utf8') }));

const bytesBody: fc.Arbitrary<Body> = fc.oneof(
  invalidUtf8.map((bytes) => ({ label: 'invalid-utf8', bytes })),
  fc
    .uint8Array({ minLength: 1, maxLength: 2048 })
    .map((a) => ({ label: 'random-bytes', bytes: Buffer.from(a) })),
);

const anyBody = fc.oneof(
  { weight: 10, arbitrary: body },
  { weight: 2, arbitrary: bytesBody },
  { weight: 1, arbitrary: fc.constant<Body>({ label: 'no-body', bytes: null }) },
);

// ---------------------------------------------------------------- request line and headers

const otherPath = fc.constantFrom(
  '/',
  '/health',
  '/contract',
  '/ping',
  '/version',
  '/openapi.json',
  '/docs',
  '/metrics',
);

const knownPath = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom('/predict', '/predict/batch', '/invocations') },
  { weight: 1, arbitrary: otherPath },
);

const oddPath = fc.oneof(
  fc.constantFrom(
    '/predict/../health',
    '/../../../../etc/passwd',
    '/%2e%2e/%2e%2e/etc/passwd',
    '/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd',
    '/docs/../../package.json',
    '/docs/..%2f..%2fpackage.json',
    '//predict',
    '/predict/',
    '/PREDICT',
    '/predict%00',
    '/predict;x=1',
    '/predict%2fbatch',
    '/./predict',
    '/health?' + 'a'.repeat(2000),
    '/predict?features=1',
    '/docs/swagger-ui.css/../../../../etc/passwd',
    '/%ff%fe',
    '/%',
    '/%zz',
    '/C:\\Windows\\win.ini',
    '/..\\..\\etc\\passwd',
    '*',
    'http://evil.example/predict',
  ),
  fc
    .array(fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom('..', '.', '%2e%2e', '')), {
      maxLength: 5,
    })
    .map((parts) => `/${parts.map((p) => encodeURIComponent(p).replace(/%25/g, '%')).join('/')}`),
);

const path = fc.oneof({ weight: 8, arbitrary: knownPath }, { weight: 2, arbitrary: oddPath });

const method = fc.oneof(
  { weight: 12, arbitrary: fc.constant('POST') },
  { weight: 5, arbitrary: fc.constant('GET') },
  {
    weight: 3,
    arbitrary: fc.constantFrom('PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD', 'PROPFIND', 'FOO'),
  },
);

const contentType = fc.oneof(
  { weight: 10, arbitrary: fc.constant('application/json') },
  {
    weight: 4,
    arbitrary: fc.constantFrom(
      null,
      'application/json; charset=utf-8',
      'application/json; charset=latin1',
      'APPLICATION/JSON',
      'application/vnd.irisops+json',
      'application/problem+json',
      'text/csv',
      'text/csv; charset=utf-16',
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/xml',
      '',
      '*/*',
      'json',
      ';;;',
      'application/json; charset="utf-8"',
      'application/json, text/csv',
    ),
  },
);

const httpRequest: fc.Arbitrary<FuzzRequest> = fc
  .record({ method, path, contentType, body: anyBody, chunked: fc.boolean() })
  .map(({ method, path, contentType, body: generated, chunked }) => {
    const body = method === 'HEAD' ? { ...generated, bytes: null } : generated;
    const headers: Record<string, string> = {};
    if (contentType !== null) headers['content-type'] = contentType;
    // without content-length Node sends the body chunked: both framings are exercised (Node
    // frames GET, DELETE and OPTIONS bodies only with a content-length: unframed bytes would
    // be a second, garbage request on the same connection, which is what 'raw' tests)
    const chunkable = !['GET', 'HEAD', 'DELETE', 'OPTIONS'].includes(method);
    if (body.bytes !== null && !(chunked && chunkable))
      headers['content-length'] = String(body.bytes.length);
    return {
      kind: 'http',
      label: body.label,
      method,
      path,
      headers,
      body: body.bytes,
    };
  });

/** Whole HTTP exchanges Node's parser rejects (or that close their own connection). */
const rawRequest: fc.Arbitrary<FuzzRequest> = fc
  .oneof(
    fc.constantFrom(
      'GARBAGE\r\n\r\n',
      'GET / HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n',
      'POST /predict HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n',
      'POST /predict HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n0\r\n\r\n',
      'POST /predict HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n\r\n',
      'POST /predict HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab',
      'GET /a b HTTP/1.1\r\nHost: x\r\n\r\n',
      'GET / HTTP/9.9\r\nHost: x\r\n\r\n',
      'GET / HTTP/1.1\r\nBad Header: x\r\n\r\n',
      'GET / HTTP/1.1\r\nHost: x\r\nX: a\x00b\r\n\r\n',
      'GET /\x7f HTTP/1.1\r\nHost: x\r\n\r\n',
      `GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
      'GET /health HTTP/1.0\r\n\r\n',
      'GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
      'POST /predict HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{"\r\n0\r\n\r\n',
      'POST /predict HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n{}',
    ),
    fc
      .uint8Array({ minLength: 1, maxLength: 512 })
      .map((a) => Buffer.concat([Buffer.from([0x16, 0x03, 0x01]), a]).toString('latin1')),
  )
  .map((text) => ({
    kind: 'raw',
    label: 'malformed-http',
    method: '',
    path: '',
    headers: {},
    body: null,
    raw: Buffer.from(text, 'latin1'),
  }));

const fuzzRequest = fc
  .oneof({ weight: 19, arbitrary: httpRequest }, { weight: 1, arbitrary: rawRequest })
  // a failing batch is reported one short line per request, not as byte arrays
  .map((r) => Object.assign(r, { [fc.toStringMethod]: () => describe(r) }));

// ---------------------------------------------------------------- sending and checking

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

function sendHttp(port: number, agent: http.Agent, r: FuzzRequest): Promise<Answer> {
  return new Promise((resolve, reject) => {
    // the path goes out exactly as generated: no URL parsing normalises the dots away
    const req = http.request({
      host: '127.0.0.1',
      port,
      method: r.method,
      path: r.path,
      headers: r.headers,
      agent,
    });
    req.setTimeout(HANG_MS, () => req.destroy(new Error(`no answer within ${HANG_MS} ms`)));
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          text: Buffer.concat(chunks).toString('utf8'),
        }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(r.body ?? undefined);
  });
}

function sendRaw(port: number, bytes: Buffer): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`raw exchange not closed within ${HANG_MS} ms`));
    }, HANG_MS);
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      const parsed = parseRawResponse(Buffer.concat(chunks).toString('utf8'));
      if (!parsed) reject(new Error('connection closed without an HTTP answer'));
      else resolve({ status: parsed.status, headers: parsed.headers, text: parsed.body });
    });
    socket.write(bytes);
  });
}

/** null when the answer is acceptable, else why not. */
function judge(r: FuzzRequest, a: Answer): string | null {
  const ct = String(a.headers['content-type'] ?? '');
  if (a.status >= 500) return `status ${a.status}: ${a.text.slice(0, 300)}`;
  if (ct === '') return `no content-type (status ${a.status})`;
  if (a.headers['x-content-type-options'] !== 'nosniff') return 'no x-content-type-options';
  if (a.headers['x-powered-by'] !== undefined) return 'x-powered-by sent';
  if (r.method === 'HEAD') return null;
  if (a.status >= 400 && a.status < 500) {
    if (!ct.startsWith('application/problem+json')) return `4xx with content-type ${ct}`;
    let problem: unknown;
    try {
      problem = JSON.parse(a.text);
    } catch {
      return `4xx body is not JSON: ${a.text.slice(0, 200)}`;
    }
    const validate = validatorFor('problem');
    if (!validate(problem)) return `problem body invalid: ${JSON.stringify(validate.errors)}`;
    if ((problem as { status: number }).status !== a.status) return 'problem status differs';
    return null;
  }
  if (a.status === 200) {
    const route = r.path.split('?')[0] ?? '';
    const schema = OUTPUT_SCHEMA[route];
    if (schema === undefined) return a.text.length > 0 ? null : '200 with an empty body';
    let json: unknown;
    try {
      json = JSON.parse(a.text);
    } catch {
      return `200 body is not JSON: ${a.text.slice(0, 200)}`;
    }
    const validate = validatorFor(schema);
    if (!validate(json)) return `200 body fails ${schema}: ${JSON.stringify(validate.errors)}`;
    return null;
  }
  return `unexpected status ${a.status}`;
}

function describe(r: FuzzRequest): string {
  const bytes = r.raw ?? r.body;
  const shown = bytes === null || bytes === undefined ? '' : bytes.toString('latin1');
  return `${r.label} ${r.method} ${r.path} ${JSON.stringify(r.headers)} ${JSON.stringify(shown.slice(0, 300))}`;
}

async function pool<T>(items: T[], size: number, each: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: size }, async () => {
      while (next < items.length) await each(items[next++] as T);
    }),
  );
}

v8.setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
function memory(): { heapMB: number; rssMB: number } {
  gc();
  gc();
  const m = process.memoryUsage();
  return { heapMB: m.heapUsed / 2 ** 20, rssMB: m.rss / 2 ** 20 };
}

t.test(`${TOTAL} generated requests: only 4xx problems or valid 200s, then healthy`, async (t) => {
  const { store } = await trainedStore(t, { versions: 1, alias: 'production' });
  // a logger that counts instead of keeping every request line: the memory check below
  // measures the server, not a test log of 10,000 lines
  const errors: string[] = [];
  let requestLines = 0;
  const logger: Logger = {
    enabled: () => true,
    log: (level, msg, fields) => {
      if (level === 'error') errors.push(`${msg} ${JSON.stringify(fields)}`.slice(0, 2000));
    },
    request: (level, r) => {
      requestLines++;
      if (level === 'error') errors.push(JSON.stringify(r));
    },
    flush: () => undefined,
    settle: async () => true,
  };
  const server = await startTestServer(t, store, { logger });
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  t.teardown(() => agent.destroy());

  const statuses: Record<string, number> = {};
  const labels: Record<string, number> = {};
  let sent = 0;
  const history: string[] = [];
  const exchange = async (r: FuzzRequest) => {
    history.push(describe(r));
    if (history.length > 8) history.shift();
    const answer = await (
      r.kind === 'raw' ? sendRaw(server.port, r.raw as Buffer) : sendHttp(server.port, agent, r)
    ).catch((error: Error) => {
      throw new Error(
        `${error.message}\n  request: ${describe(r)}\n${history.slice(-4).join('\n')}`,
      );
    });
    sent++;
    statuses[answer.status] = (statuses[answer.status] ?? 0) + 1;
    labels[r.label] = (labels[r.label] ?? 0) + 1;
    const why = judge(r, answer);
    if (why !== null) throw new Error(`${why}\n  request: ${describe(r)}`);
  };

  // warm up (JIT, Ajv, buffers) before the memory baseline
  for (const r of fc.sample(fuzzRequest, { numRuns: 300, seed: 1 })) await exchange(r);
  const before = memory();
  const started = performance.now();

  const seed = envNumber('IRISOPS_FUZZ_SEED', Date.now() % 2 ** 31);
  t.comment(`fast-check seed ${seed} (rerun with IRISOPS_FUZZ_SEED=${seed})`);
  await fc.assert(
    fc.asyncProperty(fc.array(fuzzRequest, { minLength: BATCH, maxLength: BATCH }), (batch) =>
      pool(batch, CONCURRENCY, exchange),
    ),
    { numRuns: Math.ceil(TOTAL / BATCH), seed, endOnFailure: true },
  );
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  await new Promise((r) => setTimeout(r, 200));
  const after = memory();

  const health = await call(server.url, '/health');
  t.equal(health.status, 200, '/health is 200 afterwards');
  const predict = await call(server.url, '/predict', {
    body: JSON.stringify({ features: SAMPLES.virginica }),
    headers: { 'content-type': 'application/json' },
  });
  t.equal(predict.status, 200, 'and it still predicts');
  t.equal(({} as Record<string, unknown>).polluted, undefined, 'no prototype was polluted');
  t.same(errors, [], 'no unexpected error was logged');
  t.ok(requestLines > 0, `${requestLines} request log lines written`);
  t.ok(sent >= TOTAL, `${sent} requests answered`);
  t.ok(
    after.heapMB < before.heapMB + 32,
    `heap ${before.heapMB.toFixed(1)} MB → ${after.heapMB.toFixed(1)} MB`,
  );
  t.ok(
    after.rssMB < before.rssMB + 200,
    `RSS ${before.rssMB.toFixed(1)} MB → ${after.rssMB.toFixed(1)} MB`,
  );
  reportFigures(t, 'fuzz', {
    requests: sent,
    seconds: Math.round(seconds * 10) / 10,
    statuses,
    kinds: labels,
    heap_mb: [Math.round(before.heapMB), Math.round(after.heapMB)],
    rss_mb: [Math.round(before.rssMB), Math.round(after.rssMB)],
    seed,
  });
});
