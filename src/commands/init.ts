/**
 * irisops init [dir]: asks (on a TTY) or takes flags (--yes), then lets the core plan and
 * write the files. Prompts only happen here; every answer is collected before anything is
 * written, so Ctrl-C at a prompt leaves the folder as it was.
 */
import path from 'node:path';
import type { Context } from '../context.js';
import { InterruptedError, UsageError } from '../errors.js';
import type { InitResult } from '../schemas/generated.js';
import {
  defaultAnswers,
  initProject,
  isServerUri,
  probeTrackingServer,
  readExistingProject,
  validate,
  type InitAnswers,
  type PlannedFile,
} from '../init/index.js';
import { validateAlias, validateModelName } from '../tracking/names.js';
import { promoteCommand } from '../verify/hints.js';
import { checkArgument } from './options.js';
import { createOutput, type Output } from './output.js';
import { irisopsVersion } from './shared.js';

/** The questions init asks; tests script one, the terminal gets @inquirer/prompts. */
export interface Prompter {
  input(q: {
    message: string;
    default?: string;
    validate?: (value: string) => true | string;
  }): Promise<string>;
  select<T extends string>(q: {
    message: string;
    choices: { name: string; value: T }[];
    default?: T;
  }): Promise<T>;
  confirm(q: { message: string; default: boolean }): Promise<boolean>;
}

/** `io`: other streams than the process's (tests drive real prompts through them) */
export async function inquirerPrompter(io?: {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
}): Promise<Prompter> {
  const { input, select, confirm } = await import('@inquirer/prompts');
  return {
    input: (q) => input(q, io),
    select: (q) => select(q, io),
    confirm: (q) => confirm(q, io),
  };
}

const FLAGS =
  '--project, --tracking-uri, --experiment, --model-name, --alias, --port, --no-docker, --no-ci';

export interface InitOptions {
  yes?: boolean;
  project?: string;
  trackingUri?: string;
  experiment?: string;
  modelName?: string;
  alias?: string;
  port?: number;
  /** false with --no-docker */
  docker?: boolean;
  /** false with --no-ci */
  ci?: boolean;
  force?: boolean;
  json?: boolean;
}

export async function run(ctx: Context, args: string[], options: InitOptions): Promise<void> {
  await runInit(
    ctx,
    args,
    options,
    ctx.interactive && options.yes !== true ? await inquirerPrompter() : null,
  );
}

function flagAnswers(options: InitOptions): Partial<InitAnswers> {
  const out: Partial<InitAnswers> = {};
  const check = <K extends 'project' | 'tracking_uri' | 'experiment'>(
    key: K,
    flag: string,
    value: string | undefined,
  ) => {
    if (value === undefined) return;
    const problem = validate[key](value);
    if (problem !== null) throw new UsageError(`${flag} "${value}" ${problem}`);
    out[key] = value;
  };
  check('project', '--project', options.project);
  check('tracking_uri', '--tracking-uri', options.trackingUri);
  check('experiment', '--experiment', options.experiment);
  if (options.modelName !== undefined)
    out.model_name = checkArgument(validateModelName, options.modelName);
  if (options.alias !== undefined) out.alias = checkArgument(validateAlias, options.alias);
  if (options.port !== undefined) out.port = options.port;
  // commander sets docker/ci to true by default and false for --no-docker / --no-ci
  if (options.docker === false) out.docker = false;
  if (options.ci === false) out.ci = false;
  return out;
}

const asPrompt = (v: (s: string) => string | null) => (s: string) => v(s) ?? true;

/** Asks until the server answers /health, or the user chooses to go on without it. */
async function askTrackingServer(ctx: Context, p: Prompter, first: string): Promise<string> {
  let url = first;
  for (;;) {
    const probe = await probeTrackingServer(url, ctx.fetch);
    if (probe.ok) return url;
    const next = await p.select({
      message: `The MLflow server does not answer (${probe.reason}). What now?`,
      choices: [
        { name: 'retry', value: 'retry' as const },
        { name: 'use this URL anyway (start the server later)', value: 'skip' as const },
        { name: 'enter another URL', value: 'change' as const },
        { name: 'use a local folder (./mlruns) instead', value: 'local' as const },
      ],
    });
    if (next === 'skip') return url;
    if (next === 'local') return './mlruns';
    if (next === 'change') {
      url = await p.input({
        message: 'MLflow tracking server URL',
        default: url,
        validate: asPrompt(serverUrlProblem),
      });
    }
  }
}

function serverUrlProblem(value: string): string | null {
  return /^https?:\/\/[^\s/]+/i.test(value.trim())
    ? null
    : 'must be an http:// or https:// URL, e.g. http://127.0.0.1:5000';
}

/** Local folder or server; a server URL is probed until it answers or the user moves on. */
async function askTracking(
  ctx: Context,
  p: Prompter,
  given: string | undefined,
  d: InitAnswers,
): Promise<string> {
  if (given !== undefined) return isServerUri(given) ? askTrackingServer(ctx, p, given) : given;
  const backend = await p.select({
    message: 'Tracking backend',
    choices: [
      { name: 'local folder (./mlruns, no server needed)', value: 'local' as const },
      { name: 'an MLflow tracking server (URL)', value: 'mlflow' as const },
    ],
    default: isServerUri(d.tracking_uri) ? 'mlflow' : 'local',
  });
  if (backend === 'local') return isServerUri(d.tracking_uri) ? './mlruns' : d.tracking_uri;
  const first = await p.input({
    message: 'MLflow tracking server URL',
    default: isServerUri(d.tracking_uri) ? d.tracking_uri : 'http://127.0.0.1:5000',
    validate: asPrompt(serverUrlProblem),
  });
  return askTrackingServer(ctx, p, first.trim());
}

