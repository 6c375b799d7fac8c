/**
 * The irisops program: every command with its options and help, each command's module
 * imported only when it runs. This is the one place that prints errors and sets the exit code.
 */
import { Command, CommanderError, Option } from 'commander';
import { irisopsVersion } from './package-info.js';
import { createProcessContext, type Context, type GlobalOptions } from './context.js';
import { isIrisopsError, UsageError, type IrisopsError } from './errors.js';
import { integer, list, number } from './commands/options.js';

export const EXIT_CODES_HELP = `
Exit codes:
  0    success (serve: after a graceful shutdown)
  1    the command ran and failed (bad data, unreachable store, failed check, refused promotion)
  2    usage error (unknown option, invalid value, missing argument, prompt needed without a TTY)
  130  interrupted (Ctrl-C)`;

type Action = (ctx: Context, args: string[], options: Record<string, unknown>) => Promise<void>;

/**
 * Wraps a lazily imported command so every action builds the same context. With
 * `cancellable`, the first Ctrl-C aborts ctx.signal so the command can close what it opened
 * (train marks its run KILLED); a second one exits at once.
 */
function action(load: Action, { cancellable = false } = {}) {
  return async (...all: unknown[]) => {
    const cmd = all[all.length - 1] as Command;
    const args = all.slice(0, -2).filter((a): a is string => typeof a === 'string');
    const options = cmd.optsWithGlobals<Record<string, unknown>>();
    const ctx = createProcessContext(options as GlobalOptions);
    if (!cancellable) return load(ctx, args, options);
    const controller = new AbortController();
    const onSignal = () => {
      if (controller.signal.aborted) process.exit(130);
      controller.abort();
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    try {
      await load({ ...ctx, signal: controller.signal }, args, options);
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
  };
}

export function buildProgram(): Command {
  const program = new Command('irisops');
  // set before any subcommand exists: subcommands copy it, so every parse error reaches main()
  program.exitOverride();
  program
    .description(
      'From a CSV to a tracked, registered, promoted and served model (MLflow-compatible).',
    )
    .version(irisopsVersion(), '-V, --version', 'print the irisops version')
    .option(
      '--tracking-uri <uri>',
      'tracking store: a folder (./mlruns) or an MLflow server URL (env MLFLOW_TRACKING_URI)',
    )
    .option('--config <path>', 'config file (default ./irisops.config.json when present)')
    .option('--no-color', 'plain output without colours (also NO_COLOR=1)')
    .option('-q, --quiet', 'print only results and errors')
    .option('--debug', 'print stack traces of unexpected errors (also DEBUG=irisops)')
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText(
      'after',
      `
Quick start:
  irisops train --max-depth 5                             train, log a run to ./mlruns, register a version
  irisops runs ls                                         compare runs
  irisops registry promote iris_classifier 1 --alias production
  irisops serve --port 8000                               serve the promoted model
  irisops verify                                          check the whole setup
${EXIT_CODES_HELP}`,
    );

  program
    .command('init')
    .argument('[dir]', 'folder to scaffold', '.')
    .description('scaffold a workshop project: config, data, .gitignore, Dockerfile, CI workflow')
    .option('-y, --yes', 'accept defaults, ask nothing (needed without a TTY)')
    .option('--project <name>', 'project name')
    .option('--experiment <name>', 'experiment name')
    .option('--model-name <name>', 'registered model name')
    .option('--alias <alias>', 'promotion alias')
    .addOption(
      new Option('--port <port>', 'port irisops serve will use').argParser(integer(1, 65535)),
    )
    .option('--no-docker', 'do not write Dockerfile and .dockerignore')
    .option('--no-ci', 'do not write .github/workflows/irisops.yml')
    .option('--force', 'overwrite files that already exist')
    .option('--json', 'print what was written as JSON')
    .action(action(async (ctx, args, o) => (await import('./commands/init.js')).run(ctx, args, o)));

  program
    .command('train')
    .description('train a random forest, log the run, register a new model version')
    .option('--data <path>', 'training CSV (default ./data/iris.csv, else the bundled copy)')
    .option('--experiment <name>', 'experiment name (default iris-classification)')
    .option('--run-name <name>', 'run name (default: generated)')
    .option('--model-name <name>', 'registered model name (default iris_classifier)')
    .option('--no-register', 'log the run without registering a model version')
    .addOption(
      new Option('--n-estimators <n>', 'number of trees').default(100).argParser(integer(1, 5000)),
    )
    .addOption(
      new Option('--max-depth <n>', 'maximum tree depth').default(5).argParser(integer(1, 64)),
    )
    .addOption(
      new Option(
        '--max-features <x>',
        'share (0-1] or count of features each tree sees; drawn once per tree in ml-random-forest, not per split as in scikit-learn',
      )
        .default(1)
        .argParser(number(0, 64, { exclusive: true })),
    )
    .addOption(
      new Option('--test-size <x>', 'share of rows held out for testing, stratified')
        .default(0.2)
        .argParser(number(0, 1, { exclusive: true })),
    )
    .addOption(
      new Option('--seed <n>', 'random seed (split and forest)')
        .default(42)
        .argParser(integer(-2147483648, 2147483647)),
    )
    .addOption(
      new Option('--cv <k>', 'also run k-fold stratified cross-validation').argParser(
        integer(2, 50),
      ),
    )
    .option('--json', 'print the result as one JSON object (schemas/train-result.schema.json)')
    .addHelpText('after', '\nExample:\n  irisops train --max-depth 5 --n-estimators 50 --cv 5')
    .action(
      action(async (ctx, args, o) => (await import('./commands/train.js')).run(ctx, args, o), {
        cancellable: true,
      }),
    );

  const runs = program.command('runs').description('list, inspect and push tracked runs');
  runs
    .command('ls')
    .description('runs of the experiment in a table, newest first')
    .option('--experiment <name>', 'experiment name (default iris-classification)')
    .option('--sort <key>', 'sort by a column, e.g. metrics.accuracy (descending) or start_time')
    .option(
      '--filter <expr>',
      `MLflow filter, e.g. "metrics.accuracy > 0.9 and params.max_depth = '5'"`,
    )
    .addOption(
      new Option('--limit <n>', 'show at most n runs').default(50).argParser(integer(1, 100000)),
    )
    .option('--json', 'print runs as JSON (schemas/runs-list.schema.json)')
    .action(
      action(async (ctx, args, o) => (await import('./commands/runs.js')).list(ctx, args, o)),
    );
  runs
    .command('show')
    .argument('<run-id>', 'run id (or a unique prefix of at least 6 characters)')
    .description('params, metrics, tags, artifacts and confusion matrix of one run')
    .option('--experiment <name>', 'experiment to search for a run id prefix')
    .option('--json', 'print the run as JSON (schemas/run-detail.schema.json)')
    .action(
      action(async (ctx, args, o) => (await import('./commands/runs.js')).show(ctx, args, o)),
    );
  runs
    .command('push')
    .description(
      'copy runs and registered versions from this store to another (e.g. an MLflow server)',
    )
    .requiredOption('--to <tracking-uri>', 'destination tracking URI')
    .option('--experiment <name>', 'experiment to push (default: every experiment)')
    .option('--json', 'print what was copied as JSON')
    .action(action(async (ctx, args, o) => (await import('./commands/push.js')).run(ctx, args, o)));

  const registry = program
    .command('registry')
    .description('registered models, versions and aliases');
  registry
    .command('promote')
    .argument('<name>', 'registered model name')
    .argument('<version>', 'version number to promote')
    .option('--alias <alias>', 'alias to set (default production)')
    .option(
      '--if-better <metric>',
      'refuse unless the candidate is at least as good, e.g. metrics.accuracy',
    )
    .option(
      '--allow-different-data',
      'with --if-better: compare even when the runs used different data or split',
    )
    .option('--json', 'print the result as JSON (schemas/promote-result.schema.json)')
    .addHelpText(
      'after',
      '\nExample:\n  irisops registry promote iris_classifier 2 --alias production --if-better metrics.accuracy',
    )
    .action(
      action(async (ctx, args, o) =>
        (await import('./commands/registry.js')).promote(ctx, args, o),
      ),
    );
  registry
    .command('ls')
    .argument('[name]', 'registered model name (default: all)')
    .description('versions, their runs, metrics and aliases')
    .option('--json', 'print as JSON (schemas/registry-list.schema.json)')
    .action(
      action(async (ctx, args, o) => (await import('./commands/registry.js')).list(ctx, args, o)),
    );

  program
    .command('serve')
    .description(
      'serve a model over HTTP: /predict, /predict/batch, /invocations, /health, /metrics, /docs',
    )
    .option(
      '--model <uri>',
      'models:/<name>@<alias>, models:/<name>/<version>, models:/<name>/latest or runs:/<id>/model',
    )
    .option('--host <host>', 'interface to bind (default 127.0.0.1; the container uses 0.0.0.0)')
    .addOption(
      new Option('--port <port>', 'port (default 8000, env PORT)').argParser(integer(0, 65535)),
    )
    .addOption(
      new Option('--workers <n>', 'worker processes sharing the port')
        .default(1)
        .argParser(integer(1, 64)),
    )
    .addOption(
      new Option('--max-body <bytes>', 'largest request body accepted')
        .default(65536)
        .argParser(integer(64, 64 * 1024 * 1024)),
    )
    .addOption(
      new Option('--max-batch <n>', 'most instances in one batch request')
        .default(1000)
        .argParser(integer(1, 100000)),
    )
    .addOption(
      new Option(
        '--reload-interval <s>',
        're-resolve the model URI every s seconds (also on SIGHUP)',
      ).argParser(number(0, 86400, { exclusive: true })),
    )
    .addOption(
      new Option('--shutdown-timeout <ms>', 'longest wait for in-flight requests on SIGTERM')
        .default(10000)
        .argParser(integer(0, 600000)),
    )
    .addOption(
      new Option('--drain-ms <ms>', 'keep serving this long after SIGTERM while /health says 503')
        .default(0)
        .argParser(integer(0, 600000)),
    )
    .addOption(
      new Option('--log-level <level>', 'request log level').choices([
        'debug',
        'info',
        'warn',
        'error',
        'silent',
      ]),
    )
    .option('--model-name <name>', 'registered model to serve when --model is not given')
    .option('--alias <alias>', 'alias to serve when --model is not given')
    .action(
      action(async (ctx, args, o) => (await import('./commands/serve.js')).run(ctx, args, o)),
    );

  program
    .command('verify')
    .description('the workshop checklist: config, data, tracking, model, service, container, CI')
    .option('--api-url <url>', 'running service to check (default http://127.0.0.1:<port>)')
    .option('--only <ids>', 'run only these checks (comma-separated ids)', list)
    .option('--skip <ids>', 'skip these checks (comma-separated ids)', list)
    .option('--strict', 'treat warnings as failures')
    .option('--model-name <name>', 'registered model to check')
    .option('--alias <alias>', 'alias to check')
    .option('--experiment <name>', 'experiment to check')
    .option('--json', 'print the report as JSON')
    .action(
      action(async (ctx, args, o) => (await import('./commands/verify.js')).run(ctx, args, o)),
    );

  return program;
}

function printError(error: IrisopsError | Error, debug: boolean, color: boolean): void {
  const red = (s: string) => (color ? `\u001b[31m${s}\u001b[39m` : s);
  const dim = (s: string) => (color ? `\u001b[2m${s}\u001b[22m` : s);
  if (isIrisopsError(error)) {
    process.stderr.write(`${red('error:')} ${error.message}\n`);
    if (error.hint) process.stderr.write(`${dim('hint:')} ${error.hint}\n`);
    if (debug && error.stack) process.stderr.write(`${error.stack}\n`);
  } else {
    process.stderr.write(`${red('error:')} unexpected failure: ${error.message}\n`);
    if (debug) process.stderr.write(`${error.stack ?? ''}\n`);
    else
      process.stderr.write(
        `${dim('hint:')} run again with --debug for details, and report it if it persists\n`,
      );
  }
}

/** The single exit handler: returns the exit code, never calls process.exit itself. */
export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  const debug = argv.includes('--debug') || /(^|,)irisops(,|$)/.test(process.env.DEBUG ?? '');
  const color =
    !argv.includes('--no-color') && !process.env.NO_COLOR && Boolean(process.stderr.isTTY);
  try {
    await program.parseAsync(argv);
    return Number(process.exitCode ?? 0);
  } catch (error) {
    if (error instanceof CommanderError) {
      // commander already printed its message; help and version are successes
      return error.exitCode === 0 ? 0 : 2;
    }
    const err = error instanceof Error ? error : new Error(String(error));
    printError(err, debug, color);
    return isIrisopsError(err) ? err.exitCode : 1;
  }
}

export { UsageError };
