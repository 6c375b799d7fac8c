/** `registry history` and `registry rollback`: the alias moves irisops recorded, and undoing one. */
import type { Context } from '../context.js';
import type { SettingFlags } from '../config/resolve.js';
import { currentUser } from '../model/run-source.js';
import type { AliasHistory } from '../schemas/types.js';
import {
  checkMoveMessage,
  holderAt,
  parseInstant,
  readAliasHistory,
  unknownAlias,
  type AliasMove,
} from '../tracking/alias-history.js';
import { validateAlias, validateModelName } from '../tracking/names.js';
import { rollbackAlias } from '../tracking/rollback.js';
import { checkArgument } from './options.js';
import type { Output } from './output.js';
import { formatTime } from './output.js';
import { setup } from './shared.js';
import { renderTable } from './table.js';

export interface HistoryOptions extends SettingFlags {
  at?: string;
  json?: boolean;
}

export interface RollbackOptions extends SettingFlags {
  message?: string;
  json?: boolean;
}

function checkNameAndAlias(name: string, alias: string | undefined): void {
  checkArgument(validateModelName, name);
  if (alias !== undefined) checkArgument(validateAlias, alias);
}

/** the --message, then irisops' own reason in brackets */
function note(message: string | null, reason: string | null): string {
  if (message !== null && reason !== null) return `${message} (${reason})`;
  return message ?? reason ?? '-';
}

const version = (v: string | null) => (v === null ? '-' : `v${v}`);

function renderMoves(out: Output, history: AliasHistory): void {
  const { c } = out;
  const rows = history.moves.map((m: AliasMove) => [
    formatTime(Date.parse(m.time)),
    version(m.from),
    c.bold(version(m.to)),
    m.user,
    m.via,
    note(m.message, m.reason === null ? null : c.dim(m.reason)),
  ]);
  out.print(renderTable(['TIME (UTC)', 'FROM', 'TO', 'USER', 'VIA', 'NOTE'], rows));
}

export async function history(
  ctx: Context,
  args: string[],
  options: HistoryOptions,
): Promise<void> {
  const name = args[0] ?? '';
  checkNameAndAlias(name, options.alias);
  const at = options.at === undefined ? null : parseInstant(options.at);
  const { out, settings, store } = await setup(ctx, options);
  const alias = settings.alias;
  const read = await readAliasHistory(store, name, alias);
  if (read.moves.length === 0 && read.aliases[alias] === undefined) throw unknownAlias(name, alias);
  if (read.unreadable.length > 0)
    out.warn(`${read.unreadable.length} history tag(s) on ${name} hold no readable move: skipped`);
  const result: AliasHistory = {
    name,
    alias,
    moves: read.moves,
    at: at === null ? null : holderAt(read.moves, at),
  };
  if (out.json) {
    out.printJson(result);
    return;
  }
  const { c } = out;
  if (result.at !== null) {
    const when = formatTime(at as number);
    if (result.at.version === null)
      out.print(`${name} @${alias} at ${when} UTC: none (no recorded move had set it yet)`);
    else
      out.print(
        `${name} @${alias} at ${when} UTC: ${c.bold(`v${result.at.version}`)} (since ${formatTime(Date.parse(result.at.since as string))})`,
      );
    return;
  }
  if (result.moves.length === 0) {
    out.print(`no recorded moves of ${name} @${alias} (it is v${read.aliases[alias]})`);
    out.note('moves are recorded by registry promote, registry rollback, ab promote and the ui');
    return;
  }
  out.print(`${name} @${alias}: ${result.moves.length} move(s), newest first`);
  renderMoves(out, result);
}

export async function rollback(
  ctx: Context,
  args: string[],
  options: RollbackOptions,
): Promise<void> {
  const name = args[0] ?? '';
  checkNameAndAlias(name, options.alias);
  checkMoveMessage(options.message);
  const { out, settings, store } = await setup(ctx, options);
  const alias = settings.alias;
  const { result, undone, raced } = await rollbackAlias(store, {
    name,
    alias,
    record: { user: currentUser(ctx.env), time: ctx.now(), message: options.message },
  });
  if (raced)
    out.warn(
      `@${alias} moved to v${result.previous_version ?? '-'} while this rollback ran; it is now v${result.version}`,
    );
  if (out.json) {
    out.printJson(result);
    return;
  }
  const { c } = out;
  out.print(
    `${c.green('✔')} ${name} @${alias}: v${undone.to} → ${c.bold(`v${result.version}`)} (rolled back the move of ${formatTime(Date.parse(undone.time))} UTC)`,
  );
  out.note(`\nSee it: irisops registry history ${name} --alias ${alias}`);
}
