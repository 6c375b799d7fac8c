/** Commands that write to or read from the tracking store and its registry. */
import { Option, type Command } from 'commander';
import type { HistoryOptions, RollbackOptions } from '../alias-history.js';
import type { PromoteOptions, RegisterOptions, RegistryListOptions } from '../registry.js';
import type { PushOptions } from '../push.js';
import type { RunsListOptions, RunsShowOptions } from '../runs.js';
import type { TrainOptions } from '../train.js';
import { integer, number, RUNS_LS_LIMIT } from '../options.js';
import { action } from './action.js';

export function registerTrain(program: Command): void {
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
        'share (0-1] or count of features each tree sees; drawn once per tree (as in ml-random-forest), not per split as in scikit-learn',
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
      action<TrainOptions>(async () => (await import('../train.js')).run, { cancellable: true }),
    );
}

export function registerRuns(program: Command): void {
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
      new Option(
        '--limit <n>',
        `show at most n runs (default: ${RUNS_LS_LIMIT}; with --json: all)`,
      ).argParser(integer(1, 100000)),
    )
    .option('--parent <run-id>', "only this run's children, e.g. one sweep's trials (irisops tune)")
    .option('--json', 'print runs as JSON (schemas/runs-list.schema.json)')
    .action(action<RunsListOptions>(async () => (await import('../runs.js')).list));
  runs
    .command('show')
    .argument('<run-id>', 'run id (or a unique prefix of at least 6 characters)')
    .description('params, metrics, tags, artifacts and confusion matrix of one run')
    .option('--experiment <name>', 'experiment to search for a run id prefix')
    .option('--json', 'print the run as JSON (schemas/run-detail.schema.json)')
    .action(action<RunsShowOptions>(async () => (await import('../runs.js')).show));
  runs
    .command('push')
    .description(
      'copy runs and registered versions from this store to another (e.g. an MLflow server)',
    )
    .requiredOption('--to <tracking-uri>', 'destination tracking URI')
    .option('--experiment <name>', 'experiment to push (default: every experiment)')
    .option('--json', 'print what was copied as JSON')
    .action(action<PushOptions>(async () => (await import('../push.js')).run));
}

export function registerRegistry(program: Command): void {
  const registry = program
    .command('registry')
    .description('registered models, versions and aliases');
  registry
    .command('promote')
    .argument('<name>', 'registered model name')
    .argument('<version>', 'version number to promote')
    .description('point an alias (default production) at a version: what serve loads')
    .option('--alias <alias>', 'alias to set (default production)')
    .option(
      '--if-better <metric>',
      'refuse unless the candidate is at least as good, e.g. metrics.accuracy',
    )
    .option(
      '--allow-different-data',
      'with --if-better: compare even when the runs used different data or split',
    )
    .option('--message <text>', 'why: recorded with the move in the alias history')
    .option('--json', 'print the result as JSON (schemas/promote-result.schema.json)')
    .addHelpText(
      'after',
      '\nExample:\n  irisops registry promote iris_classifier 2 --alias production --if-better metrics.accuracy',
    )
    .action(action<PromoteOptions>(async () => (await import('../registry.js')).promote));
  registry
    .command('register')
    .argument('<run-id>', 'a FINISHED run logged by irisops train (id or 6+ character prefix)')
    .description(
      "register a finished run's model as a new version (e.g. a train stopped before it)",
    )
    .option('--model-name <name>', 'registered model name (default iris_classifier)')
    .option('--experiment <name>', 'experiment to search for a run id prefix')
    .option('--json', 'print the result as JSON (schemas/register-result.schema.json)')
    .addHelpText(
      'after',
      '\nRefuses a run that is not FINISHED, has no irisops model, or is already a version.\n\nExample:\n  irisops registry register 3f2a9c --model-name iris_classifier',
    )
    .action(action<RegisterOptions>(async () => (await import('../registry.js')).register));
  registry
    .command('ls')
    .argument('[name]', 'registered model name (default: all)')
    .description('versions, their runs, metrics and aliases')
    .option('--json', 'print as JSON (schemas/registry-list.schema.json)')
    .action(action<RegistryListOptions>(async () => (await import('../registry.js')).list));
  registry
    .command('history')
    .argument('<name>', 'registered model name')
    .description("an alias's recorded moves, newest first (who, when, from, to, why)")
    .option('--alias <alias>', 'alias to show (default production)')
    .option('--at <time>', 'which version held the alias then: ISO 8601, UTC unless offset')
    .option('--json', 'print as JSON (schemas/alias-history.schema.json)')
    .addHelpText(
      'after',
      '\nMoves are tags on the registered model (irisops.alias_history.*), so every machine\nand MLflow itself see them.\n\nExample:\n  irisops registry history iris_classifier --at 2026-03-01T12:00:00Z',
    )
    .action(action<HistoryOptions>(async () => (await import('../alias-history.js')).history));
  registry
    .command('rollback')
    .argument('<name>', 'registered model name')
    .description('move an alias back to the version it held before its last recorded move')
    .option('--alias <alias>', 'alias to roll back (default production)')
    .option('--message <text>', 'why: recorded with the move in the alias history')
    .option('--json', 'print the result as JSON (schemas/promote-result.schema.json)')
    .addHelpText(
      'after',
      '\nA rollback is itself a move: a second rollback undoes the first. A running\n`irisops serve` follows the alias on its next reload.\n\nExample:\n  irisops registry rollback iris_classifier --message "v3 misroutes versicolor"',
    )
    .action(action<RollbackOptions>(async () => (await import('../alias-history.js')).rollback));
}
