import { readFileSync } from 'node:fs';
import t, { type Test } from 'tap';
import { loadSchema, schemaDir, validatorFor } from '../../src/schemas/index.js';
import { trainedStore } from '../helpers/fixtures.js';
import { call, postJson, rawExchange, SAMPLES, startTestServer, type Answer } from './helpers.js';

const { store } = await trainedStore(t, { versions: 1, alias: 'production' });
const server = await startTestServer(t, store);
const base = server.url;

function conforms(t: Test, schema: string, answer: Answer) {
  const validate = validatorFor(schema);
  t.ok(validate(answer.json), `${schema} validates ${JSON.stringify(validate.errors ?? [])}`);
}

function problem(t: Test, answer: Answer, status: number) {
  t.equal(answer.status, status, `status ${status}: ${answer.text}`);
  t.equal(answer.headers['content-type'], 'application/problem+json');
  conforms(t, 'problem', answer);
  t.equal((answer.json as { status: number }).status, status);
  return answer.json as { errors: { path: string; message: string }[]; detail: string };
}

t.test('GET / describes the service and its endpoints', async (t) => {
  const a = await call(base, '/');
  t.equal(a.status, 200);
  conforms(t, 'service-info', a);
  t.match(a.json, {
    service: 'irisops',
    status: 'running',
    endpoints: { health: '/health', predict: '/predict', contract: '/contract', docs: '/docs' },
  });
});

t.test('GET /health is 200 with the model version as a string', async (t) => {
  const a = await call(base, '/health');
  t.equal(a.status, 200);
  conforms(t, 'health', a);
  t.match(a.json, {
    status: 'healthy',
    model_loaded: true,
    model_version: '1',
    model_name: 'iris_classifier',
    model_alias: 'production',
  });
});

t.test('GET /contract serves the schema files, self-contained (their $refs inlined)', async (t) => {
  const a = await call(base, '/contract');
  t.equal(a.status, 200);
  conforms(t, 'contract', a);
  t.same((a.json as { input_schema: unknown }).input_schema, loadSchema('predict-request'));
  t.same((a.json as { output_schema: unknown }).output_schema, loadSchema('predict-response'));
  t.notMatch(a.text, '$ref', 'nothing left to resolve');
  const file = JSON.parse(readFileSync(`${schemaDir}predict-response.schema.json`, 'utf8')) as {
    $id: string;
    required: string[];
  };
  t.match(a.json, { output_schema: { $id: file.$id, required: file.required } });
  t.match(a.json, {
    input_schema: { properties: { features: { properties: { petal_width: { maximum: 10 } } } } },
    output_schema: {
      properties: { prediction_label: { enum: ['setosa', 'versicolor', 'virginica'] } },
    },
  });
});

for (const [species, features] of Object.entries(SAMPLES)) {
  t.test(`POST /predict classifies a typical ${species}`, async (t) => {
    const a = await postJson(base, '/predict', { features });
    t.equal(a.status, 200, a.text);
    conforms(t, 'predict-response', a);
    const body = a.json as {
      prediction: number;
      prediction_label: string;
      confidence: number;
      model_version: string;
      probabilities: Record<string, number>;
    };
    t.equal(body.prediction_label, species);
    t.equal(body.prediction, ['setosa', 'versicolor', 'virginica'].indexOf(species));
    t.equal(body.model_version, '1');
    t.equal(body.confidence, body.probabilities[species]);
    t.ok(
      Math.abs(Object.values(body.probabilities).reduce((s, p) => s + p, 0) - 1) < 1e-9,
      'probabilities sum to 1',
    );
    t.match(a.text, /"confidence":\d+\.\d+/, 'confidence is written with a fraction part');
  });
}

t.test('confidence 1 is written 1.0, as the original service did', async (t) => {
  const a = await postJson(base, '/predict', {
    features: { sepal_length: 5, sepal_width: 3.4, petal_length: 1.5, petal_width: 0.2 },
  });
  t.equal((a.json as { confidence: number }).confidence, 1);
  t.match(a.text, /"confidence":1\.0,/);
});

