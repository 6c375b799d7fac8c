/**
 * The frame every page shares, the stylesheet (served from /ui.css: no inline style, so the
 * content-security-policy can forbid them) and the shared bits of table markup.
 */
import { metricNumber } from '../tracking/metric-json.js';
import { html, type Html, type Part } from './html.js';

export interface PageFrame {
  title: string;
  storeUri: string;
  readOnly: boolean;
  /** which top-level tab is current */
  section: 'experiments' | 'registry';
}

export function layout(frame: PageFrame, body: Part): string {
  const tab = (id: PageFrame['section'], href: string, text: string) =>
    html`<a href="${href}" ${frame.section === id ? html` aria-current="page"` : ''}>${text}</a>`;
  return `<!doctype html>\n${
    html`<html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${frame.title} · irisops</title>
        <link rel="stylesheet" href="/ui.css" />
        <link rel="icon" href="data:," />
      </head>
      <body>
        <header>
          <strong>irisops</strong> ${tab('experiments', '/', 'Experiments')}
          ${tab('registry', '/registry', 'Registry')}
          <span class="store">${frame.storeUri}${frame.readOnly ? ' · read-only' : ''}</span>
        </header>
        <main>${body}</main>
      </body>
    </html>`.text
  }`;
}

export function notice(kind: 'error' | 'ok', message: string, hint?: string): Html {
  return html`<div class="notice ${kind}" role="${kind === 'error' ? 'alert' : 'status'}">
    <p>${message}</p>
    ${hint ? html`<p class="hint">${hint}</p>` : ''}
  </div>`;
}

export function formatTime(ms: number | null): string {
  return ms === null ? '-' : new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

export function formatDuration(ms: number | null): string {
  if (ms === null) return '-';
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

/** a metric as a number, or as the text a document carries NaN and the infinities in */
export function formatMetric(value: unknown): string {
  const v = metricNumber(value);
  if (v === undefined) return '-';
  return Number.isInteger(v) || !Number.isFinite(v) ? String(v) : v.toFixed(4);
}

export function keyValueTable(entries: [string, Part][], empty = 'none'): Html {
  if (entries.length === 0) return html`<p class="muted">${empty}</p>`;
  const sorted = [...entries].sort((a, b) => a[0].localeCompare(b[0]));
  return html`<table class="kv">
    <tbody>
      ${sorted.map(
        ([k, v]) =>
          html`<tr>
            <th scope="row">${k}</th>
            <td>${v}</td>
          </tr>`,
      )}
    </tbody>
  </table>`;
}

export const STYLESHEET = `
:root { font-family: system-ui, sans-serif; color: #1b1b1b; background: #fafafa; }
body { margin: 0; }
header { display: flex; gap: 1.2em; align-items: baseline; padding: .7em 1.2em; background: #1f4e79; color: #fff; }
header a { color: #dfe9f5; text-decoration: none; }
header a[aria-current=page] { color: #fff; text-decoration: underline; }
header .store { margin-left: auto; font-size: .85em; opacity: .85; }
main { padding: 1em 1.2em; max-width: 1400px; }
h1 { font-size: 1.35em; margin: .3em 0 .6em; }
h2 { font-size: 1.1em; margin: 1.4em 0 .5em; }
table { border-collapse: collapse; background: #fff; font-size: .9em; }
th, td { border-bottom: 1px solid #e3e3e3; padding: .35em .6em; text-align: left; vertical-align: top; }
thead th { background: #eef2f7; position: sticky; top: 0; }
th a { color: inherit; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
td.name, td.nowrap { white-space: nowrap; }
tr.child td.name { padding-left: 2em; }
tr.parent td.name { font-weight: 600; }
tr.differs td { background: #fff8e1; }
.kv th { font-weight: 500; color: #444; }
.muted, .hint { color: #666; }
.notice { border-left: 4px solid; padding: .2em .9em; margin: .8em 0; background: #fff; }
.notice.error { border-color: #b3261e; }
.notice.ok { border-color: #2e7d32; }
.badge { display: inline-block; padding: 0 .45em; border-radius: .8em; background: #e3ecf7; color: #1f4e79; font-size: .85em; margin-right: .2em; }
.badge.warn { background: #fff0c2; color: #7a5200; }
.badge.bad { background: #fde2e0; color: #8c1d18; }
form.filter input[type=text] { width: min(60ch, 90%); font-family: ui-monospace, monospace; }
pre { background: #fff; border: 1px solid #e3e3e3; padding: .7em; overflow: auto; max-height: 30em; }
.charts { display: flex; flex-wrap: wrap; gap: 1em; }
.chart { background: #fff; border: 1px solid #e3e3e3; }
.pager { margin: .8em 0; display: flex; gap: 1em; }
form.alias { display: flex; gap: .4em; align-items: center; flex-wrap: wrap; }
`;
