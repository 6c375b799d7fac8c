import t from 'tap';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { bundledDataPath } from '../../src/data/dataset.js';
import { startUiServer } from '../../src/ui/index.js';
import { trainedStore, trainInto } from '../helpers/fixtures.js';
import { tempDir } from '../helpers/temp.js';
import { check, closedPort, json, serveOn, verifyDeps } from './helpers.js';

/** a project folder whose config points at the given store */
function project(
  t: Parameters<typeof tempDir>[0],
  root: string,
  extra: Record<string, unknown> = {},
): string {
  const dir = tempDir(t);
  writeFileSync(
    path.join(dir, 'irisops.config.json'),
    JSON.stringify({ tracking_uri: root, ...extra }),
  );
  mkdirSync(path.join(dir, 'data'));
  copyFileSync(bundledDataPath, path.join(dir, 'data', 'iris.csv'));
  return dir;
}

t.test('the model chain passes on a trained, promoted store', async (t) => {
  const { root } = await trainedStore(t, { versions: 2, alias: 'production' });
  const deps = verifyDeps(project(t, root));
  t.match(await check('tracking', deps), {
    status: 'pass',
    message: /local folder .*mlruns is readable/,
  });
  t.match(await check('experiment', deps), {
    status: 'pass',
    message: /experiment "iris-classification" .* has finished runs/,
  });
  t.match(await check('model', deps), {
    status: 'pass',
    message: 'registered model iris_classifier: 2 versions, latest 2',
  });
  t.match(await check('promoted', deps), {
    status: 'pass',
    message: /iris_classifier@production is version 2 \(run [0-9a-f]{8}/,
  });
  t.match(await check('artifact', deps), {
    status: 'pass',
    message: /version 2\) loads; model\.json sha256:[0-9a-f]{12}… matches/,
  });
  t.match(await check('data', deps), {
    status: 'pass',
    message: /sha256 9cc1c345c71b… as recorded by version 2/,
  });
});

t.test(
  '[ui] on a local store: which UI answers at ui_port, or the command to start one',
  async (t) => {
    const { root, store } = await trainedStore(t, { versions: 1 });
    const dir = project(t, root);
    const at = (uiPort: number) => verifyDeps(dir, { flags: { uiPort } });
    const closed = await closedPort();
    t.match(await check('ui', at(closed)), {
      status: 'warn',
      message: new RegExp(`no UI answers at http://127\\.0\\.0\\.1:${closed}/`),
      hint: new RegExp(`^irisops ui --port ${closed} .*mlflow ui --backend-store-uri`),
    });
    t.match(await check('ui', at(closed), true), { status: 'fail' }, 'a failure under --strict');

    const ui = await startUiServer({
      host: '127.0.0.1',
      port: 0,
      store,
      readOnly: true,
      defaultAlias: 'production',
      machine: 'test-host',
      alive: () => true,
      user: 'test',
      now: () => Date.now(),
      token: 'token-0123456789abcdef',
    });
    t.teardown(() => ui.close());
    const uiPort = Number(new URL(ui.url).port);
    t.match(await check('ui', at(uiPort)), { status: 'pass', message: /^irisops ui answers at/ });

    const other = await serveOn(t, (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<!doctype html><html><title>MLflow</title></html>');
    });
    t.match(await check('ui', at(Number(new URL(other).port))), {
      status: 'pass',
      message: /a web UI \(not irisops ui; mlflow ui\?\) answers/,
    });
    const notUi = await serveOn(t, (_req, res) => json(res, 404, { error: 'nope' }));
    t.match(await check('ui', at(Number(new URL(notUi).port))), {
      status: 'warn',
      message: /answered 404, not a UI page/,
    });
  },
);

t.test(
  'an empty store: tracking passes, experiment and model fail with train, the rest are skipped',
  async (t) => {
    const dir = tempDir(t);
    const deps = verifyDeps(dir);
    t.match(await check('tracking', deps), {
      status: 'pass',
      message: /does not exist yet; irisops train creates it/,
    });
    t.match(await check('experiment', deps), {
      status: 'fail',
      message: /no experiment "iris-classification"/,
      hint: 'irisops train',
    });
    const model = await check('model', deps);
    t.match(model, {
      status: 'fail',
      message: /no registered model iris_classifier/,
      hint: 'irisops train && irisops registry promote iris_classifier 1 --alias production',
    });
    t.match(await check('promoted', deps), {
      status: 'fail',
      message: 'skipped: no registered model iris_classifier',
      hint: model.hint,
    });
    t.match(await check('artifact', deps), {
      status: 'fail',
      message: /^skipped: /,
      hint: model.hint,
    });
  },
);

t.test('[experiment] fails when the experiment has no FINISHED run', async (t) => {
  const { root, store } = await trainedStore(t, { versions: 0 });
  const exp = await store.createExperiment('iris-classification');
  const run = await store.createRun({
    experimentId: exp.experiment_id,
    runName: 'crashed',
    startTime: Date.now(),
    userId: 'x',
  });
  await store.updateRun(run.run_id, 'FAILED', Date.now());
  t.match(await check('experiment', verifyDeps(project(t, root))), {
    status: 'fail',
    message: /has no FINISHED run/,
    hint: `irisops train`,
  });
});