t.test('edge values 0 and 10 are accepted', async (t) => {
  for (const v of [0, 10]) {
    const a = await postJson(base, '/predict', {
      features: { sepal_length: v, sepal_width: v, petal_length: v, petal_width: v },
    });
    t.equal(a.status, 200);
    conforms(t, 'predict-response', a);
  }
});

t.test(
  'extra fields are ignored and never reach the model, __proto__ and constructor included',
  async (t) => {
    const text = `{"features":{"sepal_length":5.1,"sepal_width":3.5,"petal_length":1.4,"petal_width":0.2,"__proto__":{"petal_length":9},"constructor":{"prototype":{"x":1}},"colour":"blue"},"__proto__":{"features":null},"extra":1}`;
    const a = await postJson(base, '/predict', text);
    t.equal(a.status, 200, a.text);
    t.equal((a.json as { prediction_label: string }).prediction_label, 'setosa');
    t.equal(({} as Record<string, unknown>).petal_length, undefined, 'Object.prototype untouched');
  },
);

t.test('422 for a body that fails the schema, listing every error', async (t) => {
  const missing = problem(
    t,
    await postJson(base, '/predict', {
      features: { sepal_length: 5.1, sepal_width: 3.5, petal_length: 1.4 },
    }),
    422,
  );
  t.same(missing.errors, [{ path: '/features/petal_width', message: 'is required' }]);
  const string = problem(
    t,
    await postJson(base, '/predict', { features: { ...SAMPLES.setosa, sepal_length: 'long' } }),
    422,
  );
  t.same(string.errors, [{ path: '/features/sepal_length', message: 'must be number' }]);
  const negative = problem(
    t,
    await postJson(base, '/predict', { features: { ...SAMPLES.setosa, sepal_width: -1 } }),
    422,
  );
  t.same(negative.errors, [{ path: '/features/sepal_width', message: 'must be >= 0' }]);
  const above = problem(
    t,
    await postJson(base, '/predict', { features: { ...SAMPLES.setosa, petal_length: 10.5 } }),
    422,
  );
  t.same(above.errors, [{ path: '/features/petal_length', message: 'must be <= 10' }]);
  const empty = problem(t, await postJson(base, '/predict', {}), 422);
  t.same(empty.errors, [{ path: '/features', message: 'is required' }]);
  const several = problem(
    t,
    await postJson(base, '/predict', {
      features: { sepal_length: 'a', sepal_width: -1, petal_length: 11 },
    }),
    422,
  );
  t.equal(several.errors.length, 4, 'every error is listed');
  problem(t, await postJson(base, '/predict', []), 422);
  problem(t, await postJson(base, '/predict', 'null'), 422);
  const noBody = problem(
    t,
    await call(base, '/predict', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
    }),
    422,
  );
  t.same(noBody.errors, [{ path: '', message: 'is required' }]);
});

t.test('400 for malformed JSON and invalid UTF-8', async (t) => {
  const bad = problem(t, await postJson(base, '/predict', '{"features": {'), 400);
  t.equal(bad.errors.length, 1);
  problem(t, await postJson(base, '/predict', '{"features": NaN}'), 400);
  problem(
    t,
    await call(base, '/predict', {
      body: Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]),
      headers: { 'content-type': 'application/json' },
    }),
    400,
  );
});

t.test(
  '415 for a content type that is not JSON; a missing one is read as JSON like FastAPI did',
  async (t) => {
    const body = JSON.stringify({ features: SAMPLES.setosa });
    const wrong = await call(base, '/predict', { body, headers: { 'content-type': 'text/plain' } });
    problem(t, wrong, 415);
    t.ok(wrong.headers['accept-post']);
    problem(
      t,
      await call(base, '/predict', {
        body,
        headers: { 'content-type': 'application/json; charset=latin1' },
      }),
      415,
    );
    t.equal((await call(base, '/predict', { body })).status, 200);
    t.equal(
      (
        await call(base, '/predict', {
          body,
          headers: { 'content-type': 'application/json; charset=UTF-8' },
        })
      ).status,
      200,
    );
  },
);

