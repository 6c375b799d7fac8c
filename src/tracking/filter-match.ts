/**
 * Applying a parsed filter and order-by to runs, with MLflow's rules for missing values
 * and the default order (mlflow/utils/search_utils.py). Parsing is in filter.ts.
 */
import type { Comparator, Comparison, Filter, OrderBy } from './filter.js';
import type { Run } from './store.js';
import { MLFLOW_DATASET_CONTEXT } from './tags.js';

function likeToRegExp(pattern: string, caseInsensitive: boolean): RegExp {
  let body = '';
  for (const ch of pattern) {
    if (ch === '%') body += '.*';
    else if (ch === '_') body += '.';
    else body += ch.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`^${body}$`, caseInsensitive ? 'isu' : 'su');
}

function attributeValue(run: Run, key: string): string | number | null {
  switch (key) {
    case 'run_id':
      return run.info.run_id;
    case 'run_name':
      return run.info.run_name;
    case 'user_id':
      return run.info.user_id;
    case 'status':
      return run.info.status;
    case 'artifact_uri':
      return run.info.artifact_uri;
    case 'start_time':
      return run.info.start_time;
    case 'end_time':
      return run.info.end_time;
    case 'experiment_id':
      return run.info.experiment_id;
    default:
      return null;
  }
}

function compare(
  lhs: string | number | null | undefined,
  comparator: Comparator,
  rhs: Comparison['value'],
): boolean {
  if (comparator === 'IS NULL') return lhs === null || lhs === undefined;
  if (comparator === 'IS NOT NULL') return lhs !== null && lhs !== undefined;
  // MLflow: a run without the key never matches, not even `!=`.
  if (lhs === null || lhs === undefined) return false;
  switch (comparator) {
    case 'IN':
      return Array.isArray(rhs) && rhs.includes(String(lhs));
    case 'NOT IN':
      return Array.isArray(rhs) && !rhs.includes(String(lhs));
    case 'LIKE':
    case 'ILIKE':
      return typeof rhs === 'string' && likeToRegExp(rhs, comparator === 'ILIKE').test(String(lhs));
    default:
      break;
  }
  if (rhs === null || Array.isArray(rhs)) return false;
  const [a, b] = typeof rhs === 'number' ? [Number(lhs), rhs] : [String(lhs), rhs];
  switch (comparator) {
    case '=':
      return a === b;
    case '!=':
      return a !== b;
    case '>':
      return a > b;
    case '>=':
      return a >= b;
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    default:
      return false;
  }
}

function matchesClause(run: Run, clause: Comparison): boolean {
  switch (clause.entity) {
    case 'metric':
      return compare(run.data.metrics[clause.key], clause.comparator, clause.value);
    case 'param':
      return compare(
        Object.hasOwn(run.data.params, clause.key) ? run.data.params[clause.key] : null,
        clause.comparator,
        clause.value,
      );
    case 'tag':
      return compare(
        Object.hasOwn(run.data.tags, clause.key) ? run.data.tags[clause.key] : null,
        clause.comparator,
        clause.value,
      );
    case 'attribute':
      return compare(attributeValue(run, clause.key), clause.comparator, clause.value);
    case 'dataset':
      return run.inputs.some((input) => {
        const value =
          clause.key === 'context'
            ? input.tags?.[MLFLOW_DATASET_CONTEXT]
            : clause.key === 'name'
              ? input.name
              : input.digest;
        return compare(value ?? null, clause.comparator, clause.value);
      });
  }
}

export function matchesFilter(run: Run, filter: Filter): boolean {
  return filter.clauses.every((clause) => matchesClause(run, clause));
}

function sortValue(run: Run, order: OrderBy): string | number | null {
  switch (order.entity) {
    case 'metric':
      return run.data.metrics[order.key] ?? null;
    case 'param':
      return Object.hasOwn(run.data.params, order.key)
        ? (run.data.params[order.key] as string)
        : null;
    case 'tag':
      return Object.hasOwn(run.data.tags, order.key) ? (run.data.tags[order.key] as string) : null;
    case 'attribute':
      return attributeValue(run, order.key);
  }
}

function compareValues(a: string | number, b: string | number): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const [x, y] = [String(a), String(b)];
  return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * MLflow's order: newest first, ties by run id; then each orderBy from the last to the
 * first as a stable sort, with missing (and NaN) values always at the end.
 */
export function sortRuns(runs: readonly Run[], orderBy: readonly OrderBy[]): Run[] {
  let sorted = [...runs].sort(
    (a, b) =>
      b.info.start_time - a.info.start_time ||
      (a.info.run_id < b.info.run_id ? -1 : a.info.run_id > b.info.run_id ? 1 : 0),
  );
  for (const order of [...orderBy].reverse()) {
    sorted = [...sorted].sort((a, b) => {
      const x = sortValue(a, order);
      const y = sortValue(b, order);
      const xMissing = x === null || (typeof x === 'number' && Number.isNaN(x));
      const yMissing = y === null || (typeof y === 'number' && Number.isNaN(y));
      if (xMissing || yMissing) return xMissing === yMissing ? 0 : xMissing ? 1 : -1;
      const result = compareValues(x, y);
      return order.ascending ? result : -result;
    });
  }
  return sorted;
}