t.test('[promoted] fails when the alias is unset, naming the latest version', async (t) => {
  const { root } = await trainedStore(t, { versions: 2 });
  const dir = project(t, root);
  t.match(await check('promoted', verifyDeps(dir)), {
    status: 'fail',
    message: /alias production of iris_classifier is not set \(versions: 2, 1\)/,
    hint: 'irisops registry promote iris_classifier 2 --alias production',
  });
  t.match(await check('promoted', verifyDeps(dir, { flags: { alias: 'staging' } })), {
    hint: 'irisops registry promote iris_classifier 2 --alias staging',
  });
  t.match(await check('artifact', verifyDeps(dir)), {
    status: 'fail',
    message: 'skipped: iris_classifier@production is not set',
  });
});

t.test('[artifact] fails when model.json changed after it was logged', async (t) => {
  const { root, outcomes } = await trainedStore(t, { versions: 1, alias: 'production' });
  const { run_id, experiment_id } = outcomes[0]!.result;
  const file = path.join(root, experiment_id, run_id, 'artifacts', 'model', 'model.json');
  writeFileSync(
    file,
    readFileSync(file, 'utf8').replace(/"n_estimators":\s*\d+/, '"n_estimators": 3'),
  );
  const r = await check('artifact', verifyDeps(project(t, root)));
  t.match(r, {
    status: 'fail',
    message: /does not match the .* its run recorded/,
    hint: 'irisops train && irisops registry promote iris_classifier 2 --alias production',
  });
});

t.test(
  '[data] fails when the file differs from the data the promoted version was trained on',
  async (t) => {
    const { root } = await trainedStore(t, { versions: 1, alias: 'production' });
    const dir = project(t, root);
    const file = path.join(dir, 'data', 'iris.csv');
    writeFileSync(
      file,
      readFileSync(file, 'utf8').replace('5.1,3.5,1.4,0.2,setosa', '5.0,3.5,1.4,0.2,setosa'),
    );
    t.match(await check('data', verifyDeps(dir)), {
      status: 'fail',
      message:
        /sha256 [0-9a-f]{12}… differs from 9cc1c345c71b…, the data iris_classifier@production \(version 1\) was trained on/,
      hint: 'irisops init --yes --force --no-docker --no-ci',
    });
    // trained on other data: the fix is a model trained on the data as it is now
    const other = await trainedStore(t, { versions: 0 });
    const changed = path.join(tempDir(t), 'changed.csv');
    writeFileSync(changed, readFileSync(file));
    const outcome = await trainInto(other.store, { dataPath: changed });
    await other.store.setAlias(
      'iris_classifier',
      'production',
      outcome.result.registered_model?.version ?? '1',
    );
    t.match(await check('data', verifyDeps(project(t, other.root))), {
      status: 'fail',
      hint: `irisops train && irisops registry promote iris_classifier 2 --alias production`,
    });
  },
);

t.test(
  '[tracking] with an MLflow server: passes when /health answers, fails with the command that starts it',
  async (t) => {
    const up = await serveOn(t, (req, res) =>
      req.url === '/health'
        ? res.end('OK')
        : req.url === '/'
          ? res.end('<!doctype html><title>MLflow</title>')
          : json(res, 404, {}),
    );
    const dir = tempDir(t);
    t.match(await check('tracking', verifyDeps(dir, { flags: { trackingUri: up } })), {
      status: 'pass',
      message: `MLflow server ${up} answers /health`,
    });
    t.match(await check('ui', verifyDeps(dir, { flags: { trackingUri: up } })), {
      status: 'pass',
      message: `MLflow UI answers at ${up}/`,
    });
    const port = await closedPort();
    const down = `http://127.0.0.1:${port}`;
    const r = await check('tracking', verifyDeps(dir, { flags: { trackingUri: down } }));
    t.match(r, {
      status: 'fail',
      message: `MLflow server ${down} does not answer`,
      hint: `mlflow server --host 127.0.0.1 --port ${port}`,
    });
    t.match(await check('experiment', verifyDeps(dir, { flags: { trackingUri: down } })), {
      status: 'fail',
      message: 'skipped: the tracking store is unreachable',
      hint: r.hint,
    });
    t.match(await check('ui', verifyDeps(dir, { flags: { trackingUri: down } })), {
      status: 'warn',
      message: 'skipped: the tracking store is unreachable',
    });
    t.match(
      await check('tracking', verifyDeps(dir, { flags: { trackingUri: 'sqlite:///mlflow.db' } })),
      { status: 'fail', message: /does not open database stores/, hint: /mlflow server/ },
    );
  },
);

t.test('[ui] warns when the server answers /health but serves no UI', async (t) => {
  const noUi = await serveOn(t, (req, res) =>
    req.url === '/health' ? res.end('OK') : json(res, 404, {}),
  );
  const r = await check('ui', verifyDeps(tempDir(t), { flags: { trackingUri: noUi } }));
  t.match(r, { status: 'warn', level: 'warn', message: /answered 404 without the MLflow UI page/ });
  t.match(await check('ui', verifyDeps(tempDir(t), { flags: { trackingUri: noUi } }), true), {
    status: 'fail',
  });
});
