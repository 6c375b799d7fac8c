/** A run's page and the compare page. */
import { confusionMatrixSvg } from '../model/confusion-svg.js';
import type { RunsList } from '../schemas/types.js';
import { metricNumber } from '../tracking/metric-json.js';
import { MLFLOW_PARENT_RUN_ID } from '../tracking/tags.js';
import { barChart, scatterChart, stepChart } from './charts.js';
import { html, query, raw, type Html } from './html.js';
import { formatDuration, formatMetric, formatTime, keyValueTable } from './layout.js';
import type { RunPage } from './queries.js';

type RunView = RunsList['runs'][number];

function download(runId: string, path: string): string {
  return `/artifact${query([
    ['run', runId],
    ['path', path],
  ])}`;
}

function datasets(page: RunPage): Html {
  if (page.inputs.length === 0) return html`<p class="muted">no dataset input logged</p>`;
  return html`${page.inputs.map(
    (d) =>
      html`${keyValueTable([
        ['name', d.name],
        ['digest', html`<code>${d.digest}</code>`],
        ['source', `${d.source} (${d.source_type})`],
        ['context', d.tags?.['mlflow.data.context'] ?? '-'],
      ])}${
        d.schema
          ? html`<details>
              <summary>schema</summary>
              <pre>${d.schema}</pre>
            </details>`
          : ''
      }`,
  )}`;
}

export function runBody(page: RunPage): Html {
  const d = page.detail;
  const parent = d.tags[MLFLOW_PARENT_RUN_ID];
  const cm = d.confusion_matrix;
  const report = page.texts['classification_report.txt'];
  const mlmodel = page.texts['model/MLmodel'];
  const charts = Object.entries(page.histories).map(([k, h]) => stepChart(k, h));
  return html`<h1>Run ${d.run_name}</h1>
    <p>
      <a href="/runs${query([['experiment', d.experiment_id]])}">← runs of this experiment</a
      >${parent ? html` · <a href="/run${query([['id', parent]])}">parent run</a>` : ''}
    </p>
    ${keyValueTable([
      ['run id', html`<code>${d.run_id}</code>`],
      ['status', d.stale ? 'RUNNING (stale: its process is gone)' : d.status],
      ['started (UTC)', formatTime(d.start_time)],
      ['duration', formatDuration(d.end_time === null ? null : d.end_time - d.start_time)],
      ['artifacts', d.artifact_uri],
      [
        'registered',
        d.registered_versions.length === 0
          ? '-'
          : html`${d.registered_versions.map((v) => html`<a href="/registry${query([['model', v.name]])}">${v.name} v${v.version}</a> ${v.aliases.map((a) => html`<span class="badge">@${a}</span>`)} `)}`,
      ],
    ])}
    <h2>Params</h2>
    ${keyValueTable(Object.entries(d.params))}
    <h2>Metrics</h2>
    ${keyValueTable(Object.entries(d.metrics).map(([k, v]) => [k, formatMetric(v)]))}
    ${charts.length > 0 ? html`<div class="charts">${charts}</div>` : ''}
    <h2>Dataset</h2>
    ${datasets(page)}
    <h2>Confusion matrix</h2>
    ${cm ? raw(confusionMatrixSvg(cm.labels, cm.matrix)) : html`<p class="muted">none logged</p>`}
    ${
      report !== undefined
        ? html`<h2>Classification report</h2>
            <pre id="report">${report}</pre>`
        : ''
    }
    ${
      mlmodel !== undefined
        ? html`<h2>MLmodel</h2>
            <pre id="mlmodel">${mlmodel}</pre>`
        : ''
    }
    <h2>Artifacts</h2>
    ${
      d.artifacts.filter((a) => !a.is_dir).length === 0
        ? html`<p class="muted">none</p>`
        : html`<ul id="artifacts">
            ${d.artifacts
              .filter((a) => !a.is_dir)
              .map(
                (a) =>
                  html`<li>
                    <a href="${download(d.run_id, a.path)}" download>${a.path}</a
                    >${a.file_size === undefined ? '' : html` <span class="muted">${a.file_size} B</span>`}
                  </li>`,
              )}
          </ul>`
    }
    <h2>Tags</h2>
    ${keyValueTable(Object.entries(d.tags))}`;
}

export interface CompareState {
  runIds: string[];
  onlyDifferences: boolean;
  /** the hyper-parameter on the scatter's x axis */
  x: string | null;
}