t.test('413 for a body over the limit, declared or streamed', async (t) => {
  const huge = JSON.stringify({ features: SAMPLES.setosa, pad: 'x'.repeat(70_000) });
  const declared = problem(t, await postJson(base, '/predict', huge), 413);
  t.match(declared.detail, /65536/);
  const streamed = await new Promise<Answer>((resolve, reject) => {
    // chunked: no content-length for the server to check up front
    import('node:http').then(({ request }) => {
      const req = request(
        `${base}/predict`,
        {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
          agent: false,
        },
        (res) => {
          let text = '';
          res.on('data', (c: Buffer) => (text += c.toString()));
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              text,
              json: JSON.parse(text) as unknown,
            }),
          );
        },
      );
      req.on('error', reject);
      for (let i = 0; i < 10; i++) req.write('x'.repeat(10_000));
      req.end();
    }, reject);
  });
  problem(t, streamed, 413);
  t.equal(streamed.headers.connection, 'close');
});

t.test('404 for an unknown path, 405 with Allow for a wrong method', async (t) => {
  for (const path of [
    '/nope',
    '/predict/',
    '/../etc/passwd',
    '/%2e%2e/schemas',
    '/docs/../package.json',
  ]) {
    problem(t, await call(base, path), 404);
  }
  const put = await call(base, '/predict', { method: 'PUT', body: '{}' });
  problem(t, put, 405);
  t.equal(put.headers.allow, 'POST');
  const post = await call(base, '/health', { method: 'POST', body: '{}' });
  problem(t, post, 405);
  t.equal(post.headers.allow, 'GET, HEAD');
});

t.test('POST /predict/batch predicts every instance in order and bounds the count', async (t) => {
  const instances = [SAMPLES.setosa, SAMPLES.versicolor, SAMPLES.virginica];
  const a = await postJson(base, '/predict/batch', { instances });
  t.equal(a.status, 200, a.text);
  conforms(t, 'batch-response', a);
  t.same(
    (a.json as { predictions: { prediction_label: string }[] }).predictions.map(
      (p) => p.prediction_label,
    ),
    ['setosa', 'versicolor', 'virginica'],
  );
  t.equal((a.json as { model_version: string }).model_version, '1');
  const bad = problem(
    t,
    await postJson(base, '/predict/batch', {
      instances: [SAMPLES.setosa, { ...SAMPLES.setosa, petal_width: 'x' }],
    }),
    422,
  );
  t.same(bad.errors, [{ path: '/instances/1/petal_width', message: 'must be number' }]);
  problem(t, await postJson(base, '/predict/batch', { instances: [] }), 422);
  const over = problem(
    t,
    await postJson(base, '/predict/batch', { instances: Array.from({ length: 1001 }, () => [1]) }),
    422,
  );
  t.match(over.errors[0]?.message, /1000/);
});

t.test(
  'every answer has a content type, nosniff and no x-powered-by; x-request-id is echoed or made',
  async (t) => {
    const mine = await call(base, '/health', { headers: { 'x-request-id': 'abc-123' } });
    t.equal(mine.headers['x-request-id'], 'abc-123');
    const made = await call(base, '/nope', {
      headers: { 'x-request-id': 'bad id with spaces <script>' },
    });
    t.match(made.headers['x-request-id'], /^[0-9a-f-]{36}$/);
    for (const path of [
      '/',
      '/health',
      '/nope',
      '/metrics',
      '/docs',
      '/openapi.json',
      '/ping',
      '/version',
    ]) {
      const a = await call(base, path);
      t.ok(a.headers['content-type'], `${path} content-type`);
      t.equal(a.headers['x-content-type-options'], 'nosniff', `${path} nosniff`);
      t.notOk(a.headers['x-powered-by'], `${path} no x-powered-by`);
    }
  },
);

