/**
 * irisops before it is published (README and WORKSHOP_GUIDE.md, "from a clone"): the packed
 * tarball installed with `npm install -g ./irisops-*.tgz` gives a working `irisops`, and the
 * workflow `init` writes runs the tarball named by IRISOPS_TARBALL, with the registry out of
 * reach, so nothing can come from npm's irisops. (The Dockerfile's `--build-arg
 * IRISOPS=./irisops-<version>.tgz` is built and run by test/container/init-image.sh.)
 */
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { copyFileSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { cleanEnv, repoRoot } from '../helpers/cli.js';
import { packedIrisops, pathWithPacked } from '../helpers/packed.js';
import { tempDir } from '../helpers/temp.js';

const version = (
  JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
    version: string;
  }
).version;

interface Step {
  name?: string;
  if?: string;
  run?: string;
}

t.test('npm install -g ./irisops-*.tgz gives a working irisops', async (t) => {
  const packed = packedIrisops();
  const prefix = tempDir(t, 'irisops-global-');
  const install = spawnSync(
    'npm',
    [
      'install',
      '--global',
      '--prefix',
      prefix,
      '--prefer-offline',
      '--no-audit',
      '--no-fund',
      '--ignore-scripts',
      packed.tarball,
    ],
    { encoding: 'utf8', timeout: 300_000 },
  );
  t.equal(install.status, 0, install.stderr);
  const irisops = path.join(prefix, 'bin', 'irisops');
  const r = spawnSync(irisops, ['--version'], { encoding: 'utf8', env: cleanEnv() });
  t.equal(r.status, 0, r.stderr);
  t.equal(r.stdout.trim(), version);
});

t.test('the workflow init writes runs a local tarball named by IRISOPS_TARBALL', async (t) => {
  const packed = packedIrisops();
  const project = tempDir(t, 'irisops-ci-tarball-');
  const env = cleanEnv({ PATH: pathWithPacked(packed) });
  const init = spawnSync('irisops', ['init', '--yes'], { cwd: project, env, encoding: 'utf8' });
  t.equal(init.status, 0, init.stderr);

  const workflow = parse(
    readFileSync(path.join(project, '.github/workflows/irisops.yml'), 'utf8'),
  ) as { env: Record<string, string>; jobs: Record<string, { steps: Step[] }> };
  t.equal(workflow.env.IRISOPS_TARBALL, '', 'the published version by default');
  const tarballName = path.basename(packed.tarball);
  t.equal(tarballName, `irisops-${version}.tgz`, 'npm pack names the tarball as the comments do');
  const steps = workflow.jobs.model?.steps ?? [];
  const local = steps.find((s) => s.if === "env.IRISOPS_TARBALL != ''");
  const train = steps.find((s) => s.name === 'Train');
  t.ok(local?.run, 'a step installs the tarball when IRISOPS_TARBALL is set');
  t.ok(
    steps.indexOf(local ?? {}) < steps.indexOf(train ?? {}),
    'it runs before the first irisops command',
  );
  const build = workflow.jobs.container?.steps.find((s) => s.name === 'Build the image');
  t.match(build?.run, /--build-arg "IRISOPS=\$IRISOPS_TARBALL"/, 'the image is built from it too');
  t.match(
    readFileSync(path.join(project, 'Dockerfile'), 'utf8'),
    new RegExp(`--build-arg IRISOPS=\\./irisops-${version.replaceAll('.', '\\.')}\\.tgz`),
  );
  t.match(readFileSync(path.join(project, '.dockerignore'), 'utf8'), /^!irisops-\*\.tgz$/m);

  // the steps as the runner runs them, the tarball committed at the root, npm unreachable
  copyFileSync(packed.tarball, path.join(project, tarballName));
  const ciEnv = cleanEnv({
    ...env,
    PATH: process.env.PATH,
    IRISOPS_TARBALL: `./${tarballName}`,
    MLFLOW_TRACKING_URI: workflow.env.MLFLOW_TRACKING_URI,
  });
  const step = (run: string, extra: Record<string, string> = {}) =>
    spawnSync('bash', ['-e', '-c', run], {
      cwd: project,
      env: { ...ciEnv, ...extra },
      encoding: 'utf8',
      timeout: 300_000,
    });
  const installed = step(local?.run ?? 'false');
  t.equal(installed.status, 0, installed.stderr);
  const offline = { npm_config_registry: 'http://127.0.0.1:9/' };
  const trained = step(train?.run ?? 'false', offline);
  t.equal(trained.status, 0, `${trained.stdout}\n${trained.stderr}`);
  const listed = step(`npx --yes irisops@${version} runs ls --json`, offline);
  t.equal(listed.status, 0, listed.stderr);
  t.equal((JSON.parse(listed.stdout) as { runs: unknown[] }).runs.length, 1, 'the run is there');
});
