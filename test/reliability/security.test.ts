/**
 * Nothing let in: serve binds loopback by default; `../` and absolute paths in run ids,
 * model names, versions, aliases and model URIs are refused before they become file paths;
 * planted secrets never reach any output of any command against a down server or a faulty
 * one; and every answer carries the hardening headers.
 */
import os from 'node:os';
import net from 'node:net';
import path from 'node:path';
import t from 'tap';
import { runCli, type CliResult } from '../helpers/cli.js';
import { startFaultProxy } from '../helpers/fault-proxy.js';
import { trainedStore } from '../helpers/fixtures.js';
import { freePort } from '../helpers/mlflow-server.js';
import { tempDir } from '../helpers/temp.js';
import { call, rawExchange, SAMPLES, startTestServer } from '../serve/helpers.js';
import { reportFigures, snapshot, startServe } from './helpers.js';

function connects(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, host);
    s.setTimeout(2000, () => {
      s.destroy();
      resolve(false);
    });
    s.on('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.on('error', () => resolve(false));
  });
}

t.test('serve listens on 127.0.0.1 unless told otherwise', async (t) => {
  const { root } = await trainedStore(t, { versions: 1, alias: 'production' });
  const served = await startServe(t, ['--tracking-uri', root]);
  const url = new URL(served.url);
  t.equal(url.hostname, '127.0.0.1', `listening on ${served.url}`);
  const port = Number(url.port);
  t.ok(await connects('127.0.0.1', port), 'reachable on loopback');
  const external = Object.values(os.networkInterfaces())
    .flat()
    .find((i) => i !== undefined && i.family === 'IPv4' && !i.internal);
  if (external) {
    t.notOk(await connects(external.address, port), `not reachable on ${external.address}`);
  } else {
    t.comment('no non-loopback interface to try');
  }
  served.child.kill('SIGTERM');
  t.equal((await served.exit).code, 0);
});

t.test(
  '../ and absolute paths in every name are refused, nothing outside is touched',
  async (t) => {
    const base = tempDir(t);
    const cwd = path.join(base, 'project');
    const { root } = await trainedStore(t, { versions: 1, alias: 'production' });
    const { mkdirSync, writeFileSync, cpSync } = await import('node:fs');
    mkdirSync(cwd);
    cpSync(root, path.join(cwd, 'mlruns'), { recursive: true });
    // decoys a traversal would find: a secret file next to the project, a fake run above it
    writeFileSync(path.join(base, 'secret.txt'), 'do-not-read');
    mkdirSync(path.join(base, 'etc'));
    writeFileSync(path.join(base, 'etc', 'meta.yaml'), 'run_id: etc\nstatus: 3\n');
    const before = snapshot(base);

    const refused: string[][] = [
      ['runs', 'show', '../../etc'],
      ['runs', 'show', '/etc/passwd'],
      ['runs', 'show', '..%2f..%2fetc'],
      ['runs', 'show', '../secret.txt', '--json'],
      ['registry', 'promote', '../x', '1'],
      ['registry', 'promote', '/tmp/x', '1'],
      ['registry', 'promote', 'iris_classifier', '../1'],
      ['registry', 'promote', 'iris_classifier', '/1'],
      ['registry', 'promote', 'iris_classifier', '1', '--alias', '../../x'],
      ['registry', 'promote', 'iris_classifier', '1', '--alias', '/etc'],
      ['registry', 'ls', '../x'],
      ['registry', 'ls', '/etc', '--json'],
      ['train', '--n-estimators', '5', '--model-name', '../evil'],
      ['train', '--n-estimators', '5', '--model-name', '/tmp/evil', '--json'],
      ['serve', '--port', '0', '--model', 'runs:/../../model'],
      ['serve', '--port', '0', '--model', 'models:/../x/1'],
      ['serve', '--port', '0', '--model', 'models:/iris_classifier/../1'],
      ['serve', '--port', '0', '--model', 'models:/iris_classifier@../x'],
      ['serve', '--port', '0', '--model', 'models:/%2e%2e/x/1'],
      ['serve', '--port', '0', '--model', 'runs:/0123456789abcdef0123456789abcdef/../../../etc'],
      ['serve', '--port', '0', '--model', 'runs:/0123456789abcdef0123456789abcdef//etc/passwd'],
    ];
    for (const args of refused) {
      const r = await runCli(args, { cwd, timeoutMs: 20_000 });
      t.ok(r.code === 1 || r.code === 2, `${args.join(' ')} → exit ${r.code}`, {
        stderr: r.stderr,
      });
      t.match(r.stderr, /^error: /m, r.stderr.split('\n').find((l) => l.startsWith('error')) ?? '');
      t.notMatch(r.stderr, /^\s+at /m, 'no stack trace');
      t.notMatch(`${r.stdout}${r.stderr}`, /do-not-read/, 'nothing outside was read');
    }
    // names that are only metadata may hold anything: they never become paths
    const meta = await runCli(
      [
        'train',
        '--n-estimators',
        '5',
        '--experiment',
        '../../outside',
        '--run-name',
        '/etc/x',
        '--json',
      ],
      { cwd },
    );
    t.equal(meta.code, 0, 'an experiment named ../../outside is just a name', {
      stderr: meta.stderr,
    });
    const after = snapshot(base);
    const outside = (s: Record<string, string>) =>
      Object.fromEntries(Object.entries(s).filter(([f]) => !f.startsWith('project/mlruns/')));
    t.same(outside(after), outside(before), 'no file outside the store was written or changed');
    reportFigures(t, 'path-traversal', { refused: refused.length, written_outside: 0 });
  },
);

