/**
 * irisops ab report and ab promote as child processes against a real
 * `irisops serve --challenger … --split 50`: refused while undecided, accepted once planted
 * feedback (the bundled iris rows, true labels) shows the challenger really is better.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import t, { type Test } from 'tap';
import { validatorFor } from '../../src/schemas/index.js';
import type { AbReport } from '../../src/schemas/types.js';
import { readAliasHistory } from '../../src/tracking/alias-history.js';
import { LocalStore } from '../../src/tracking/local/index.js';
import { bundledDataPath } from '../../src/data/dataset.js';
import { expectOneError, runCli } from '../helpers/cli.js';
import { tempDir, trainInto } from '../helpers/fixtures.js';
import { freePort } from '../helpers/mlflow-server.js';
import { serveProcess } from '../helpers/serve-process.js';
import { call, JSON_HEADERS, postJson } from '../serve/helpers.js';

/** Every bundled row sent to one variant, then its true label posted as feedback. */
async function plant(t: Test, base: string, variant: 'champion' | 'challenger'): Promise<void> {
  const [header = '', ...lines] = readFileSync(bundledDataPath, 'utf8').trim().split('\n');
  const names = header.split(',');
  const items = [];
  for (const [i, line] of lines.entries()) {
    const cells = line.split(',');
    const features = Object.fromEntries(names.slice(0, 4).map((n, j) => [n, Number(cells[j])]));
    const id = `${variant}-${i}`;
    const r = await call(base, '/predict', {
      body: JSON.stringify({ features }),
      headers: { ...JSON_HEADERS, 'x-variant': variant, 'x-request-id': id },
    });
    if (r.status !== 200) t.fail(`predict ${r.status} ${r.text}`);
    items.push({ request_id: id, label: cells[4] });
  }
  const fed = await postJson(base, '/feedback', { items });
  t.equal(
    (fed.json as { matched: number }).matched,
    lines.length,
    `${variant}: every label matched`,
  );
}

t.test('nothing listening, or a bad URL: one line, exit 1 or 2', async (t) => {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  for (const command of ['report', 'promote']) {
    const r = await runCli(['ab', command, '--api-url', url, '--tracking-uri', tempDir(t)]);
    expectOneError(t, r, 1, new RegExp(`no A/B report from ${url}/ab: nothing is listening there`));
    t.match(r.stderr, /hint: start one: irisops serve --challenger /);
  }
  const bad = await runCli(['ab', 'report', '--api-url', 'ftp://x']);
  expectOneError(t, bad, 2, /--api-url expects an http\(s\) URL of irisops serve, got "ftp:\/\/x"/);
});

t.test('ab promote: refused while undecided, accepted when the challenger is better', async (t) => {
  const root = path.join(tempDir(t), 'mlruns');
  const store = new LocalStore(root, { now: () => Date.now() });
  await trainInto(store, { maxDepth: 1, nEstimators: 1 }); // v1: one split, at most two classes
  await trainInto(store, { nEstimators: 20 }); // v2
  await store.setAlias('iris_classifier', 'production', '1');
  const s = await serveProcess(t, [
    '--tracking-uri',
    root,
    '--challenger',
    'models:/iris_classifier/2',
    '--split',
    '50',
  ]);
  const cli = (args: string[]) =>
    runCli(['--tracking-uri', root, ...args, '--api-url', s.url], { env: { LOGNAME: 'erin' } });

  const early = await cli(['ab', 'promote']);
  expectOneError(
    t,
    early,
    1,
    /the verdict is "no significant difference yet" \(champion v1 no accuracy on 0 labels; challenger v2 no accuracy on 0 labels; about 60 more labels needed\): not promoted/,
  );
  t.equal((await store.getModelVersionByAlias('iris_classifier', 'production')).version, '1');
  t.same((await readAliasHistory(store, 'iris_classifier')).moves, [], 'nothing recorded');

  await plant(t, s.url, 'champion');
  await plant(t, s.url, 'challenger');
  const asJson = await cli(['ab', 'report', '--json']);
  t.equal(asJson.code, 0, asJson.stderr);
  const report = JSON.parse(asJson.stdout) as AbReport;
  t.ok(validatorFor('ab-report')(report), 'the body as is, valid');
  t.equal(report.test.verdict, 'challenger better');
  t.ok((report.champion.accuracy ?? 1) <= 0.67, `champion ${report.champion.accuracy}`);
  t.ok((report.challenger?.accuracy ?? 0) >= 0.9, `challenger ${report.challenger?.accuracy}`);

  const table = await cli(['ab', 'report']);
  t.equal(table.code, 0, table.stderr);
  t.match(table.stdout, /split 50 % to the challenger/);
  t.match(table.stdout, /champion\s+iris_classifier v1\s+\d+\s+150\s+0\.\d{3}\s+0\.\d{3}-0\.\d{3}/);
  t.match(table.stdout, /challenger\s+iris_classifier v2\s+\d+\s+150\s+0\.9\d\d/);
  t.match(table.stdout, /verdict: challenger better, p = \S+, difference \+0\.\d{3}/);
  t.match(table.stdout, /labels still needed: 0/);

  const promoted = await cli(['ab', 'promote', '--message', 'weekly A/B']);
  t.equal(promoted.code, 0, promoted.stderr);
  t.match(promoted.stdout, /iris_classifier @production: v1 → v2 \(challenger better\)/);
  t.equal((await store.getModelVersionByAlias('iris_classifier', 'production')).version, '2');
  const [move] = (await readAliasHistory(store, 'iris_classifier')).moves;
  t.match(move, {
    from: '1',
    to: '2',
    user: 'erin',
    via: 'ab promote',
    message: 'weekly A/B',
    reason:
      /^challenger better: champion v1 accuracy 0\.\d{3} \[.*\] on 150 labels; challenger v2 accuracy 0\.9\d\d \[.*\] on 150 labels; p = /,
  });
  s.child.kill('SIGTERM');
  t.equal((await s.exit).code, 0);
});
