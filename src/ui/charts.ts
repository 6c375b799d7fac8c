/**
 * Charts as inline SVG drawn on the server: no chart library to ship, no script in the
 * page, and a picture that survives a reload or a printout. Colours are presentation
 * attributes, which a strict content-security-policy (no inline styles) allows.
 */
import { html, type Html } from './html.js';

const W = 420;
const H = 220;
const PAD = { left: 56, right: 16, top: 28, bottom: 40 };
const INK = '#1f4e79';

interface Scale {
  at(v: number): number;
  ticks: number[];
}

function scale(values: number[], from: number, to: number): Scale {
  let lo = Math.min(...values);
  let hi = Math.max(...values);
  if (lo === hi) {
    lo -= lo === 0 ? 1 : Math.abs(lo) * 0.05;
    hi += hi === 0 ? 1 : Math.abs(hi) * 0.05;
  }
  const at = (v: number) => from + ((v - lo) / (hi - lo)) * (to - from);
  const ticks = [0, 0.5, 1].map((f) => lo + f * (hi - lo));
  return { at, ticks };
}

function label(v: number): string {
  return Math.abs(v) >= 1000 || Number.isInteger(v) ? String(Math.round(v)) : v.toPrecision(3);
}

function frame(title: string, xName: string, yName: string, x: Scale, y: Scale, body: Html): Html {
  const bottom = H - PAD.bottom;
  return html`<svg
    class="chart"
    xmlns="http://www.w3.org/2000/svg"
    viewBox="0 0 ${W} ${H}"
    width="${W}"
    height="${H}"
    role="img"
    aria-label="${title}"
  >
    <text x="${W / 2}" y="16" text-anchor="middle" font-size="13" font-weight="bold">${title}</text>
    <line x1="${PAD.left}" y1="${bottom}" x2="${W - PAD.right}" y2="${bottom}" stroke="#888" />
    <line x1="${PAD.left}" y1="${PAD.top}" x2="${PAD.left}" y2="${bottom}" stroke="#888" />
    ${y.ticks.map((t) => html`<text x="${PAD.left - 4}" y="${y.at(t) + 4}" text-anchor="end" font-size="10">${label(t)}</text>`)}
    ${x.ticks.map((t) => html`<text x="${x.at(t)}" y="${bottom + 14}" text-anchor="middle" font-size="10">${label(t)}</text>`)}
    <text x="${W / 2}" y="${H - 6}" text-anchor="middle" font-size="11">${xName}</text>
    <text
      x="12"
      y="${H / 2}"
      transform="rotate(-90 12 ${H / 2})"
      text-anchor="middle"
      font-size="11"
    >
      ${yName}
    </text>
    ${body}
  </svg>`;
}

/** A metric over its steps. */
export function stepChart(name: string, points: { step: number; value: number }[]): Html {
  const x = scale(
    points.map((p) => p.step),
    PAD.left,
    W - PAD.right,
  );
  const y = scale(
    points.map((p) => p.value),
    H - PAD.bottom,
    PAD.top,
  );
  const path = points.map((p) => `${x.at(p.step).toFixed(1)},${y.at(p.value).toFixed(1)}`);
  return frame(
    name,
    'step',
    name,
    x,
    y,
    html`<polyline fill="none" stroke="${INK}" stroke-width="2" points="${path.join(' ')}" />
      ${points.map((p) => html`<circle cx="${x.at(p.step)}" cy="${y.at(p.value)}" r="2.5" fill="${INK}"><title>step ${p.step}: ${p.value}</title></circle>`)}`,
  );
}

/** One value per run, as bars (a run without the metric has no bar). */
export function barChart(name: string, bars: { label: string; value: number | undefined }[]): Html {
  const known = bars.flatMap((b) => (b.value === undefined ? [] : [b.value]));
  const y = scale([0, ...known], H - PAD.bottom, PAD.top);
  const width = (W - PAD.left - PAD.right) / Math.max(bars.length, 1);
  const base = y.at(0);
  const body = bars.map((b, i) => {
    const x0 = PAD.left + i * width + width * 0.15;
    const short = b.label.length > 12 ? `${b.label.slice(0, 11)}…` : b.label;
    const text = html`<text
      x="${x0 + width * 0.35}"
      y="${H - PAD.bottom + 14}"
      text-anchor="middle"
      font-size="10"
      >${short}</text
    >`;
    if (b.value === undefined) return text;
    const top = y.at(b.value);
    return html`<rect
        x="${x0}"
        y="${Math.min(top, base)}"
        width="${width * 0.7}"
        height="${Math.abs(base - top)}"
        fill="${INK}"
        ><title>${b.label}: ${b.value}</title></rect
      >${text}`;
  });
  const noX: Scale = { at: () => 0, ticks: [] };
  return frame(name, 'run', name, noX, y, html`${body}`);
}

/** A hyper-parameter against a metric, one dot per run. */
export function scatterChart(
  xName: string,
  yName: string,
  points: { x: number; y: number; label: string }[],
): Html {
  const x = scale(
    points.map((p) => p.x),
    PAD.left + 8,
    W - PAD.right - 8,
  );
  const y = scale(
    points.map((p) => p.y),
    H - PAD.bottom - 8,
    PAD.top + 8,
  );
  return frame(
    `${yName} against ${xName}`,
    xName,
    yName,
    x,
    y,
    html`${points.map((p) => html`<circle cx="${x.at(p.x)}" cy="${y.at(p.y)}" r="5" fill="${INK}" fill-opacity="0.7"><title>${p.label}: ${xName}=${p.x}, ${yName}=${p.y}</title></circle>`)}`,
  );
}
