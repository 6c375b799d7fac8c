/**
 * irisops verify: runs the checklist (src/verify) and renders it, one line per check with a
 * hint under each problem and a summary. When a check failed, the report is printed first,
 * then an error whose message is the summary makes the CLI exit 1.
 */
import type { Context } from '../context.js';
import { packageInfo } from '../package-info.js';
import { IrisopsError } from '../errors.js';
import type { SettingFlags } from '../config/resolve.js';
import type { VerifyReport } from '../schemas/generated.js';
import {
  executableFinder,
  runCommand,
  runVerify,
  selectChecks,
  type VerifyDeps,
} from '../verify/index.js';
import type { Output } from './output.js';
import { commandKit, type CommandKit } from './shared.js';

export class VerifyFailedError extends IrisopsError {
  constructor(message: string) {
    super('VERIFY_FAILED', message);
  }
}

function irisopsEngines(): string {
  return packageInfo().engines?.node ?? '>=20.12';
}

export interface VerifyOptions extends SettingFlags {
  only?: string[];
  skip?: string[];
  strict?: boolean;
  json?: boolean;
}

function depsFor(ctx: Context, kit: CommandKit, options: VerifyOptions): VerifyDeps {
  const { trackingUri, experiment, modelName, alias, apiUrl, config } = options;
  const flags: SettingFlags = { trackingUri, experiment, modelName, alias, apiUrl, config };
  // a verify run should say "down" in seconds, not after the store's full retry budget
  const storeEnv = {
    ...ctx.env,
    MLFLOW_HTTP_REQUEST_MAX_RETRIES: ctx.env.MLFLOW_HTTP_REQUEST_MAX_RETRIES ?? '1',
    MLFLOW_HTTP_REQUEST_TIMEOUT: ctx.env.MLFLOW_HTTP_REQUEST_TIMEOUT ?? '10',
  };
  return {
    cwd: ctx.cwd,
    env: ctx.env,
    fetch: ctx.fetch,
    now: ctx.now,
    flags,
    resolveSettings: () => kit.resolveSettings(),
    openStore: (settings) => kit.openStore(settings.tracking_uri, storeEnv),
    runCommand,
    findExecutable: executableFinder(ctx.env),
    nodeVersion: process.versions.node,
    irisopsEngines: irisopsEngines(),
    httpTimeoutMs: 5000,
  };
}

function summaryLine(report: VerifyReport): string {
  const { pass, warn, fail } = report.summary;
  const parts = [
    `${pass} passed`,
    ...(warn > 0 ? [`${warn} warning${warn === 1 ? '' : 's'}`] : []),
  ];
  if (fail === 0) return `all green: ${parts.join(', ')}`;
  return `${fail} check${fail === 1 ? '' : 's'} failed (${parts.join(', ')})`;
}

function renderReport(out: Output, report: VerifyReport): void {
  const { c } = out;
  const width = Math.max(...report.checks.map((r) => r.id.length), 0);
  for (const check of report.checks) {
    const mark =
      check.status === 'pass' ? c.green('✔') : check.status === 'warn' ? c.yellow('⚠') : c.red('✖');
    out.print(`${mark} ${check.id.padEnd(width)}  ${check.message}`);
    if (check.hint) out.print(`  ${' '.repeat(width)}  ${c.dim('→')} ${check.hint}`);
  }
  // a failure's summary is the error line cli.ts prints (stderr, once), not a second copy here
  if (report.ok) out.print(c.green(summaryLine(report)));
}

export async function run(ctx: Context, _args: string[], options: VerifyOptions): Promise<void> {
  const request = { only: options.only, skip: options.skip, strict: options.strict === true };
  selectChecks(request); // unknown ids are a usage error before anything runs
  const kit = commandKit(ctx, options);
  const report = await runVerify(depsFor(ctx, kit, options), request);
  if (kit.out.json) kit.out.printJson(report);
  else renderReport(kit.out, report);
  if (!report.ok) throw new VerifyFailedError(summaryLine(report));
}
