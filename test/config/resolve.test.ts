import t from 'tap';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { resolveSettings } from '../../src/config/resolve.js';
import { tempDir } from '../helpers/temp.js';
import { runCli } from '../helpers/cli.js';

t.test('defaults when there is no config file', async (t) => {
  const dir = tempDir(t);
  const s = await resolveSettings({}, {}, dir);
  t.same(
    {
      uri: s.tracking_uri,
      exp: s.experiment,
      model: s.model_name,
      alias: s.alias,
      port: s.port,
      host: s.host,
      file: s.config_file,
    },
    {
      uri: './mlruns',
      exp: 'iris-classification',
      model: 'iris_classifier',
      alias: 'production',
      port: 8000,
      host: '127.0.0.1',
      file: null,
    },
  );
  t.equal(s.api_url, 'http://127.0.0.1:8000');
});

t.test('flag > environment > config file > default', async (t) => {
  const dir = tempDir(t);
  writeFileSync(
    path.join(dir, 'irisops.config.json'),
    JSON.stringify({ tracking_uri: 'from-config', experiment: 'cfg', port: 9000 }),
  );
  const env = { MLFLOW_TRACKING_URI: 'http://from-env:5000' };
  t.equal(
    (await resolveSettings({}, {}, dir)).tracking_uri,
    path.join(dir, 'from-config'),
    'config paths are relative to the file',
  );
  t.equal((await resolveSettings({}, env, dir)).tracking_uri, 'http://from-env:5000');
  t.equal((await resolveSettings({ trackingUri: 'flag' }, env, dir)).tracking_uri, 'flag');
  t.equal((await resolveSettings({}, {}, dir)).experiment, 'cfg');
  t.equal((await resolveSettings({}, { PORT: '7000' }, dir)).port, 7000);
  t.equal((await resolveSettings({ port: 1234 }, { PORT: '7000' }, dir)).port, 1234);
});

t.test('an invalid config file names the file, the field and the rule', async (t) => {
  const dir = tempDir(t);
  const file = path.join(dir, 'irisops.config.json');
  writeFileSync(file, JSON.stringify({ port: 'eighty' }));
  await t.rejects(resolveSettings({}, {}, dir), {
    name: 'ConfigError',
    message: /irisops\.config\.json: field "port" must be integer/,
  });
  writeFileSync(file, JSON.stringify({ colour: 'blue' }));
  await t.rejects(resolveSettings({}, {}, dir), {
    message: /field "colour" is not an allowed property/,
  });
  writeFileSync(file, '{ not json');
  await t.rejects(resolveSettings({}, {}, dir), { message: /is not valid JSON/ });
  await t.rejects(resolveSettings({ config: 'missing.json' }, {}, dir), {
    message: /cannot read config file/,
  });
});

t.test('the CLI exits 1 with one line on an invalid config, 2 on a database URI', async (t) => {
  const dir = tempDir(t);
  writeFileSync(path.join(dir, 'irisops.config.json'), JSON.stringify({ alias: 'has space' }));
  const r = await runCli(['runs', 'ls'], { cwd: dir });
  t.equal(r.code, 1);
  t.match(r.stderr, /^error: .*irisops\.config\.json: field "alias" must match pattern/m);
  const db = await runCli(['runs', 'ls', '--tracking-uri', 'sqlite:///x.db'], { cwd: tempDir(t) });
  t.equal(db.code, 2);
  t.match(db.stderr, /run an MLflow server over it/);
});

t.test('the config is found in a parent folder, and its store beside it', async (t) => {
  const dir = tempDir(t);
  writeFileSync(path.join(dir, 'irisops.config.json'), JSON.stringify({ experiment: 'e-parent' }));
  mkdirSync(path.join(dir, 'data', 'deep'), { recursive: true });
  const s = await resolveSettings({}, {}, path.join(dir, 'data', 'deep'));
  t.equal(s.experiment, 'e-parent');
  t.equal(s.config_file, path.join(dir, 'irisops.config.json'));
  t.equal(s.tracking_uri, path.join(dir, 'mlruns'), 'not data/deep/mlruns');
  const here = await resolveSettings({}, {}, dir);
  t.equal(here.tracking_uri, './mlruns', 'in the project folder itself, as before');

  // a git checkout is a boundary: a config above it belongs to another project
  const inner = path.join(dir, 'other');
  mkdirSync(path.join(inner, '.git'), { recursive: true });
  const other = await resolveSettings({}, {}, inner);
  t.equal(other.config_file, null);
  t.equal(other.experiment, 'iris-classification');
});
