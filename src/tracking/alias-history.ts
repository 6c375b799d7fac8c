/**
 * The alias history: every alias move irisops makes is one tag on the registered model, so
 * whoever reads the store (another machine, MLflow's own client or UI) sees the same history
 * and nothing lives in a side file that could be lost or disagree with the registry.
 */
import { randomBytes } from 'node:crypto';
import { NotFoundError, UsageError } from '../errors.js';
import { quote } from './names.js';
import type { AliasHistory } from '../schemas/types.js';
import { validatorFor } from '../schemas/index.js';
import type { TrackingStore } from './store.js';
import { ALIAS_HISTORY_TAG_PREFIX } from './tags.js';
import { MAX_MOVE_MESSAGE_LENGTH } from './validation.js';

export type AliasMove = AliasHistory['moves'][number];
export type MoveVia = AliasMove['via'];

/** Who moves an alias, when, and why: what every caller of promoteAlias hands in. */
export interface MoveRecord {
  user: string;
  /** epoch ms of the move */
  time: number;
  via: MoveVia;
  message?: string;
  reason?: string;
}

/**
 * The move's key: its epoch ms, zero-padded so keys sort as the moves happened, and a random
 * suffix, because MLflow has no create-if-absent for tags and two processes (on one machine
 * or two) may record a move in the same millisecond: without it, one would overwrite the
 * other.
 */
function historyKey(ms: number): string {
  return `${ALIAS_HISTORY_TAG_PREFIX}${String(ms).padStart(13, '0')}-${randomBytes(4).toString('hex')}`;
}

/** --message is checked before any store is opened; its tag then always fits MLflow's limit. */
export function checkMoveMessage(message: string | undefined): void {
  if (message === undefined) return;
  if (message.trim() === '' || message.length > MAX_MOVE_MESSAGE_LENGTH) {
    throw new UsageError(
      `--message must be 1 to ${MAX_MOVE_MESSAGE_LENGTH} characters, got ${message.length}`,
      { hint: '--message "why this version"' },
    );
  }
}

export function moveOf(
  record: MoveRecord,
  alias: string,
  from: string | null,
  to: string,
): AliasMove {
  return {
    time: new Date(record.time).toISOString(),
    alias,
    from,
    to,
    user: record.user,
    via: record.via,
    message: record.message ?? null,
    reason: record.reason ?? null,
  };
}

/** Writes one move as one tag of its own. */
export async function recordMove(
  store: TrackingStore,
  name: string,
  move: AliasMove,
): Promise<void> {
  await store.setRegisteredModelTag(name, historyKey(Date.parse(move.time)), JSON.stringify(move));
}

/** The tag's move, or null when it is not one (hand-edited, or from a newer irisops). */
export function parseMove(value: string): AliasMove | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return null;
  }
  // the schema's own move shape, checked through the document it belongs to
  const document = { name: '', alias: null, moves: [parsed], at: null };
  return validatorFor('alias-history')(document) ? (parsed as AliasMove) : null;
}

/**
 * A history tag's value for a registry whose versions are numbered otherwise (runs push):
 * the move with its versions renumbered, or null when it names a version `numbering` lacks
 * or holds no readable move.
 */
export function renumberedMove(
  value: string,
  numbering: ReadonlyMap<string, string>,
): string | null {
  const move = parseMove(value);
  if (move === null) return null;
  const to = numbering.get(move.to);
  const from = move.from === null ? null : numbering.get(move.from);
  if (to === undefined || from === undefined) return null;
  return JSON.stringify({ ...move, from, to });
}

export interface HistoryRead {
  /** newest first */
  moves: AliasMove[];
  /** history tags that hold no readable move */
  unreadable: string[];
  /** the model's aliases now, alias -> version (from the same read) */
  aliases: Record<string, string>;
}

export async function readAliasHistory(
  store: TrackingStore,
  name: string,
  alias?: string,
): Promise<HistoryRead> {
  const { tags, aliases } = await store.getRegisteredModel(name);
  const keyed: { key: string; move: AliasMove }[] = [];
  const unreadable: string[] = [];
  for (const [key, value] of Object.entries(tags)) {
    if (!key.startsWith(ALIAS_HISTORY_TAG_PREFIX)) continue;
    const move = parseMove(value);
    if (move === null) unreadable.push(key);
    else if (alias === undefined || move.alias === alias) keyed.push({ key, move });
  }
  keyed.sort((a, b) => {
    const byTime = Date.parse(b.move.time) - Date.parse(a.move.time);
    return byTime !== 0 ? byTime : a.key < b.key ? 1 : a.key > b.key ? -1 : 0;
  });
  return { moves: keyed.map((k) => k.move), unreadable, aliases };
}

/**
 * An ISO 8601 date or date-time; without an offset it is UTC (so a script means the same
 * instant on every machine). Anything else is a usage error, checked before the store opens.
 */
export function parseInstant(text: string, flag = '--at'): number {
  const iso = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})?)?$/i.exec(
    text,
  );
  const zoned = iso && (iso[1] === undefined || iso[4] !== undefined) ? text : `${text}Z`;
  const ms = iso ? Date.parse(zoned) : Number.NaN;
  if (Number.isNaN(ms)) {
    throw new UsageError(`${flag} expects an ISO 8601 time, got "${text}"`, {
      hint: `e.g. ${flag} 2026-03-01T12:00:00Z (UTC unless it names an offset)`,
    });
  }
  return ms;
}

/** A history asked for an alias the model neither has nor ever had (by its history). */
export function unknownAlias(name: string, alias: string): NotFoundError {
  return new NotFoundError(`alias ${quote(alias)} not found on registered model ${quote(name)}`, {
    hint: `list its aliases with: irisops registry ls ${name}`,
  });
}

/** The version that held the alias at `at`, by the recorded moves (newest first). */
export function holderAt(moves: AliasMove[], at: number): NonNullable<AliasHistory['at']> {
  const last = moves.find((m) => Date.parse(m.time) <= at);
  return {
    time: new Date(at).toISOString(),
    version: last?.to ?? null,
    since: last?.time ?? null,
  };
}
