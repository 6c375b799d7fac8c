import { spawn } from 'node:child_process';
import { chmodSync } from 'node:fs';
import http from 'node:http';
import t, { type Test } from 'tap';
import { serveProcess, type Served } from '../helpers/serve-process.js';
import { bin, cleanEnv, nobody, repoRoot, runAs, runCli } from '../helpers/cli.js';
import { tempDir, trainedStore } from '../helpers/fixtures.js';
import { call, postJson, SAMPLES, type Answer } from './helpers.js';

/** `irisops serve` on a free port from the repo root, the way this file's tests want it. */
function serve(t: Test, args: string[]): Promise<Served> {
  return serveProcess(t, args);
}

function halfSent(base: string) {
  const body = JSON.stringify({ features: SAMPLES.versicolor });
  let finish = () => undefined as void;
  const answer = new Promise<Answer>((resolve, reject) => {
    const req = http.request(
      `${base}/predict`,
      {
        method: 'POST',
        agent: false,
        headers: { 'content-type': 'application/json', 'content-length': String(body.length) },
      },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text,
            json: JSON.parse(text) as unknown,
          }),
        );
      },
    );
    req.on('error', reject);
    req.write(body.slice(0, 10));
    req.flushHeaders();
    finish = () => void req.end(body.slice(10));
  });
  return { answer, finish: () => finish() };
}

t.test(
  'irisops serve prints URL, model and docs, serves, and exits 0 on SIGTERM after finishing in-flight requests',
  async (t) => {
    const { root } = await trainedStore(t, { versions: 1, alias: 'production' });
    const s = await serve(t, ['--tracking-uri', root, '--drain-ms', '200']);
    t.match(s.stderr(), /model: iris_classifier version 1 \(@production\)/);
    t.match(s.stderr(), /docs: +http:\/\/127\.0\.0\.1:\d+\/docs/);
    const a = await postJson(s.url, '/predict', { features: SAMPLES.setosa });
    t.equal(a.status, 200);
    t.match(a.json, { prediction_label: 'setosa', model_version: '1' });

    const inFlight = Array.from({ length: 5 }, () => halfSent(s.url));
    await new Promise((r) => setTimeout(r, 150));
    s.child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 100));
    t.equal((await call(s.url, '/health')).status, 503, 'draining');
    await new Promise((r) => setTimeout(r, 200));
    for (const r of inFlight) r.finish();
    const answers = await Promise.all(inFlight.map((r) => r.answer));
    t.same(
      answers.map((x) => x.status),
      [200, 200, 200, 200, 200],
      'all in-flight requests completed',
    );
    t.same(await s.exit, { code: 0, signal: null }, 'exit 0');
  },
);

t.test(
  'irisops serve with no model starts, answers 503, and says which command fixes it',
  async (t) => {
    const s = await serve(t, ['--tracking-uri', `${tempDir(t)}/mlruns`]);
    t.match(s.stderr(), /warning: no model to serve/);
    t.match(s.stderr(), /hint: irisops train/);
    t.equal((await call(s.url, '/health')).status, 503);
    t.equal((await postJson(s.url, '/predict', { features: SAMPLES.setosa })).status, 503);
    s.child.kill('SIGINT');
    t.same(await s.exit, { code: 0, signal: null });
  },
);

t.test(
  'irisops serve --workers 2 shares the port, aggregates /metrics and stops on SIGTERM',
  async (t) => {
    const { root } = await trainedStore(t, { versions: 1, alias: 'production' });
    const s = await serve(t, ['--tracking-uri', root, '--workers', '2']);
    t.match(s.stderr(), /with 2 workers/);
    for (let i = 0; i < 6; i++)
      t.equal((await postJson(s.url, '/predict', { features: SAMPLES.virginica })).status, 200);
    const metrics = await call(s.url, '/metrics');
    t.match(
      metrics.text,
      /irisops_http_requests_total\{route="\/predict",method="POST",status="200"\} 6\b/,
      'counts from both workers',
    );
    s.child.kill('SIGTERM');
    t.same(await s.exit, { code: 0, signal: null });
  },
);

t.test('a malformed --model is a usage error (exit 2)', async (t) => {
  const child = spawn(
    process.execPath,
    [bin, 'serve', '--port', '0', '--model', 'nonsense', '--tracking-uri', `${tempDir(t)}/mlruns`],
    { cwd: repoRoot, env: cleanEnv(), stdio: 'pipe' },
  );
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const code = await new Promise((resolve) => child.on('exit', resolve));
  t.equal(code, 2);
  t.match(stderr, /not a model URI/);
});

t.test(
  'bound to every interface, serve shows a URL this machine can open and says so',
  async (t) => {
    const { root } = await trainedStore(t, { versions: 1, alias: 'production' });
    const s = await serve(t, ['--tracking-uri', root, '--host', '0.0.0.0']);
    t.match(
      s.stderr(),
      /listening on http:\/\/127\.0\.0\.1:\d+ \(bound to 0\.0\.0\.0: every interface\)/,
    );
    t.equal((await call(s.url, '/health')).status, 200);
    s.child.kill('SIGTERM');
    t.same(await s.exit, { code: 0, signal: null });
  },
);

t.test('a busy port fails with one line and a fix, before any model is read', async (t) => {
  const { root } = await trainedStore(t, { versions: 1, alias: 'production' });
  const blocker = http.createServer();
  await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
  t.teardown(() => blocker.close());
  const port = (blocker.address() as { port: number }).port;
  const r = await runCli(['serve', '--tracking-uri', root, '--port', String(port)], {
    env: { IRISOPS_LOG_LEVEL: 'info' },
  });
  t.equal(r.code, 1);
  t.match(r.stderr, new RegExp(`error: port ${port} on 127\\.0\\.0\\.1 is already in use`));
  t.match(r.stderr, new RegExp(`hint: irisops serve --port ${port + 1}`));
  t.notMatch(r.stdout, /model loaded/, 'no model log line before the error');
  t.equal(r.stdout, '', 'nothing on stdout');
});

const user = nobody();

t.test(
  'a privileged port as an unprivileged user is one line with a fix, not listen EACCES',
  { skip: user ? false : 'needs root to start a child as another user' },
  async (t) => {
    const home = tempDir(t);
    chmodSync(home, 0o777);
    const r = await runAs(user as { uid: number; gid: number }, ['serve', '--port', '80'], home);
    t.equal(r.code, 1);
    t.match(r.stderr, /^error: port 80 on 127\.0\.0\.1 needs privileges this user does not have/);
    t.match(r.stderr, /hint: irisops serve --port 8000/);
    t.notMatch(r.stderr, /EACCES/);
  },
);
