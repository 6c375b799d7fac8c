/**
 * Open Inference Protocol input tensors → rows of the four measurements. Two forms are
 * accepted: one [N, 4] tensor whose columns follow the model's feature order, or four [N]
 * tensors named after the measurements. The schema has checked the shapes of the JSON;
 * what it cannot say (element counts, names, ranges, --max-batch) is checked here, and
 * every problem is reported with its JSON pointer.
 */
import type { V2InferRequest } from '../../schemas/generated.js';
import { MEASUREMENT_RANGE } from '../../schemas/iris.js';
import type { Issue } from '../problem.js';
import { FEATURES, type FeatureName } from '../served-model.js';

type Input = V2InferRequest['inputs'][number];

export interface Rows {
  /** N rows of 4 values, row-major, in the model's feature order */
  values: Float64Array;
  n: number;
}

const WIDTH = FEATURES.length;

/** Row-major values: a flat list, or one nested list per row. */
function flatten(input: Input, at: string, issues: Issue[]): number[] {
  const out: number[] = [];
  for (const item of input.data) {
    if (Array.isArray(item)) out.push(...item);
    else out.push(item);
  }
  const expected = input.shape.reduce((a, b) => a * b, 1);
  if (out.length !== expected)
    issues.push({
      path: `${at}/data`,
      message: `has ${out.length} values; shape [${input.shape.join(', ')}] needs ${expected}`,
    });
  return out;
}

function checkRange(values: ArrayLike<number>, at: (k: number) => string, issues: Issue[]): void {
  const { min, max } = MEASUREMENT_RANGE;
  for (let k = 0; k < values.length; k++) {
    const v = values[k] as number;
    if (!(v >= min && v <= max))
      issues.push({ path: at(k), message: `must be a measurement from ${min} to ${max} cm` });
    if (issues.length >= 20) return;
  }
}

function checkBatch(n: number, at: string, maxBatch: number, issues: Issue[]): boolean {
  if (n < 1) {
    issues.push({ path: at, message: 'must hold at least one flower (N >= 1)' });
    return false;
  }
  if (n > maxBatch) {
    issues.push({ path: at, message: `must NOT have more than ${maxBatch} rows (--max-batch)` });
    return false;
  }
  return true;
}

function fromMatrix(
  input: Input,
  order: readonly FeatureName[],
  maxBatch: number,
  issues: Issue[],
) {
  const { shape } = input;
  if (shape.length !== 2 || shape[1] !== WIDTH) {
    const named = (FEATURES as readonly string[]).includes(input.name);
    issues.push({
      path: '/inputs/0/shape',
      message: named
        ? `is [${shape.join(', ')}]: send the four measurements as four [N] tensors (${FEATURES.join(', ')}), or one [N, ${WIDTH}] tensor`
        : `must be [N, ${WIDTH}] (columns ${order.join(', ')}), is [${shape.join(', ')}]`,
    });
    return null;
  }
  const n = shape[0] as number;
  if (!checkBatch(n, '/inputs/0/shape/0', maxBatch, issues)) return null;
  const flat = flatten(input, '/inputs/0', issues);
  if (issues.length > 0) return null;
  checkRange(flat, (k) => `/inputs/0/data/${k}`, issues);
  return issues.length > 0 ? null : { values: Float64Array.from(flat), n };
}

function fromColumns(
  inputs: readonly Input[],
  order: readonly FeatureName[],
  maxBatch: number,
  issues: Issue[],
) {
  const byName = new Map<string, { input: Input; at: string }>();
  inputs.forEach((input, i) => {
    const at = `/inputs/${i}`;
    if (!(FEATURES as readonly string[]).includes(input.name))
      issues.push({ path: `${at}/name`, message: `must be one of ${FEATURES.join(', ')}` });
    else if (byName.has(input.name))
      issues.push({ path: `${at}/name`, message: `${input.name} is sent twice` });
    else byName.set(input.name, { input, at });
    if (input.shape.length !== 1)
      issues.push({ path: `${at}/shape`, message: `must be [N], is [${input.shape.join(', ')}]` });
  });
  const missing = FEATURES.filter((f) => !byName.has(f));
  if (missing.length > 0 && issues.length === 0)
    issues.push({
      path: '/inputs',
      message: `must hold one [N] tensor for each of ${FEATURES.join(', ')} (missing ${missing.join(', ')}), or one [N, ${WIDTH}] tensor`,
    });
  if (issues.length > 0) return null;
  const first = byName.get(FEATURES[0] as string) as { input: Input; at: string };
  const n = first.input.shape[0] as number;
  for (const { input, at } of byName.values())
    if (input.shape[0] !== n)
      issues.push({ path: `${at}/shape/0`, message: `must be ${n}, like ${first.at}/shape/0` });
  if (issues.length > 0 || !checkBatch(n, `${first.at}/shape/0`, maxBatch, issues)) return null;
  const values = new Float64Array(n * WIDTH);
  order.forEach((feature, j) => {
    const { input, at } = byName.get(feature) as { input: Input; at: string };
    const column = flatten(input, at, issues);
    checkRange(column, (k) => `${at}/data/${k}`, issues);
    for (let r = 0; r < n && r < column.length; r++) values[r * WIDTH + j] = column[r] as number;
  });
  return issues.length > 0 ? null : { values, n };
}

/** The rows the request carries, or null with `issues` filled in. */
export function rowsOf(
  inputs: readonly Input[],
  order: readonly FeatureName[],
  maxBatch: number,
  issues: Issue[],
): Rows | null {
  return inputs.length === 1
    ? fromMatrix(inputs[0] as Input, order, maxBatch, issues)
    : fromColumns(inputs, order, maxBatch, issues);
}
