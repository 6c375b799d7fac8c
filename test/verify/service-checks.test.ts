import t from 'tap';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { trainedStore } from '../helpers/fixtures.js';
import { tempDir } from '../helpers/temp.js';
import {
  check,
  closedPort,
  contract,
  fakeService,
  HEALTHY,
  NO_MODEL,
  SETOSA_ANSWER,
  verifyDeps,
} from './helpers.js';

t.test('a healthy service passes api, predict and contract', async (t) => {
  const url = await fakeService(t);
  const deps = verifyDeps(tempDir(t), { flags: { apiUrl: url } });
  t.match(await check('api', deps), {
    status: 'pass',
    message: `${url}/health is healthy, serving iris_classifier version 1`,
  });
  t.match(await check('predict', deps), {
    status: 'pass',
    message: /a setosa row predicts setosa/,
  });
  const contract = await check('contract', deps);
  t.match(contract, {
    status: 'pass',
    message: /equals the predict-request and predict-response schemas of irisops \d+\.\d+\.\d+/,
  });
  t.notMatch(contract.message, /schemas\//, 'no path a scaffolded project does not have');
});

t.test(
  'a missing service: api fails with the serve command, predict and contract are skipped',
  async (t) => {
    const dir = tempDir(t);
    const port = await closedPort();
    const url = `http://127.0.0.1:${port}`;
    const deps = verifyDeps(dir, { flags: { apiUrl: url } });
    const api = await check('api', deps);
    t.match(api, {
      status: 'fail',
      message: `nothing answers at ${url}/health: ECONNREFUSED`,
      hint: `irisops serve --port ${port}`,
    });
    t.match(await check('predict', deps), {
      status: 'fail',
      message: `skipped: nothing answers at ${url}`,
      hint: api.hint,
    });
    t.match(await check('contract', deps), {
      status: 'fail',
      message: `skipped: nothing answers at ${url}`,
    });
    // the default URL comes from the config's port, and then `irisops serve` alone is the fix
    writeFileSync(path.join(dir, 'irisops.config.json'), JSON.stringify({ port }));
    t.match(await check('api', verifyDeps(dir)), { status: 'fail', hint: 'irisops serve' });
  },
);

t.test('a service with no model (503): api fails, pointing at the missing promotion', async (t) => {
  const url = await fakeService(t, { health: NO_MODEL });
  const { root } = await trainedStore(t, { versions: 1 });
  const deps = verifyDeps(tempDir(t), { flags: { apiUrl: url, trackingUri: root } });
  t.match(await check('api', deps), {
    status: 'fail',
    message: /answered 503: the service has no model loaded/,
    hint: `irisops registry promote iris_classifier 1 --alias production --tracking-uri ${root}`,
  });
  t.match(await check('predict', deps), {
    status: 'fail',
    message: /skipped: the service at .* is not healthy/,
  });
  t.match(await check('contract', deps), { status: 'pass' }, '/contract needs no model');
});

t.test('a service serving another model than the promoted one: api warns', async (t) => {
  const { root } = await trainedStore(t, { versions: 1, alias: 'production' });
  const url = await fakeService(t, {
    health: { status: 200, body: { ...HEALTHY.body, model_digest: `sha256:${'0'.repeat(64)}` } },
  });
  const r = await check(
    'api',
    verifyDeps(tempDir(t), { flags: { apiUrl: url, trackingUri: root } }),
  );
  t.match(r, {
    status: 'warn',
    level: 'required',
    message: /serves iris_classifier version 1, not iris_classifier@production .*restart it/,
    hint: /^irisops serve --tracking-uri .* --port \d+$/,
  });
});

t.test(
  '[predict] fails on a wrong prediction, an invalid answer, or an error status',
  async (t) => {
    const wrong = await fakeService(t, {
      predict: {
        status: 200,
        body: { ...SETOSA_ANSWER.body, prediction: 2, prediction_label: 'virginica' },
      },
    });
    t.match(await check('predict', verifyDeps(tempDir(t), { flags: { apiUrl: wrong } })), {
      status: 'fail',
      message: /a setosa row \(5\.1, 3\.5, 1\.4, 0\.2\) was predicted virginica/,
      hint: /^irisops train && irisops registry promote iris_classifier \d+ --alias production$/,
    });
    const invalid = await fakeService(t, {
      predict: { status: 200, body: { prediction: 0, prediction_label: 'setosa' } },
    });
    t.match(await check('predict', verifyDeps(tempDir(t), { flags: { apiUrl: invalid } })), {
      status: 'fail',
      message: /does not match schemas\/predict-response\.schema\.json \(\/confidence is required/,
    });
    const error = await fakeService(t, {
      predict: { status: 422, body: { title: 'bad', detail: 'features is required' } },
    });
    t.match(await check('predict', verifyDeps(tempDir(t), { flags: { apiUrl: error } })), {
      status: 'fail',
      message: /answered 422: features is required/,
    });
  },
);

t.test(
  '[contract] fails on a service serving a different contract, naming where it differs',
  async (t) => {
    const c = contract();
    const changed = JSON.parse(JSON.stringify(c)) as {
      output_schema: { properties: Record<string, unknown> };
    };
    changed.output_schema.properties.extra = { type: 'string' };
    const url = await fakeService(t, { contract: changed });
    const r = await check('contract', verifyDeps(tempDir(t), { flags: { apiUrl: url } }));
    t.match(r, {
      status: 'fail',
      message:
        /differs from the predict-request .* of irisops .* at output_schema\.properties\.extra \(only on the service\)/,
      hint: /^irisops serve --port \d+$/,
    });
    const older = await fakeService(t, {
      contract: {
        ...c,
        input_schema: {
          ...c.input_schema,
          $id: 'https://irisops.dev/schemas/predict-request/v0.json',
        },
      },
    });
    t.match(await check('contract', verifyDeps(tempDir(t), { flags: { apiUrl: older } })), {
      status: 'fail',
      message: /at input_schema\.\$id/,
    });
  },
);

t.test('a non-irisops service answering /health differently fails api', async (t) => {
  const url = await fakeService(t, { health: { status: 200, body: { ok: true } } });
  t.match(await check('api', verifyDeps(tempDir(t), { flags: { apiUrl: url } })), {
    status: 'fail',
    message: /not an irisops service/,
  });
});
