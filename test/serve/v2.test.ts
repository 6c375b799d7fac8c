import t, { type Test } from 'tap';
import { validatorFor } from '../../src/schemas/index.js';
import { trainedStore } from '../helpers/fixtures.js';
import { call, postJson, SAMPLES, startTestServer, type Answer } from './helpers.js';

const { store, outcomes } = await trainedStore(t, { versions: 1, alias: 'production' });
const server = await startTestServer(t, store, { maxBatch: 5, maxBody: 4096 });
const base = server.url;
const { setosa, versicolor, virginica } = SAMPLES;
const FEATURES = ['sepal_length', 'sepal_width', 'petal_length', 'petal_width'] as const;
const rows = [setosa, versicolor, virginica].map((f) => FEATURES.map((k) => f[k]));
const INFER = '/v2/models/iris_classifier/infer';

function ok(t: Test, a: Answer, schema: string) {
  t.equal(a.status, 200, a.text);
  t.ok(validatorFor(schema)(a.json), `validates against ${schema}`);
  return a.json as Record<string, unknown>;
}

/** The protocol's error form: {"error": "…"}, with the status given. */
function refused(t: Test, a: Answer, status: number): string {
  t.equal(a.status, status, a.text);
  t.ok(validatorFor('v2-error')(a.json), 'validates against v2-error');
  return (a.json as { error: string }).error;
}

const matrix = (data: unknown, datatype = 'FP32', shape = [3, 4]) => ({
  inputs: [{ name: 'input', datatype, shape, data }],
});

t.test('server metadata, liveness and readiness', async (t) => {
  const meta = ok(t, await call(base, '/v2'), 'v2-server-metadata');
  t.equal(meta.name, 'irisops');
  t.same(ok(t, await call(base, '/v2/health/live'), 'v2-health'), { live: true });
  t.same(ok(t, await call(base, '/v2/health/ready'), 'v2-health'), { ready: true });
  t.same(ok(t, await call(base, '/v2/models/iris_classifier/ready'), 'v2-model-ready'), {
    name: 'iris_classifier',
    ready: true,
  });
  t.equal((await call(base, '/v2/models/iris_classifier/versions/1/ready')).status, 200);
});

t.test('model metadata names the registered model, its version and its tensors', async (t) => {
  for (const path of ['/v2/models/iris_classifier', '/v2/models/iris_classifier/versions/1']) {
    const meta = ok(t, await call(base, path), 'v2-model-metadata') as {
      name: string;
      versions: string[];
      inputs: { name: string; shape: number[]; parameters: { features: string[] } }[];
      outputs: { name: string; datatype: string }[];
    };
    t.equal(meta.name, 'iris_classifier');
    t.same(meta.versions, ['1']);
    t.same(meta.inputs[0]?.shape, [-1, 4]);
    t.same(meta.inputs[0]?.parameters.features, FEATURES);
    t.same(
      meta.outputs.map((o) => `${o.name}:${o.datatype}`),
      ['predictions:INT64', 'probabilities:FP32', 'labels:BYTES'],
    );
  }
});

t.test(
  'infer: one [N, 4] tensor, flat or nested, FP32 or FP64, gives all three outputs',
  async (t) => {
    for (const [body, what] of [
      [matrix(rows.flat()), 'flat FP32'],
      [matrix(rows, 'FP64'), 'nested FP64'],
    ] as const) {
      const answer = ok(
        t,
        await postJson(base, INFER, { id: 'req-7', ...body }),
        'v2-infer-response',
      );
      t.equal(answer.model_name, 'iris_classifier', what);
      t.equal(answer.model_version, '1');
      t.equal(answer.id, 'req-7', 'id is echoed');
      const out = answer.outputs as { name: string; shape: number[]; data: unknown[] }[];
      t.same(
        out.map((o) => [o.name, o.shape]),
        [
          ['predictions', [3]],
          ['probabilities', [3, 3]],
          ['labels', [3]],
        ],
      );
      t.same(out[0]?.data, [0, 1, 2], what);
      t.same(out[2]?.data, ['setosa', 'versicolor', 'virginica']);
      const p = out[1]?.data as number[];
      for (let r = 0; r < 3; r++)
        t.equal(Math.round((p[r * 3] ?? 0) + (p[r * 3 + 1] ?? 0) + (p[r * 3 + 2] ?? 0)), 1);
    }
  },
);

t.test('infer agrees with /predict and the version path answers the same', async (t) => {
  const single = await postJson(base, '/predict', { features: versicolor });
  const { prediction, probabilities } = single.json as {
    prediction: number;
    probabilities: Record<string, number>;
  };
  const answer = ok(
    t,
    await postJson(
      base,
      '/v2/models/iris_classifier/versions/1/infer',
      matrix([rows[1]], 'FP64', [1, 4]),
    ),
    'v2-infer-response',
  );
  const out = answer.outputs as { data: unknown[] }[];
  t.same(out[0]?.data, [prediction]);
  t.same(out[1]?.data, Object.values(probabilities));
});

t.test('infer: four [N] tensors named after the measurements, in any order', async (t) => {
  const inputs = [...FEATURES].reverse().map((name) => ({
    name,
    datatype: 'FP32',
    shape: [3],
    data: rows.map((r) => r[FEATURES.indexOf(name)]),
  }));
  const answer = ok(
    t,
    await postJson(base, INFER, { inputs, outputs: [{ name: 'labels' }] }),
    'v2-infer-response',
  );
  t.same(answer.outputs, [
    { name: 'labels', datatype: 'BYTES', shape: [3], data: ['setosa', 'versicolor', 'virginica'] },
  ]);
  t.notOk('id' in answer, 'no id sent, none echoed');
});

