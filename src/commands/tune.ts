import { availableParallelism } from 'node:os';
import type { Context } from '../context.js';
import type { SettingFlags } from '../config/resolve.js';
import { resolveDataPath } from '../data/dataset.js';
import { generateRunName } from '../model/run-source.js';
import { DEFAULT_MAX_TRIALS, parseSpace, planTrials, type SearchKind } from '../tune/space.js';
import { tune, type TuneOutcome } from '../tune/sweep.js';
import { checkMetric } from '../tune/winner.js';
import { UsageError } from '../errors.js';
import { createProgress } from './progress.js';
import { setup } from './shared.js';
import { STEP_LABELS, trainDeps } from './train.js';
import { createTrialReporter } from './tune-progress.js';
import { formatMetricValue, type Output } from './output.js';

export interface TuneOptions extends SettingFlags {
  runName?: string;
  /** false with --no-register */
  register: boolean;
  nEstimators?: string;
  maxDepth?: string;
  maxFeatures?: string;
  search: string;
  trials?: number;
  maxTrials: number;
  metric: string;
  cv: number;
  parallel?: number;
  testSize: number;
  seed: number;
  json?: boolean;
}

function searchKind(value: string): SearchKind {
  if (value === 'grid' || value === 'random') return value;
  throw new UsageError(`--search must be grid or random, got "${value}"`);
}

/** Every option checked and every trial planned before the store is opened. */
function plan(options: TuneOptions) {
  const search = searchKind(options.search);
  const metric = checkMetric(options.metric);
  const space = parseSpace({
    n_estimators: options.nEstimators,
    max_depth: options.maxDepth,
    max_features: options.maxFeatures,
  });
  const trials = planTrials({
    space,
    search,
    trials: options.trials ?? null,
    seed: options.seed,
    maxTrials: options.maxTrials ?? DEFAULT_MAX_TRIALS,
  });
  return { search, metric, space, trials };
}

export async function run(ctx: Context, _args: string[], options: TuneOptions): Promise<void> {
  const planned = plan(options);
  const { out, settings, store } = await setup(ctx, options);
  const reporter = await createTrialReporter(ctx, !out.json, planned.metric);
  const progress = await createProgress(ctx, !out.json);
  const outcome = await tune(
    {
      ...planned,
      dataPath: resolveDataPath(settings.data, ctx.cwd),
      experiment: settings.experiment,
      runName: options.runName ?? generateRunName(),
      modelName: settings.model_name,
      register: options.register,
      testSize: options.testSize,
      cvFolds: options.cv,
      seed: options.seed,
      parallel: options.parallel ?? availableParallelism(),
    },
    {
      ...trainDeps(ctx, store),
      onTrial: (p) => reporter.trial(p),
      onStep: (step, done, detail) => {
        reporter.stop();
        if (done) progress.succeed(`winner: ${STEP_LABELS[step]}: ${detail ?? ''}`);
        else progress.start(`winner: ${STEP_LABELS[step]}…`);
      },
    },
  ).catch((error: unknown) => {
    reporter.stop();
    progress.fail();
    throw error;
  });
  for (const notice of outcome.notices) out.warn(notice);
  if (out.json) {
    out.printJson(outcome.result);
    return;
  }
  render(out, outcome, settings.alias, store.displayUri);
}

function render(out: Output, outcome: TuneOutcome, alias: string, storeUri: string): void {
  const { c } = out;
  const r = outcome.result;
  const w = r.winner;
  const failed = r.trials.filter((t) => t.status === 'FAILED').length;
  const m = w.metrics;
  const fmt = formatMetricValue;
  out.print(
    `${c.green('✔')} sweep ${c.bold(r.parent_run_id)} (${r.run_name}): ${r.trials.length} trials${failed ? `, ${c.red(`${failed} FAILED`)}` : ''}, ${r.search} search by ${r.metric}`,
  );
  const p = w.params;
  out.print(
    `  winner n_estimators=${p.n_estimators} max_depth=${p.max_depth} max_features=${p.max_features} random_state=${p.random_state}: ${r.metric} ${fmt(w.trial_metrics[r.metric])}`,
  );
  out.print(
    `  run ${c.bold(w.run_id)}  accuracy ${fmt(m.accuracy)}  f1_score ${fmt(m.f1_score)}  cv_accuracy ${fmt(m.cv_accuracy_mean)} ± ${fmt(m.cv_accuracy_std)}`,
  );
  if (r.registered_model)
    out.print(
      `  registered ${c.bold(`${r.registered_model.name} version ${r.registered_model.version}`)}`,
    );
  out.print(`  tracking ${storeUri}`);
  const next = [
    `irisops runs show ${r.parent_run_id}`,
    r.registered_model
      ? `irisops registry promote ${r.registered_model.name} ${r.registered_model.version} --alias ${alias}`
      : `irisops serve --model ${w.model_uri}`,
  ];
  out.note(`\nNext:\n${next.map((n) => `  ${n}`).join('\n')}`);
}
