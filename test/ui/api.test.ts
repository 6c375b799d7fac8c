import t, { type Test } from 'tap';
import { readAliasHistory } from '../../src/tracking/alias-history.js';
import http from 'node:http';
import path from 'node:path';
import { validatorFor } from '../../src/schemas/index.js';
import { LocalStore } from '../../src/tracking/local/index.js';
import { MlflowStore } from '../../src/tracking/mlflow.js';
import type { TrackingStore } from '../../src/tracking/store.js';
import { cleanEnv, runCli } from '../helpers/cli.js';
import { mlflowPythonOrSkip, startMlflowServer } from '../helpers/mlflow-server.js';
import { tempDir } from '../helpers/temp.js';
import { seedStore, startUi, TOKEN, XSS_NAME } from './fixtures.js';

function localStore(t: Test): { root: string; store: LocalStore } {
  const root = path.join(tempDir(t), 'mlruns');
  return { root, store: new LocalStore(root, { now: () => Date.now() }) };
}

async function getJson(url: string): Promise<{ status: number; body: unknown }> {
  const res = await fetch(url);
  return { status: res.status, body: await res.json() };
}

function postAlias(url: string, body: unknown, headers: Record<string, string> = {}) {
  return fetch(`${url}/api/alias`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: url, 'x-csrf-token': TOKEN, ...headers },
    body: JSON.stringify(body),
  });
}

function valid(t: Test, schema: string, value: unknown) {
  const validate = validatorFor(schema);
  t.ok(validate(value), `${schema}: ${JSON.stringify(validate.errors)}`);
}

/** The API checks every store must pass: the same for the folder and the MLflow server. */
async function apiChecks(t: Test, store: TrackingStore) {
  const seeded = await seedStore(store);
  const ui = await startUi(t, store);
  const exps = await getJson(`${ui.url}/api/experiments`);
  t.equal(exps.status, 200);
  valid(t, 'ui-experiments', exps.body);

  const runs = await getJson(`${ui.url}/api/runs?experiment=${seeded.experimentId}`);
  t.equal(runs.status, 200);
  valid(t, 'runs-list', runs.body);
  const list = runs.body as { runs: { run_id: string }[]; page: { next_offset: number | null } };
  t.equal(list.runs.length, 5, 'every run of the experiment');
  t.equal(list.page.next_offset, null);

  const paged = await getJson(
    `${ui.url}/api/runs?experiment=${seeded.experimentId}&limit=2&offset=2`,
  );
  const page = paged.body as typeof list;
  t.equal(page.runs.length, 2, 'a page of two');
  t.equal(page.page.next_offset, 4);
  t.same(
    page.runs.map((r) => r.run_id),
    list.runs.slice(2, 4).map((r) => r.run_id),
  );

  const sorted = await getJson(
    `${ui.url}/api/runs?experiment=${seeded.experimentId}&sort=${encodeURIComponent('params.n_estimators ASC')}&filter=${encodeURIComponent("params.n_estimators != ''")}`,
  );
  t.same(
    (sorted.body as typeof list).runs.map((r) => r.run_id),
    [seeded.runIds.v1, seeded.runIds.v2],
  );

  const bad = await getJson(
    `${ui.url}/api/runs?experiment=${seeded.experimentId}&filter=metrics.accuracy%20%3E`,
  );
  t.equal(bad.status, 400, 'a filter that does not parse is a 400');
  t.match((bad.body as { detail: string }).detail, /invalid filter/);

  const detail = await getJson(`${ui.url}/api/run?id=${seeded.runIds.v1}`);
  t.equal(detail.status, 200);
  valid(t, 'run-detail', detail.body);
  const missing = await getJson(`${ui.url}/api/run?id=${'0'.repeat(32)}`);
  t.equal(missing.status, 404, 'an unknown run is a 404');
  valid(t, 'problem', missing.body);

  const registry = await getJson(`${ui.url}/api/registry`);
  valid(t, 'registry-list', registry.body);
  const pageBefore = await (await fetch(`${ui.url}/registry`)).text();
  t.match(pageBefore, /No recorded alias moves yet/, 'the registry page: no history yet');

  const moved = await postAlias(ui.url, {
    model: 'iris_classifier',
    version: '1',
    alias: 'production',
  });
  t.equal(moved.status, 200);
  const result = (await moved.json()) as unknown;
  valid(t, 'promote-result', result);
  t.match(result, { version: '1', previous_version: null });
  const { moves } = await readAliasHistory(store, 'iris_classifier', 'production');
  t.match(moves[0], { from: null, to: '1', user: 'ui-tester', via: 'ui' }, 'recorded as a move');
  const pageAfter = await (await fetch(`${ui.url}/registry`)).text();
  t.match(
    pageAfter,
    /<table class="history" id="history-iris_classifier">[\s\S]*@production[\s\S]*none → v1[\s\S]*ui-tester[\s\S]*<td>ui<\/td>/,
    'the registry page shows the move in its alias history',
  );
  return { ui, seeded };
}