t.test('outputs selects among the outputs, in the order asked', async (t) => {
  const answer = ok(
    t,
    await postJson(base, INFER, {
      ...matrix(rows.flat()),
      outputs: [
        { name: 'probabilities' },
        { name: 'predictions', parameters: { binary_data: false } },
      ],
    }),
    'v2-infer-response',
  );
  t.same(
    (answer.outputs as { name: string }[]).map((o) => o.name),
    ['probabilities', 'predictions'],
  );
});

t.test('bad requests are 400 {"error"} saying what and where', async (t) => {
  const cases: [unknown, RegExp][] = [
    [{}, /\/inputs is required/],
    [matrix(rows.flat(), 'INT64'), /\/inputs\/0\/datatype must be one of "FP32", "FP64"/],
    [matrix(rows.flat(), 'FP32', [3, 3]), /\/inputs\/0\/shape must be \[N, 4\]/],
    [matrix(rows.flat().slice(1)), /\/inputs\/0\/data has 11 values; shape \[3, 4\] needs 12/],
    [matrix(['a']), /\/inputs\/0\/data\/0 must be number,array/],
    [
      matrix([[1, 2, 3, 42]], 'FP32', [1, 4]),
      /\/inputs\/0\/data\/3 must be a measurement from 0 to 10/,
    ],
    [matrix([], 'FP32', [0, 4]), /at least one flower/],
    [matrix(Array(24).fill(1), 'FP32', [6, 4]), /more than 5 rows \(--max-batch\)/],
    [
      {
        inputs: FEATURES.slice(0, 3).map((name) => ({
          name,
          datatype: 'FP32',
          shape: [1],
          data: [1],
        })),
      },
      /missing petal_width/,
    ],
    [
      { inputs: ['a', 'b'].map((name) => ({ name, datatype: 'FP32', shape: [1], data: [1] })) },
      /\/inputs\/0\/name must be one of sepal_length/,
    ],
    [
      { inputs: [{ name: 'sepal_length', datatype: 'FP32', shape: [1], data: [1] }] },
      /four \[N\] tensors/,
    ],
    [
      { ...matrix(rows.flat()), outputs: [{ name: 'species' }] },
      /\/outputs\/0\/name must be one of/,
    ],
    [
      { ...matrix(rows.flat()), outputs: [{ name: 'labels' }, { name: 'labels' }] },
      /labels is asked for twice/,
    ],
  ];
  for (const [body, expected] of cases)
    t.match(refused(t, await postJson(base, INFER, body), 400), expected);
  t.match(refused(t, await postJson(base, INFER, '{"inputs": ['), 400), /not valid JSON/);
  t.match(
    refused(
      t,
      await call(base, INFER, { body: '{}', headers: { 'content-type': 'text/plain' } }),
      415,
    ),
    /application\/json/,
  );
  t.match(
    refused(
      t,
      await call(base, INFER, {
        body: '{}',
        headers: { 'content-type': 'application/json', 'inference-header-content-length': '2' },
      }),
      400,
    ),
    /binary tensor data extension is not supported/,
  );
  const big = JSON.stringify(matrix(Array(2000).fill(1.25), 'FP32', [500, 4]));
  t.match(refused(t, await postJson(base, INFER, big), 413), /--max-body/);
});

t.test('an unknown model or version is 404 saying what is served', async (t) => {
  t.match(
    refused(t, await postJson(base, '/v2/models/other/infer', matrix(rows.flat())), 404),
    /unknown model "other"; this server serves "iris_classifier"/,
  );
  t.match(
    refused(t, await call(base, '/v2/models/iris_classifier/versions/9'), 404),
    /no version "9" here; this server serves version 1/,
  );
  t.match(refused(t, await call(base, '/v2/models/other/ready'), 404), /unknown model/);
  t.equal((await call(base, '/v2/models/iris_classifier/nope')).status, 404);
  t.equal((await call(base, INFER)).status, 405, 'GET on infer');
});

t.test('a runs:/ model answers to the configured model name', async (t) => {
  const runId = outcomes[0]?.result.run_id as string;
  const runs = await startTestServer(t, store, {
    uri: `runs:/${runId}/model`,
    modelName: 'flowers',
  });
  const meta = ok(t, await call(runs.url, '/v2/models/flowers'), 'v2-model-metadata');
  t.same(meta.versions, [runId]);
  const answer = ok(
    t,
    await postJson(runs.url, '/v2/models/flowers/infer', matrix(rows.flat())),
    'v2-infer-response',
  );
  t.equal(answer.model_version, runId);
});

t.test('with no model: live, not ready, infer 503 in the protocol form', async (t) => {
  const empty = await startTestServer(t, null);
  t.equal((await call(empty.url, '/v2/health/live')).status, 200);
  const ready = await call(empty.url, '/v2/health/ready');
  t.equal(ready.status, 503);
  t.same(ready.json, { ready: false });
  t.same((await call(empty.url, '/v2/models/iris_classifier/ready')).json, {
    name: 'iris_classifier',
    ready: false,
  });
  t.match(
    refused(t, await postJson(empty.url, INFER, matrix(rows.flat())), 503),
    /no model is loaded/,
  );
});

t.test('V2 requests are counted under their route pattern', async (t) => {
  const text = (await call(base, '/metrics')).text;
  t.match(text, /route="\/v2\/models\/\{name\}\/infer"/);
  t.notMatch(text, /route="\/v2\/models\/other/);
});
