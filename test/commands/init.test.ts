import t from 'tap';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp.js';
import { trainedStore } from '../helpers/fixtures.js';
import { validatorFor } from '../../src/schemas/index.js';
import { runInit, type Prompter } from '../../src/commands/init.js';
import type { Context } from '../../src/context.js';
import { InterruptedError } from '../../src/errors.js';
import { MONITORING_FILES } from '../../src/init/monitoring.js';
import { closedPort, serveOn } from '../verify/helpers.js';

const FILES = [
  'irisops.config.json',
  'data/iris.csv',
  '.gitignore',
  'Dockerfile',
  '.dockerignore',
  '.github/workflows/irisops.yml',
  ...MONITORING_FILES,
];

t.test('init --yes writes the project, a second run changes nothing', async (t) => {
  const dir = tempDir(t);
  const first = await runCli(['init', '--yes'], { cwd: dir });
  t.equal(first.code, 0, first.stderr);
  for (const f of FILES) t.ok(existsSync(path.join(dir, f)), f);
  t.match(first.stdout, /^created +irisops\.config\.json$/m);
  t.match(
    first.stderr,
    /Next:\n  irisops train\n  irisops registry promote iris_classifier 1 --alias production\n  irisops serve &\n  irisops verify/,
  );
  t.ok(
    validatorFor('config')(JSON.parse(readFileSync(path.join(dir, 'irisops.config.json'), 'utf8'))),
  );
  const version = (
    JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      version: string;
    }
  ).version;
  t.match(readFileSync(path.join(dir, 'Dockerfile'), 'utf8'), `ARG IRISOPS=irisops@${version}`);

  const before = FILES.map((f) => readFileSync(path.join(dir, f)));
  const second = await runCli(['init', '--yes', '--json'], { cwd: dir });
  t.equal(second.code, 0);
  const result = JSON.parse(second.stdout) as {
    dir: string;
    written: string[];
    skipped: string[];
    unchanged: string[];
  };
  t.ok(validatorFor('init-result')(result));
  t.same(result, { dir, written: [], skipped: [], unchanged: FILES });
  t.equal(second.stderr, '', '--json: nothing but the document');
  t.same(
    FILES.map((f) => readFileSync(path.join(dir, f))),
    before,
  );
  const third = await runCli(['init', '--yes'], { cwd: dir });
  t.match(third.stdout, /nothing to change/);
});

t.test(
  'an existing file is skipped (and listed) without --force, overwritten with it',
  async (t) => {
    const dir = tempDir(t);
    writeFileSync(
      path.join(dir, 'irisops.config.json'),
      JSON.stringify({ project: 'mine', port: 9000 }, null, 4),
    );
    const r = await runCli(['init', 'sub/..', '--yes', '--model-name', 'other', '--json'], {
      cwd: dir,
    });
    t.equal(r.code, 0, r.stderr);
    const result = JSON.parse(r.stdout) as { skipped: string[]; written: string[] };
    t.same(result.skipped, ['irisops.config.json']);
    t.match(readFileSync(path.join(dir, 'irisops.config.json'), 'utf8'), /"project": "mine"/);
    const human = await runCli(['init', '--yes', '--model-name', 'other'], { cwd: dir });
    t.match(human.stdout, /^skipped +irisops\.config\.json \(exists with other content\)$/m);
    t.match(human.stderr, /to overwrite: irisops init --yes --force/);

    const forced = await runCli(['init', '--yes', '--model-name', 'other', '--force', '--json'], {
      cwd: dir,
    });
    t.same((JSON.parse(forced.stdout) as { written: string[] }).written, ['irisops.config.json']);
    t.match(JSON.parse(readFileSync(path.join(dir, 'irisops.config.json'), 'utf8')), {
      project: 'mine',
      port: 9000,
      model_name: 'other',
    });
  },
);

t.test('no TTY and no --yes: exit 2 naming the flags, nothing written', async (t) => {
  const dir = tempDir(t);
  const r = await runCli(['init'], { cwd: dir });
  t.equal(r.code, 2);
  t.match(r.stderr, /no terminal to ask/);
  t.match(r.stderr, /--yes.*--tracking-uri.*--no-docker, --no-ci/);
  t.same(readdirSync(dir), []);
});

