/**
 * GET /drift (schemas/drift-report.schema.json) and the drift gauges of /metrics: the live
 * window of the model being served (or ?model_version= of one served before) against its
 * reference profile. With --workers each process keeps its own window; the gauges then
 * report the worst worker.
 */
import { Gauge, type Registry } from 'prom-client';
import type { LiveDrift } from '../../monitor/live.js';
import type { DriftReport, Verdict } from '../../monitor/types.js';
import type { HandlerContext } from '../context.js';
import { replyJson, type Exchange } from '../exchange.js';
import { HttpProblem } from '../problem.js';
import { modelFor } from './predict.js';

/** irisops_drift_status values: the alert rules compare with DRIFT_STATUS.drift */
export const DRIFT_STATUS: Record<Verdict, number> = {
  'insufficient data': 0,
  stable: 1,
  warning: 2,
  drift: 3,
};

/** the label the predicted-class test gets among the features */
export const PREDICTED_CLASS = 'predicted_class';

function versionAsked(ex: Exchange): string | null {
  const q = (ex.req.url ?? '').indexOf('?');
  if (q === -1) return null;
  return new URLSearchParams((ex.req.url ?? '').slice(q + 1)).get('model_version');
}

export function createDriftHandler(ctx: HandlerContext, live: LiveDrift | null) {
  return function drift(ex: Exchange): void {
    if (!live)
      throw new HttpProblem(404, 'drift detection is off (irisops serve --drift-window 0)', {
        errors: [{ path: '', message: 'drift detection is off' }],
      });
    const asked = versionAsked(ex);
    const model = asked === null ? modelFor(ctx, ex) : null;
    const version = asked ?? (model?.version as string);
    if (asked !== null && !live.versions().includes(asked) && ctx.holder.current?.version !== asked)
      throw new HttpProblem(404, `no inputs seen for model version ${asked}`, {
        errors: [
          { path: '/model_version', message: `one of ${live.versions().join(', ') || 'none yet'}` },
        ],
      });
    const source =
      model?.source ??
      (ctx.holder.current?.version === asked ? ctx.holder.current.source : undefined);
    const outcome = live.report(
      version,
      source ? { profile: source.profile ?? null, problem: source.profileProblem } : undefined,
    );
    if ('problem' in outcome)
      throw new HttpProblem(409, `model version ${version}: ${outcome.problem}`, {
        errors: [{ path: '', message: 'no reference profile' }],
      });
    replyJson(ctx, ex, 200, JSON.stringify(outcome.report));
  };
}

function tests(report: DriftReport) {
  return [
    ...report.features,
    ...(report.predictions ? [{ ...report.predictions, name: PREDICTED_CLASS, ks: null }] : []),
  ];
}

/** gauges computed at scrape time, one report per version whose window is kept */
export function registerDriftGauges(registry: Registry, live: LiveDrift): void {
  const reports = () =>
    live
      .versions()
      .map((v) => live.report(v))
      .filter((o): o is { report: DriftReport } => 'report' in o)
      .map((o) => o.report);
  const gauge = (
    name: string,
    help: string,
    value: (t: ReturnType<typeof tests>[number]) => number | null,
  ) =>
    new Gauge({
      name,
      help,
      labelNames: ['feature', 'model_version'] as const,
      registers: [registry],
      aggregator: 'max',
      collect() {
        this.reset();
        for (const report of reports())
          for (const t of tests(report)) {
            const v = value(t);
            if (v !== null)
              this.set({ feature: t.name, model_version: report.model_version ?? '' }, v);
          }
      },
    });
  gauge('irisops_drift_psi', 'PSI of the live window against the training profile', (t) => t.psi);
  gauge('irisops_drift_ks', 'two-sample KS statistic of the live window', (t) => t.ks);
  gauge(
    'irisops_drift_corrected_p',
    'Holm-corrected p-value of the live window (features and predicted class together)',
    (t) => t.corrected_p,
  );
  gauge(
    'irisops_drift_status',
    'verdict per test: 0 insufficient data, 1 stable, 2 warning, 3 drift',
    (t) => DRIFT_STATUS[t.verdict],
  );
  new Gauge({
    name: 'irisops_drift_window_samples',
    help: 'inputs in the live drift window',
    labelNames: ['model_version'] as const,
    registers: [registry],
    aggregator: 'max',
    collect() {
      this.reset();
      for (const report of reports())
        this.set({ model_version: report.model_version ?? '' }, report.n);
    },
  });
}
