import t from 'tap';
import { execFileSync } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { cleanEnv, repoRoot } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp.js';
import { validatorFor } from '../../src/schemas/index.js';

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

t.test('the packed tarball installs into an empty folder and works there', async (t) => {
  const out = tempDir(t, 'irisops-pack-');
  // dist/ is fresh: npm test builds before the suite runs
  const packed = JSON.parse(
    execFileSync(npm, ['pack', '--ignore-scripts', '--json', '--pack-destination', out], {
      cwd: repoRoot,
      encoding: 'utf8',
    }),
  ) as {
    filename: string;
    files: { path: string }[];
  }[];
  const files = packed[0]?.files.map((f) => f.path) ?? [];
  for (const must of [
    'bin/irisops.js',
    'dist/cli.js',
    'schemas/predict-request.schema.json',
    'data/iris.csv',
    'README.md',
    'LICENSE',
    'package.json',
  ]) {
    t.ok(files.includes(must), `ships ${must}`);
  }
  t.notOk(
    files.some((f) => f.startsWith('src/') || f.startsWith('test/') || f.startsWith('.venv')),
    'ships no sources, tests or venv',
  );

  const project = tempDir(t, 'irisops-empty-');
  writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'workshop', private: true }));
  const tarball = path.join(out, readdirSync(out).find((f) => f.endsWith('.tgz')) ?? '');
  execFileSync(
    npm,
    ['install', tarball, '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts'],
    { cwd: project, stdio: 'ignore', timeout: 180_000 },
  );

  const npx = (args: string[]) =>
    execFileSync('npx', ['--no-install', 'irisops', ...args], {
      cwd: project,
      encoding: 'utf8',
      env: cleanEnv(),
      timeout: 60_000,
    });
  t.match(npx(['--version']).trim(), /^\d+\.\d+\.\d+/);
  const trained = JSON.parse(npx(['train', '--json', '--n-estimators', '20'])) as {
    status: string;
    tags: Record<string, string>;
  };
  t.equal(trained.status, 'FINISHED');
  t.match(
    trained.tags['irisops.dataset_path'] ?? '',
    /node_modules[\\/]irisops[\\/]data[\\/]iris\.csv$/,
    'trained on the bundled copy',
  );
  const runs = JSON.parse(npx(['runs', 'ls', '--json'])) as { runs: unknown[] };
  t.ok(validatorFor('runs-list')(runs));
  t.equal(runs.runs.length, 1);
});