t.test(
  'flags are validated, --no-docker and --no-ci are honoured, a folder argument works',
  async (t) => {
    const dir = tempDir(t);
    const bad = await runCli(['init', '--yes', '--alias', 'a b'], { cwd: dir });
    t.equal(bad.code, 2);
    t.match(bad.stderr, /^error: invalid alias "a b": aliases may only contain letters/);
    t.same(readdirSync(dir), [], 'nothing written');
    const ok = await runCli(
      ['init', 'proj', '--yes', '--no-docker', '--no-ci', '--port', '9100', '--experiment', 'e1'],
      { cwd: dir },
    );
    t.equal(ok.code, 0, ok.stderr);
    t.same(readdirSync(path.join(dir, 'proj')).sort(), [
      '.gitignore',
      'data',
      'deploy',
      'irisops.config.json',
    ]);
    t.match(
      readFileSync(path.join(dir, 'proj', 'deploy', 'prometheus', 'prometheus.yml'), 'utf8'),
      /targets: \['localhost:9100'\]/,
      'Prometheus scrapes the port given',
    );
    t.match(JSON.parse(readFileSync(path.join(dir, 'proj', 'irisops.config.json'), 'utf8')), {
      port: 9100,
      experiment: 'e1',
      project: 'proj',
    });
    t.match(ok.stderr, /Next:\n  cd proj\n/);
  },
);

t.test('--yes with an MLflow server that is down: accepted with a warning', async (t) => {
  const dir = tempDir(t);
  const url = `http://127.0.0.1:${await closedPort()}`;
  const r = await runCli(['init', '--yes', '--tracking-uri', url], { cwd: dir });
  t.equal(r.code, 0, r.stderr);
  t.match(
    r.stderr,
    new RegExp(`warning: GET ${url}/health failed: ECONNREFUSED; writing the URL anyway`),
  );
  t.match(JSON.parse(readFileSync(path.join(dir, 'irisops.config.json'), 'utf8')), {
    tracking_uri: url,
  });
});

// ---- interactive: a scripted prompter stands in for @inquirer/prompts -----------------------

function context(
  cwd: string,
  fetchImpl: typeof fetch = globalThis.fetch.bind(globalThis),
): Context & { out: string; err: string } {
  const ctx = {
    out: '',
    err: '',
    stdout: { write: (s: string) => ((ctx.out += s), true) },
    stderr: { write: (s: string) => ((ctx.err += s), true) },
    env: {},
    cwd,
    now: () => Date.now(),
    fetch: fetchImpl,
    interactive: true,
    color: { stdout: false, stderr: false },
    quiet: false,
    debug: false,
  };
  return ctx;
}

/** answers questions in order, matched by their message; `undefined` takes the default */
function scripted(
  answers: [RegExp, string | boolean | undefined | Error][],
): Prompter & { asked: string[] } {
  const asked: string[] = [];
  const next = (message: string): string | boolean | undefined => {
    asked.push(message);
    const step = answers.shift();
    if (!step) throw new Error(`unexpected question: ${message}`);
    if (!step[0].test(message)) throw new Error(`expected ${step[0]}, was asked: ${message}`);
    if (step[1] instanceof Error) throw step[1];
    return step[1];
  };
  return {
    asked,
    input: async (q) => {
      const a = next(q.message);
      const value = typeof a === 'string' ? a : (q.default ?? '');
      const valid = q.validate?.(value) ?? true;
      if (valid !== true) throw new Error(`invalid answer "${value}": ${valid}`);
      return value;
    },
    select: async <T extends string>(q: {
      message: string;
      choices: { value: T }[];
      default?: T;
    }) => {
      const a = next(q.message);
      return (
        typeof a === 'string'
          ? (q.choices.find((c) => c.value === a)?.value ?? q.default)
          : (q.default ?? q.choices[0]?.value)
      ) as T;
    },
    confirm: async (q) => {
      const a = next(q.message);
      return typeof a === 'boolean' ? a : q.default;
    },
  };
}

