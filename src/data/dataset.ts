/**
 * Loads the training CSV, checks it row by row against schemas/dataset.schema.json and
 * reports the first problem with its line number and a hint. Blank lines are skipped, as
 * pandas does. The digest is the sha256 of the bytes.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { DataError } from '../errors.js';
import { CLASSES, FEATURES, LABEL } from '../schemas/iris.js';
import { describeErrors, packageRoot, validatorFor } from '../schemas/index.js';
import type { DatasetRow } from '../schemas/types.js';
import { readColumns, type Columns } from './csv-columns.js';
import { describeDelimiter, OTHER_DELIMITERS, splitCsvLine } from './csv-line.js';

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

const COLUMNS = [...FEATURES, LABEL];
const HEADER_HINT = `the first line must name the columns: ${COLUMNS.join(',')}`;
const ROW_HINT = `each row is ${FEATURES.length} measurements in cm and a species (${CLASSES.join(', ')}), comma-separated`;

/** --data, else ./data/iris.csv when present, else the copy shipped in the package */
export function resolveDataPath(requested: string | null, cwd: string): string {
  if (requested) return path.resolve(cwd, requested);
  const local = path.join(cwd, 'data', 'iris.csv');
  return existsSync(local) ? local : bundledDataPath;
}

export function digestBytes(bytes: Buffer | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function readBytes(file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT')
      throw new DataError(`data file not found: ${file}`, {
        hint: 'pass --data PATH, or run irisops init to write data/iris.csv',
      });
    if (code === 'EISDIR')
      throw new DataError(`${file} is a folder, not a CSV file`, {
        hint: `pass --data with the CSV file itself, e.g. --data ${path.join(file, 'iris.csv')}`,
      });
    throw new DataError(`cannot read data file ${file}: ${(error as Error).message}`, {
      hint: 'check that the file exists and that you may read it',
    });
  }
}

interface Line {
  number: number;
  text: string;
}

/** the header's number of fields, once every column is known to be there */
function checkHeader(file: string, header: Line): number {
  const names = splitCsvLine(header.text) ?? [];
  const missing = COLUMNS.filter((c) => !names.includes(c));
  if (missing.length === 0) return names.length;
  const delimiter = OTHER_DELIMITERS.find((d) =>
    COLUMNS.every((c) => splitCsvLine(header.text, d)?.includes(c)),
  );
  if (delimiter)
    throw new DataError(
      `${file}:${header.number}: the delimiter looks like ${describeDelimiter(delimiter)}, not a comma`,
      { hint: 'save the file as comma-separated values (in a spreadsheet: CSV, comma-delimited)' },
    );
  throw new DataError(
    `${file}:${header.number}: missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`,
    { hint: HEADER_HINT },
  );
}

/** arquero would pad a short row and drop extra fields: count them first, per line */
function checkFieldCount(file: string, line: Line, width: number): void {
  const where = `${file}:${line.number}`;
  const cells = splitCsvLine(line.text);
  if (!cells)
    throw new DataError(`${where}: a quote is not closed`, {
      hint: 'close the quote on the same line',
    });
  if (cells.length !== width)
    throw new DataError(`${where}: expected ${width} fields, got ${cells.length}`, {
      hint:
        cells.length > width
          ? `a decimal written with a comma (4,9) is two fields: write 4.9. ${ROW_HINT}`
          : ROW_HINT,
    });
}

function rowOf(file: string, line: Line, columns: Columns, i: number): Record<string, unknown> {
  const where = `${file}:${line.number}`;
  const cell = (c: string) => (columns[c]?.[i] ?? '').trim();
  const record: Record<string, unknown> = {};
  FEATURES.forEach((f) => {
    const raw = cell(f);
    const value = raw === '' ? NaN : Number(raw);
    if (!Number.isFinite(value))
      throw new DataError(`${where}: ${f} is ${raw === '' ? 'empty' : `"${raw}", not a number`}`, {
        hint: ROW_HINT,
      });
    record[f] = value;
  });
  record[LABEL] = cell(LABEL);
  return record;
}

export async function loadDataset(file: string): Promise<Dataset> {
  const bytes = readBytes(file);
  const lines = bytes
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .map((text, i) => ({ number: i + 1, text }))
    .filter((l) => l.text.trim() !== '');
  const [header, ...body] = lines;
  if (!header)
    throw new DataError(`${file} is empty`, {
      hint: `${HEADER_HINT}, then at least one row per class`,
    });
  const width = checkHeader(file, header);
  if (body.length === 0)
    throw new DataError(`${file} has a header but no rows`, { hint: ROW_HINT });
  for (const line of body) checkFieldCount(file, line, width);

  const columns = await readColumns(
    lines.map((l) => l.text),
    COLUMNS,
  );

  const validate = validatorFor<DatasetRow>('dataset');
  const x: number[][] = [];
  const y: number[] = [];
  const rows: DatasetRow[] = [];
  for (const [i, line] of body.entries()) {
    const record = rowOf(file, line, columns, i);
    if (!validate(record)) {
      const issue = describeErrors(validate.errors)[0];
      throw new DataError(
        `${file}:${line.number}: ${issue?.path.slice(1) ?? 'row'} ${issue?.message ?? 'is invalid'}`,
        { hint: ROW_HINT },
      );
    }
    rows.push(record);
    x.push(FEATURES.map((f) => record[f]));
    y.push(CLASSES.indexOf(record.species));
  }
  for (const [index, label] of CLASSES.entries()) {
    if (!y.includes(index))
      throw new DataError(`${file} has no row of class ${label}`, {
        hint: 'every class needs rows to train on',
      });
  }
  return { path: file, digest: digestBytes(bytes), name: path.basename(file, path.extname(file)), x, y, rows };
}