t.test('planted secrets never appear in any output, against a down or faulty server', async (t) => {
  const S_TOKEN = 'planted-token-5b1e';
  const S_PASSWORD = 'planted-password-9c2d';
  const S_URI = 'planted-uri-secret-7e4f';
  const down = `http://127.0.0.1:${await freePort()}`;
  const failing = await startFaultProxy(t);
  const forbidden = await startFaultProxy(t);
  // the fault queue is consumed per request: keep plenty queued
  for (let i = 0; i < 500; i++) {
    failing.faults.push({ status: 500, body: '{"error_code":"INTERNAL_ERROR","message":"boom"}' });
    forbidden.faults.push({ status: 401, body: '{"error_code":"UNAUTHENTICATED"}' });
  }
  const withUser = (u: string) => u.replace('http://', `http://alice:${S_URI}@`);
  const targets = [down, failing.url, forbidden.url];
  const envs: Record<string, string>[] = [
    { MLFLOW_TRACKING_TOKEN: S_TOKEN },
    { MLFLOW_TRACKING_USERNAME: 'alice', MLFLOW_TRACKING_PASSWORD: S_PASSWORD },
    {},
  ];
  const commands: string[][] = [
    ['train', '--n-estimators', '5'],
    ['train', '--n-estimators', '5', '--json'],
    ['runs', 'ls'],
    ['runs', 'ls', '--json'],
    ['runs', 'show', '0123456789abcdef0123456789abcdef', '--json'],
    ['registry', 'ls', '--json'],
    ['registry', 'promote', 'iris_classifier', '1', '--json'],
    ['verify', '--json', '--only', 'tracking'],
    ['train', '--n-estimators', '5', '--debug'],
  ];
  const cwd = tempDir(t);
  let checked = 0;
  const leaks: string[] = [];
  const base = {
    MLFLOW_HTTP_REQUEST_MAX_RETRIES: '0',
    MLFLOW_HTTP_REQUEST_TIMEOUT: '2',
    IRISOPS_HTTP_TOTAL_TIMEOUT: '5',
  };
  const runs: Promise<void>[] = [];
  // every command against every target, each time with another way to pass the secret
  for (const [ti, target] of targets.entries())
    for (const [ci, args] of commands.entries()) {
      const env = envs[(ci + ti) % envs.length] ?? {};
      const uri = Object.keys(env).length === 0 ? withUser(target) : target;
      runs.push(
        runCli([...args, '--tracking-uri', uri], {
          cwd,
          env: { ...base, ...env },
          timeoutMs: 60_000,
        }).then((r: CliResult) => {
          checked++;
          const text = `${r.stdout}\n${r.stderr}`;
          for (const s of [S_TOKEN, S_PASSWORD, S_URI])
            if (text.includes(s)) leaks.push(`${args.join(' ')} @ ${target}: ${s}`);
          if (r.code === 0 && args[0] === 'train') leaks.push(`train succeeded against ${target}?`);
        }),
      );
      // two at a time: this machine has two cores
      if (runs.length % 2 === 0) await Promise.all(runs.splice(0));
    }
  await Promise.all(runs);
  // serve against a down store: it starts, answers 503, and its log must not leak either
  const served = await startServe(t, ['--tracking-uri', withUser(down), '--log-level', 'debug'], {
    env: { ...base, MLFLOW_TRACKING_TOKEN: S_TOKEN },
  }).catch((error: Error) => error);
  if (served instanceof Error) {
    t.notMatch(served.message, new RegExp(`${S_TOKEN}|${S_URI}`), 'serve error is redacted');
  } else {
    await call(served.url, '/health');
    served.child.kill('SIGTERM');
    await served.exit;
    const text = `${served.stdout()}\n${served.stderr()}`;
    t.notOk(text.includes(S_TOKEN) || text.includes(S_URI), 'serve output is redacted');
  }
  t.same(leaks, [], `${checked} command outputs hold no planted secret`);
  reportFigures(t, 'secrets', { outputs_checked: checked + 1, leaks: leaks.length });
});

