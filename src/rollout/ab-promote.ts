/**
 * `ab promote`: the challenger a running serve is testing gets the alias, but only on the
 * verdict "challenger better"; the verdict and its figures are the move's recorded reason.
 */
import { PromotionRefusedError } from '../errors.js';
import type { AbReport } from '../schemas/types.js';
import type { MoveRecord } from '../tracking/alias-history.js';
import { promoteAlias, type PromoteOutcome } from '../tracking/promote.js';
import type { TrackingStore } from '../tracking/store.js';

type Variant = NonNullable<AbReport['challenger']>;

function variantFigures(label: string, v: Variant): string {
  const accuracy = v.accuracy === null ? 'no accuracy' : `accuracy ${v.accuracy.toFixed(3)}`;
  const interval = v.interval ? ` [${v.interval.map((x) => x.toFixed(3)).join(', ')}]` : '';
  return `${label} v${v.model_version ?? '?'} ${accuracy}${interval} on ${v.labelled} labels`;
}

/** One line of what the verdict rests on: both variants, the p-value, labels still needed. */
export function verdictFigures(report: AbReport): string {
  const parts = [variantFigures('champion', report.champion)];
  if (report.challenger) parts.push(variantFigures('challenger', report.challenger));
  const { test } = report;
  if (test.p_value !== null) parts.push(`p = ${test.p_value.toPrecision(3)}`);
  if (test.more_labels_needed) parts.push(`about ${test.more_labels_needed} more labels needed`);
  return parts.join('; ');
}

export interface AbPromoteRequest {
  report: AbReport;
  /** where the report came from, for the messages */
  source: string;
  alias: string;
  record: Omit<MoveRecord, 'via' | 'reason'>;
}

/** The challenger's name and version, refused unless the verdict says it is better. */
function candidateOf(report: AbReport, source: string): { name: string; version: string } {
  const { challenger, champion, test } = report;
  if (challenger === null) {
    throw new PromotionRefusedError(`the serve at ${source} tests no challenger`, {
      hint: 'irisops serve --challenger models:/iris_classifier/2 --split 50',
    });
  }
  if (test.verdict !== 'challenger better') {
    throw new PromotionRefusedError(
      `the verdict is "${test.verdict}" (${verdictFigures(report)}): not promoted`,
      { hint: `collect more feedback and check: irisops ab report --api-url ${source}` },
    );
  }
  const { model_name: name, model_version: version } = challenger;
  if (name === null || version === null) {
    throw new PromotionRefusedError(`the challenger at ${source} has no loaded version`, {
      hint: `check it: irisops ab report --api-url ${source}`,
    });
  }
  if (champion.model_name !== null && champion.model_name !== name) {
    throw new PromotionRefusedError(
      `the challenger is ${name} v${version} but the champion is ${champion.model_name}: moving ${name}'s alias would not replace it`,
      { hint: `promote it yourself: irisops registry promote ${name} ${version} --alias <alias>` },
    );
  }
  return { name, version };
}

export async function promoteChallenger(
  store: TrackingStore,
  request: AbPromoteRequest,
): Promise<PromoteOutcome> {
  const { report, alias } = request;
  const { name, version } = candidateOf(report, request.source);
  return promoteAlias(store, {
    name,
    version,
    alias,
    record: {
      ...request.record,
      via: 'ab promote',
      reason: `${report.test.verdict}: ${verdictFigures(report)}`,
    },
  });
}
