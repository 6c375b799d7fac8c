import t from 'tap';
import { mkdirSync, writeFileSync, copyFileSync } from 'node:fs';
import path from 'node:path';
import { bundledDataPath } from '../../src/data/dataset.js';
import { tempDir } from '../helpers/temp.js';
import { check, verifyDeps } from './helpers.js';

const write = (dir: string, file: string, text: string) => {
  mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
  writeFileSync(path.join(dir, file), text);
};

t.test(
  '[node] passes on a satisfying version, warns outside a project, fails inside one',
  async (t) => {
    const dir = tempDir(t);
    t.match(await check('node', verifyDeps(dir)), { status: 'pass', level: 'warn', hint: null });
    const old = await check('node', verifyDeps(dir, { nodeVersion: '18.19.0' }));
    t.match(old, {
      status: 'warn',
      level: 'warn',
      message: /18\.19\.0 does not satisfy irisops engines\.node ">=20\.12"/,
    });
    t.ok(old.hint);
    write(dir, 'package.json', JSON.stringify({ engines: { node: '>=22' } }));
    const project = await check('node', verifyDeps(dir));
    t.match(project, {
      status: 'fail',
      level: 'required',
      message: /package\.json engines\.node ">=22"/,
    });
    t.match(await check('node', verifyDeps(dir, { nodeVersion: '22.3.0' })), { status: 'pass' });
  },
);

t.test('[node] an engines.node it cannot read fails instead of passing', async (t) => {
  const dir = tempDir(t);
  write(dir, 'package.json', JSON.stringify({ engines: { node: 'twenty or later' } }));
  t.match(await check('node', verifyDeps(dir)), {
    status: 'fail',
    level: 'required',
    message: /package\.json engines\.node "twenty or later" is not a version range/,
    hint: /npm pkg set engines\.node=/,
  });
});

t.test('[deps] a range it cannot read is a warning, not a pass', async (t) => {
  const dir = tempDir(t);
  write(
    dir,
    'package.json',
    JSON.stringify({ dependencies: { left: 'file:../left', right: '^2.0.0' } }),
  );
  write(dir, 'node_modules/left/package.json', JSON.stringify({ version: '1.4.0' }));
  write(dir, 'node_modules/right/package.json', JSON.stringify({ version: '2.2.0' }));
  t.match(await check('deps', verifyDeps(dir)), {
    status: 'warn',
    message: /1 not checked \(not a version range\): left \(file:\.\.\/left\)/,
    hint: 'npm install',
  });
});

t.test('[deps] checks installed versions against the lockfile inside a project', async (t) => {
  const dir = tempDir(t);
  t.match(await check('deps', verifyDeps(dir)), { status: 'pass', message: /no package\.json/ });
  write(
    dir,
    'package.json',
    JSON.stringify({ dependencies: { left: '^1.0.0' }, devDependencies: { right: '~2.1.0' } }),
  );
  t.match(await check('deps', verifyDeps(dir)), {
    status: 'fail',
    level: 'required',
    message: /2 of 2 dependencies not installed: left, right/,
    hint: 'npm install',
  });
  write(dir, 'node_modules/left/package.json', JSON.stringify({ version: '1.4.0' }));
  write(dir, 'node_modules/right/package.json', JSON.stringify({ version: '2.2.0' }));
  t.match(await check('deps', verifyDeps(dir)), {
    status: 'fail',
    message: /right 2\.2\.0 \(wants ~2\.1\.0\)/,
  });
  write(
    dir,
    'package-lock.json',
    JSON.stringify({
      packages: {
        'node_modules/left': { version: '1.4.0' },
        'node_modules/right': { version: '2.1.3' },
      },
    }),
  );
  t.match(await check('deps', verifyDeps(dir)), {
    status: 'fail',
    message: /right 2\.2\.0 \(lockfile 2\.1\.3\)/,
    hint: 'npm ci',
  });
  write(dir, 'node_modules/right/package.json', JSON.stringify({ version: '2.1.3' }));
  t.match(await check('deps', verifyDeps(dir)), {
    status: 'pass',
    message: /2 dependencies installed, matching package-lock\.json/,
  });
  write(dir, 'package.json', '{ not json');
  t.match(await check('deps', verifyDeps(dir)), {
    status: 'fail',
    message: /package\.json is not valid JSON/,
  });
  // a warn: the same failure outside a project is only a warning -- node/deps level follows package.json
  t.match(await check('deps', verifyDeps(tempDir(t))), { status: 'pass', level: 'warn' });
});

