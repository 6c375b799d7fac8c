/**
 * Drift in a running server: the last --drift-window inputs per model version (window.ts),
 * each version's reference profile, and the report GET /drift and /metrics read. Observing
 * is a copy into a typed array; the statistics run only when someone asks.
 */
import { analyzeDrift, resolveThresholds } from './drift.js';
import type { DriftReport, DriftThresholds, ReferenceProfile } from './types.js';
import { DEFAULT_DRIFT_WINDOW, VersionedWindows } from './window.js';

export interface VersionProfile {
  profile: ReferenceProfile | null;
  /** why profile is null */
  problem?: string;
}

export type LiveReport = { report: DriftReport } | { problem: string };

export interface LiveDriftOptions {
  window?: number;
  thresholds?: Partial<DriftThresholds>;
}

export class LiveDrift {
  readonly thresholds: DriftThresholds;
  readonly windowSize: number;
  private readonly windows: VersionedWindows;
  private readonly profiles = new Map<string, VersionProfile>();

  constructor(width: number, options: LiveDriftOptions = {}) {
    this.thresholds = resolveThresholds(options.thresholds);
    this.windowSize = options.window ?? DEFAULT_DRIFT_WINDOW;
    this.windows = new VersionedWindows(width, this.windowSize);
  }

  /** row: the inputs in the model's feature order (its profile's order) */
  observe(
    version: string,
    profile: VersionProfile,
    row: ArrayLike<number>,
    predicted: number,
  ): void {
    if (!this.profiles.has(version)) this.profiles.set(version, profile);
    this.windows.push(version, row, predicted);
    // forget the profiles of versions whose windows were dropped
    if (this.profiles.size > this.windows.maxVersions) {
      const kept = new Set(this.windows.versions());
      for (const v of this.profiles.keys()) if (!kept.has(v)) this.profiles.delete(v);
    }
  }

  versions(): string[] {
    return this.windows.versions();
  }

  report(version: string, profile?: VersionProfile): LiveReport {
    const known = this.profiles.get(version) ?? profile;
    if (!known?.profile)
      return { problem: known?.problem ?? `model version ${version} has no reference profile` };
    const window = this.windows.get(version);
    const data = window ? window.snapshot() : { rows: [], predicted: [] };
    const report = analyzeDrift(known.profile, data, {
      thresholds: this.thresholds,
      modelVersion: version,
    });
    return {
      report: { ...report, source: { kind: 'live', rows: data.rows.length, lines_skipped: 0 } },
    };
  }
}