function compareRows(
  title: string,
  runs: RunView[],
  pick: (r: RunView) => Record<string, string | number>,
  only: boolean,
): Html {
  const keys = [...new Set(runs.flatMap((r) => Object.keys(pick(r))))].sort();
  const rows = keys.flatMap((k) => {
    const values = runs.map((r) => pick(r)[k]);
    const differs = new Set(values.map((v) => (v === undefined ? '\u0000' : String(v)))).size > 1;
    if (only && !differs) return [];
    return [
      html`<tr class="${differs ? 'differs' : 'same'}">
        <th scope="row">${k}</th>
        ${values.map((v) => html`<td class="num">${typeof v === 'number' ? formatMetric(v) : (v ?? '-')}</td>`)}
      </tr>`,
    ];
  });
  return html`<tr>
      <th colspan="${runs.length + 1}">${title}</th>
    </tr>
    ${
      rows.length > 0
        ? rows
        : html`<tr>
            <td colspan="${runs.length + 1}" class="muted">${only ? 'no differences' : 'none'}</td>
          </tr>`
    }`;
}

/** Params whose values are numbers on every run and differ between them: worth plotting. */
export function numericParams(runs: RunView[]): string[] {
  const keys = [...new Set(runs.flatMap((r) => Object.keys(r.params)))].sort();
  return keys.filter((k) => {
    const values = runs.map((r) => r.params[k]);
    return values.every((v) => v !== undefined && v.trim() !== '' && Number.isFinite(Number(v)));
  });
}

/** a chart draws numbers it can place: NaN and the infinities are left out like a gap */
function finite(value: unknown): number | undefined {
  const n = metricNumber(value);
  return n !== undefined && Number.isFinite(n) ? n : undefined;
}

function compareCharts(state: CompareState, runs: RunView[]): Html {
  const labels = runs.map((r) => r.run_name || r.run_id.slice(0, 8));
  const metrics = [...new Set(runs.flatMap((r) => Object.keys(r.metrics)))].sort();
  const bars = metrics.map((m) =>
    barChart(
      m,
      runs.map((r, i) => ({ label: labels[i] ?? '', value: finite(r.metrics[m]) })),
    ),
  );
  const candidates = numericParams(runs);
  const x = state.x && candidates.includes(state.x) ? state.x : (candidates[0] ?? null);
  const target = metrics.includes('accuracy') ? 'accuracy' : metrics[0];
  const points =
    x && target
      ? runs.flatMap((r, i) => {
          const y = finite(r.metrics[target]);
          return y === undefined ? [] : [{ x: Number(r.params[x]), y, label: labels[i] ?? '' }];
        })
      : [];
  const picker = html`<p>
    x axis:
    ${candidates.map((p) =>
      p === x
        ? html`<strong>${p}</strong> `
        : html`<a
            href="/compare${query([...state.runIds.map((id): [string, string] => ['run', id]), ['diff', state.onlyDifferences ? '1' : undefined], ['x', p]])}"
            >${p}</a
          > `,
    )}
  </p>`;
  return html`<h2>Charts</h2>
    <div class="charts">
      ${bars}${x && target && points.length > 0 ? scatterChart(x, target, points) : ''}
    </div>
    ${candidates.length > 1 ? picker : ''}`;
}

export function compareBody(state: CompareState, runs: RunView[]): Html {
  const toggle = `/compare${query([
    ...state.runIds.map((id): [string, string] => ['run', id]),
    ['diff', state.onlyDifferences ? undefined : '1'],
    ['x', state.x ?? undefined],
  ])}`;
  return html`<h1>Compare ${runs.length} runs</h1>
    <p>
      <a
        id="diff-toggle"
        href="${toggle}"
        role="switch"
        aria-checked="${state.onlyDifferences ? 'true' : 'false'}"
        >${state.onlyDifferences ? '☑' : '☐'} only differences</a
      >
    </p>
    <table id="compare">
      <thead>
        <tr>
          <th scope="col"></th>
          ${runs.map((r) => html`<th scope="col"><a href="/run${query([['id', r.run_id]])}">${r.run_name || r.run_id.slice(0, 8)}</a></th>`)}
        </tr>
      </thead>
      <tbody>
        ${compareRows('Params', runs, (r) => r.params, state.onlyDifferences)}
        ${compareRows('Metrics', runs, (r) => r.metrics, state.onlyDifferences)}
      </tbody>
    </table>
    ${compareCharts(state, runs)}`;
}
