import { hostname } from 'node:os';
import type { Context } from '../context.js';
import { UsageError } from '../errors.js';
import type { RunDetail, RunsList } from '../schemas/types.js';
import { readRunDetail } from '../tracking/run-detail.js';
import {
  isStale,
  processAlive,
  readRegistry,
  toRunView,
  type RunView,
} from '../tracking/run-views.js';
import { experimentOrFail, findRun } from '../tracking/run-lookup.js';
import { bareKeyHint, isRunAttribute, parseFilter, parseOrderBy } from '../tracking/filter.js';
import type { RunSummary } from '../tracking/store.js';
import { checkArgument, RUNS_LS_LIMIT } from './options.js';
import type { SettingFlags } from '../config/resolve.js';
import { formatDuration, formatMetricValue, formatTime, shortId, type Output } from './output.js';
import { setup } from './shared.js';
import { renderTable } from './table.js';
import { DATASET_DIGEST_TAG } from '../tracking/tags.js';
import { childrenFilter, groupByParent, sweepMetric, viewKey } from '../tracking/run-family.js';

/** "--sort metrics.accuracy" sorts descending; "--sort 'metrics.accuracy ASC'" as written */
export function orderByFor(sort: string | undefined): string[] {
  const tieBreak = 'attributes.start_time DESC';
  if (!sort) return [tieBreak];
  const trimmed = sort.trim();
  const [key, dir] = trimmed.split(/\s+/);
  if (!key || (dir && !/^(asc|desc)$/i.test(dir)))
    throw new UsageError(`--sort expects "<key> [ASC|DESC]", got "${sort}"`);
  const prefixed = /^(metrics|params|tags|attributes|attribute)\./.test(key);
  if (!prefixed && !isRunAttribute(key))
    throw new UsageError(`--sort "${key}" is not a run attribute`, {
      hint: `${bareKeyHint(key)}, e.g. irisops runs ls --sort metrics.${key}`,
    });
  const orderBy = `${prefixed ? key : `attributes.${key}`} ${(dir ?? 'DESC').toUpperCase()}`;
  checkArgument(parseOrderBy, orderBy);
  return [orderBy, tieBreak];
}

/** The --sort key (metrics.x, params.x, tags.x) when not one of `runs` has it. */
function sortKeyNoRunHas(sort: string | undefined, runs: RunSummary[]): string | null {
  const m = /^(metrics|params|tags)\.(\S+)/.exec(sort?.trim() ?? '');
  if (!m || runs.length === 0) return null;
  const [, kind, name] = m as unknown as [string, 'metrics' | 'params' | 'tags', string];
  return runs.some((r) => name in r.data[kind]) ? null : `${kind}.${name}`;
}

export interface RunsListOptions extends SettingFlags {
  sort?: string;
  filter?: string;
  /** unset: RUNS_LS_LIMIT for the table, every run for --json */
  limit?: number;
  /** only the children of this run (a sweep's trials) */
  parent?: string;
  json?: boolean;
}

export interface RunsShowOptions extends SettingFlags {
  json?: boolean;
}

export async function list(ctx: Context, _args: string[], options: RunsListOptions): Promise<void> {
  // both are usage errors (exit 2), found before the store is read
  if (options.filter) checkArgument(parseFilter, options.filter);
  const orderBy = orderByFor(options.sort);
  const { out, settings, store } = await setup(ctx, options);
  const exp = await experimentOrFail(store, settings.experiment);
  const parent = options.parent ? await findRun(store, options.parent, settings.experiment) : null;
  const filters = [options.filter, parent ? childrenFilter(parent.info.run_id) : undefined];
  const limit = options.limit ?? (out.json ? undefined : RUNS_LS_LIMIT);
  // one run past the limit says whether the page is the whole list
  const found = await store.searchRunSummaries({
    experimentIds: [exp.experiment_id],
    filter: filters.filter(Boolean).join(' and ') || undefined,
    orderBy,
    maxResults: limit === undefined ? undefined : limit + 1,
  });
  const more = limit !== undefined && found.length > limit;
  const runs = more ? found.slice(0, limit) : found;
  const missing = sortKeyNoRunHas(options.sort, runs);
  if (missing) out.warn(`no listed run has ${missing}: they are in start-time order`);
  const registry = await readRegistry(store);
  const host = hostname();
  const views = runs.map((r) => toRunView(r, registry, isStale(r, host, processAlive)));
  const result: RunsList = {
    experiment: { experiment_id: exp.experiment_id, name: exp.name },
    runs: views,
  };
  if (out.json) {
    out.printJson(result);
    return;
  }
  if (views.length === 0) {
    out.print(`no runs in experiment ${exp.name}${options.filter ? ' match the filter' : ''}`);
    out.note('train one with: irisops train');
    return;
  }
  out.print(renderTable(...runsTable(out, views)));
  const counted = `${views.length} run${views.length === 1 ? '' : 's'}`;
  out.note(
    more
      ? `\nthe first ${counted} in ${exp.name} (${store.displayUri}); there are more: --limit ${2 * views.length} shows more, --json lists every one`
      : `\n${counted} in ${exp.name} (${store.displayUri}); details: irisops runs show <run>`,
  );
}

