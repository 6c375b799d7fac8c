/**
 * text/csv rows for /invocations: a header row naming the features, then one row per
 * flower. Only numbers travel this way, so quoting is limited to optional quotes around a
 * cell. Every bad cell is reported, like a schema error.
 */
import type { Issue } from './problem.js';
import { FEATURES, MEASUREMENT_RANGE } from '../schemas/iris.js';

export interface CsvRows {
  rows: Float64Array[];
  issues: Issue[];
}

const MAX_ISSUES = 100;
const { min, max } = MEASUREMENT_RANGE;

function cell(raw: string): string {
  const t = raw.trim();
  return t.length >= 2 && t.startsWith('"') && t.endsWith('"') ? t.slice(1, -1).trim() : t;
}

/** Rows come back in FEATURES order. */
export function parseFeatureCsv(text: string, maxRows: number): CsvRows {
  const lines = text.split(/\r?\n/);
  while (lines.length > 0 && lines[lines.length - 1]?.trim() === '') lines.pop();
  const header = (lines[0] ?? '')
    .replace(/^\uFEFF/, '')
    .split(',')
    .map(cell);
  const issues: Issue[] = [];
  const columnOf = FEATURES.map((f) => header.indexOf(f));
  const missing = FEATURES.filter((_, i) => columnOf[i] === -1);
  if (missing.length > 0) {
    issues.push({
      path: '/header',
      message: `must name the columns ${FEATURES.join(', ')} (missing ${missing.join(', ')})`,
    });
    return { rows: [], issues };
  }
  const body = lines.slice(1);
  if (body.length === 0)
    issues.push({ path: '', message: 'must have at least one row after the header' });
  if (body.length > maxRows) {
    issues.push({ path: '', message: `must NOT have more than ${maxRows} rows (--max-batch)` });
    return { rows: [], issues };
  }
  const rows: Float64Array[] = [];
  body.forEach((line, r) => {
    const cells = line.split(',');
    if (cells.length !== header.length) {
      if (issues.length < MAX_ISSUES)
        issues.push({
          path: `/${r}`,
          message: `must have ${header.length} cells like the header, has ${cells.length}`,
        });
      return;
    }
    const row = new Float64Array(FEATURES.length);
    FEATURES.forEach((name, i) => {
      const text = cell(cells[columnOf[i] as number] as string);
      const value = text === '' ? NaN : Number(text);
      if (!Number.isFinite(value) || value < min || value > max) {
        if (issues.length < MAX_ISSUES)
          issues.push({ path: `/${r}/${name}`, message: `must be a number from ${min} to ${max}` });
      }
      row[i] = value;
    });
    rows.push(row);
  });
  return { rows, issues };
}
