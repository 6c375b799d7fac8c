import type { Context } from '../context.js';
import { currentUser } from '../model/run-source.js';
import { checkMoveMessage } from '../tracking/alias-history.js';
import { checkVersionNumber, promoteAlias } from '../tracking/promote.js';
import { listRegistry } from '../tracking/run-views.js';
import { findRun } from '../tracking/run-lookup.js';
import type { RegisterResult } from '../schemas/types.js';
import type { SettingFlags } from '../config/resolve.js';
import { validateAlias, validateModelName } from '../tracking/names.js';
import { promoteCommand } from '../verify/hints.js';
import { checkArgument } from './options.js';
import { formatMetricValue, formatTime, shortId } from './output.js';
import { setup } from './shared.js';
import { renderTable } from './table.js';

export interface PromoteOptions extends SettingFlags {
  ifBetter?: string;
  message?: string;
  allowDifferentData?: boolean;
  json?: boolean;
}

export interface RegisterOptions extends SettingFlags {
  json?: boolean;
}

export interface RegistryListOptions extends SettingFlags {
  json?: boolean;
}

export async function promote(
  ctx: Context,
  args: string[],
  options: PromoteOptions,
): Promise<void> {
  const [name = '', version = ''] = args;
  checkVersionNumber(name, version);
  if (options.alias !== undefined) checkArgument(validateAlias, options.alias);
  checkMoveMessage(options.message);
  const { out, settings, store } = await setup(ctx, options);
  const alias = settings.alias;
  const { result, raced, comparedAgainst } = await promoteAlias(store, {
    name,
    version,
    alias,
    ifBetter: options.ifBetter,
    allowDifferentData: options.allowDifferentData === true,
    record: {
      user: currentUser(ctx.env),
      time: ctx.now(),
      via: 'registry promote',
      message: options.message,
    },
  });
  const replaced = result.previous_version;
  const compared = result.compared;
  if (raced) {
    out.warn(
      `@${alias} moved to v${replaced ?? '-'} while this promotion ran; --if-better compared against v${comparedAgainst ?? '-'}`,
    );
  }
  if (out.json) {
    out.printJson(result);
    return;
  }
  const { c } = out;
  const from = replaced ? `v${replaced}` : 'unset';
  if (replaced === version)
    out.print(
      `${c.green('✔')} ${name} @${alias} is already ${c.bold(`v${version}`)}: nothing changed`,
    );
  else out.print(`${c.green('✔')} ${name} @${alias}: ${from} → ${c.bold(`v${version}`)}`);
  if (compared && compared.current !== null) {
    out.print(
      `  ${compared.metric}: ${compared.candidate?.toFixed(4)} (was ${compared.current.toFixed(4)})`,
    );
  }
  out.note(`\nServe it: irisops serve   (or reload a running one: kill -HUP <pid>)`);
}

export async function list(
  ctx: Context,
  args: string[],
  options: RegistryListOptions,
): Promise<void> {
  const { out, store } = await setup(ctx, options);
  const result = await listRegistry(store, args[0]);
  if (out.json) {
    out.printJson(result);
    return;
  }
  if (result.models.length === 0) {
    out.print(`no registered models in ${store.displayUri}`);
    out.note('register one with: irisops train');
    return;
  }
  const { c } = out;
  const fmt = formatMetricValue;
  const rows = result.models.flatMap((m) =>
    m.versions.map((v) => [
      m.name,
      `v${v.version}`,
      v.aliases.map((a) => c.cyan(`@${a}`)).join(' ') || '-',
      v.run_id ? shortId(v.run_id) : '-',
      fmt(v.metrics.accuracy),
      fmt(v.metrics.f1_score),
      formatTime(v.creation_timestamp),
      v.servable ? 'irisops' : c.yellow('not irisops'),
    ]),
  );
  out.print(
    renderTable(
      ['MODEL', 'VERSION', 'ALIASES', 'RUN', 'ACCURACY', 'F1', 'CREATED (UTC)', 'KIND'],
      rows,
    ),
  );
}

/** Registers a finished run's model: the way to finish a train stopped before registering. */
export async function register(
  ctx: Context,
  args: string[],
  options: RegisterOptions,
): Promise<void> {
  if (options.modelName !== undefined) checkArgument(validateModelName, options.modelName);
  const { out, settings, store } = await setup(ctx, options);
  const run = await findRun(store, args[0] ?? '', settings.experiment);
  const { registerRunModel } = await import('../model/register.js');
  const version = await registerRunModel(store, run.info.run_id, settings.model_name);
  const result: RegisterResult = {
    name: version.name,
    version: version.version,
    run_id: run.info.run_id,
    source: version.source,
  };
  if (out.json) {
    out.printJson(result);
    return;
  }
  const { c } = out;
  out.print(
    `${c.green('✔')} run ${shortId(result.run_id)} registered as ${result.name} ${c.bold(`v${result.version}`)}`,
  );
  out.note(`\nPromote it: ${promoteCommand(options, result.name, result.version, settings.alias)}`);
}