function runsTable(out: Output, views: RunView[]): [string[], string[][]] {
  const { c } = out;
  const fmt = formatMetricValue;
  const status = (v: RunView) => {
    if (v.stale) return c.yellow('RUNNING (stale)');
    if (v.status === 'FINISHED') return c.green(v.status);
    if (v.status === 'FAILED' || v.status === 'KILLED') return c.red(v.status);
    return v.status;
  };
  const head = [
    'RUN',
    'NAME',
    'STATUS',
    'START (UTC)',
    'DURATION',
    'TREES',
    'DEPTH',
    'ACCURACY',
    'F1',
    'DATA',
    'MODEL',
  ];
  // a sweep's children follow their parent, indented
  const rows = groupByParent(views, viewKey).flatMap((family) =>
    [family.run, ...family.children].map((v, i, all) => {
      if (i === 0) return runRow(v, v.run_name);
      return runRow(v, `${i === all.length - 1 ? '└' : '├'} ${v.run_name}`);
    }),
  );
  return [head, rows];

  function runRow(v: RunView, name: string): string[] {
    return [
      shortId(v.run_id),
      name,
      status(v),
      formatTime(v.start_time),
      formatDuration(v.end_time === null ? null : v.end_time - v.start_time),
      v.params.n_estimators ?? '-',
      v.params.max_depth ?? '-',
      fmt(v.metrics.accuracy),
      fmt(v.metrics.f1_score),
      (v.tags[DATASET_DIGEST_TAG] ?? '-').slice(0, 8),
      v.registered_versions
        .map((r) => `v${r.version}${r.aliases.map((a) => c.cyan(` @${a}`)).join('')}`)
        .join(', ') || '-',
    ];
  }
}

export async function show(ctx: Context, args: string[], options: RunsShowOptions): Promise<void> {
  const { out, settings, store } = await setup(ctx, options);
  const run = await findRun(store, args[0] ?? '', settings.experiment);
  const registry = await readRegistry(store);
  const view = toRunView(run, registry, isStale(run, hostname(), processAlive));
  const detail = await readRunDetail(store, run, view);
  if (out.json) {
    out.printJson(detail);
    return;
  }
  const { c } = out;
  const section = (title: string, entries: [string, string][]) => {
    out.print(c.bold(title));
    if (entries.length === 0) out.print('  -');
    const width = Math.max(...entries.map(([k]) => k.length), 0);
    for (const [k, v] of entries.sort((a, b) => a[0].localeCompare(b[0])))
      out.print(`  ${k.padEnd(width)}  ${v}`);
  };
  out.print(
    `${c.bold('run')} ${detail.run_id}  ${detail.run_name}  ${detail.stale ? c.yellow('RUNNING (stale)') : detail.status}`,
  );
  out.print(
    `  started ${formatTime(detail.start_time)} UTC, took ${formatDuration(detail.end_time === null ? null : detail.end_time - detail.start_time)}`,
  );
  out.print(`  artifacts ${detail.artifact_uri}`);
  if (view.registered_versions.length > 0) {
    out.print(
      `  registered ${view.registered_versions.map((r) => `${r.name} v${r.version}${r.aliases.map((a) => ` @${a}`).join('')}`).join(', ')}`,
    );
  }
  section('params', Object.entries(detail.params));
  section(
    'metrics',
    Object.entries(detail.metrics).map(([k, v]) => [k, String(v)]),
  );
  section(
    'tags',
    Object.entries(detail.tags).filter(([k]) => !k.startsWith('mlflow.log-model')),
  );
  section(
    'datasets',
    detail.datasets.map((d) => [d.name, `digest ${d.digest} (${d.source_type})`]),
  );
  section(
    'artifacts',
    detail.artifacts
      .filter((a) => !a.is_dir)
      .map((a) => [a.path, a.file_size === undefined ? '' : `${a.file_size} B`]),
  );
  if (detail.children) printChildren(out, detail.children, sweepMetric(run));
  if (detail.confusion_matrix) {
    const { labels, matrix } = detail.confusion_matrix;
    out.print(c.bold('confusion matrix') + c.dim(' (rows: true, columns: predicted)'));
    const w = Math.max(...labels.map((l) => l.length), 6);
    out.print(`  ${''.padEnd(w)}  ${labels.map((l) => l.padStart(w)).join('  ')}`);
    matrix.forEach((row, i) => {
      const cells = row.map((v, j) => {
        const text = String(v).padStart(w);
        if (v === 0) return c.dim(text);
        return i === j ? c.green(text) : c.red(text);
      });
      out.print(`  ${(labels[i] ?? '').padEnd(w)}  ${cells.join('  ')}`);
    });
  }
}

function printChildren(
  out: Output,
  children: NonNullable<RunDetail['children']>,
  metric: string | null,
): void {
  const { c } = out;
  const key = metric ?? 'cv_accuracy_mean';
  out.print(c.bold(metric ? `trials (best first by ${metric})` : 'child runs'));
  const head = ['RUN', 'NAME', 'STATUS', 'TREES', 'DEPTH', 'FEATURES', key.toUpperCase()];
  const rows = children.map((ch) => [
    shortId(ch.run_id),
    ch.run_name,
    ch.status,
    ch.params.n_estimators ?? '-',
    ch.params.max_depth ?? '-',
    ch.params.max_features ?? '-',
    formatMetricValue(ch.metrics[key]),
  ]);
  out.print(renderTable(head, rows));
}
