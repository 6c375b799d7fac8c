/** Drift detection: the offline command, and the threshold flags serve shares with it. */
import { Option, type Command } from 'commander';
import type { DriftOptions } from '../drift.js';
import { integer, number } from '../options.js';
import { action } from './action.js';

/** the names match DriftThresholds; defaults live in src/monitor/drift.ts (DRIFT_DEFAULTS) */
export function addDriftThresholdOptions(command: Command): Command {
  return command
    .addOption(
      new Option(
        '--psi-warning <x>',
        'PSI at which a significant shift is a warning (default 0.1)',
      ).argParser(number(0, 100)),
    )
    .addOption(
      new Option(
        '--psi-drift <x>',
        'PSI at which a significant shift is drift (default 0.25)',
      ).argParser(number(0, 100)),
    )
    .addOption(
      new Option(
        '--alpha <p>',
        'significance level of the Holm-corrected tests (default 0.01)',
      ).argParser(number(0, 1, { exclusive: true })),
    )
    .addOption(
      new Option(
        '--drift-min-samples <n>',
        'below this many rows the verdict is insufficient data, never drift (default 100)',
      ).argParser(integer(1, 1_000_000)),
    );
}

export function registerDrift(program: Command): void {
  const command = program
    .command('drift')
    .description("compare new data or logged predictions with the model's training profile")
    .option('--data <csv>', 'a CSV with the four measurement columns (other columns are ignored)')
    .option('--requests <jsonl>', 'a prediction log written by irisops serve --log-predictions')
    .option(
      '--model <uri>',
      'model whose reference profile to compare with (default models:/<model-name>@<alias>)',
    )
    .option('--model-name <name>', 'registered model when --model is not given')
    .option('--alias <alias>', 'alias when --model is not given')
    .option('--html <file>', 'also write a self-contained HTML report with histograms')
    .option('--fail-on-drift', 'exit 1 when the verdict is drift (for CI)')
    .option('--json', 'print the report as JSON (schemas/drift-report.schema.json)');
  addDriftThresholdOptions(command)
    .addHelpText(
      'after',
      '\nExamples:\n  irisops drift --data new.csv --model models:/iris_classifier@production\n  irisops drift --requests predictions.jsonl --html drift.html --fail-on-drift',
    )
    .action(action<DriftOptions>(async () => (await import('../drift.js')).run));
}
