import t from 'tap';
import { validatorFor } from '../../src/schemas/index.js';
import { tempDir, trainInto } from '../helpers/fixtures.js';
import { LocalStore } from '../../src/tracking/local/index.js';
import { call, postJson, SAMPLES, startTestServer } from './helpers.js';

t.test(
  'without a model the server starts and answers 503 on /health, /predict and /ping, then serves once one is trained',
  async (t) => {
    const store = new LocalStore(`${tempDir(t)}/mlruns`, { now: () => Date.now() });
    const server = await startTestServer(t, store);
    const base = server.url;
    t.ok(
      server.logs.some(
        (l) => l.level === 'warn' && /no model/.test(l.msg) && l.hint === 'irisops train',
      ),
      'a warning with the command that fixes it',
    );

    const health = await call(base, '/health');
    t.equal(health.status, 503);
    t.ok(validatorFor('health')(health.json));
    t.same(health.json, {
      ...(health.json as object),
      status: 'unhealthy',
      model_loaded: false,
      model_version: null,
    });

    for (const path of ['/predict', '/predict/batch', '/invocations']) {
      const body =
        path === '/predict'
          ? { features: SAMPLES.setosa }
          : path === '/predict/batch'
            ? { instances: [SAMPLES.setosa] }
            : { instances: [SAMPLES.setosa] };
      const a = await postJson(base, path, body);
      t.equal(a.status, 503, path);
      t.equal(a.headers['content-type'], 'application/problem+json');
      t.ok(validatorFor('problem')(a.json));
      t.match((a.json as { detail: string }).detail, /irisops train/);
    }
    t.equal((await call(base, '/ping')).status, 503);
    t.equal((await call(base, '/')).status, 200, 'service info still answers');
    // validation still runs first: a bad body is the client's problem whatever the model state
    t.equal((await postJson(base, '/predict', {})).status, 422);

    await trainInto(store);
    t.equal(await server.holder.reload('SIGHUP'), 'loaded');
    t.equal((await call(base, '/health')).status, 200);
    t.equal((await postJson(base, '/predict', { features: SAMPLES.setosa })).status, 200);
  },
);