t.test('interactive: every question asked, answers written', async (t) => {
  const dir = tempDir(t);
  const p = scripted([
    [/Project name/, 'Iris Class'],
    [/Tracking backend/, undefined],
    [/Experiment/, 'exp-a'],
    [/model name/, undefined],
    [/alias/, 'champion'],
    [/Port/, '8200'],
    [/Dockerfile/, false],
    [/workflow/, true],
  ]);
  const ctx = context(dir);
  await runInit(ctx, [], {}, p);
  t.equal(p.asked.length, 8);
  t.match(JSON.parse(readFileSync(path.join(dir, 'irisops.config.json'), 'utf8')), {
    project: 'Iris Class',
    tracking_uri: './mlruns',
    experiment: 'exp-a',
    model_name: 'iris_classifier',
    alias: 'champion',
    port: 8200,
  });
  t.notOk(existsSync(path.join(dir, 'Dockerfile')));
  t.ok(existsSync(path.join(dir, '.github/workflows/irisops.yml')));
  t.match(ctx.err, /irisops registry promote iris_classifier 1 --alias champion/);

  // pressing Enter everywhere on a second run reproduces the same files
  const again = context(dir);
  await runInit(
    again,
    [],
    {},
    scripted(Array.from({ length: 8 }, () => [/./, undefined] as [RegExp, undefined])),
  );
  t.match(again.out, /nothing to change/);
});

t.test('interactive: flags skip their questions', async (t) => {
  const dir = tempDir(t);
  const p = scripted([
    [/Project name/, undefined],
    [/Experiment/, undefined],
    [/alias/, undefined],
    [/Port/, undefined],
  ]);
  await runInit(
    context(dir),
    [],
    { trackingUri: './store', modelName: 'm1', docker: false, ci: false },
    p,
  );
  t.match(JSON.parse(readFileSync(path.join(dir, 'irisops.config.json'), 'utf8')), {
    tracking_uri: './store',
    model_name: 'm1',
  });
});

t.test(
  'interactive: an MLflow URL is checked with GET /health; a down server offers retry, skip, another URL or local',
  async (t) => {
    let up = false;
    const server = await serveOn(t, (req, res) => {
      res.writeHead(req.url === '/health' && up ? 200 : 503);
      res.end('OK');
    });
    const dir = tempDir(t);
    const p = scripted([
      [/Project name/, undefined],
      [/Tracking backend/, 'mlflow'],
      [/MLflow tracking server URL/, server],
      [/does not answer .*answered 503.*What now/, 'retry'],
      [/does not answer/, 'change'],
      [/MLflow tracking server URL/, `${server}/`],
      [/does not answer/, 'retry'],
      [/Experiment/, undefined],
      [/model name/, undefined],
      [/alias/, undefined],
      [/Port/, undefined],
      [/Dockerfile/, undefined],
      [/workflow/, undefined],
    ]);
    const original = p.select.bind(p);
    let selects = 0;
    p.select = async (q) => {
      selects++;
      if (selects === 4) up = true; // the server comes up before the last retry
      return original(q);
    };
    await runInit(context(dir), [], {}, p);
    t.match(JSON.parse(readFileSync(path.join(dir, 'irisops.config.json'), 'utf8')), {
      tracking_uri: `${server}/`,
    });

    const skipDir = tempDir(t);
    const down = `http://127.0.0.1:${await closedPort()}`;
    await runInit(
      context(skipDir),
      [],
      {
        yes: false,
        trackingUri: down,
        project: 'p',
        experiment: 'e',
        modelName: 'm',
        alias: 'a',
        port: 8000,
        docker: false,
        ci: false,
      },
      scripted([[/does not answer/, 'skip']]),
    );
    t.match(JSON.parse(readFileSync(path.join(skipDir, 'irisops.config.json'), 'utf8')), {
      tracking_uri: down,
    });

    const localDir = tempDir(t);
    await runInit(
      context(localDir),
      [],
      {
        trackingUri: down,
        project: 'p',
        experiment: 'e',
        modelName: 'm',
        alias: 'a',
        port: 8000,
        docker: false,
        ci: false,
      },
      scripted([[/does not answer/, 'local']]),
    );
    t.match(JSON.parse(readFileSync(path.join(localDir, 'irisops.config.json'), 'utf8')), {
      tracking_uri: './mlruns',
    });
  },
);

