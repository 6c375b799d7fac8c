import type { Context } from '../context.js';
import { resolveDataPath } from '../data/dataset.js';
import { trainAndLog, type TrainDeps, type TrainStep } from '../model/pipeline.js';
import type { TrackingStore } from '../tracking/store.js';
import { currentHost, currentUser, detectGitCommit, generateRunName } from '../model/run-source.js';
import type { SettingFlags } from '../config/resolve.js';
import { promoteCommand } from '../verify/hints.js';
import { formatMetricValue } from './output.js';
import { createProgress } from './progress.js';
import { irisopsVersion, setup } from './shared.js';

export const STEP_LABELS: Record<TrainStep, string> = {
  load: 'load data',
  split: 'split',
  fit: 'fit forest',
  evaluate: 'evaluate',
  cv: 'cross-validate',
  log: 'log run',
  register: 'register model',
};

/** Who and where a run comes from, its store and its Ctrl-C: what train and tune pass the core. */
export function trainDeps(ctx: Context, store: TrackingStore): TrainDeps {
  return {
    store,
    now: ctx.now,
    irisopsVersion: irisopsVersion(),
    user: currentUser(ctx.env),
    host: currentHost(),
    pid: process.pid,
    gitCommit: detectGitCommit(ctx.cwd),
    signal: ctx.signal,
  };
}

export interface TrainOptions extends SettingFlags {
  runName?: string;
  /** false with --no-register */
  register: boolean;
  nEstimators: number;
  maxDepth: number;
  maxFeatures: number;
  testSize: number;
  seed: number;
  cv?: number;
  json?: boolean;
}

export async function run(ctx: Context, _args: string[], options: TrainOptions): Promise<void> {
  const { out, settings, store } = await setup(ctx, options);
  const progress = await createProgress(ctx, !out.json);
  const outcome = await trainAndLog(
    {
      dataPath: resolveDataPath(settings.data, ctx.cwd),
      experiment: settings.experiment,
      runName: options.runName ?? generateRunName(),
      modelName: settings.model_name,
      register: options.register,
      params: {
        n_estimators: options.nEstimators,
        max_depth: options.maxDepth,
        max_features: options.maxFeatures,
        random_state: options.seed,
      },
      testSize: options.testSize,
      cvFolds: options.cv ?? null,
    },
    {
      ...trainDeps(ctx, store),
      onStep: (step, done, detail) => {
        if (done) progress.succeed(`${STEP_LABELS[step]}: ${detail ?? ''}`);
        else progress.start(`${STEP_LABELS[step]}…`);
      },
    },
  ).catch((error: unknown) => {
    progress.fail();
    throw error;
  });

  for (const notice of outcome.notices) out.warn(notice);
  const r = outcome.result;
  if (out.json) {
    out.printJson(r);
    return;
  }
  const { c } = out;
  const m = r.metrics;
  const fmt = formatMetricValue;
  out.print(
    `${c.green('✔')} run ${c.bold(r.run_id)} (${r.run_name}) ${r.status} in experiment ${settings.experiment}`,
  );
  out.print(
    `  accuracy ${fmt(m.accuracy)}  f1_score ${fmt(m.f1_score)}  precision ${fmt(m.precision)}  recall ${fmt(m.recall)}`,
  );
  if (m.cv_accuracy_mean !== undefined)
    out.print(`  cv_accuracy ${fmt(m.cv_accuracy_mean)} ± ${fmt(m.cv_accuracy_std)}`);
  out.print(
    `  model ${r.model_uri}  ${r.model_digest.slice(0, 19)}…  data ${r.dataset_digest.slice(0, 12)}`,
  );
  if (r.registered_model)
    out.print(
      `  registered ${c.bold(`${r.registered_model.name} version ${r.registered_model.version}`)}`,
    );
  out.print(`  tracking ${store.displayUri}`);
  const next = r.registered_model
    ? [
        'irisops runs ls',
        promoteCommand(
          options,
          r.registered_model.name,
          r.registered_model.version,
          settings.alias,
        ),
        'irisops serve',
      ]
    : ['irisops runs ls', `irisops serve --model ${r.model_uri}`];
  out.note(`\nNext:\n${next.map((n) => `  ${n}`).join('\n')}`);
}