t.test('the JSON API over a local folder: schemas, paging, errors, alias moves', async (t) => {
  const { root, store } = localStore(t);
  const { ui } = await apiChecks(t, store);

  // "only if better": the same refusal, word for word, as registry promote --if-better
  const refused = await postAlias(ui.url, {
    model: 'iris_classifier',
    version: '2',
    alias: 'production',
    if_better: true,
  });
  const body = (await refused.json()) as { status: number; detail: string };
  const cli = await runCli(
    [
      'registry',
      'promote',
      'iris_classifier',
      '2',
      '--if-better',
      'metrics.accuracy',
      '--tracking-uri',
      root,
    ],
    { env: cleanEnv() },
  );
  t.equal(cli.code, 1, cli.stderr);
  const cliLine = /error: (.*)/.exec(cli.stderr)?.[1] ?? '';
  t.ok(cliLine.length > 0, 'the CLI refused');
  t.equal(refused.status, 409, 'refused: a conflict, not a failure');
  t.equal(
    body.detail,
    `${cliLine} (retrain both on the same data and split, or pass --allow-different-data)`,
  );
  t.match(cliLine, /differ in params\.random_state/);
  const ls = await runCli(['registry', 'ls', '--json', '--tracking-uri', root], {
    env: cleanEnv(),
  });
  t.match(JSON.parse(ls.stdout), { models: [{ aliases: { production: '1' } }] }, 'still v1');
});

t.test('writes are refused cross-origin, without the token, and with --read-only', async (t) => {
  const { store } = localStore(t);
  await seedStore(store);
  const ui = await startUi(t, store);
  const move = { model: 'iris_classifier', version: '1', alias: 'production' };
  const forged = await postAlias(ui.url, move, { origin: 'http://evil.example' });
  t.equal(forged.status, 403, 'another origin');
  t.match(((await forged.json()) as { detail: string }).detail, /cross-origin/);
  const site = await postAlias(ui.url, move, { 'sec-fetch-site': 'cross-site' });
  t.equal(site.status, 403, 'Sec-Fetch-Site cross-site');
  const noToken = await postAlias(ui.url, move, { 'x-csrf-token': '' });
  t.equal(noToken.status, 403, 'no token');
  const form = await fetch(`${ui.url}/registry/alias`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://evil.example' },
    body: `csrf=${TOKEN}&model=iris_classifier&version=1&alias=production`,
    redirect: 'manual',
  });
  t.equal(form.status, 403, 'a forged form post');
  const badBody = await postAlias(ui.url, { model: 'iris_classifier', version: 'one', alias: 'x' });
  t.equal(badBody.status, 422, 'a body the schema refuses');
  t.equal(
    (await store.searchRegisteredModels())[0]?.aliases.production,
    undefined,
    'nothing moved',
  );

  const ro = await startUi(t, store, { readOnly: true });
  const refused = await postAlias(ro.url, move);
  t.equal(refused.status, 403);
  t.match(((await refused.json()) as { detail: string }).detail, /read-only/);
  t.notMatch(await (await fetch(`${ro.url}/registry`)).text(), /<form class="alias"/, 'no form');
});

t.test(
  'pages escape user text, send a strict CSP and answer only loopback Host names',
  async (t) => {
    const { store } = localStore(t);
    const seeded = await seedStore(store);
    const ui = await startUi(t, store);
    const res = await fetch(`${ui.url}/runs?experiment=${seeded.experimentId}`);
    const text = await res.text();
    t.match(res.headers.get('content-security-policy'), /default-src 'none'/);
    t.notOk(text.includes(XSS_NAME), 'the payload never appears raw');
    t.ok(text.includes('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;'), 'it is shown escaped');
    const run = await (await fetch(`${ui.url}/run?id=${seeded.runIds.xss}`)).text();
    t.notOk(run.includes('<script>'), 'no script on the run page either');
    // fetch will not send another Host; a raw request can, as a rebinding page's browser would
    const rebound = await new Promise<number>((resolve, reject) => {
      http
        .get(
          {
            host: '127.0.0.1',
            port: ui.port,
            path: '/',
            headers: { host: `evil.example:${ui.port}` },
          },
          (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          },
        )
        .on('error', reject);
    });
    t.equal(rebound, 421, 'a rebound DNS name is refused');
    t.equal((await fetch(`${ui.url}/nope`)).status, 404);
    const art = await fetch(
      `${ui.url}/artifact?run=${seeded.runIds.v1}&path=confusion_matrix.json`,
    );
    t.equal(art.status, 200);
    t.match(art.headers.get('content-disposition'), /attachment/);
    const escape = await fetch(`${ui.url}/artifact?run=${seeded.runIds.v1}&path=../../meta.yaml`);
    t.ok([400, 404].includes(escape.status), `only listed artifacts are served (${escape.status})`);
  },
);

const mlflow = mlflowPythonOrSkip();
t.test(
  'the same API over a real mlflow server',
  { skip: 'skip' in mlflow ? mlflow.skip : false },
  async (t) => {
    if (!('python' in mlflow)) return;
    const server = await startMlflowServer(t, mlflow.python);
    const store = new MlflowStore(server.url, {
      env: {},
      fetch: globalThis.fetch,
      now: () => Date.now(),
    });
    await apiChecks(t, store);
    const ls = await runCli(['registry', 'ls', '--json', '--tracking-uri', server.url], {
      env: cleanEnv(),
    });
    t.match(
      JSON.parse(ls.stdout),
      { models: [{ aliases: { production: '1' } }] },
      'the alias moved on the server',
    );
  },
);
