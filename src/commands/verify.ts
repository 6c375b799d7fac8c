/**
 * irisops verify: runs the checklist (src/verify) and renders it, one line per check with a
 * hint under each problem and a summary. When a check failed, the report is printed first,
 * then an error whose message is the summary makes the CLI exit 1.
 */
import type { Context } from '../context.js';
import { packageInfo } from '../package-info.js';
import { IrisopsError } from '../errors.js';
import type { SettingFlags } from '../config/resolve.js';
import { resolveSettings } from '../config/resolve.js';
import type { VerifyReport } from '../schemas/generated.js';
import { openStore } from '../tracking/index.js';
import {
  executableFinder,
  runCommand,
  runVerify,
  selectChecks,
  type VerifyDeps,
} from '../verify/index.js';
import { colors, printJson, println } from './output.js';

export class VerifyFailedError extends IrisopsError {
  constructor(message: string) {
    super('VERIFY_FAILED', message);
  }
}

function irisopsEngines(): string {
  return packageInfo().engines?.node ?? '>=20.12';
}

function strings(value: unknown): string[] | undefined {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : undefined;
}

export function depsFor(ctx: Context, options: Record<string, unknown>): VerifyDeps {
  const str = (k: string) => (typeof options[k] === 'string' ? (options[k] as string) : undefined);
  const flags: SettingFlags = {
    trackingUri: str('trackingUri'),
    experiment: str('experiment'),
    modelName: str('modelName'),
    alias: str('alias'),
    apiUrl: str('apiUrl'),
    config: str('config'),
  };
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
    resolveSettings: () => resolveSettings(flags, ctx.env, ctx.cwd),
    openStore: (settings) =>
      openStore(settings.tracking_uri, {
        env: storeEnv,
        cwd: ctx.cwd,
        fetch: ctx.fetch,
        now: ctx.now,
      }),
    runCommand,
    findExecutable: executableFinder(ctx.env),
    nodeVersion: process.versions.node,
    irisopsEngines: irisopsEngines(),
    httpTimeoutMs: 5000,
  };
}

export function summaryLine(report: VerifyReport): string {
  const { pass, warn, fail } = report.summary;
  const parts = [
    `${pass} passed`,
    ...(warn > 0 ? [`${warn} warning${warn === 1 ? '' : 's'}`] : []),
  ];
  if (fail === 0) return `all green: ${parts.join(', ')}`;
  return `${fail} check${fail === 1 ? '' : 's'} failed (${parts.join(', ')})`;
}

export function renderReport(ctx: Context, report: VerifyReport): void {
  const c = colors(ctx);
  const width = Math.max(...report.checks.map((r) => r.id.length), 0);
  for (const check of report.checks) {
    const mark =
      check.status === 'pass' ? c.green('✔') : check.status === 'warn' ? c.yellow('⚠') : c.red('✖');
    println(ctx, `${mark} ${check.id.padEnd(width)}  ${check.message}`);
    if (check.hint) println(ctx, `  ${' '.repeat(width)}  ${c.dim('→')} ${check.hint}`);
  }
  const line = summaryLine(report);
  println(ctx, report.ok ? c.green(line) : c.red(line));
}

export async function run(
  ctx: Context,
  _args: string[],
  options: Record<string, unknown>,
): Promise<void> {
  const request = {
    only: strings(options.only),
    skip: strings(options.skip),
    strict: options.strict === true,
  };
  selectChecks(request); // unknown ids are a usage error before anything runs
  const report = await runVerify(depsFor(ctx, options), request);
  if (options.json === true) printJson(ctx, report);
  else renderReport(ctx, report);
  if (!report.ok) throw new VerifyFailedError(summaryLine(report));
}