t.test('[config] passes with defaults or a valid file, fails on an invalid one', async (t) => {
  const dir = tempDir(t);
  t.match(await check('config', verifyDeps(dir)), {
    status: 'pass',
    message: /defaults in use \(tracking \.\/mlruns/,
  });
  write(dir, 'irisops.config.json', JSON.stringify({ model_name: 'iris_classifier', port: 9001 }));
  t.match(await check('config', verifyDeps(dir)), {
    status: 'pass',
    message: /irisops\.config\.json is valid .*port 9001/,
  });
  write(dir, 'irisops.config.json', JSON.stringify({ port: 'eighty' }));
  const bad = await check('config', verifyDeps(dir));
  t.match(bad, {
    status: 'fail',
    level: 'required',
    message: /field "port"/,
    hint: 'irisops init --yes --force --no-docker --no-ci',
  });
  // every check that needs settings is skipped, as a failure
  t.match(await check('tracking', verifyDeps(dir)), {
    status: 'fail',
    message: 'skipped: the config is invalid',
    hint: bad.hint,
  });
  t.match(await check('ui', verifyDeps(dir)), {
    status: 'warn',
    message: 'skipped: the config is invalid',
  });
});

t.test(
  '[data] passes on the Iris file, warns on the bundled fallback or another row count, fails on bad rows',
  async (t) => {
    const dir = tempDir(t);
    const warn = await check('data', verifyDeps(dir));
    t.match(warn, {
      status: 'warn',
      message: /no data\/iris\.csv here/,
      hint: 'irisops init --yes --no-docker --no-ci',
    });
    mkdirSync(path.join(dir, 'data'));
    copyFileSync(bundledDataPath, path.join(dir, 'data', 'iris.csv'));
    t.match(await check('data', verifyDeps(dir)), {
      status: 'pass',
      message: /150 rows, schema valid, sha256 9cc1c345c71b… \(no promoted version/,
    });
    const lines = (await import('node:fs')).readFileSync(bundledDataPath, 'utf8').split('\n');
    const half = lines.slice(1).filter((l, i) => l !== '' && i % 2 === 0);
    write(dir, 'data/iris.csv', `${[lines[0], ...half].join('\n')}\n`);
    t.match(await check('data', verifyDeps(dir)), {
      status: 'warn',
      message: /75 rows \(the Iris data set has 150\)/,
    });
    write(dir, 'data/iris.csv', `${lines[0]}\n5.1,3.5,1.4,0.2,setosa\n5.1,3.5,1.4,42,versicolor\n`);
    t.match(await check('data', verifyDeps(dir)), {
      status: 'fail',
      message: /iris\.csv:3: petal_width/,
      hint: 'irisops init --yes --force --no-docker --no-ci',
    });
  },
);

t.test(
  '[ci] passes on a parsing workflow, warns (warn-level) when missing or broken',
  async (t) => {
    const dir = tempDir(t);
    t.match(await check('ci', verifyDeps(dir)), {
      status: 'warn',
      level: 'warn',
      message: /no workflow/,
      hint: 'irisops init --yes --no-docker',
    });
    t.match(
      await check('ci', verifyDeps(dir), true),
      { status: 'fail' },
      '--strict turns it into a failure',
    );
    write(dir, '.github/workflows/a.yml', 'on: push\njobs:\n  a: [\n');
    t.match(await check('ci', verifyDeps(dir)), { status: 'warn', message: /a\.yml:\d+: / });
    write(dir, '.github/workflows/a.yml', 'on: push\n');
    t.match(await check('ci', verifyDeps(dir)), { status: 'warn', message: /a\.yml has no jobs/ });
    write(
      dir,
      '.github/workflows/a.yml',
      'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: "true"\n',
    );
    t.match(await check('ci', verifyDeps(dir)), {
      status: 'pass',
      message: '1 workflow parse: a.yml',
    });
  },
);