t.test('Ctrl-C at a prompt: InterruptedError (exit 130), nothing written', async (t) => {
  const dir = tempDir(t);
  const exit = Object.assign(new Error('User force closed the prompt with SIGINT'), {
    name: 'ExitPromptError',
  });
  const p = scripted([
    [/Project name/, undefined],
    [/Tracking backend/, undefined],
    [/Experiment/, exit],
  ]);
  const error = await runInit(context(dir), [], {}, p).catch((e: unknown) => e);
  t.type(error, InterruptedError);
  t.equal((error as InterruptedError).exitCode, 130);
  t.same(readdirSync(dir), []);
});

t.test(
  'with the real @inquirer/prompts: Enter takes defaults, Ctrl-C exits 130 and writes nothing',
  async (t) => {
    const { PassThrough } = await import('node:stream');
    const { inquirerPrompter } = await import('../../src/commands/init.js');
    /** types keys once the prompt containing `waitFor` is on screen */
    async function drive(
      keys: [string, string][],
      run: (p: Prompter) => Promise<void>,
    ): Promise<unknown> {
      const input = Object.assign(new PassThrough(), { isTTY: true, setRawMode: () => undefined });
      const output = new PassThrough();
      let screen = '';
      output.on('data', (d: Buffer) => (screen += d.toString()));
      const typing = (async () => {
        for (const [waitFor, key] of keys) {
          for (let i = 0; i < 200 && !screen.includes(waitFor); i++)
            await new Promise((r) => setTimeout(r, 10));
          screen = '';
          input.write(key);
        }
      })();
      const result = await run(await inquirerPrompter({ input, output })).catch((e: unknown) => e);
      await typing;
      return result;
    }
    const dir = tempDir(t);
    const interrupted = await drive(
      [
        ['Project name', '\r'],
        ['Tracking backend', '\r'],
        ['Experiment name', '\x03'],
      ],
      (p) => runInit(context(dir), [], {}, p),
    );
    t.type(interrupted, InterruptedError);
    t.same(readdirSync(dir), []);

    const keys: [string, string][] = [
      'Project name',
      'Tracking backend',
      'Experiment name',
      'Registered model name',
      'Promotion alias',
      'Port',
      'Dockerfile',
      'GitHub Actions',
    ].map((m) => [m, '\r']);
    const done = await drive(keys, (p) => runInit(context(dir), [], {}, p));
    t.equal(done, undefined);
    for (const f of FILES) t.ok(existsSync(path.join(dir, f)), f);
  },
);

t.test(
  'init refuses the aliases every later promote refuses, with the same line (exit 2, nothing written)',
  async (t) => {
    const { root } = await trainedStore(t, { versions: 1 });
    for (const alias of ['latest', 'LATEST', 'v2']) {
      const dir = tempDir(t);
      const init = await runCli(['init', '--yes', '--alias', alias], { cwd: dir });
      const promote = await runCli(
        ['registry', 'promote', 'iris_classifier', '1', '--alias', alias, '--tracking-uri', root],
        { cwd: dir },
      );
      t.equal(init.code, 2, `init --alias ${alias}`);
      t.equal(promote.code, 2, `promote --alias ${alias}`);
      t.match(init.stderr, new RegExp(`^error: invalid alias "${alias}": .*reserved by MLflow`));
      t.match(init.stderr, /\nhint: /);
      t.equal(init.stderr, promote.stderr, 'the same message and hint');
      t.same(readdirSync(dir), [], 'nothing written');
    }
  },
);

t.test('a config file with a reserved alias is refused when read', async (t) => {
  const dir = tempDir(t);
  writeFileSync(path.join(dir, 'irisops.config.json'), JSON.stringify({ alias: 'latest' }));
  const r = await runCli(['runs', 'ls'], { cwd: dir });
  t.not(r.code, 0);
  t.match(r.stderr, /irisops\.config\.json/);
  t.match(r.stderr, /alias/);
});
