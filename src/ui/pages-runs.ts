/** The experiments list and an experiment's runs table (sort, filter, page, select, group). */
import type { RunsList, UiExperiments } from '../schemas/types.js';
import { LEAD_METRICS, LEAD_PARAMS, orderKeys } from '../tracking/run-views.js';
import { DATASET_DIGEST_TAG, MLFLOW_PARENT_RUN_ID } from '../tracking/tags.js';
import { html, query, type Html } from './html.js';
import { formatDuration, formatMetric, formatTime, notice } from './layout.js';

type RunView = RunsList['runs'][number];

export function experimentsBody(data: UiExperiments): Html {
  const active = data.experiments.filter((e) => e.lifecycle_stage === 'active');
  if (active.length === 0)
    return html`<h1>Experiments</h1>
      ${notice('ok', `no experiments in ${data.store.uri} yet`, 'train one with: irisops train')}`;
  return html`<h1>Experiments</h1>
    <table>
      <thead>
        <tr>
          <th>Name</th>
          <th>Id</th>
          <th>Created (UTC)</th>
        </tr>
      </thead>
      <tbody>
        ${active.map(
          (e) =>
            html`<tr>
              <td><a href="/runs${query([['experiment', e.experiment_id]])}">${e.name}</a></td>
              <td>${e.experiment_id}</td>
              <td>${formatTime(e.creation_time)}</td>
            </tr>`,
        )}
      </tbody>
    </table>`;
}

export interface RunsState {
  experimentId: string;
  experimentName: string;
  filter: string;
  sort: string;
  offset: number;
  limit: number;
}

/** Columns: those every page shows, then the params and metrics the runs on it carry. */
interface Column {
  title: string;
  /** orderBy key; null: the store cannot sort by it */
  sortKey: string | null;
  cell(run: RunView): Html | string;
  numeric?: boolean;
  /** dates and names read badly broken over lines on a projector */
  nowrap?: boolean;
}

function keysOf(
  runs: RunView[],
  pick: (r: RunView) => Record<string, unknown>,
  lead: readonly string[],
  max: number,
) {
  const seen = new Set<string>();
  for (const r of runs) for (const k of Object.keys(pick(r))) seen.add(k);
  return orderKeys(seen, lead).slice(0, max);
}

function statusBadge(run: RunView): Html {
  if (run.stale) return html`<span class="badge warn">RUNNING (stale)</span>`;
  const kind = run.status === 'FAILED' || run.status === 'KILLED' ? ' bad' : '';
  return html`<span class="badge${kind}">${run.status}</span>`;
}

function columns(runs: RunView[]): Column[] {
  const params = keysOf(runs, (r) => r.params, LEAD_PARAMS, 6);
  const metrics = keysOf(runs, (r) => r.metrics, LEAD_METRICS, 6);
  return [
    {
      title: 'Name',
      sortKey: 'attributes.run_name',
      cell: (r) =>
        html`<a href="/run${query([['id', r.run_id]])}">${r.run_name || r.run_id.slice(0, 8)}</a>`,
    },
    { title: 'Status', sortKey: 'attributes.status', cell: statusBadge },
    {
      title: 'Start (UTC)',
      sortKey: 'attributes.start_time',
      cell: (r) => formatTime(r.start_time),
      nowrap: true,
    },
    {
      title: 'Duration',
      sortKey: null,
      cell: (r) => formatDuration(r.end_time === null ? null : r.end_time - r.start_time),
    },
    ...metrics.map((k) => ({
      title: k,
      sortKey: `metrics.\`${k}\``,
      cell: (r: RunView) => formatMetric(r.metrics[k]),
      numeric: true,
    })),
    ...params.map((k) => ({
      title: k,
      sortKey: `params.\`${k}\``,
      cell: (r: RunView) => r.params[k] ?? '-',
      numeric: true,
    })),
    {
      title: 'Data',
      sortKey: `tags.\`${DATASET_DIGEST_TAG}\``,
      cell: (r) => html`<code>${(r.tags[DATASET_DIGEST_TAG] ?? '-').slice(0, 8)}</code>`,
    },
    {
      title: 'Model',
      sortKey: null,
      cell: (r) =>
        html`${r.registered_versions.map((v) => html`<a href="/registry${query([['model', v.name]])}">${v.name} v${v.version}</a> ${v.aliases.map((a) => html`<span class="badge">@${a}</span>`)} `)}`,
    },
  ];
}

