import t from 'tap';
import { seededRandom } from '../../src/data/random.js';
import {
  chiSquaredGoodnessOfFit,
  chiSquaredSurvival,
  logGamma,
  regularizedGammaQ,
} from '../../src/monitor/chi2.js';
import { holm } from '../../src/monitor/correction.js';
import { EXACT_LIMIT, ksTest } from '../../src/monitor/ks.js';
import { binIndex, binShares, psi, quantileBinEdges } from '../../src/monitor/psi.js';
import { irisSplit, normals, requireScipy, resample, runPython } from './helpers.js';

const sorted = (values: number[]) => [...values].sort((a, b) => a - b);

const KS_SCRIPT = `
import json, sys
from scipy.stats import ks_2samp
cases = json.load(sys.stdin)
print(json.dumps([[float(r.statistic), float(r.pvalue)] for r in (ks_2samp(a, b) for a, b in cases)]))
`;

t.test('KS statistic and p-value agree with scipy.stats.ks_2samp', async (t) => {
  const python = requireScipy(t);
  if (python === null) return;
  const iris = await irisSplit(42);
  const petal = iris.train.x.map((r) => r[2] as number);
  const traffic = resample(iris.all, 100, seededRandom(7)).x.map((r) => r[2] as number);
  const cases: [string, number[], number[]][] = [
    ['continuous 120 vs 100, no shift', normals(120, 1), normals(100, 2)],
    ['continuous 120 vs 100, shift 0.5', normals(120, 3), normals(100, 4, 0.5)],
    ['equal sizes 50 vs 50', normals(50, 5), normals(50, 6, 0.3)],
    ['8 rows against 120', normals(120, 7), normals(8, 8, 0.4)],
    ['120 vs 1000, shift 0.1', normals(120, 9), normals(1000, 10, 0.1)],
    ['iris petal length, ties, resampled traffic', petal, traffic],
    ['iris petal length + 0.3 cm', petal, traffic.map((v) => Math.round((v + 0.3) * 10) / 10)],
    ['identical samples', petal, petal],
  ];
  const expected = runPython<[number, number][]>(
    python,
    KS_SCRIPT,
    cases.map(([, a, b]) => [a, b]),
  );
  cases.forEach(([name, a, b], k) => {
    const ours = ksTest(sorted(a), sorted(b));
    const [d, p] = expected[k] as [number, number];
    t.ok(Math.abs(ours.statistic - d) < 1e-12, `${name}: D ${ours.statistic} vs scipy ${d}`);
    t.ok(Math.abs(ours.p - p) < 1e-6, `${name}: p ${ours.p} vs scipy ${p}`);
  });
});

t.test('beyond the exact limit the asymptotic p-value stays within 1e-3 of scipy', async (t) => {
  const python = requireScipy(t);
  if (python === null) return;
  const a = normals(4000, 11);
  const b = normals(3000, 12, 0.05);
  t.ok(a.length * b.length > EXACT_LIMIT, 'this case takes the asymptotic branch');
  const [[d, p]] = runPython<[number, number][]>(python, KS_SCRIPT, [[a, b]]) as [[number, number]];
  const ours = ksTest(sorted(a), sorted(b));
  t.ok(Math.abs(ours.statistic - d) < 1e-12, `D ${ours.statistic} vs ${d}`);
  t.ok(Math.abs(ours.p - p) < 1e-3, `p ${ours.p} vs scipy ${p}`);
});

