/**
 * The windows irisops drift reads: a CSV of measurements, or the prediction log that
 * irisops serve --log-predictions writes. Both come back in the profile's feature order.
 * A CSV is data the person chose, so a bad one is refused whole (one line, with the fix); a
 * prediction log is written by a server that may have been killed mid-line, so a broken
 * line is skipped and counted, never fatal.
 */
import { DataError } from '../errors.js';
import { splitCsvLine } from '../data/csv-line.js';
import { FEATURES } from '../schemas/iris.js';
import type { PredictionLogLine } from '../schemas/types.js';

export interface CsvWindow {
  rows: number[][];
}

export interface LogWindow {
  rows: number[][];
  predicted: number[];
  /** lines read, blank lines aside */
  lines: number;
  skipped: number;
  /** 1-based numbers of the first few skipped lines, for the warning */
  skippedAt: number[];
  /** lines left out because another model version answered them */
  otherVersions: number;
  /** versions seen, in order of first appearance */
  versions: string[];
}

const SHOWN_SKIPS = 5;

export function readFeatureCsv(text: string, file: string): CsvWindow {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  while (lines.length > 0 && lines[lines.length - 1]?.trim() === '') lines.pop();
  if (lines.length === 0)
    throw new DataError(`${file} is empty`, {
      hint: `give a CSV with a header row naming ${FEATURES.join(', ')}, then one row per flower`,
    });
  const header = splitCsvLine(lines[0] as string) ?? [];
  const at = FEATURES.map((f) => header.indexOf(f));
  const missing = FEATURES.filter((_, i) => at[i] === -1);
  if (missing.length > 0)
    throw new DataError(
      `${file} has no ${missing.join(', ')} column${missing.length > 1 ? 's' : ''} (its header is ${header.join(',') || 'empty'})`,
      { hint: `the header must name ${FEATURES.join(', ')} (other columns are ignored)` },
    );
  if (lines.length === 1)
    throw new DataError(`${file} has a header and no rows`, {
      hint: 'add at least one row of measurements',
    });
  const rows = lines.slice(1).map((line, r) => {
    const cells = splitCsvLine(line);
    if (!cells || cells.length !== header.length)
      throw new DataError(
        `${file} line ${r + 2} has ${cells?.length ?? 'unreadable'} cells, the header ${header.length}`,
        { hint: 'every row needs one cell per header column' },
      );
    return at.map((i, f) => {
      const value = Number(cells[i]);
      if (cells[i] === '' || !Number.isFinite(value))
        throw new DataError(
          `${file} line ${r + 2}: ${FEATURES[f]} is ${JSON.stringify(cells[i])}, not a number`,
          { hint: 'measurements are numbers in cm' },
        );
      return value;
    });
  });
  return { rows };
}

/**
 * version: keep only the lines this model version answered (null keeps every line).
 * isLine is the schema check, passed in so this module needs no validator of its own.
 */
export function readPredictionLog(
  text: string,
  version: string | null,
  isLine: (value: unknown) => value is PredictionLogLine,
): LogWindow {
  const out: LogWindow = {
    rows: [],
    predicted: [],
    lines: 0,
    skipped: 0,
    skippedAt: [],
    otherVersions: 0,
    versions: [],
  };
  text.split('\n').forEach((line, k) => {
    if (line.trim() === '') return;
    out.lines += 1;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      value = undefined;
    }
    if (!isLine(value)) {
      out.skipped += 1;
      if (out.skippedAt.length < SHOWN_SKIPS) out.skippedAt.push(k + 1);
      return;
    }
    if (!out.versions.includes(value.model_version)) out.versions.push(value.model_version);
    if (version !== null && value.model_version !== version) {
      out.otherVersions += 1;
      return;
    }
    out.rows.push(FEATURES.map((f) => value.features[f]));
    out.predicted.push(value.prediction);
  });
  return out;
}
