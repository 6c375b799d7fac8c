/**
 * irisops drift --html: one self-contained page (inline CSS and SVG, no script, nothing
 * fetched), so it can be attached to a CI run or mailed and still open offline. Each
 * feature gets the reference and current histograms overlaid on the same bins.
 */
import type { DriftWindowData } from './drift.js';
import type { DriftReport, ReferenceProfile, Verdict } from './types.js';

const HIST_BINS = 20;
const W = 360;
const H = 140;
const PAD = 24;

const COLOUR: Record<Verdict, string> = {
  stable: '#2e7d32',
  warning: '#b26a00',
  drift: '#c62828',
  'insufficient data': '#555',
};

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

function fixed(value: number | null, digits: number): string {
  if (value === null) return '–';
  return value !== 0 && Math.abs(value) < 10 ** -digits
    ? value.toExponential(1)
    : value.toFixed(digits);
}

function shares(values: readonly number[], lo: number, width: number): number[] {
  const counts = new Array<number>(HIST_BINS).fill(0);
  for (const v of values) {
    const k = Math.min(HIST_BINS - 1, Math.max(0, Math.floor((v - lo) / width)));
    counts[k] = (counts[k] as number) + 1;
  }
  return counts.map((c) => (values.length === 0 ? 0 : c / values.length));
}

function bars(s: number[], top: number, fill: string, label: string): string {
  const bw = (W - 2 * PAD) / HIST_BINS;
  return s
    .map((share, k) => {
      const h = top === 0 ? 0 : (share / top) * (H - 2 * PAD);
      const x = PAD + k * bw;
      return `<rect x="${x.toFixed(1)}" y="${(H - PAD - h).toFixed(1)}" width="${(bw - 1).toFixed(1)}" height="${h.toFixed(1)}" fill="${fill}" fill-opacity="0.55"><title>${label} ${(share * 100).toFixed(1)}%</title></rect>`;
    })
    .join('');
}

export function histogramSvg(name: string, reference: number[], current: number[]): string {
  // a loop, not Math.min(...values): a long window would overflow the argument list
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of [reference, current].flat()) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  const width = hi > lo ? (hi - lo) / HIST_BINS : 1;
  const ref = shares(reference, lo, width);
  const cur = shares(current, lo, width);
  const top = Math.max(0, ...ref, ...cur);
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${escape(name)}: reference and current histograms">` +
    bars(ref, top, '#1565c0', 'reference') +
    bars(cur, top, '#ef6c00', 'current') +
    `<line x1="${PAD}" y1="${H - PAD}" x2="${W - PAD}" y2="${H - PAD}" stroke="#333"/>` +
    `<text x="${PAD}" y="${H - 6}" font-size="11">${fixed(lo, 1)}</text>` +
    `<text x="${W - PAD}" y="${H - 6}" font-size="11" text-anchor="end">${fixed(hi, 1)} cm</text>` +
    `<text x="${PAD}" y="14" font-size="12" font-weight="bold">${escape(name)}</text></svg>`
  );
}

function verdictCell(v: Verdict): string {
  return `<td style="color:${COLOUR[v]};font-weight:bold">${escape(v)}</td>`;
}

function featureTable(report: DriftReport): string {
  const rows = report.features
    .map(
      (f) =>
        `<tr><td>${escape(f.name)}</td><td>${f.n}</td><td>${fixed(f.psi, 3)}</td><td>${fixed(f.ks, 3)}</td><td>${fixed(f.p, 4)}</td><td>${fixed(f.corrected_p, 4)}</td>${verdictCell(f.verdict)}</tr>`,
    )
    .join('');
  const p = report.predictions;
  const predicted = p
    ? `<tr><td>predicted class (χ², df ${p.df})</td><td>${p.n}</td><td>${fixed(p.psi, 3)}</td><td>${fixed(p.chi2, 2)}</td><td>${fixed(p.p, 4)}</td><td>${fixed(p.corrected_p, 4)}</td>${verdictCell(p.verdict)}</tr>`
    : '';
  return `<table><thead><tr><th>test</th><th>n</th><th>PSI</th><th>KS / χ²</th><th>p</th><th>Holm p</th><th>verdict</th></tr></thead><tbody>${rows}${predicted}</tbody></table>`;
}

export function renderDriftHtml(
  report: DriftReport,
  profile: ReferenceProfile,
  window: DriftWindowData,
  title: string,
): string {
  const t = report.thresholds;
  const charts = profile.features
    .map((f, i) =>
      histogramSvg(
        f.name,
        f.sorted_values,
        window.rows.map((r) => r[i] as number),
      ),
    )
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escape(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<style>
body{font-family:system-ui,sans-serif;margin:2rem;color:#222}
table{border-collapse:collapse;margin:1rem 0}td,th{border:1px solid #ccc;padding:.3rem .6rem;text-align:right}
td:first-child,th:first-child{text-align:left}.charts{display:flex;flex-wrap:wrap;gap:1rem}
.key span{display:inline-block;width:.9rem;height:.9rem;margin:0 .3rem 0 1rem;vertical-align:middle}
</style></head><body>
<h1>${escape(title)}</h1>
<p>Verdict: <strong style="color:${COLOUR[report.verdict]}">${escape(report.verdict)}</strong>
 — ${report.n} rows against ${report.reference_n} training rows${report.model_version ? `, model version ${escape(report.model_version)}` : ''}.</p>
<p>A test is significant when its Holm-corrected p is below ${t.alpha}; a significant test is drift at PSI ≥ ${t.psi_drift}, warning at PSI ≥ ${t.psi_warning}. Fewer than ${t.min_samples} rows is insufficient data.</p>
${featureTable(report)}
<p class="key"><span style="background:#1565c0;opacity:.55"></span>reference (training split)<span style="background:#ef6c00;opacity:.55"></span>current</p>
<div class="charts">
${charts}
</div>
</body></html>
`;
}
