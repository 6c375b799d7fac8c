import t from 'tap';
import { execFileSync } from 'node:child_process';
import { cleanEnv } from '../helpers/cli.js';
import { packedIrisops } from '../helpers/packed.js';
import { MONITORING_FILES } from '../../src/init/monitoring.js';
import { validatorFor } from '../../src/schemas/index.js';

t.test('the packed tarball installs into an empty folder and works there', async (t) => {
  const packed = packedIrisops();
  const files = packed.files;
  for (const must of [
    'bin/irisops.js',
    'dist/cli.js',
    'schemas/predict-request.schema.json',
    'data/iris.csv',
    // irisops init copies them into a project
    ...MONITORING_FILES,
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

  // the tool folder is an empty folder the tarball was installed into
  const project = packed.tool;
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