/** Children follow their parent when both are on the page; a sweep reads as one block. */
export function groupByParent(runs: RunView[]): { run: RunView; role: 'parent' | 'child' | '' }[] {
  const onPage = new Set(runs.map((r) => r.run_id));
  const children = new Map<string, RunView[]>();
  for (const r of runs) {
    const parent = r.tags[MLFLOW_PARENT_RUN_ID];
    if (parent && onPage.has(parent) && parent !== r.run_id) {
      children.set(parent, [...(children.get(parent) ?? []), r]);
    }
  }
  const out: { run: RunView; role: 'parent' | 'child' | '' }[] = [];
  for (const r of runs) {
    const parent = r.tags[MLFLOW_PARENT_RUN_ID];
    if (parent && onPage.has(parent) && parent !== r.run_id) continue;
    const kids = children.get(r.run_id) ?? [];
    out.push({ run: r, role: kids.length > 0 ? 'parent' : '' });
    for (const kid of kids) out.push({ run: kid, role: 'child' });
  }
  return out;
}

function headerCell(state: RunsState, col: Column): Html {
  if (!col.sortKey) return html`<th scope="col">${col.title}</th>`;
  const [key, dir] = state.sort.split(/\s+(?=(?:ASC|DESC)$)/i);
  const current = key === col.sortKey;
  const next = current && (dir ?? 'ASC').toUpperCase() === 'DESC' ? 'ASC' : 'DESC';
  const href = `/runs${query([
    ['experiment', state.experimentId],
    ['filter', state.filter],
    ['sort', `${col.sortKey} ${next}`],
  ])}`;
  const arrow = current ? ((dir ?? 'ASC').toUpperCase() === 'DESC' ? ' ▼' : ' ▲') : '';
  const sorted = current
    ? html` aria-sort="${(dir ?? 'ASC').toUpperCase() === 'DESC' ? 'descending' : 'ascending'}"`
    : '';
  return html`<th scope="col" ${sorted}><a href="${href}">${col.title}</a>${arrow}</th>`;
}

function pager(state: RunsState, page: RunsList['page'], count: number): Html {
  if (!page || (page.offset === 0 && page.next_offset === null)) return html``;
  const link = (offset: number, text: string) =>
    html`<a
      href="/runs${query([
        ['experiment', state.experimentId],
        ['filter', state.filter],
        ['sort', state.sort],
        ['offset', offset || undefined],
      ])}"
      >${text}</a
    >`;
  return html`<nav class="pager">
    ${page.offset > 0 ? link(Math.max(0, page.offset - page.limit), '← newer page') : ''}
    <span>runs ${page.offset + 1}–${page.offset + count}</span>
    ${page.next_offset !== null ? link(page.next_offset, 'next page →') : ''}
  </nav>`;
}

export function runsBody(state: RunsState, list: RunsList | null, error: Html | null): Html {
  const runs = list?.runs ?? [];
  const cols = columns(runs);
  const filterForm = html`<form class="filter" method="get" action="/runs">
    <input type="hidden" name="experiment" value="${state.experimentId}" />
    ${state.sort ? html`<input type="hidden" name="sort" value="${state.sort}" />` : ''}
    <label
      >Filter
      <input
        type="text"
        name="filter"
        value="${state.filter}"
        placeholder="metrics.accuracy > 0.9 and params.max_depth = '5'"
    /></label>
    <button type="submit">Apply</button> ${
      state.filter
        ? html`<a
            href="/runs${query([
              ['experiment', state.experimentId],
              ['sort', state.sort],
            ])}"
            >clear</a
          >`
        : ''
    }
  </form>`;
  const table =
    runs.length === 0
      ? error
        ? ''
        : notice(
            'ok',
            state.filter ? 'no run matches the filter' : 'no runs in this experiment yet',
          )
      : html`<form method="get" action="/compare" id="compare-form">
          <p>
            <button type="submit">Compare selected</button>
            <span class="muted">tick two or more runs</span>
          </p>
          <table id="runs">
            <thead>
              <tr>
                <th scope="col">Select</th>
                ${cols.map((c) => headerCell(state, c))}
              </tr>
            </thead>
            <tbody>
              ${groupByParent(runs).map(
                ({ run, role }) =>
                  html`<tr class="${role}" data-run-id="${run.run_id}">
                    <td>
                      <input
                        type="checkbox"
                        name="run"
                        value="${run.run_id}"
                        aria-label="select ${run.run_name}"
                      />
                    </td>
                    ${cols.map(
                      (c, i) =>
                        html`<td
                          class="${i === 0 ? 'name' : c.numeric ? 'num' : c.nowrap ? 'nowrap' : ''}"
                        >
                          ${c.cell(run)}
                        </td>`,
                    )}
                  </tr>`,
              )}
            </tbody>
          </table>
        </form>`;
  return html`<h1>Runs of ${state.experimentName}</h1>
    ${filterForm}${error ?? ''}${table}${pager(state, list?.page, runs.length)}`;
}
