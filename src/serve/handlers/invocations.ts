/**
 * POST /invocations: MLflow's scoring protocol, so MLflow clients and tools (mlflow
 * models predict, the Python deployments client) can call irisops unchanged.
 */
import { bodyKind, decodeUtf8, parseJson, readBody } from '../body.js';
import type { HandlerContext } from '../context.js';
import { replyJson, type Exchange } from '../exchange.js';
import { parseFeatureCsv } from '../csv.js';
import type { Issue } from '../problem.js';
import { CLASSES, FEATURES, type FeatureName } from '../served-model.js';
import { check, validationProblem } from '../validation.js';
import { variantFor } from './predict.js';

type Row = readonly number[] | Float64Array;
type Record4 = Record<FeatureName, number>;

/** Rows in FEATURES order, whichever of the four input forms carried them. */
function rowsOf(body: Record<string, unknown>, issues: Issue[]): Row[] {
  const fromItem = (item: Row | Record4): Row =>
    Array.isArray(item) || item instanceof Float64Array
      ? (item as Row)
      : FEATURES.map((f) => (item as Record4)[f]);
  if (body.dataframe_split) {
    const split = body.dataframe_split as { columns?: string[]; data: number[][] };
    const columns = split.columns ?? [...FEATURES];
    const at = FEATURES.map((f) => columns.indexOf(f));
    const missing = FEATURES.filter((_, i) => at[i] === -1);
    if (missing.length > 0) {
      issues.push({
        path: '/dataframe_split/columns',
        message: `must include ${FEATURES.join(', ')} (missing ${missing.join(', ')})`,
      });
      return [];
    }
    return split.data.map((row, r) => {
      if (row.length !== columns.length)
        issues.push({
          path: `/dataframe_split/data/${r}`,
          message: `must have ${columns.length} values, one per column`,
        });
      return at.map((i) => row[i] as number);
    });
  }
  if (body.inputs && !Array.isArray(body.inputs))
    return rowsOfColumns(body.inputs as Record<FeatureName, number[]>, issues);
  const items = (body.dataframe_records ?? body.instances ?? body.inputs) as (Row | Record4)[];
  return items.map(fromItem);
}

/** MLflow's columnar tensor input: {"inputs": {"sepal_length": [...], ...}} */
function rowsOfColumns(columns: Record<FeatureName, number[]>, issues: Issue[]): Row[] {
  const n = columns[FEATURES[0] as FeatureName].length;
  const uneven = FEATURES.filter((f) => columns[f].length !== n);
  for (const f of uneven)
    issues.push({
      path: `/inputs/${f}`,
      message: `must have ${n} values like /inputs/${FEATURES[0]}, has ${columns[f].length}`,
    });
  if (uneven.length > 0) return [];
  return Array.from({ length: n }, (_, r) => FEATURES.map((f) => columns[f][r] as number));
}

export function createInvocationsHandler(ctx: HandlerContext) {
  const x = new Float64Array(FEATURES.length);
  const votes = new Int32Array(CLASSES.length);

  return async function invocations(ex: Exchange): Promise<void> {
    const kind = bodyKind(ex.req.headers['content-type'], true);
    const bytes = await readBody(ex.req, ctx.maxBody);
    let rows: Row[];
    if (kind === 'csv') {
      const parsed = parseFeatureCsv(decodeUtf8(bytes), ctx.maxBatch);
      if (parsed.issues.length > 0) throw validationProblem(parsed.issues);
      rows = parsed.rows;
    } else {
      const raw = parseJson(bytes);
      const body = check(ctx.validators.invocations, raw) as Record<string, unknown>;
      const issues: Issue[] = [];
      rows = rowsOf(body, issues);
      if (rows.length > ctx.maxBatch)
        issues.push({
          path: '',
          message: `must NOT have more than ${ctx.maxBatch} rows (--max-batch)`,
        });
      if (issues.length > 0) throw validationProblem(issues);
    }
    const { variant, model } = variantFor(ctx, ex);
    const order = model.inputOrder.map((name) => FEATURES.indexOf(name));
    const counts = new Int32Array(CLASSES.length);
    let out = '{"predictions":[';
    for (let r = 0; r < rows.length; r++) {
      const row = rows[r] as Row;
      for (let i = 0; i < order.length; i++) x[i] = row[order[i] as number] as number;
      const c = model.predictor.predictInto(x, votes);
      counts[c] = (counts[c] as number) + 1;
      ctx.observer?.observe(ex, model, x, c);
      out += r === 0 ? String(c) : `,${c}`;
    }
    out += ']}';
    counts.forEach(
      (n, c) => n > 0 && ctx.metrics?.countPredictions(model.predictor.classLabels[c] as string, n),
    );
    replyJson(ctx, ex, 200, out, ctx.variants.headers(variant));
    ctx.variants.counted(ex, variant, counts.entries());
  };
}
