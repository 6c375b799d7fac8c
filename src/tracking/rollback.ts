/**
 * Rolling an alias back: the version that held it before its last recorded move gets it
 * again, through promoteAlias, so the rollback is itself a move in the history (a second
 * rollback undoes the first).
 */
import { PromotionRefusedError } from '../errors.js';
import {
  readAliasHistory,
  unknownAlias,
  type AliasMove,
  type MoveRecord,
} from './alias-history.js';
import { currentHolder, promoteAlias, type PromoteOutcome } from './promote.js';
import type { TrackingStore } from './store.js';

export interface RollbackRequest {
  name: string;
  alias: string;
  record: Omit<MoveRecord, 'via' | 'reason'>;
}

export interface RollbackOutcome extends PromoteOutcome {
  /** the move this rollback undid */
  undone: AliasMove;
}

/** The move to undo, refused when there is none or the alias left it outside irisops. */
async function lastMove(store: TrackingStore, name: string, alias: string): Promise<AliasMove> {
  const { moves, aliases } = await readAliasHistory(store, name, alias);
  const last = moves[0];
  if (last === undefined) {
    if (aliases[alias] === undefined) throw unknownAlias(name, alias);
    throw new PromotionRefusedError(
      `no recorded move of ${name} @${alias}: there is no earlier version to roll back to`,
      { hint: `promote one instead: irisops registry promote ${name} <version> --alias ${alias}` },
    );
  }
  if (last.from === null) {
    throw new PromotionRefusedError(
      `${name} @${alias} had no version before v${last.to} (set ${last.time}): there is nothing to roll back to`,
      { hint: `promote one instead: irisops registry promote ${name} <version> --alias ${alias}` },
    );
  }
  const holder = (await currentHolder(store, name, alias))?.version ?? null;
  if (holder !== last.to) {
    throw new PromotionRefusedError(
      `${name} @${alias} is ${holder === null ? 'unset' : `v${holder}`}, not v${last.to} as its last recorded move left it: it was moved outside irisops`,
      {
        hint: `promote the version you want: irisops registry promote ${name} <version> --alias ${alias}`,
      },
    );
  }
  return last;
}

export async function rollbackAlias(
  store: TrackingStore,
  request: RollbackRequest,
): Promise<RollbackOutcome> {
  const { name, alias } = request;
  const undone = await lastMove(store, name, alias);
  const outcome = await promoteAlias(store, {
    name,
    alias,
    version: undone.from as string,
    record: {
      ...request.record,
      via: 'registry rollback',
      reason: `rollback of the move at ${undone.time} (v${undone.from} -> v${undone.to})`,
    },
  });
  // someone moved it between the check and the move: what was undone is not what it held
  return { ...outcome, undone, raced: outcome.result.previous_version !== undone.to };
}
