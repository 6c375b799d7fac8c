import type { Context } from '../context.js';
import { NotFoundError, PromotionRefusedError, UsageError } from '../errors.js';
import { MODEL_DIGEST_TAG } from '../tracking/tags.js';
import type { PromoteResult, RegistryList } from '../schemas/types.js';
import { readRegistry } from '../tracking/run-views.js';
import type { ModelVersion, Run, TrackingStore } from '../tracking/store.js';
import type { SettingFlags } from '../config/resolve.js';
import { formatTime, shortId } from './output.js';
import { setup } from './shared.js';
import { renderTable } from './table.js';

async function runOf(store: TrackingStore, v: ModelVersion): Promise<Run | null> {
  if (!v.run_id) return null;
  try {
    return await store.getRun(v.run_id);
  } catch (error) {
    if (error instanceof NotFoundError) return null;
    throw error;
  }
}

async function currentHolder(
  store: TrackingStore,
  name: string,
  alias: string,
): Promise<ModelVersion | null> {
  try {
    return await store.getModelVersionByAlias(name, alias);
  } catch (error) {
    if (error instanceof NotFoundError) return null;
    throw error;
  }
}

/** Refuses when the candidate is worse, or when the two runs are not comparable. */
async function checkIfBetter(
  store: TrackingStore,
  metricKey: string,
  candidate: ModelVersion,
  current: ModelVersion | null,
  allowDifferentData: boolean,
): Promise<NonNullable<PromoteResult['compared']>> {
  const metric = metricKey.replace(/^metrics\./, '');
  if (!/^metrics\.[A-Za-z0-9_.\-/ ]+$/.test(metricKey)) {
    throw new UsageError(`--if-better expects metrics.<name>, got "${metricKey}"`, {
      hint: 'e.g. --if-better metrics.accuracy',
    });
  }
  const candidateRun = await runOf(store, candidate);
  const candidateValue = candidateRun?.data.metrics[metric];
  if (candidateValue === undefined) {
    throw new PromotionRefusedError(
      `version ${candidate.version} has no metric ${metric} to compare`,
      { hint: 'promote without --if-better' },
    );
  }
  if (!current || current.version === candidate.version)
    return { metric: metricKey, candidate: candidateValue, current: null };
  const currentRun = await runOf(store, current);
  const currentValue = currentRun?.data.metrics[metric];
  if (currentValue === undefined)
    return { metric: metricKey, candidate: candidateValue, current: null };
  if (!allowDifferentData && candidateRun && currentRun) {
    const facts = ['tags.irisops.dataset_digest', 'params.test_size', 'params.random_state'];
    const value = (r: Run, f: string) =>
      f.startsWith('tags.') ? r.data.tags[f.slice(5)] : r.data.params[f.slice(7)];
    const differing = facts.filter((f) => value(candidateRun, f) !== value(currentRun, f));
    if (differing.length > 0) {
      throw new PromotionRefusedError(
        `cannot compare ${metric}: version ${candidate.version} and version ${current.version} differ in ${differing.join(', ').replace(/tags\.irisops\.dataset_digest/, 'training data')}`,
        { hint: 'retrain both on the same data and split, or pass --allow-different-data' },
      );
    }
  }
  if (candidateValue < currentValue) {
    throw new PromotionRefusedError(
      `version ${candidate.version} has ${metric} ${candidateValue.toFixed(4)}, below version ${current.version}'s ${currentValue.toFixed(4)}: not promoted`,
      { hint: 'train a better model, or promote without --if-better' },
    );
  }
  return { metric: metricKey, candidate: candidateValue, current: currentValue };
}

export interface PromoteOptions extends SettingFlags {
  ifBetter?: string;
  allowDifferentData?: boolean;
  json?: boolean;
}

export interface RegistryListOptions extends SettingFlags {
  json?: boolean;
}

export async function promote(
  ctx: Context,
  args: string[],
  options: PromoteOptions,
): Promise<void> {
  const [name = '', version = ''] = args;
  if (!/^[1-9][0-9]*$/.test(version)) {
    throw new UsageError(`version must be a positive whole number, got "${version}"`, {
      hint: `list versions with: irisops registry ls ${name}`,
    });
  }
  const { out, settings, store } = await setup(ctx, options);
  const alias = settings.alias;
  const candidate = await store.getModelVersion(name, version);
  const previous = await currentHolder(store, name, alias);
  const compared =
    options.ifBetter !== undefined
      ? await checkIfBetter(
          store,
          options.ifBetter,
          candidate,
          previous,
          options.allowDifferentData === true,
        )
      : undefined;
  // the holder the store replaced, read under its lock: what was checked may have moved since
  const replaced = await store.setAlias(name, alias, version);
  if (compared && replaced !== (previous?.version ?? null)) {
    out.warn(
      `@${alias} moved to v${replaced ?? '-'} while this promotion ran; --if-better compared against v${previous?.version ?? '-'}`,
    );
  }
  const result: PromoteResult = {
    name,
    alias,
    version,
    previous_version: replaced,
    ...(compared ? { compared } : {}),
  };
  if (out.json) {
    out.printJson(result);
    return;
  }
  const { c } = out;
  const from = replaced ? `v${replaced}` : 'unset';
  out.print(`${c.green('✔')} ${name} @${alias}: ${from} → ${c.bold(`v${version}`)}`);
  if (compared && compared.current !== null) {
    out.print(
      `  ${compared.metric}: ${compared.candidate?.toFixed(4)} (was ${compared.current.toFixed(4)})`,
    );
  }
  out.note(`\nServe it: irisops serve   (or reload a running one: kill -HUP <pid>)`);
}

export async function list(
  ctx: Context,
  args: string[],
  options: RegistryListOptions,
): Promise<void> {
  const { out, store } = await setup(ctx, options);
  const registry = await readRegistry(store, args[0]);
  const result: RegistryList = { models: [] };
  for (const model of registry.models) {
    const versions: RegistryList['models'][number]['versions'] = [];
    for (const v of registry.versions.get(model.name) ?? []) {
      const run = await runOf(store, v);
      versions.push({
        version: v.version,
        run_id: v.run_id,
        source: v.source,
        status: v.status,
        aliases: [...v.aliases],
        metrics: run?.data.metrics ?? {},
        creation_timestamp: v.creation_timestamp,
        servable: Boolean(run?.data.tags[MODEL_DIGEST_TAG]),
      });
    }
    result.models.push({ name: model.name, aliases: model.aliases, versions });
  }
  if (out.json) {
    out.printJson(result);
    return;
  }
  if (result.models.length === 0) {
    out.print(`no registered models in ${store.displayUri}`);
    out.note('register one with: irisops train');
    return;
  }
  const { c } = out;
  const fmt = (v: number | undefined) => (v === undefined ? '-' : v.toFixed(4));
  const rows = result.models.flatMap((m) =>
    m.versions.map((v) => [
      m.name,
      `v${v.version}`,
      v.aliases.map((a) => c.cyan(`@${a}`)).join(' ') || '-',
      v.run_id ? shortId(v.run_id) : '-',
      fmt(v.metrics.accuracy),
      fmt(v.metrics.f1_score),
      formatTime(v.creation_timestamp),
      v.servable ? 'irisops' : c.yellow('not irisops'),
    ]),
  );
  out.print(
    renderTable(
      ['MODEL', 'VERSION', 'ALIASES', 'RUN', 'ACCURACY', 'F1', 'CREATED (UTC)', 'KIND'],
      rows,
    ),
  );
}
