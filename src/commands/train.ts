import type { Context } from '../context.js';
import { resolveDataPath } from '../data/dataset.js';
import { trainAndLog, type TrainStep } from '../model/pipeline.js';
import { currentHost, currentUser, detectGitCommit, generateRunName } from '../model/run-source.js';
import { colors, note, printJson, println, warn } from './output.js';
import { createProgress } from './progress.js';
import { irisopsVersion, settingsFor, storeFor } from './shared.js';

const STEP_LABELS: Record<TrainStep, string> = {
  load: 'load data',
  split: 'split',
  fit: 'fit forest',
  evaluate: 'evaluate',
  cv: 'cross-validate',
  log: 'log run',
  register: 'register model',
};

export async function run(
  ctx: Context,
  _args: string[],
  options: Record<string, unknown>,
): Promise<void> {
  const json = options.json === true;
  const settings = await settingsFor(ctx, options);
  const store = await storeFor(ctx, settings);
  const progress = await createProgress(ctx, !json);
  const outcome = await trainAndLog(
    {
      dataPath: resolveDataPath(settings.data, ctx.cwd),
      experiment: settings.experiment,
      runName: typeof options.runName === 'string' ? options.runName : generateRunName(),
      modelName: settings.model_name,
      register: options.register !== false,
      params: {
        n_estimators: options.nEstimators as number,
        max_depth: options.maxDepth as number,
        max_features: options.maxFeatures as number,
        random_state: options.seed as number,
      },
      testSize: options.testSize as number,
      cvFolds: typeof options.cv === 'number' ? options.cv : null,
    },
    {
      store,
      now: ctx.now,
      irisopsVersion: irisopsVersion(),
      user: currentUser(ctx.env),
      host: currentHost(),
      pid: process.pid,
      gitCommit: detectGitCommit(ctx.cwd),
      signal: ctx.signal,
      onStep: (step, done, detail) => {
        if (done) progress.succeed(`${STEP_LABELS[step]}: ${detail ?? ''}`);
        else progress.start(`${STEP_LABELS[step]}…`);
      },
    },
  ).catch((error: unknown) => {
    progress.fail();
    throw error;
  });

  for (const notice of outcome.notices) warn(ctx, notice);
  const r = outcome.result;
  if (json) {
    printJson(ctx, r);
    return;
  }
  const c = colors(ctx);
  const m = r.metrics;
  const fmt = (v: number | undefined) => (v === undefined ? '-' : v.toFixed(4));
  println(
    ctx,
    `${c.green('✔')} run ${c.bold(r.run_id)} (${r.run_name}) ${r.status} in experiment ${settings.experiment}`,
  );
  println(
    ctx,
    `  accuracy ${fmt(m.accuracy)}  f1_score ${fmt(m.f1_score)}  precision ${fmt(m.precision)}  recall ${fmt(m.recall)}`,
  );
  if (m.cv_accuracy_mean !== undefined)
    println(ctx, `  cv_accuracy ${fmt(m.cv_accuracy_mean)} ± ${fmt(m.cv_accuracy_std)}`);
  println(
    ctx,
    `  model ${r.model_uri}  ${r.model_digest.slice(0, 19)}…  data ${r.dataset_digest.slice(0, 12)}`,
  );
  if (r.registered_model)
    println(
      ctx,
      `  registered ${c.bold(`${r.registered_model.name} version ${r.registered_model.version}`)}`,
    );
  println(ctx, `  tracking ${store.displayUri}`);
  const next = r.registered_model
    ? [
        'irisops runs ls',
        `irisops registry promote ${r.registered_model.name} ${r.registered_model.version} --alias ${settings.alias}`,
        'irisops serve',
      ]
    : ['irisops runs ls', `irisops serve --model ${r.model_uri}`];
  note(ctx, `\nNext:\n${next.map((n) => `  ${n}`).join('\n')}`);
}
