import t from 'tap';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { bundledDataPath, FEATURES, loadDataset } from '../../src/data/dataset.js';
import { seededRandom } from '../../src/data/random.js';
import { validatorFor } from '../../src/schemas/index.js';
import type { DriftReport } from '../../src/monitor/types.js';
import { runCli } from '../helpers/cli.js';
import { trainedStore } from '../helpers/fixtures.js';
import { serveProcess } from '../helpers/serve-process.js';

const validateReport = validatorFor<DriftReport>('drift-report');
const validateLine = validatorFor('prediction-log-line');

async function shiftedInstances(n: number, shift: number) {
  const data = await loadDataset(bundledDataPath);
  const random = seededRandom(11);
  return Array.from({ length: n }, () => {
    const x = data.x[Math.floor(random() * data.x.length)] as number[];
    return Object.fromEntries(
      FEATURES.map((f, k) => [
        f,
        f === 'petal_length' ? Math.min(10, (x[k] as number) + shift) : x[k],
      ]),
    );
  });
}

const post = (url: string, body: unknown) =>
  fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

t.test(
  'live drift: GET /drift, the gauges, and the prediction log agree with irisops drift',
  async (t) => {
    const { root } = await trainedStore(t, { versions: 1, alias: 'production' });
    const dir = path.dirname(root);
    const served = await serveProcess(
      t,
      ['--log-predictions', 'predictions.jsonl', '--drift-window', '500'],
      { cwd: dir },
    );

    const empty = (await (await fetch(`${served.url}/drift`)).json()) as DriftReport;
    t.equal(empty.verdict, 'insufficient data');
    t.equal(empty.n, 0);

    const instances = await shiftedInstances(200, 2);
    t.equal(
      (await post(`${served.url}/predict/batch`, { instances: instances.slice(0, 150) })).status,
      200,
    );
    for (const features of instances.slice(150))
      t.equal((await post(`${served.url}/predict`, { features })).status, 200);
    const inv = await post(`${served.url}/invocations`, {
      dataframe_records: instances.slice(0, 10),
    });
    t.equal(inv.status, 200);

    const res = await fetch(`${served.url}/drift`);
    t.equal(res.status, 200);
    const live = (await res.json()) as DriftReport;
    t.ok(validateReport(live), JSON.stringify(validateReport.errors));
    t.equal(live.n, 210);
    t.equal(live.model_version, '1');
    t.same(live.source, { kind: 'live', rows: 210, lines_skipped: 0 });
    t.same(Object.fromEntries(live.features.map((f) => [f.name, f.verdict])), {
      sepal_length: 'stable',
      sepal_width: 'stable',
      petal_length: 'drift',
      petal_width: 'stable',
    });
    t.ok(live.predictions && live.predictions.n === 210, 'the predicted classes are tested too');

    const metrics = await (await fetch(`${served.url}/metrics`)).text();
    t.match(metrics, /^irisops_drift_status\{feature="petal_length",model_version="1"\} 3$/m);
    t.match(metrics, /^irisops_drift_status\{feature="sepal_width",model_version="1"\} 1$/m);
    t.match(metrics, /^irisops_drift_window_samples\{model_version="1"\} 210$/m);
    t.match(metrics, /^irisops_drift_psi\{feature="predicted_class",model_version="1"\} /m);

    const asked = await fetch(`${served.url}/drift?model_version=9`);
    t.equal(asked.status, 404, 'a version never served has no window');

    served.child.kill('SIGTERM');
    t.equal((await served.exit).code, 0);
    const lines = readFileSync(path.join(dir, 'predictions.jsonl'), 'utf8').trimEnd().split('\n');
    t.equal(lines.length, 210, 'one line per answered prediction, flushed at shutdown');
    t.ok(
      lines.every((l) => validateLine(JSON.parse(l))),
      'every line matches its schema',
    );

    const offline = await runCli(['drift', '--requests', 'predictions.jsonl', '--json'], {
      cwd: dir,
    });
    t.equal(offline.code, 0, offline.stderr);
    const report = JSON.parse(offline.stdout) as DriftReport;
    t.same(report.features, live.features, 'offline and live figures agree on the same rows');
    t.same(report.predictions, live.predictions);
  },
);

t.test('the prediction log rotates past --log-predictions-max-mb', async (t) => {
  const { root } = await trainedStore(t, { versions: 1, alias: 'production' });
  const dir = path.dirname(root);
  const served = await serveProcess(
    t,
    ['--log-predictions', 'p.jsonl', '--log-predictions-max-mb', '0.002'],
    { cwd: dir },
  );
  for (const features of await shiftedInstances(40, 0))
    t.equal((await post(`${served.url}/predict`, { features })).status, 200);
  served.child.kill('SIGTERM');
  t.equal((await served.exit).code, 0);
  t.ok(existsSync(path.join(dir, 'p.jsonl.1')), 'rotated once the file passed 2 KB');
  t.notOk(existsSync(path.join(dir, 'p.jsonl.4')), 'three rotated files are kept');
  for (const file of ['p.jsonl', 'p.jsonl.1', 'p.jsonl.2', 'p.jsonl.3'].filter((f) =>
    existsSync(path.join(dir, f)),
  )) {
    const text = readFileSync(path.join(dir, file), 'utf8');
    t.ok(text === '' || text.endsWith('\n'), `${file} ends on a whole line`);
    t.ok(
      text
        .trimEnd()
        .split('\n')
        .filter(Boolean)
        .every((l) => validateLine(JSON.parse(l))),
      `${file}: whole lines only`,
    );
  }
});

t.test('a model without a reference profile serves; /drift says why', async (t) => {
  const { root, outcomes } = await trainedStore(t, { versions: 1, alias: 'production' });
  const r = outcomes[0]!.result;
  rmSync(
    path.join(root, r.experiment_id, r.run_id, 'artifacts', 'model', 'reference-profile.json'),
  );
  const served = await serveProcess(t, [], { cwd: path.dirname(root) });
  const features = Object.fromEntries(FEATURES.map((f) => [f, 1.5]));
  t.equal((await post(`${served.url}/predict`, { features })).status, 200);
  const res = await fetch(`${served.url}/drift`);
  t.equal(res.status, 409);
  t.match(
    ((await res.json()) as { detail: string }).detail,
    /model version 1: no reference profile \(trained before irisops logged one\)/,
  );
  t.notMatch(await (await fetch(`${served.url}/metrics`)).text(), /irisops_drift_status\{/);
  served.child.kill('SIGTERM');
  await served.exit;
});
