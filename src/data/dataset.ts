/**
 * Loads the training CSV (arquero), checks it row by row against schemas/dataset.schema.json
 * and reports the first problem with its line number. The digest is the sha256 of the bytes.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { DataError } from '../errors.js';
import { packageRoot } from '../schemas/index.js';
import { CLASSES, FEATURES, LABEL } from '../schemas/iris.js';
import type { DatasetRow } from '../schemas/types.js';

export { CLASSES, FEATURES, LABEL, type FeatureName } from '../schemas/iris.js';

export interface Dataset {
  /** absolute path of the CSV that was read */
  path: string;
  /** sha256 of the file's bytes, hex */
  digest: string;
  name: string;
  /** feature rows, in FEATURES order */
  x: number[][];
  /** class index per row, into CLASSES */
  y: number[];
  rows: DatasetRow[];
}

export const bundledDataPath = path.join(packageRoot, 'data', 'iris.csv');

/** --data, else ./data/iris.csv when present, else the copy shipped in the package */
export function resolveDataPath(requested: string | null, cwd: string): string {
  if (requested) return path.resolve(cwd, requested);
  const local = path.join(cwd, 'data', 'iris.csv');
  return existsSync(local) ? local : bundledDataPath;
}

export function digestBytes(bytes: Buffer | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export async function loadDataset(file: string): Promise<Dataset> {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new DataError(
      code === 'ENOENT' ? `data file not found: ${file}` : `cannot read data file ${file}: ${(error as Error).message}`,
      { hint: code === 'ENOENT' ? 'pass --data PATH, or run irisops init to write data/iris.csv' : undefined },
    );
  }
  const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
  if (text.trim() === '') throw new DataError(`${file} is empty`, { hint: 'the CSV needs a header row and at least one row per class' });

  const header = (text.split(/\r?\n/, 1)[0] ?? '').split(',').map((h) => h.trim());
  const missing = [...FEATURES, LABEL].filter((c) => !header.includes(c));
  if (missing.length > 0) {
    throw new DataError(`${file}:1: missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`, {
      hint: `the header must be ${[...FEATURES, LABEL].join(',')}`,
    });
  }

  const { fromCSV } = await import('arquero');
  // autoType off: every cell arrives as written, so a bad cell is reported, not silently coerced
  const table = fromCSV(text, { autoType: false });
  const columns = Object.fromEntries([...FEATURES, LABEL].map((c) => [c, table.array(c) as unknown as (string | null)[]]));
  const n = table.numRows();
  if (n === 0) throw new DataError(`${file} has a header but no rows`);

  const { validatorFor, describeErrors } = await import('../schemas/index.js');
  const validate = validatorFor<DatasetRow>('dataset');
  const x: number[][] = [];
  const y: number[] = [];
  const rows: DatasetRow[] = [];
  for (let i = 0; i < n; i++) {
    const line = i + 2;
    const record: Record<string, unknown> = {};
    for (const f of FEATURES) {
      const raw = (columns[f]?.[i] ?? '').trim();
      const value = raw === '' ? NaN : Number(raw);
      if (!Number.isFinite(value)) {
        throw new DataError(`${file}:${line}: ${f} is ${raw === '' ? 'empty' : `"${raw}", not a number`}`);
      }
      record[f] = value;
    }
    record[LABEL] = (columns[LABEL]?.[i] ?? '').trim();
    if (!validate(record)) {
      const issue = describeErrors(validate.errors)[0];
      throw new DataError(`${file}:${line}: ${issue?.path.slice(1) ?? 'row'} ${issue?.message ?? 'is invalid'}`);
    }
    rows.push(record);
    x.push(FEATURES.map((f) => record[f] as number));
    y.push(CLASSES.indexOf(record.species));
  }
  for (const [index, label] of CLASSES.entries()) {
    if (!y.includes(index)) throw new DataError(`${file} has no row of class ${label}`, { hint: 'every class needs rows to train on' });
  }
  return { path: file, digest: digestBytes(bytes), name: path.basename(file, path.extname(file)), x, y, rows };
}
