/** irisops tune: a hyper-parameter sweep as a parent run with one child run per trial. */
import { Option, type Command } from 'commander';
import type { TuneOptions } from '../tune.js';
import { integer, number } from '../options.js';
import { action } from './action.js';

const VALUES = 'a comma list (25,50,100) or an inclusive integer range (2:6)';

export function registerTune(program: Command): void {
  program
    .command('tune')
    .description(
      'sweep hyper-parameters with k-fold CV as nested runs, then log and register the winner',
    )
    .option('--data <path>', 'training CSV (default ./data/iris.csv, else the bundled copy)')
    .option('--experiment <name>', 'experiment name (default iris-classification)')
    .option('--run-name <name>', "the sweep's parent run name (default: generated)")
    .option('--model-name <name>', 'registered model name (default iris_classifier)')
    .option('--no-register', "log the winner's run without registering a model version")
    .option('--n-estimators <values>', `numbers of trees: ${VALUES} (default 100)`)
    .option('--max-depth <values>', `maximum tree depths: ${VALUES} (default 5)`)
    .option(
      '--max-features <values>',
      `shares (0-1] or counts of features each tree sees, drawn once per tree as in ml-random-forest (not per split as in scikit-learn): ${VALUES} (default 1)`,
    )
    .addOption(
      new Option('--search <kind>', 'grid: every combination; random: --trials of them')
        .choices(['grid', 'random'])
        .default('grid'),
    )
    .addOption(
      new Option('--trials <n>', 'with --search random: how many points to try').argParser(
        integer(0, 100000),
      ),
    )
    .addOption(
      new Option('--max-trials <n>', 'refuse a sweep of more trials than this')
        .default(1000)
        .argParser(integer(1, 100000)),
    )
    .option(
      '--metric <name>',
      'what picks the winner: cv_accuracy_mean or cv_accuracy_min (higher is better), cv_accuracy_std (lower is better)',
      'cv_accuracy_mean',
    )
    .addOption(
      new Option('--cv <k>', 'folds of the stratified cross-validation')
        .default(5)
        .argParser(integer(2, 50)),
    )
    .addOption(
      new Option(
        '--parallel <n>',
        'trials at once, one worker thread each (default: the cores)',
      ).argParser(integer(1, 256)),
    )
    .addOption(
      new Option('--test-size <x>', 'share of rows held out to evaluate the winner, stratified')
        .default(0.2)
        .argParser(number(0, 1, { exclusive: true })),
    )
    .addOption(
      new Option(
        '--seed <n>',
        'random seed: folds, split, random search; each trial derives its own',
      )
        .default(42)
        .argParser(integer(-2147483648, 2147483647)),
    )
    .option('--json', 'print the result as one JSON object (schemas/tune-result.schema.json)')
    .addHelpText(
      'after',
      "\nThe result does not depend on --parallel: each trial's forest seed derives from --seed and its params.\n\nExamples:\n  irisops tune --n-estimators 25,50,100,200 --max-depth 2:6 --cv 5\n  irisops tune --max-depth 1:8 --max-features 0.5,0.75,1 --search random --trials 20 --seed 7",
    )
    .action(
      action<TuneOptions>(async () => (await import('../tune.js')).run, { cancellable: true }),
    );
}
