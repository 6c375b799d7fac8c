/**
 * irisops drift: a CSV or a prediction log against the model's reference profile, as a
 * table, one JSON document, and optionally a self-contained HTML page.
 */
import path from 'node:path';
import type { Context } from '../context.js';
import type { SettingFlags } from '../config/resolve.js';
import { IrisopsError, ModelError, UsageError } from '../errors.js';
import type { DriftReport } from '../monitor/types.js';
import type { Output } from './output.js';
import { setup } from './shared.js';
import { renderTable } from './table.js';

export interface DriftThresholdFlags {
  psiWarning?: number;
  psiDrift?: number;
  alpha?: number;
  driftMinSamples?: number;
}

export interface DriftOptions extends SettingFlags, DriftThresholdFlags {
  data?: string;
  requests?: string;
  model?: string;
  html?: string;
  failOnDrift?: boolean;
  json?: boolean;
}

/** the thresholds the flags set; the rest keep their defaults (src/monitor/drift.ts) */
export function thresholdsOf(flags: DriftThresholdFlags) {
  return {
    ...(flags.psiWarning === undefined ? {} : { psi_warning: flags.psiWarning }),
    ...(flags.psiDrift === undefined ? {} : { psi_drift: flags.psiDrift }),
    ...(flags.alpha === undefined ? {} : { alpha: flags.alpha }),
    ...(flags.driftMinSamples === undefined ? {} : { min_samples: flags.driftMinSamples }),
  };
}

function figure(v: number | null, digits: number): string {
  if (v === null) return '-';
  return v !== 0 && Math.abs(v) < 10 ** -digits ? v.toExponential(1) : v.toFixed(digits);
}

function render(out: Output, report: DriftReport, modelUri: string): void {
  const { c } = out;
  const paint = (v: string) =>
    v === 'drift'
      ? c.red(v)
      : v === 'warning'
        ? c.yellow(v)
        : v === 'stable'
          ? c.green(v)
          : c.dim(v);
  const rows = report.features.map((f) => [
    f.name,
    String(f.n),
    figure(f.psi, 3),
    figure(f.ks, 3),
    figure(f.p, 4),
    figure(f.corrected_p, 4),
    paint(f.verdict),
  ]);
  const p = report.predictions;
  if (p)
    rows.push([
      'predicted class',
      String(p.n),
      figure(p.psi, 3),
      `chi2 ${figure(p.chi2, 2)}`,
      figure(p.p, 4),
      figure(p.corrected_p, 4),
      paint(p.verdict),
    ]);
  out.print(renderTable(['test', 'n', 'PSI', 'KS', 'p', 'Holm p', 'verdict'], rows));
  const t = report.thresholds;
  out.print(
    `\nverdict: ${paint(report.verdict)}  (${report.n} rows vs ${report.reference_n} training rows of ${modelUri})`,
  );
  out.note(
    `significant: Holm-corrected p < ${t.alpha}; then drift at PSI >= ${t.psi_drift}, warning at PSI >= ${t.psi_warning}; under ${t.min_samples} rows: insufficient data`,
  );
}

async function resolveUri(
  flags: DriftOptions,
  store: Parameters<typeof import('../tracking/model-uri.js').defaultModelUri>[0],
  settings: { model_name: string; alias: string; experiment: string },
): Promise<string> {
  const { defaultModelUri, parseModelUri } = await import('../tracking/model-uri.js');
  if (flags.model) {
    parseModelUri(flags.model);
    return flags.model;
  }
  const uri = await defaultModelUri(
    store,
    settings.model_name,
    settings.alias,
    settings.experiment,
  );
  if (!uri)
    throw new ModelError('NO_MODEL', `no model to compare with in ${store.displayUri}`, {
      hint: 'irisops train, or pass --model models:/<name>/<version>',
    });
  return uri;
}

export async function run(ctx: Context, _args: string[], flags: DriftOptions): Promise<void> {
  if ((flags.data === undefined) === (flags.requests === undefined))
    throw new UsageError('give exactly one of --data <csv> and --requests <jsonl>', {
      hint: 'irisops drift --data new.csv',
    });
  const { resolveThresholds } = await import('../monitor/drift.js');
  const thresholds = resolveThresholds(thresholdsOf(flags));
  const { out, settings, store } = await setup(ctx, flags);
  const uri = await resolveUri(flags, store, settings);
  const [{ loadModel }, { analyzeFile }] = await Promise.all([
    import('../model/load.js'),
    import('../monitor/offline.js'),
  ]);
  const loaded = await loadModel(store, uri);
  const shownPath = (flags.data ?? flags.requests) as string;
  const result = await analyzeFile({
    kind: flags.data !== undefined ? 'csv' : 'predictions',
    path: path.resolve(ctx.cwd, shownPath),
    shownPath,
    profile: loaded.profile,
    profileProblem: loaded.profileProblem,
    modelUri: uri,
    modelVersion: loaded.version ?? loaded.runId,
    thresholds,
  });
  const { report } = result;
  const source = report.source;
  if (source && source.lines_skipped > 0)
    out.warn(
      `skipped ${source.lines_skipped} of ${source.lines_skipped + source.rows} lines of ${shownPath} that are not prediction-log lines (line ${result.skippedAt.join(', ')}${source.lines_skipped > result.skippedAt.length ? ', …' : ''})`,
    );
  if (source?.other_versions)
    out.warn(
      `left out ${source.other_versions} lines answered by other versions (${result.versions.filter((v) => v !== report.model_version).join(', ')}); this report is about version ${report.model_version}`,
      'compare another version with --model models:/<name>/<version>',
    );
  if (flags.html) {
    const [{ renderDriftHtml }, { writeFileAtomic }] = await Promise.all([
      import('../monitor/html.js'),
      import('../tracking/fs-atomic.js'),
    ]);
    const html = renderDriftHtml(
      report,
      loaded.profile as NonNullable<typeof loaded.profile>,
      result.window,
      `irisops drift: ${shownPath} vs ${uri}`,
    );
    await writeFileAtomic(path.resolve(ctx.cwd, flags.html), html);
    out.note(`wrote ${flags.html}`);
  }
  if (out.json) out.printJson(report);
  else render(out, report, uri);
  if (flags.failOnDrift && report.verdict === 'drift') {
    const drifted = [
      ...report.features.filter((f) => f.verdict === 'drift').map((f) => f.name),
      ...(report.predictions?.verdict === 'drift' ? ['predicted class'] : []),
    ];
    throw new IrisopsError('DRIFT_DETECTED', `drift detected: ${drifted.join(', ')}`, {
      hint: 'retrain on recent data (irisops train --data <new.csv>), or look at the report first',
    });
  }
}
