/**
 * irisops drift as one core function: a CSV or a prediction log against a model's reference
 * profile. The command resolves the model and renders; this reads, checks and analyses.
 */
import { readFile } from 'node:fs/promises';
import { DataError, ModelError } from '../errors.js';
import { FEATURES } from '../schemas/iris.js';
import type { PredictionLogLine } from '../schemas/types.js';
import { analyzeDrift, type DriftWindowData } from './drift.js';
import { readFeatureCsv, readPredictionLog } from './inputs.js';
import type { DriftReport, DriftThresholds, ReferenceProfile } from './types.js';

export interface OfflineDriftRequest {
  kind: 'csv' | 'predictions';
  path: string;
  /** shown in the report; the path as the person typed it */
  shownPath: string;
  profile: ReferenceProfile | null;
  profileProblem?: string;
  modelUri: string;
  /** the version the served model answers as (registry version, or run id) */
  modelVersion: string;
  thresholds?: Partial<DriftThresholds>;
}

export interface OfflineDrift {
  report: DriftReport;
  window: DriftWindowData;
  /** 1-based line numbers of the first skipped log lines */
  skippedAt: number[];
  /** versions found in a prediction log */
  versions: string[];
}

/** rows arrive in FEATURES order; the profile lists the model's own order */
function inProfileOrder(profile: ReferenceProfile, rows: number[][]): number[][] {
  const at = profile.features.map((f) => FEATURES.indexOf(f.name as (typeof FEATURES)[number]));
  return rows.map((row) => at.map((i) => row[i] as number));
}

async function readText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new DataError(
      `cannot read ${file}: ${code === 'ENOENT' ? 'no such file' : String(code)}`,
      {
        hint: 'check the path',
      },
    );
  }
}

export async function analyzeFile(request: OfflineDriftRequest): Promise<OfflineDrift> {
  const { profile } = request;
  if (!profile)
    throw new ModelError(
      'NO_REFERENCE_PROFILE',
      `${request.modelUri}: ${request.profileProblem ?? 'no reference profile'}`,
      {
        hint: 'retrain with irisops train (it logs model/reference-profile.json), then promote that version',
      },
    );
  const text = await readText(request.path);
  let window: DriftWindowData;
  let source: NonNullable<DriftReport['source']>;
  let skippedAt: number[] = [];
  let versions: string[] = [];
  if (request.kind === 'csv') {
    const csv = readFeatureCsv(text, request.shownPath);
    window = { rows: inProfileOrder(profile, csv.rows) };
    source = { kind: 'csv', path: request.shownPath, rows: csv.rows.length, lines_skipped: 0 };
  } else {
    const { validatorFor } = await import('../schemas/index.js');
    const isLine = validatorFor<PredictionLogLine>('prediction-log-line');
    const log = readPredictionLog(text, request.modelVersion, (v): v is PredictionLogLine =>
      isLine(v),
    );
    if (log.lines === 0)
      throw new DataError(`${request.shownPath} is empty`, {
        hint: 'point --requests at the file irisops serve --log-predictions writes',
      });
    window = { rows: inProfileOrder(profile, log.rows), predicted: log.predicted };
    source = {
      kind: 'predictions',
      path: request.shownPath,
      rows: log.lines - log.skipped,
      lines_skipped: log.skipped,
      other_versions: log.otherVersions,
    };
    skippedAt = log.skippedAt;
    versions = log.versions;
  }
  const report = analyzeDrift(profile, window, {
    thresholds: request.thresholds,
    modelVersion: request.modelVersion,
  });
  return { report: { ...report, source }, window, skippedAt, versions };
}
