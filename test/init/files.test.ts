import t from 'tap';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import {
  defaultAnswers,
  initProject,
  readExistingProject,
  type InitAnswers,
} from '../../src/init/index.js';
import { desiredFiles } from '../../src/init/files.js';
import { MONITORING_FILES, PROMETHEUS_CONFIG } from '../../src/init/monitoring.js';
import { imageName, shellWord } from '../../src/init/project.js';
import { renderText } from '../../src/init/templates.js';
import { validatorFor } from '../../src/schemas/index.js';
import { tempDir } from '../helpers/temp.js';

const answers = (over: Partial<InitAnswers> = {}): InitAnswers => ({
  project: 'iris-demo',
  tracking_uri: './mlruns',
  experiment: 'iris-classification',
  model_name: 'iris_classifier',
  alias: 'production',
  port: 8000,
  docker: true,
  ci: true,
  ...over,
});

const text = (files: ReturnType<typeof desiredFiles>, p: string) =>
  files.find((f) => f.path === p)?.content.toString('utf8') ?? '';

t.test(
  'the files: a valid config, the data set, and container/CI files pinned to the irisops version',
  async (t) => {
    const files = desiredFiles(answers({ port: 8123, model_name: 'my model' }), null, '9.8.7');
    t.same(
      files.map((f) => f.path),
      [
        'irisops.config.json',
        'data/iris.csv',
        '.gitignore',
        'Dockerfile',
        '.dockerignore',
        '.github/workflows/irisops.yml',
        ...MONITORING_FILES,
      ],
    );
    const config: unknown = JSON.parse(text(files, 'irisops.config.json'));
    t.ok(validatorFor('config')(config));
    t.match(config, {
      project: 'iris-demo',
      tracking_uri: './mlruns',
      port: 8123,
      model_name: 'my model',
    });
    t.equal(
      text(files, 'data/iris.csv'),
      readFileSync(fileURLToPath(new URL('../../data/iris.csv', import.meta.url)), 'utf8'),
    );
    t.match(text(files, '.gitignore'), /^mlruns\/$/m);
    t.match(text(files, '.gitignore'), /^mlartifacts\/$/m);
    t.match(text(files, '.gitignore'), /^node_modules\/$/m);
    t.match(
      text(files, '.gitignore'),
      /^prometheus-data\/$/m,
      'a local Prometheus keeps its data out of git',
    );

    const docker = text(files, 'Dockerfile');
    t.match(docker, /^ARG IRISOPS=irisops@9\.8\.7$/m);
    t.match(docker, /^RUN npm install --global .*"\$IRISOPS"/m);
    t.match(docker, /^USER node$/m);
    t.match(
      docker,
      /^RUN irisops train && irisops registry promote 'my model' 1 --alias production$/m,
    );
    t.match(docker, /^EXPOSE 8123$/m);
    t.match(docker, /^HEALTHCHECK .*\n  CMD \["node", "-e", .*\|\|8123\)\+'\/health'/m);
    t.match(docker, /^CMD \["irisops", "serve", "--host", "0\.0\.0\.0"\]$/m);
    t.notMatch(docker, /\{\{/);
    t.ok(
      docker.indexOf('USER node') < docker.indexOf('RUN irisops train'),
      'trains as node, not root',
    );
    t.match(text(files, '.dockerignore'), /^\*\n!irisops\.config\.json\n!data\n$/m);

    const workflow = parse(text(files, '.github/workflows/irisops.yml')) as {
      jobs: Record<string, { steps: { run?: string }[] }>;
    };
    t.same(Object.keys(workflow.jobs), ['model', 'container']);
    const runs = workflow.jobs.model?.steps.map((s) => s.run ?? '') ?? [];
    t.ok(runs.includes('npx --yes irisops@9.8.7 train'));
    t.ok(runs.includes(`npx --yes irisops@9.8.7 registry promote 'my model' 1 --alias production`));
    t.ok(runs.some((r) => r.startsWith('npx --yes irisops@9.8.7 serve')));
    t.ok(runs.includes('npx --yes irisops@9.8.7 verify --skip docker,image,container'));
    t.match(JSON.stringify(workflow.jobs.container), /docker build -t iris-demo \./);
  },
);

t.test('declining container and CI files, and an MLflow server backend', async (t) => {
  const files = desiredFiles(answers({ docker: false, ci: false }), null, '1.0.0');
  t.same(
    files.map((f) => f.path),
    ['irisops.config.json', 'data/iris.csv', '.gitignore', ...MONITORING_FILES],
  );
  const ciOnly = desiredFiles(answers({ docker: false }), null, '1.0.0');
  t.notMatch(text(ciOnly, '.github/workflows/irisops.yml'), /container:/);
  const server = desiredFiles(
    answers({ tracking_uri: 'http://user:secret@mlflow:5000' }),
    null,
    '1.0.0',
  );
  t.notMatch(
    text(server, 'Dockerfile'),
    /RUN irisops train/,
    'no training against a server at build time',
  );
  t.notMatch(
    text(server, 'Dockerfile'),
    /secret/,
    'credentials stay out of the Dockerfile comments',
  );
});

t.test('the generated workflow passes actionlint', async (t) => {
  const dir = tempDir(t);
  for (const docker of [true, false]) {
    const wf = path.join(dir, `irisops-${docker}.yml`);
    writeFileSync(
      wf,
      text(
        desiredFiles(answers({ docker, model_name: 'a b' }), null, '0.1.0'),
        '.github/workflows/irisops.yml',
      ),
    );
    const script = fileURLToPath(new URL('../../scripts/actionlint.mjs', import.meta.url));
    const r = spawnSync(process.execPath, [script, wf], { encoding: 'utf8', timeout: 60_000 });
    t.equal(r.status, 0, r.stdout + r.stderr);
  }
});

t.test(
  'planning: create, unchanged, skip without --force, overwrite with it, extend .gitignore',
  async (t) => {
    const dir = tempDir(t);
    const first = initProject({
      dir,
      answers: answers(),
      previous: null,
      force: false,
      irisopsVersion: '1.0.0',
    });
    t.equal(first.result.written.length, 9);
    const again = initProject({
      dir,
      answers: answers(),
      previous: null,
      force: false,
      irisopsVersion: '1.0.0',
    });
    t.same(again.result, { dir, written: [], skipped: [], unchanged: first.result.written });

    writeFileSync(path.join(dir, 'Dockerfile'), 'FROM mine\n');
    writeFileSync(path.join(dir, '.gitignore'), 'dist\nmlruns\r\n');
    const kept = initProject({
      dir,
      answers: answers(),
      previous: null,
      force: false,
      irisopsVersion: '1.0.0',
    });
    t.same(kept.result.skipped, ['Dockerfile']);
    t.same(kept.result.written, ['.gitignore']);
    t.equal(readFileSync(path.join(dir, 'Dockerfile'), 'utf8'), 'FROM mine\n');
    t.equal(
      readFileSync(path.join(dir, '.gitignore'), 'utf8'),
      'dist\nmlruns\r\n# irisops\r\nmlartifacts/\r\nnode_modules/\r\nprometheus-data/\r\n',
      'lines added, nothing lost',
    );

    const forced = initProject({
      dir,
      answers: answers(),
      previous: null,
      force: true,
      irisopsVersion: '1.0.0',
    });
    t.same(forced.result.written, ['Dockerfile']);
    t.match(readFileSync(path.join(dir, 'Dockerfile'), 'utf8'), /irisops@1\.0\.0/);
  },
);

t.test('defaults come from an existing config, whose other keys are kept', async (t) => {
  const dir = tempDir(t);
  t.match(defaultAnswers(dir, await readExistingProject(dir)), {
    project: path.basename(dir),
    tracking_uri: './mlruns',
    port: 8000,
    docker: true,
    ci: true,
  });
  writeFileSync(
    path.join(dir, 'irisops.config.json'),
    JSON.stringify({ model_name: 'm', port: 9000, host: '0.0.0.0' }),
  );
  const existing = await readExistingProject(dir);
  const d = defaultAnswers(dir, existing);
  t.match(d, { model_name: 'm', port: 9000, docker: false, ci: false });
  const config = JSON.parse(
    text(desiredFiles(d, existing.config, '1.0.0'), 'irisops.config.json'),
  ) as Record<string, unknown>;
  t.equal(config.host, '0.0.0.0');
  t.ok(validatorFor('config')(config));
  mkdirSync(path.join(dir, 'x'));
  writeFileSync(path.join(dir, 'irisops.config.json'), '{ broken');
  t.match(await readExistingProject(dir), { config: null, configInvalid: true });
});

t.test(
  'the Prometheus and Grafana files are the ones deploy/ ships, scraping the project port',
  async (t) => {
    const shipped = (p: string) =>
      readFileSync(fileURLToPath(new URL(`../../${p}`, import.meta.url)), 'utf8');
    const onDefault = desiredFiles(answers(), null, '1.0.0');
    for (const p of MONITORING_FILES) t.equal(text(onDefault, p), shipped(p), `${p} as shipped`);

    const files = desiredFiles(answers({ port: 8123 }), null, '1.0.0');
    for (const p of MONITORING_FILES.filter((p) => p !== PROMETHEUS_CONFIG))
      t.equal(text(files, p), shipped(p), `${p} as shipped`);
    const config = parse(text(files, PROMETHEUS_CONFIG)) as {
      scrape_configs: { job_name: string; static_configs: { targets: string[] }[] }[];
    };
    t.same(config.scrape_configs[0]?.static_configs[0]?.targets, ['localhost:8123']);
    t.equal(
      text(files, PROMETHEUS_CONFIG),
      shipped(PROMETHEUS_CONFIG).replace("'localhost:8000'", "'localhost:8123'"),
      'nothing else changes',
    );
  },
);

t.test('names and template rendering', async (t) => {
  t.equal(imageName('My Workshop!'), 'my-workshop');
  t.equal(imageName('---'), 'irisops');
  t.equal(imageName(undefined), 'irisops');
  t.equal(shellWord('iris_classifier'), 'iris_classifier');
  t.equal(shellWord("it's"), `'it'\\''s'`);
  t.throws(() => renderText('x', '{{a}} {{b}}', { a: 1 }), /uses \{\{b\}\}/);
  t.throws(() => renderText('x', '{{a}}', { a: 1, c: 2 }), /does not use c/);
});