t.test('hardening headers on every endpoint and every error', async (t) => {
  const { store } = await trainedStore(t, { versions: 1, alias: 'production' });
  const server = await startTestServer(t, store);
  const json = { 'content-type': 'application/json' };
  const cases: Array<[string, string, { body?: string; headers?: Record<string, string> }]> = [
    ['GET', '/', {}],
    ['GET', '/health', {}],
    ['GET', '/contract', {}],
    ['GET', '/ping', {}],
    ['GET', '/version', {}],
    ['GET', '/openapi.json', {}],
    ['GET', '/docs', {}],
    ['GET', '/metrics', {}],
    ['HEAD', '/health', {}],
    ['POST', '/predict', { body: JSON.stringify({ features: SAMPLES.setosa }), headers: json }],
    [
      'POST',
      '/predict/batch',
      { body: JSON.stringify({ instances: [SAMPLES.setosa] }), headers: json },
    ],
    [
      'POST',
      '/invocations',
      { body: JSON.stringify({ instances: [SAMPLES.setosa] }), headers: json },
    ],
    ['POST', '/predict', { body: '{"features":{}}', headers: json }],
    ['POST', '/predict', { body: '{', headers: json }],
    ['POST', '/predict', { body: 'x', headers: { 'content-type': 'text/plain' } }],
    ['POST', '/predict', { body: 'x'.repeat(70_000), headers: json }],
    ['GET', '/predict', {}],
    ['GET', '/nope', {}],
    ['GET', '/../../etc/passwd', {}],
  ];
  const openapi = (await call(server.url, '/docs')).text;
  for (const asset of openapi.match(/(?:src|href)="(\/[^"]+)"/g) ?? []) {
    cases.push(['GET', asset.replace(/^(src|href)="|"$/g, ''), {}]);
  }
  for (const [method, p, o] of cases) {
    const a = await call(server.url, p, { method, ...o });
    const where = `${method} ${p} → ${a.status}`;
    t.ok(a.headers['content-type'], `${where}: content-type ${a.headers['content-type']}`);
    t.equal(a.headers['x-content-type-options'], 'nosniff', `${where}: nosniff`);
    t.equal(a.headers['x-powered-by'], undefined, `${where}: no x-powered-by`);
    if (p === '/docs') t.match(a.headers['content-security-policy'], /default-src/, 'docs CSP');
  }
  const raw = await rawExchange(server.port, 'GET / HTTP/1.1\r\nBad Header\r\n\r\n');
  t.match(raw, /^HTTP\/1\.1 400 /);
  t.match(raw, /content-type: application\/problem\+json/i);
  t.match(raw, /x-content-type-options: nosniff/i);
  t.notMatch(raw, /x-powered-by/i);
  reportFigures(t, 'headers', { exchanges: cases.length + 1 });
});
