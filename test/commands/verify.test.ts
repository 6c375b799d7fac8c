import t from 'tap';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { bin, cleanEnv, runCli } from '../helpers/cli.js';
import { tempDir, type Teardown } from '../helpers/temp.js';
import { validatorFor } from '../../src/schemas/index.js';
import { closedPort } from '../verify/helpers.js';

interface Report {
  ok: boolean;
  checks: { id: string; status: string; message: string; hint: string | null }[];
}

/** an `irisops` on PATH running this build, so hints can be run exactly as printed */
function shimPath(t: Teardown): string {
  const dir = tempDir(t, 'irisops-bin-');
  const shim = path.join(dir, 'irisops');
  writeFileSync(shim, `#!/bin/sh\nexec "${process.execPath}" "${bin}" "$@"\n`);
  chmodSync(shim, 0o755);
  return `${dir}${path.delimiter}${process.env.PATH ?? ''}`;
}

function runHint(hint: string, cwd: string, PATH: string) {
  const r = spawnSync('sh', ['-c', hint], {
    cwd,
    env: cleanEnv({ PATH }),
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

async function verifyJson(
  cwd: string,
  ...args: string[]
): Promise<{ code: number | null; report: Report; stderr: string }> {
  return verifyJsonIn(cwd, {}, ...args);
}

async function verifyJsonIn(
  cwd: string,
  env: Record<string, string>,
  ...args: string[]
): Promise<{ code: number | null; report: Report; stderr: string }> {
  const r = await runCli(['verify', '--json', ...args], { cwd, env });
  return { code: r.code, report: JSON.parse(r.stdout) as Report, stderr: r.stderr };
}

const byId = (r: Report, id: string) => r.checks.find((c) => c.id === id);

/** starts `irisops serve` in cwd and waits for /health to answer 200 */
async function startServe(t: Teardown, cwd: string, port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, [bin, 'serve', '--port', String(port)], {
    cwd,
    env: cleanEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  t.teardown(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/health`)).status === 200) return child;
    } catch {
      // not yet
    }
    if (child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`irisops serve did not become healthy: ${output}`);
}

/** starts `irisops ui` in cwd on port and waits for its first page */
async function startUi(t: Teardown, cwd: string, port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, [bin, 'ui', '--port', String(port)], {
    cwd,
    env: cleanEnv(),
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  t.teardown(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/`)).status === 200) return child;
    } catch {
      // not yet
    }
    if (child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('irisops ui did not answer');
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  await new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

t.test(
  'verify against a real irisops serve: all green, then the service stops and api fails',
  async (t) => {
    const dir = tempDir(t);
    const port = await closedPort();
    t.equal((await runCli(['init', '--yes', '--port', String(port)], { cwd: dir })).code, 0);
    t.equal((await runCli(['train', '--n-estimators', '20'], { cwd: dir })).code, 0);
    t.equal(
      (
        await runCli(['registry', 'promote', 'iris_classifier', '1', '--alias', 'production'], {
          cwd: dir,
        })
      ).code,
      0,
    );
    const serve = await startServe(t, dir, port);
    // the [ui] check looks for irisops ui at ui_port: a real one, on a free port
    const uiPort = await closedPort();
    await startUi(t, dir, uiPort);
    const env = { IRISOPS_UI_PORT: String(uiPort) };

    const green = await runCli(['verify', '--skip', 'docker,image,container'], { cwd: dir, env });
    t.equal(green.code, 0, green.stdout + green.stderr);
    t.match(green.stdout, /^✔ node /m);
    t.match(green.stdout, /^✔ contract  /m);
    t.match(
      green.stdout,
      new RegExp(`^✔ ui +irisops ui answers at http://127\\.0\\.0\\.1:${uiPort}/`, 'm'),
    );
    t.match(green.stdout, /^all green: 14 passed$/m);
    t.notMatch(green.stdout, /\u001b\[/, 'no colour when not a TTY');

    const json = await verifyJsonIn(dir, env, '--skip', 'docker,image,container');
    t.equal(json.code, 0);
    const validate = validatorFor('verify-report');
    t.ok(validate(json.report), JSON.stringify(validate.errors));
    t.ok(
      json.report.checks.every((c) => c.status === 'pass'),
      JSON.stringify(json.report.checks.filter((c) => c.status !== 'pass')),
    );

    await stop(serve);
    const down = await runCli(['verify', '--only', 'api,predict,contract'], { cwd: dir });
    t.equal(down.code, 1);
    t.match(
      down.stdout,
      new RegExp(`^✖ api .*nothing answers at http://127\\.0\\.0\\.1:${port}/health`, 'm'),
    );
    t.match(down.stdout, /^ +→ irisops serve$/m, 'the hint under the failure');
    t.notMatch(down.stdout, /checks failed/, 'the summary is printed once, as the error');
    t.match(down.stderr, /^error: 3 checks failed \(0 passed\)$/m);
    t.equal(down.stderr.match(/checks failed/g)?.length, 1);
    const downJson = await verifyJson(dir, '--only', 'api');
    t.equal(downJson.code, 1);
    t.equal(downJson.report.ok, false);
    t.ok(validate(downJson.report));
  },
);

t.test('each failing hint, run as printed, makes its check pass', async (t) => {
  const PATH = shimPath(t);
  const dir = tempDir(t);
  t.equal((await runCli(['init', '--yes', '--no-docker'], { cwd: dir })).code, 0);

  // [experiment], [model], [promoted]: nothing trained yet
  let { report } = await verifyJson(dir, '--only', 'experiment,model,promoted');
  t.match(byId(report, 'experiment'), { status: 'fail', hint: 'irisops train' });
  const modelHint = byId(report, 'model')?.hint ?? '';
  t.equal(
    modelHint,
    'irisops train && irisops registry promote iris_classifier 1 --alias production',
  );
  t.equal(runHint(modelHint, dir, PATH).code, 0);
  ({ report } = await verifyJson(dir, '--only', 'experiment,model,promoted,artifact'));
  t.ok(report.ok, JSON.stringify(report.checks));

  // [promoted]: an alias nobody set yet, on a newer version
  t.equal(runHint('irisops train', dir, PATH).code, 0);
  const other = await verifyJson(dir, '--only', 'promoted', '--alias', 'staging');
  const promoteHint = byId(other.report, 'promoted')?.hint ?? '';
  t.equal(promoteHint, 'irisops registry promote iris_classifier 2 --alias staging');
  t.equal(runHint(promoteHint, dir, PATH).code, 0);
  t.equal((await verifyJson(dir, '--only', 'promoted', '--alias', 'staging')).code, 0);

  // [data]: the CSV edited after training
  const csv = path.join(dir, 'data', 'iris.csv');
  writeFileSync(
    csv,
    readFileSync(csv, 'utf8').replace('5.1,3.5,1.4,0.2,setosa', '5.2,3.5,1.4,0.2,setosa'),
  );
  ({ report } = await verifyJson(dir, '--only', 'data'));
  const dataHint = byId(report, 'data')?.hint ?? '';
  t.match(byId(report, 'data'), { status: 'fail', message: /differs from 9cc1c345c71b…/ });
  t.equal(runHint(dataHint, dir, PATH).code, 0);
  t.equal((await verifyJson(dir, '--only', 'data')).code, 0);

  // [config]: a broken config file
  writeFileSync(path.join(dir, 'irisops.config.json'), '{"port": "eighty"}');
  const broken = await verifyJson(dir, '--only', 'config,tracking');
  t.equal(broken.code, 1);
  t.match(byId(broken.report, 'tracking'), {
    status: 'fail',
    message: 'skipped: the config is invalid',
  });
  const configHint = byId(broken.report, 'config')?.hint ?? '';
  t.equal(runHint(configHint, dir, PATH).code, 0);
  t.equal((await verifyJson(dir, '--only', 'config,tracking')).code, 0);

  // [ci]: the workflow init wrote, broken by hand
  const wf = path.join(dir, '.github', 'workflows', 'irisops.yml');
  writeFileSync(wf, 'on: push\njobs: [\n');
  const ci = await verifyJson(dir, '--only', 'ci', '--strict');
  t.equal(ci.code, 1);
  t.equal(runHint(byId(ci.report, 'ci')?.hint ?? '', dir, PATH).code, 0);
  t.equal((await verifyJson(dir, '--only', 'ci', '--strict')).code, 0);
});

t.test('unknown check ids are a usage error (exit 2) before anything runs', async (t) => {
  const r = await runCli(['verify', '--only', 'api,nope'], { cwd: tempDir(t) });
  t.equal(r.code, 2);
  t.match(r.stderr, /--only: unknown check id nope/);
  t.match(r.stderr, /check ids: node, deps, config/);
  t.equal(r.stdout, '');
});

t.test('a project with a package.json makes node and deps required', async (t) => {
  const dir = tempDir(t);
  mkdirSync(path.join(dir, 'node_modules'));
  writeFileSync(
    path.join(dir, 'package.json'),
    JSON.stringify({ dependencies: { irisops: '^0.1.0' } }),
  );
  const { code, report } = await verifyJson(dir, '--only', 'node,deps');
  t.equal(code, 1);
  t.match(byId(report, 'deps'), { status: 'fail', hint: 'npm install' });
});
