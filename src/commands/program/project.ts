/** Commands about the project folder itself: scaffold it, check it. */
import { Option, type Command } from 'commander';
import type { InitOptions } from '../init.js';
import type { VerifyOptions } from '../verify.js';
import { integer, list } from '../options.js';
import { action } from './action.js';

export function registerInit(program: Command): void {
  program
    .command('init')
    .argument('[dir]', 'folder to scaffold', '.')
    .description(
      'scaffold a workshop project: config, data, .gitignore, Dockerfile, CI workflow, Prometheus and Grafana files',
    )
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
    .action(action<InitOptions>(async () => (await import('../init.js')).run));
}

export function registerVerify(program: Command): void {
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
    .action(action<VerifyOptions>(async () => (await import('../verify.js')).run));
}