t.test('chi-squared p-values and the incomplete gamma agree with scipy', async (t) => {
  const python = requireScipy(t);
  if (python === null) return;
  const points: [number, number][] = [
    [0.001, 3],
    [0.5, 1],
    [3, 2],
    [10, 4],
    [25.3, 7],
    [60, 50],
    [100, 50],
    [200, 2],
    [7.8, 3],
    [1e-9, 1],
  ];
  const counts: [number[], number[]][] = [
    [
      [40, 30, 30],
      [1 / 3, 1 / 3, 1 / 3],
    ],
    [
      [10, 45, 45],
      [1 / 3, 1 / 3, 1 / 3],
    ],
    [
      [33, 34, 33],
      [0.3, 0.3, 0.4],
    ],
    [
      [5, 3, 2],
      [0.5, 0.25, 0.25],
    ],
  ];
  const script = `
import json, sys
from scipy.stats import chi2, chisquare
from scipy.special import gammaincc, gammaln
points, counts = json.load(sys.stdin)
print(json.dumps({
  "sf": [float(chi2.sf(x, df)) for x, df in points],
  "q": [float(gammaincc(df / 2, x)) for x, df in points],
  "lgamma": [float(gammaln(df / 2 + x)) for x, df in points],
  "gof": [[float(r.statistic), float(r.pvalue)] for r in (chisquare(o, [s * sum(o) for s in e]) for o, e in counts)],
}))
`;
  const ref = runPython<{ sf: number[]; q: number[]; lgamma: number[]; gof: [number, number][] }>(
    python,
    script,
    [points, counts],
  );
  // relative: the far tail (1e-87) must be right too, not just within an absolute 1e-9 of 0
  const close = (a: number, b: number) => Math.abs(a - b) <= 1e-15 + 1e-8 * Math.abs(b);
  points.forEach(([x, df], k) => {
    t.ok(
      close(chiSquaredSurvival(x, df), ref.sf[k] as number),
      `chi2 sf(${x}, ${df}) = ${ref.sf[k]}`,
    );
    t.ok(
      close(regularizedGammaQ(df / 2, x), ref.q[k] as number),
      `Q(${df / 2}, ${x}) = ${ref.q[k]}`,
    );
    t.ok(close(logGamma(df / 2 + x), ref.lgamma[k] as number), `lgamma(${df / 2 + x})`);
  });
  counts.forEach(([observed, shares], k) => {
    const [statistic, p] = ref.gof[k] as [number, number];
    const ours = chiSquaredGoodnessOfFit(observed, shares);
    t.ok(
      close(ours.statistic, statistic),
      `chi2 of ${observed}: ${ours.statistic} vs ${statistic}`,
    );
    t.ok(close(ours.p, p), `p of ${observed}: ${ours.p} vs ${p}`);
  });
});

t.test('a class the reference never saw is infinite chi-squared once predicted', async (t) => {
  t.equal(chiSquaredGoodnessOfFit([5, 5, 0], [0.5, 0.5, 0]).df, 1);
  t.equal(chiSquaredGoodnessOfFit([5, 5, 0], [0.5, 0.5, 0]).p, 1);
  t.equal(chiSquaredGoodnessOfFit([5, 5, 1], [0.5, 0.5, 0]).p, 0);
});

t.test('Holm adjusts step-down, stays monotone, caps at 1 and skips tests not run', async (t) => {
  t.same(holm([0.01, 0.04, 0.03, 0.5]), [0.04, 0.09, 0.09, 0.5]);
  t.same(holm([0.2, null, 0.9]), [0.4, null, 0.9]);
  t.same(holm([]), []);
});

t.test('quantile bins never split a tie and leave no training bin empty', async (t) => {
  const values = sorted([1, 1, 1, 1, 2, 2, 3, 3, 3, 3, 3, 4, 5, 5, 5, 6, 7, 8, 9, 10]);
  const edges = quantileBinEdges(values, 10);
  t.ok(
    edges.every((e, k) => k === 0 || e > (edges[k - 1] as number)),
    'strictly ascending',
  );
  t.ok(
    edges.every((e) => !values.includes(e)),
    'no training value sits on an edge',
  );
  const shares = binShares(edges, values);
  t.equal(shares.length, edges.length + 1);
  t.ok(
    shares.every((s) => s > 0),
    'every bin holds training values',
  );
  t.ok(Math.abs(shares.reduce((a, b) => a + b, 0) - 1) < 1e-12);
  t.equal(binIndex(edges, -100), 0, 'below the range: the open first bin');
  t.equal(binIndex(edges, 100), edges.length, 'above the range: the open last bin');
});

t.test('PSI is 0 for the same shares, floors empty bins, and grows with the shift', async (t) => {
  t.equal(psi([0.25, 0.25, 0.5], [0.25, 0.25, 0.5]), 0);
  const empty = psi([0.5, 0.5], [1, 0]);
  t.ok(Number.isFinite(empty) && empty > 1, `an emptied bin is large but finite: ${empty}`);
  const ref = sorted(normals(120, 21));
  const edges = quantileBinEdges(ref);
  const shares = binShares(edges, ref);
  const at = (shift: number) => psi(shares, binShares(edges, normals(1000, 22, shift)));
  t.ok(at(0) < at(0.5) && at(0.5) < at(2), `${at(0)} < ${at(0.5)} < ${at(2)}`);
});