t.test('GET /ping and /version answer as MLflow scoring server does', async (t) => {
  const ping = await call(base, '/ping');
  t.equal(ping.status, 200);
  t.equal(ping.text, '\n');
  const version = await call(base, '/version');
  t.equal(version.status, 200);
  t.equal(version.text, '0.0.0-test');
});

t.test('GET /openapi.json is OpenAPI 3.1 built from the schema files', async (t) => {
  const a = await call(base, '/openapi.json');
  t.equal(a.status, 200);
  const doc = a.json as {
    openapi: string;
    paths: Record<string, unknown>;
    components: { schemas: Record<string, { title: string }> };
  };
  t.equal(doc.openapi, '3.1.0');
  for (const p of [
    '/',
    '/health',
    '/contract',
    '/predict',
    '/predict/batch',
    '/invocations',
    '/metrics',
  ])
    t.ok(doc.paths[p], p);
  const loaded = loadSchema('predict-request') as unknown as { properties: unknown };
  t.same(
    (doc.components.schemas.PredictRequest as unknown as { properties: unknown }).properties,
    loaded.properties,
  );
  t.notMatch(
    a.text,
    /"\$ref":"(?!#\/components\/schemas\/)/,
    'every $ref points inside the document',
  );
});

t.test('GET /docs is served with a CSP and assets from this process, no CDN', async (t) => {
  const page = await call(base, '/docs');
  t.equal(page.status, 200);
  t.match(page.headers['content-type'], /text\/html/);
  t.match(page.headers['content-security-policy'], /script-src 'self'/);
  t.notMatch(page.text, /https?:\/\//, 'no absolute URL: nothing loads from elsewhere');
  for (const src of page.text.match(/(?:src|href)="([^"]+)"/g) ?? []) {
    const path = /"([^"]+)"/.exec(src)?.[1] ?? '';
    const asset = await call(base, path);
    t.equal(asset.status, 200, path);
    t.ok(asset.text.length > 0);
  }
});

t.test(
  'GET /metrics is Prometheus text with requests, latency, predictions and the model',
  async (t) => {
    const a = await call(base, '/metrics');
    t.equal(a.status, 200);
    t.match(a.headers['content-type'], /text\/plain/);
    t.match(
      a.text,
      /irisops_http_requests_total\{route="\/predict",method="POST",status="200"\} \d+/,
    );
    t.match(
      a.text,
      /irisops_http_request_duration_seconds_bucket\{le="0.005",route="\/predict",status="200"\}/,
    );
    t.match(a.text, /irisops_predictions_total\{class="setosa"\} \d+/);
    t.match(a.text, /irisops_model_info\{name="iris_classifier",version="1",alias="production",/);
    t.match(a.text, /process_resident_memory_bytes/);
    t.match(
      a.text,
      /irisops_http_requests_total\{route="unmatched",method="GET",status="404"\}/,
      'unknown paths share one label',
    );
  },
);

t.test('malformed HTTP that Node rejects still gets an RFC 9457 body', async (t) => {
  const raw = await rawExchange(server.port, 'GARBAGE\r\n\r\n');
  t.match(raw, /^HTTP\/1\.1 400 Bad Request\r\n/);
  t.match(raw, /content-type: application\/problem\+json/);
  const body = JSON.parse(raw.slice(raw.indexOf('\r\n\r\n') + 4)) as unknown;
  t.ok(validatorFor('problem')(body));
  const big = await rawExchange(
    server.port,
    `GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
  );
  t.match(big, /^HTTP\/1\.1 431 /);
  const health = await call(base, '/health');
  t.equal(health.status, 200, 'still healthy');
});

t.test(
  'each request leaves one JSON log line with method, path, status, latency, model version and id',
  async (t) => {
    await call(base, '/health', { headers: { 'x-request-id': 'log-me-1' } });
    const line = server.logs.find((l) => l.request_id === 'log-me-1');
    t.match(line, {
      msg: 'request',
      method: 'GET',
      path: '/health',
      status: 200,
      model_version: '1',
    });
    t.type(line?.latency_ms, 'number');
  },
);
