import { Option, type Command } from 'commander';
import type { AbPromoteOptions, AbReportOptions } from '../ab.js';
import type { ServeFlags } from '../serve.js';
import type { UiFlags } from '../ui.js';
import { integer, number, percent } from '../options.js';
import {
  BYTES_PER_ANSWER,
  BYTES_PER_NAMED_ANSWER,
  DEFAULT_FEEDBACK_WINDOW,
} from '../../rollout/feedback.js';
import { action } from './action.js';
import { addDriftThresholdOptions } from './monitor.js';

/** Champion/challenger and shadow traffic, and the feedback window behind GET /ab. */
function addRolloutOptions(command: Command): void {
  command
    .option(
      '--challenger <uri>',
      'a second model that answers --split percent of prediction traffic (sticky by x-subject-id)',
    )
    .addOption(
      new Option(
        '--split <percent>',
        "the challenger's share of traffic, in (0, 100] (default 50)",
      ).argParser(percent),
    )
    .option('--shadow <uri>', 'a model that also predicts requests after they are answered')
    .addOption(
      new Option(
        '--shadow-percent <percent>',
        'share of requests sent to the shadow (default 100)',
      ).argParser(percent),
    )
    .addOption(
      new Option(
        '--feedback-window <n>',
        `answers kept to match POST /feedback labels (${BYTES_PER_ANSWER} bytes each; ` +
          `about ${BYTES_PER_NAMED_ANSWER} under a caller's own x-request-id)`,
      )
        .default(DEFAULT_FEEDBACK_WINDOW)
        .argParser(integer(0, 10_000_000)),
    );
}

/** The live drift window and the prediction log. */
function addMonitorOptions(command: Command): void {
  command
    .addOption(
      new Option('--drift-window <n>', 'inputs kept per model version for GET /drift (0: off)')
        .default(1000)
        .argParser(integer(0, 1_000_000)),
    )
    .option('--log-predictions <file>', 'append one JSON line per answered prediction to file')
    .addOption(
      new Option('--log-predictions-max-mb <mb>', 'rotate the prediction log past this size')
        .default(100)
        .argParser(number(0, 1_000_000, { exclusive: true })),
    );
}

export function registerServe(program: Command): void {
  const command = program
    .command('serve')
    .description(
      'serve a model over HTTP: /predict, /predict/batch, /invocations, /v2 (Open Inference Protocol), /health, /metrics, /docs',
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
    .addHelpText(
      'after',
      '\nExamples:\n  irisops serve --challenger models:/iris_classifier@challenger --split 10\n  irisops serve --shadow models:/iris_classifier/7 --shadow-percent 50',
    );
  addRolloutOptions(command);
  addMonitorOptions(command);
  addDriftThresholdOptions(command).action(
    action<ServeFlags>(async () => (await import('../serve.js')).run),
  );
}

export function registerUi(program: Command): void {
  program
    .command('ui')
    .description('a web UI over the tracking store: runs, compare, registry (no Python needed)')
    .option('--host <host>', 'interface to bind (default 127.0.0.1; anything else warns)')
    .addOption(
      new Option(
        '--port <port>',
        'port (default 5000, env IRISOPS_UI_PORT, config ui_port)',
      ).argParser(integer(0, 65535)),
    )
    .option('--read-only', 'no write actions: aliases cannot be moved from the page')
    .option('--open', 'open the UI in the default browser')
    .option('--alias <alias>', 'alias the registry page proposes')
    .action(action<UiFlags>(async () => (await import('../ui.js')).run));
}

export function registerAb(program: Command): void {
  const ab = program
    .command('ab')
    .description("a running serve's champion/challenger test: read it, act on its verdict");
  const apiUrl = 'irisops serve to ask (default http://127.0.0.1:<port>, port from PORT or config)';
  ab.command('report')
    .description('per variant requests, labels, accuracy with 95% interval; p-value and verdict')
    .option('--api-url <url>', apiUrl)
    .option('--json', 'print the GET /ab body as is (schemas/ab-report.schema.json)')
    .addHelpText('after', '\nExample:\n  irisops ab report --api-url http://127.0.0.1:8000')
    .action(action<AbReportOptions>(async () => (await import('../ab.js')).report));
  ab.command('promote')
    .description(
      'move the alias to the challenger\'s version, only on the verdict "challenger better"',
    )
    .option('--api-url <url>', apiUrl)
    .option('--alias <alias>', 'alias to move (default production)')
    .option('--message <text>', 'why: recorded with the move (the verdict is its reason)')
    .addHelpText(
      'after',
      '\nAny other verdict is refused (exit 1) with its figures. The store is the one this\ncommand is configured with (--tracking-uri): use the same as serve.\n\nExample:\n  irisops ab promote --api-url http://127.0.0.1:8000 --alias production',
    )
    .action(action<AbPromoteOptions>(async () => (await import('../ab.js')).promote));
}
