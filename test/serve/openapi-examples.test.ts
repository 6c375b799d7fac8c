/**
 * The examples /openapi.json (and so /docs) shows are real: request rows from the bundled
 * data set, answers from a model trained the way `irisops train` trains by default, errors as
 * the server words them. This test sends every example request and compares the answer.
 * Regenerate after a deliberate change: IRISOPS_WRITE_EXAMPLES=1 npx tap test/serve/openapi-examples.test.ts
 */
import { readFileSync, writeFileSync } from 'node:fs';
import t from 'tap';
import { bundledDataPath } from '../../src/data/dataset.js';
import { schemaDir, validatorFor } from '../../src/schemas/index.js';
import { LocalStore } from '../../src/tracking/local/index.js';
import { tempDir, trainInto } from '../helpers/fixtures.js';
import { call, startTestServer } from './helpers.js';

const file = `${schemaDir}examples.json`;
const REQUEST_ID = 'example-request-id';

interface Example {
  path: string;
  content_type: string;
  request: unknown;
  status: number;
  response: Record<string, unknown>;
}

const csvRows = readFileSync(bundledDataPath, 'utf8').trim().split('\n').slice(1);
const flower = (line: number) => {
  const [a, b, c, d] = (csvRows[line - 2] as string).split(',').map(Number);
  return { sepal_length: a, sepal_width: b, petal_length: c, petal_width: d };
};
// data/iris.csv lines: a setosa, a versicolor close to the virginica border, a virginica
const setosa = flower(2);
const borderline = flower(72);
const virginica = flower(140);

const requests: Omit<Example, 'status' | 'response'>[] = [
  { path: '/predict', content_type: 'application/json', request: { features: borderline } },
  {
    path: '/predict/batch',
    content_type: 'application/json',
    request: { instances: [setosa, borderline, virginica] },
  },
  {
    path: '/invocations',
    content_type: 'application/json',
    request: {
      dataframe_split: {
        columns: Object.keys(setosa),
        data: [setosa, borderline, virginica].map((f) => Object.values(f)),
      },
    },
  },
  { path: '/predict', content_type: 'application/json', request: '{"features": ' },
  { path: '/predict', content_type: 'application/json', request: 'x'.repeat(65537) },
  { path: '/predict', content_type: 'text/plain', request: 'hello' },
  {
    path: '/predict',
    content_type: 'application/json',
    request: { features: { ...borderline, petal_width: 11 } },
  },
];

const store = new LocalStore(`${tempDir(t)}/mlruns`, { now: () => Date.now() });
await trainInto(store, { nEstimators: 100, seed: 42 });
const server = await startTestServer(t, store, { maxBody: 65536 });
const noModel = await startTestServer(t, null);

async function answer(base: string, e: Omit<Example, 'status' | 'response'>) {
  const body = typeof e.request === 'string' ? e.request : JSON.stringify(e.request);
  const a = await call(base, e.path, {
    body,
    headers: { 'content-type': e.content_type, 'x-request-id': REQUEST_ID },
  });
  return { status: a.status, response: a.json as Record<string, unknown> };
}

const fresh: Example[] = [];
for (const e of requests) fresh.push({ ...e, ...(await answer(server.url, e)) });
fresh.push({ ...requests[0]!, ...(await answer(noModel.url, requests[0]!)) });
// a 413 example does not need the whole oversized body in the document
const big = fresh.find((e) => e.status === 413);
if (big) big.request = '(a body of 65537 bytes)';

if (process.env.IRISOPS_WRITE_EXAMPLES === '1')
  writeFileSync(file, `${JSON.stringify(fresh, null, 2)}\n`);

const stored = JSON.parse(readFileSync(file, 'utf8')) as Example[];

t.test('the stored examples are what the server answers today', async (t) => {
  t.same(stored, fresh);
  t.same(
    stored.map((e) => e.status),
    [200, 200, 200, 400, 413, 415, 422, 503],
  );
});

t.test('each example validates against its schema', async (t) => {
  const schemaOf: Record<string, [string, string]> = {
    '/predict': ['predict-request', 'predict-response'],
    '/predict/batch': ['batch-request', 'batch-response'],
    '/invocations': ['invocations-request', 'invocations-response'],
  };
  for (const e of stored) {
    const [request, response] = schemaOf[e.path] as [string, string];
    if (e.status === 200) {
      t.ok(validatorFor(request)(e.request), `${e.path} request`);
      t.ok(validatorFor(response)(e.response), `${e.path} response`);
    } else {
      t.ok(validatorFor('problem')(e.response), `${e.status} problem`);
      t.equal(e.response.status, e.status, `the ${e.status} example says status ${e.status}`);
    }
  }
});

t.test('the prediction example is not degenerate', async (t) => {
  const p = stored[0]!.response as {
    prediction: number;
    prediction_label: string;
    probabilities: Record<string, number>;
  };
  t.equal(['setosa', 'versicolor', 'virginica'][p.prediction], p.prediction_label);
  t.ok(
    Object.values(p.probabilities).some((x) => x > 0 && x < 1),
    'a probability strictly between 0 and 1',
  );
  t.equal(Math.round(Object.values(p.probabilities).reduce((s, x) => s + x, 0) * 1e9), 1e9);
});

t.test('/openapi.json carries the examples and no jsonSchemaDialect', async (t) => {
  const doc = (await call(server.url, '/openapi.json')).json as {
    jsonSchemaDialect?: string;
    paths: Record<
      string,
      {
        post: {
          requestBody: { content: Record<string, { example?: unknown }> };
          responses: Record<string, { content: Record<string, { example?: unknown }> }>;
        };
      }
    >;
  };
  t.equal(doc.jsonSchemaDialect, undefined, 'Swagger UI flags any dialect but its own');
  t.same(
    doc.paths['/predict']!.post.requestBody.content['application/json']!.example,
    stored[0]!.request,
  );
  t.same(
    doc.paths['/predict']!.post.responses['200']!.content['application/json']!.example,
    stored[0]!.response,
  );
  const e413 =
    doc.paths['/predict']!.post.responses['413']!.content['application/problem+json']!.example;
  t.match(e413, { status: 413 });
});
