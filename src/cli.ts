/**
 * The irisops program: every command with its options and help, each command's module
 * imported only when it runs. This is the one place that prints errors and sets the exit code.
 */
import { Chalk } from 'chalk';
import { Command, CommanderError } from 'commander';
import { irisopsVersion } from './package-info.js';
import { colorFor, debugWanted } from './context.js';
import { isIrisopsError, type IrisopsError } from './errors.js';
import { registerDrift } from './commands/program/monitor.js';
import { registerInit, registerVerify } from './commands/program/project.js';
import { registerAb, registerServe, registerUi } from './commands/program/serve.js';
import { registerTune } from './commands/program/tune.js';
import { registerRegistry, registerRuns, registerTrain } from './commands/program/tracking.js';

const EXIT_CODES_HELP = `
Exit codes:
  0    success (serve: after a graceful shutdown)
  1    the command ran and failed (bad data, unreachable store, failed check, refused promotion)
  2    usage error (unknown option, invalid value, missing argument, prompt needed without a TTY)
  130  interrupted (Ctrl-C)`;

const QUICK_START = `
Quick start:
  irisops train --max-depth 5                             train, log a run to ./mlruns, register a version
  irisops runs ls                                         compare runs
  irisops registry promote iris_classifier 1 --alias production
  irisops serve --port 8000                               serve the promoted model
  irisops verify                                          check the whole setup
${EXIT_CODES_HELP}`;

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
    .option(
      '--config <path>',
      'config file (default: irisops.config.json in this folder or the nearest parent)',
    )
    .option('--no-color', 'plain output without colours (also NO_COLOR=1)')
    .option('-q, --quiet', 'print only results and errors')
    .option('--debug', 'print stack traces of unexpected errors (also DEBUG=irisops)')
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText('after', QUICK_START);
  registerInit(program);
  registerTrain(program);
  registerTune(program);
  registerRuns(program);
  registerRegistry(program);
  registerServe(program);
  registerAb(program);
  registerUi(program);
  registerDrift(program);
  registerVerify(program);
  return program;
}

function printError(error: IrisopsError | Error, debug: boolean, color: boolean): void {
  const c = new Chalk({ level: color ? 1 : 0 });
  const lines = isIrisopsError(error)
    ? [
        `${c.red('error:')} ${error.message}`,
        ...(error.hint ? [`${c.dim('hint:')} ${error.hint}`] : []),
        ...(debug && error.stack ? [error.stack] : []),
      ]
    : [
        `${c.red('error:')} unexpected failure: ${error.message}`,
        debug
          ? (error.stack ?? '')
          : `${c.dim('hint:')} run again with --debug for details, and report it if it persists`,
      ];
  process.stderr.write(`${lines.join('\n')}\n`);
}

const asError = (value: unknown) => (value instanceof Error ? value : new Error(String(value)));

/**
 * The single exit handler: returns the exit code. An error thrown outside any awaited chain
 * (a callback, a forgotten promise) reaches the same printer; the command it escaped from may
 * still hold the event loop (serve), so that one path ends the process itself.
 */
export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  const debug = debugWanted(process.env, argv.includes('--debug'));
  const color = colorFor(
    process.stderr.isTTY,
    process.env,
    argv.includes('--no-color') ? false : undefined,
  );
  const fatal = (error: unknown) => {
    printError(asError(error), debug, color);
    process.exit(1);
  };
  process.on('uncaughtException', fatal);
  process.on('unhandledRejection', fatal);
  try {
    await program.parseAsync(argv);
    return Number(process.exitCode ?? 0);
  } catch (error) {
    if (error instanceof CommanderError) {
      // commander already printed its message; help and version are successes
      return error.exitCode === 0 ? 0 : 2;
    }
    const err = asError(error);
    printError(err, debug, color);
    return isIrisopsError(err) ? err.exitCode : 1;
  }
}
