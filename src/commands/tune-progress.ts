/**
 * A sweep's progress on stderr: on a terminal, one bar (trials done/total, the best so far,
 * an ETA) redrawn in place by ora; elsewhere (CI logs, 2>log) one plain line per finished
 * trial; nothing with --quiet or --json.
 */
import type { Context } from '../context.js';
import type { TrialProgress } from '../tune/sweep.js';
import type { TuneMetric } from '../tune/winner.js';
import { createOutput, formatDuration } from './output.js';
import { animated, createSpinner } from './progress.js';

export interface TrialReporter {
  trial(progress: TrialProgress): void;
  stop(): void;
}

const BAR_WIDTH = 20;

function paramsText(p: TrialProgress['settled']['trial']['params']): string {
  return `n_estimators=${p.n_estimators} max_depth=${p.max_depth} max_features=${p.max_features}`;
}

export function barText(progress: TrialProgress, metric: TuneMetric, etaMs: number | null): string {
  const filled = Math.round((progress.done / progress.total) * BAR_WIDTH);
  const bar = `${'█'.repeat(filled)}${'░'.repeat(BAR_WIDTH - filled)}`;
  const best = progress.best ? progress.best.metrics[metric].toFixed(4) : '-';
  const eta = etaMs === null ? '' : `  ETA ${formatDuration(etaMs)}`;
  return `trials ${bar} ${progress.done}/${progress.total}  best ${metric} ${best}${eta}`;
}

export function trialLine(progress: TrialProgress, metric: TuneMetric): string {
  const { settled, done, total } = progress;
  const head = `trial ${done}/${total} ${paramsText(settled.trial.params)}`;
  if (!settled.ok) {
    const why = settled.error instanceof Error ? settled.error.message : String(settled.error);
    return `${head}: FAILED (${why})`;
  }
  const best = progress.best ? progress.best.metrics[metric].toFixed(4) : '-';
  return `${head}: ${metric} ${settled.value.metrics[metric].toFixed(4)} (best ${best})`;
}

export async function createTrialReporter(
  ctx: Context,
  enabled: boolean,
  metric: TuneMetric,
): Promise<TrialReporter> {
  if (!enabled || ctx.quiet) return { trial() {}, stop() {} };
  const started = ctx.now();
  if (animated(ctx)) {
    const spinner = await createSpinner(ctx);
    return {
      trial(progress) {
        const elapsed = ctx.now() - started;
        const eta = (elapsed / progress.done) * (progress.total - progress.done);
        const text = barText(progress, metric, eta);
        if (spinner.isSpinning) spinner.text = text;
        else spinner.start(text);
      },
      stop: () => spinner.stop(),
    };
  }
  const { ec } = createOutput(ctx);
  return {
    trial(progress) {
      const mark = progress.settled.ok ? ec.green('✔') : ec.red('✖');
      ctx.stderr.write(`${mark} ${trialLine(progress, metric)}\n`);
    },
    stop() {},
  };
}
