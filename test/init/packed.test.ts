/**
 * The "done when": from an empty folder, with the packed tarball (not the source
 * tree), init --yes, train, promote, serve &, ui & and an all-green verify.
 */
import t from 'tap';
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { cleanEnv } from '../helpers/cli.js';
import { packedIrisops, pathWithPacked } from '../helpers/packed.js';
import { tempDir } from '../helpers/temp.js';
import { closedPort } from '../verify/helpers.js';

t.test(
  'empty folder → init --yes → train → promote → serve & → ui & → all-green verify, from the tarball',
  async (t) => {
    const packed = packedIrisops();
    const project = tempDir(t, 'irisops-workshop-');
    const env = cleanEnv({ PATH: pathWithPacked(packed) });
    const sh = (command: string) =>
      spawnSync('sh', ['-c', command], { cwd: project, env, encoding: 'utf8', timeout: 120_000 });
    const port = await closedPort();
    // the UI on a free port rather than ui_port's 5000, which this machine may hold
    env.IRISOPS_UI_PORT = String(await closedPort());

    const init = sh(`irisops init --yes --port ${port}`);
    t.equal(init.status, 0, init.stderr);
    t.same(readdirSync(project).sort(), [
      '.dockerignore',
      '.github',
      '.gitignore',
      'Dockerfile',
      'data',
      'deploy',
      'irisops.config.json',
    ]);
    t.match(
      init.stderr,
      /Next:\n  irisops train\n  irisops registry promote iris_classifier 1 --alias production\n  irisops serve &\n  irisops verify/,
    );

    const early = sh('irisops verify');
    t.equal(early.status, 1);
    t.match(early.stdout, /✖ experiment .*\n +→ irisops train\n/);

    t.equal(sh('irisops train').status, 0);
    t.equal(sh('irisops registry promote iris_classifier 1 --alias production').status, 0);
    const beforeServe = sh('irisops verify');
    t.equal(beforeServe.status, 1);
    t.match(beforeServe.stdout, /✖ api .*\n +→ irisops serve\n/);

    const serve = spawn('sh', ['-c', 'exec irisops serve'], { cwd: project, env, stdio: 'ignore' });
    t.teardown(() => {
      if (serve.exitCode === null) serve.kill('SIGKILL');
    });
    let healthy = false;
    for (let i = 0; i < 150 && !healthy; i++) {
      healthy = await fetch(`http://127.0.0.1:${port}/health`).then(
        (r) => r.ok,
        () => false,
      );
      if (!healthy) await new Promise((r) => setTimeout(r, 100));
    }
    t.ok(healthy, 'irisops serve came up');
    const ui = spawn('sh', ['-c', 'exec irisops ui'], { cwd: project, env, stdio: 'ignore' });
    t.teardown(() => {
      if (ui.exitCode === null) ui.kill('SIGKILL');
    });
    let uiUp = false;
    for (let i = 0; i < 150 && !uiUp; i++) {
      uiUp = await fetch(`http://127.0.0.1:${env.IRISOPS_UI_PORT}/`).then(
        (r) => r.ok,
        () => false,
      );
      if (!uiUp) await new Promise((r) => setTimeout(r, 100));
    }
    t.ok(uiUp, 'irisops ui came up');

    const verify = sh('irisops verify');
    t.equal(verify.status, 0, verify.stdout + verify.stderr);
    t.match(verify.stdout, /^all green: /m);
    t.notMatch(verify.stdout, /✖/);
    const report = JSON.parse(sh('irisops verify --json').stdout) as {
      ok: boolean;
      checks: { id: string; status: string }[];
    };
    t.equal(report.ok, true);
    t.same(
      report.checks
        .filter((c) => !['docker', 'image', 'container'].includes(c.id))
        .map((c) => [c.id, c.status])
        .filter(([, s]) => s !== 'pass'),
      [],
      'everything but the container checks passes',
    );

    await new Promise<void>((resolve) => {
      serve.once('exit', () => resolve());
      serve.kill('SIGTERM');
    });
  },
);