async function ask(
  ctx: Context,
  p: Prompter,
  given: Partial<InitAnswers>,
  d: InitAnswers,
): Promise<InitAnswers> {
  const project =
    given.project ??
    (await p.input({
      message: 'Project name',
      default: d.project,
      validate: asPrompt(validate.project),
    }));
  const tracking = await askTracking(ctx, p, given.tracking_uri, d);
  const experiment =
    given.experiment ??
    (await p.input({
      message: 'Experiment name',
      default: d.experiment,
      validate: asPrompt(validate.experiment),
    }));
  const modelName =
    given.model_name ??
    (await p.input({
      message: 'Registered model name',
      default: d.model_name,
      validate: asPrompt(validate.model_name),
    }));
  const alias =
    given.alias ??
    (await p.input({
      message: 'Promotion alias (the version serve uses)',
      default: d.alias,
      validate: asPrompt(validate.alias),
    }));
  const port =
    given.port ??
    Number(
      await p.input({
        message: 'Port for irisops serve',
        default: String(d.port),
        validate: (s) =>
          /^\d+$/.test(s.trim())
            ? (validate.port(Number(s)) ?? true)
            : 'must be a number between 1 and 65535',
      }),
    );
  const docker =
    given.docker ??
    (await p.confirm({ message: 'Write a Dockerfile and .dockerignore?', default: d.docker }));
  const ci =
    given.ci ??
    (await p.confirm({
      message: 'Write a GitHub Actions workflow (.github/workflows/irisops.yml)?',
      default: d.ci,
    }));
  return {
    project,
    tracking_uri: tracking,
    experiment,
    model_name: modelName,
    alias,
    port,
    docker,
    ci,
  };
}

function isPromptInterrupt(error: unknown): boolean {
  return (
    error instanceof Error &&
    (error.name === 'ExitPromptError' || error.name === 'AbortPromptError')
  );
}

export async function runInit(
  ctx: Context,
  args: string[],
  options: InitOptions,
  prompter: Prompter | null,
): Promise<void> {
  const dir = path.resolve(ctx.cwd, args[0] ?? '.');
  const out = createOutput(ctx, options.json === true);
  const given = flagAnswers(options);
  const existing = await readExistingProject(dir);
  const defaults = defaultAnswers(dir, existing);

  let answers: InitAnswers;
  if (options.yes === true) {
    answers = { ...defaults, ...given };
    if (isServerUri(answers.tracking_uri)) {
      const probe = await probeTrackingServer(answers.tracking_uri, ctx.fetch);
      if (!probe.ok)
        out.warn(`${probe.reason}; writing the URL anyway: start the server before irisops train`);
    }
  } else if (prompter === null) {
    throw new UsageError('irisops init needs answers and there is no terminal to ask them on', {
      hint: `pass --yes to accept the defaults, with any of ${FLAGS} to change them`,
    });
  } else {
    try {
      answers = await ask(ctx, prompter, given, defaults);
    } catch (error) {
      if (isPromptInterrupt(error)) throw new InterruptedError('interrupted: nothing was written');
      throw error;
    }
  }
  if (existing.configInvalid && options.force === true)
    out.warn('the existing irisops.config.json is not valid: replacing it');

  const { result, plan } = initProject({
    dir,
    answers,
    previous: existing.config,
    force: options.force === true,
    irisopsVersion: irisopsVersion(),
  });
  if (out.json) out.printJson(result satisfies InitResult);
  else render(ctx, out, result, plan, answers);
}

function render(
  ctx: Context,
  out: Output,
  result: InitResult,
  plan: PlannedFile[],
  a: InitAnswers,
): void {
  const { c } = out;
  const where = path.relative(ctx.cwd, result.dir) || '.';
  if (result.written.length === 0 && result.skipped.length === 0) {
    out.print(
      `${c.green('✔')} ${where}: nothing to change, every file is already as irisops init writes it`,
    );
  } else {
    for (const f of plan) {
      if (f.action === 'create') out.print(`${c.green('created')}    ${f.path}`);
      else if (f.action === 'overwrite') out.print(`${c.yellow('overwrote')}  ${f.path}`);
      else if (f.action === 'extend')
        out.print(`${c.green('updated')}    ${f.path} (added ${(f.added ?? []).join(' ')})`);
      else if (f.action === 'unchanged') out.print(`${c.dim('unchanged')}  ${f.path}`);
      else out.print(`${c.yellow('skipped')}    ${f.path} (exists with other content)`);
    }
  }
  if (result.skipped.length > 0) {
    out.note(
      `${out.ec.yellow('!')} kept ${result.skipped.length} existing file${result.skipped.length === 1 ? '' : 's'} as they were; to overwrite: irisops init${where === '.' ? '' : ` ${where}`} --yes --force`,
    );
  }
  const cd = where === '.' ? [] : [`cd ${where}`];
  const next = [
    ...cd,
    'irisops train',
    promoteCommand({}, a.model_name, '1', a.alias),
    'irisops serve &',
    'irisops verify',
  ];
  out.note(`\nNext:\n${next.map((l) => `  ${l}`).join('\n')}`);
}
