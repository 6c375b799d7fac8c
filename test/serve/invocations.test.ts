import t, { type Test } from 'tap';
import { validatorFor } from '../../src/schemas/index.js';
import { trainedStore } from '../helpers/fixtures.js';
import { call, postJson, SAMPLES, startTestServer, type Answer } from './helpers.js';

const { store } = await trainedStore(t, { versions: 1, alias: 'production' });
const server = await startTestServer(t, store);
const base = server.url;
const { setosa, versicolor, virginica } = SAMPLES;
const row = (f: typeof setosa | typeof versicolor | typeof virginica) => [
  f.sepal_length,
  f.sepal_width,
  f.petal_length,
  f.petal_width,
];
const COLUMNS = ['sepal_length', 'sepal_width', 'petal_length', 'petal_width'];

function predictions(t: Test, a: Answer): number[] {
  t.equal(a.status, 200, a.text);
  t.ok(validatorFor('invocations-response')(a.json), 'validates against invocations-response');
  return (a.json as { predictions: number[] }).predictions;
}

function refused(t: Test, a: Answer) {
  t.equal(a.status, 422, a.text);
  t.ok(validatorFor('problem')(a.json));
  return (a.json as { errors: { path: string; message: string }[] }).errors;
}

t.test('each of the four MLflow input forms gives class indices', async (t) => {
  const expected = [0, 1, 2];
  t.same(
    predictions(
      t,
      await postJson(base, '/invocations', {
        dataframe_split: { columns: COLUMNS, data: [row(setosa), row(versicolor), row(virginica)] },
      }),
    ),
    expected,
    'dataframe_split',
  );
  t.same(
    predictions(
      t,
      await postJson(base, '/invocations', { dataframe_records: [setosa, versicolor, virginica] }),
    ),
    expected,
    'dataframe_records',
  );
  t.same(
    predictions(
      t,
      await postJson(base, '/invocations', {
        instances: [row(setosa), versicolor, row(virginica)],
      }),
    ),
    expected,
    'instances (rows and records)',
  );
  t.same(
    predictions(
      t,
      await postJson(base, '/invocations', { inputs: [row(setosa), row(versicolor), virginica] }),
    ),
    expected,
    'inputs',
  );
});

t.test(
  'dataframe_split reads columns by name, in any order, with or without an index',
  async (t) => {
    const columns = ['petal_width', 'petal_length', 'sepal_width', 'sepal_length'];
    const data = [row(virginica).reverse(), row(setosa).reverse()];
    t.same(
      predictions(
        t,
        await postJson(base, '/invocations', { dataframe_split: { columns, index: [7, 8], data } }),
      ),
      [2, 0],
    );
    t.same(
      predictions(
        t,
        await postJson(base, '/invocations', { dataframe_split: { data: [row(versicolor)] } }),
      ),
      [1],
      'no columns: signature order',
    );
    const errors = refused(
      t,
      await postJson(base, '/invocations', {
        dataframe_split: { columns: ['a', 'b', 'c', 'd'], data: [[1, 2, 3, 4]] },
      }),
    );
    t.equal(errors[0]?.path, '/dataframe_split/columns');
    refused(
      t,
      await postJson(base, '/invocations', {
        dataframe_split: { columns: COLUMNS, data: [[1, 2, 3]] },
      }),
    );
  },
);

t.test('text/csv with a header row', async (t) => {
  const csv = `petal_length,sepal_length,sepal_width,petal_width\r\n1.4,5.1,3.5,0.2\r\n6.0,6.3,3.3,2.5\r\n`;
  t.same(
    predictions(
      t,
      await call(base, '/invocations', {
        body: csv,
        headers: { 'content-type': 'text/csv; charset=utf-8' },
      }),
    ),
    [0, 2],
  );
  const bad = refused(
    t,
    await call(base, '/invocations', {
      body: `${COLUMNS.join(',')}\n1,2,x,4\n1,2,3\n`,
      headers: { 'content-type': 'text/csv' },
    }),
  );
  t.same(
    bad.map((e) => e.path),
    ['/0/petal_length', '/1'],
  );
  refused(
    t,
    await call(base, '/invocations', {
      body: 'a,b\n1,2\n',
      headers: { 'content-type': 'text/csv' },
    }),
  );
});

t.test('a mix of forms, none, or params is refused with 422', async (t) => {
  const mix = refused(
    t,
    await postJson(base, '/invocations', { instances: [row(setosa)], inputs: [row(setosa)] }),
  );
  t.same(mix, [
    {
      path: '',
      message: 'must contain exactly one of dataframe_split, dataframe_records, instances, inputs',
    },
  ]);
  refused(t, await postJson(base, '/invocations', {}));
  const params = refused(
    t,
    await postJson(base, '/invocations', { instances: [row(setosa)], params: { threshold: 0.5 } }),
  );
  t.same(params, [
    { path: '/params', message: 'is not accepted: this model takes no inference parameters' },
  ]);
  const range = refused(t, await postJson(base, '/invocations', { instances: [[1, 2, 3, 11]] }));
  t.same(
    range.map((e) => e.path),
    ['/instances/0/3'],
  );
  t.equal(
    (
      await call(base, '/invocations', {
        body: '{}',
        headers: { 'content-type': 'application/xml' },
      })
    ).status,
    415,
  );
});

t.test('inputs may be an object of columns, as MLflow accepts', async (t) => {
  const flowers = [setosa, versicolor, virginica];
  const columns = Object.fromEntries(
    COLUMNS.map((c) => [c, flowers.map((f) => f[c as keyof typeof f])]),
  );
  t.same(predictions(t, await postJson(base, '/invocations', { inputs: columns })), [0, 1, 2]);
  const uneven = refused(
    t,
    await postJson(base, '/invocations', { inputs: { ...columns, petal_width: [0.2] } }),
  );
  t.same(uneven, [
    { path: '/inputs/petal_width', message: 'must have 3 values like /inputs/sepal_length, has 1' },
  ]);
  const missing = refused(
    t,
    await postJson(base, '/invocations', { inputs: { sepal_length: [5.1] } }),
  );
  t.ok(missing.some((e) => e.path === '/inputs/petal_width' && e.message === 'is required'));
  const range = refused(
    t,
    await postJson(base, '/invocations', { inputs: { ...columns, sepal_length: [5.1, 11, 6] } }),
  );
  t.ok(range.some((e) => e.path === '/inputs/sepal_length/1'));
});
