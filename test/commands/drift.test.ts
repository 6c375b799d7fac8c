import t, { type Test } from 'tap';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { bundledDataPath, FEATURES, loadDataset } from '../../src/data/dataset.js';
import { seededRandom } from '../../src/data/random.js';
import { validatorFor } from '../../src/schemas/index.js';
import type { DriftReport } from '../../src/monitor/types.js';
import { runCli } from '../helpers/cli.js';
import { hasChromium, visitPage } from '../helpers/chromium.js';
import { trainedStore } from '../helpers/fixtures.js';

const validate = validatorFor<DriftReport>('drift-report');

/** n rows resampled from iris (seeded), petal length moved by shift, with the species column */
async function irisCsv(n: number, shift = 0, seed = 1): Promise<string> {
  const data = await loadDataset(bundledDataPath);
  const random = seededRandom(seed);
  const lines = [[...FEATURES, 'species'].join(',')];
  for (let k = 0; k < n; k++) {
    const i = Math.floor(random() * data.x.length);
    const row = (data.x[i] as number[]).map((v, f) =>
      FEATURES[f] === 'petal_length' ? Math.round((v + shift) * 10) / 10 : v,
    );
    lines.push([...row, 'setosa'].join(','));
  }
  return `${lines.join('\n')}\n`;
}

async function project(t: Test) {
  const { root, store, outcomes } = await trainedStore(t, { versions: 1, alias: 'production' });
  return { dir: path.dirname(root), store, outcome: outcomes[0]! };
}

function verdicts(report: DriftReport) {
  return Object.fromEntries(report.features.map((f) => [f.name, f.verdict]));
}

t.test('petal length + 2 cm: only petal length drifts; --fail-on-drift exits 1', async (t) => {
  const { dir } = await project(t);
  writeFileSync(path.join(dir, 'new.csv'), await irisCsv(200, 2));
  const r = await runCli(['drift', '--data', 'new.csv', '--json'], { cwd: dir });
  t.equal(r.code, 0, r.stderr);
  const report = JSON.parse(r.stdout) as DriftReport;
  t.ok(validate(report), JSON.stringify(validate.errors));
  t.same(verdicts(report), {
    sepal_length: 'stable',
    sepal_width: 'stable',
    petal_length: 'drift',
    petal_width: 'stable',
  });
  t.equal(report.verdict, 'drift');
  t.equal(report.model_version, '1');
  t.same(report.source, { kind: 'csv', path: 'new.csv', rows: 200, lines_skipped: 0 });
  t.equal(report.predictions, null, 'a CSV carries no predictions');

  const failing = await runCli(['drift', '--data', 'new.csv', '--fail-on-drift'], { cwd: dir });
  t.equal(failing.code, 1);
  t.match(failing.stdout, /petal_length\s+200\s+[\d.]+\s+[\d.]+\s+\S+\s+\S+\s+drift/);
  t.match(failing.stderr, /^error: drift detected: petal_length$/m);
  t.match(failing.stderr, /^hint: /m);
});

t.test(
  'traffic from the training population is stable, and 10 rows are insufficient',
  async (t) => {
    const { dir } = await project(t);
    writeFileSync(path.join(dir, 'same.csv'), await irisCsv(300, 0, 7));
    const same = await runCli(['drift', '--data', 'same.csv', '--fail-on-drift', '--json'], {
      cwd: dir,
    });
    t.equal(same.code, 0, same.stderr);
    t.equal((JSON.parse(same.stdout) as DriftReport).verdict, 'stable');

    writeFileSync(path.join(dir, 'ten.csv'), await irisCsv(10, 2));
    const ten = await runCli(['drift', '--data', 'ten.csv', '--fail-on-drift', '--json'], {
      cwd: dir,
    });
    t.equal(ten.code, 0, 'insufficient data is not drift, even shifted');
    const report = JSON.parse(ten.stdout) as DriftReport;
    t.equal(report.verdict, 'insufficient data');
    t.ok(report.features.every((f) => f.verdict === 'insufficient data'));

    const lowered = await runCli(
      ['drift', '--data', 'ten.csv', '--drift-min-samples', '5', '--alpha', '0.05', '--json'],
      { cwd: dir },
    );
    t.equal(lowered.code, 0, lowered.stderr);
    const loweredReport = JSON.parse(lowered.stdout) as DriftReport;
    t.same(loweredReport.thresholds, {
      psi_warning: 0.1,
      psi_drift: 0.25,
      alpha: 0.05,
      min_samples: 5,
    });
    t.not(loweredReport.verdict, 'insufficient data', 'the minimum is a flag');
  },
);

t.test('--html writes one self-contained page that Chromium opens without an error', async (t) => {
  const { dir } = await project(t);
  writeFileSync(path.join(dir, 'new.csv'), await irisCsv(200, 2));
  const r = await runCli(['drift', '--data', 'new.csv', '--html', 'out/../report.html'], {
    cwd: dir,
  });
  t.equal(r.code, 0, r.stderr);
  const html = readFileSync(path.join(dir, 'report.html'), 'utf8');
  t.notMatch(html, /<script|https?:\/\/(?!www\.w3\.org\/2000\/svg)/, 'no script, nothing fetched');
  t.equal(html.match(/<svg /g)?.length, 4, 'one histogram per feature');
  if (!hasChromium()) {
    t.comment('no chromium on this machine: the page was not opened');
    return;
  }
  const visit = await visitPage(pathToFileURL(path.join(dir, 'report.html')).href, {
    selector: 'svg rect',
    screenshot: process.env.IRISOPS_SCREENSHOT !== undefined,
  });
  if (visit.screenshot) writeFileSync(process.env.IRISOPS_SCREENSHOT as string, visit.screenshot);
  t.same(visit.errors, [], 'no console error');
  t.match(visit.title, /irisops drift: new\.csv/);
  t.equal(visit.count, 4 * 2 * 20, 'reference and current bars on 20 bins per feature');
});

t.test('a prediction log: a broken line is skipped and counted, not fatal', async (t) => {
  const { dir } = await project(t);
  const data = await loadDataset(bundledDataPath);
  const lines = data.x.map((x, i) =>
    JSON.stringify({
      time: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(),
      request_id: `r${i}`,
      model_version: i < 140 ? '1' : '7',
      features: Object.fromEntries(FEATURES.map((f, k) => [f, x[k]])),
      prediction: data.y[i],
    }),
  );
  lines.splice(3, 0, '{"time": "2026-01-01T00:00:00Z", "request_id": "cut off');
  writeFileSync(path.join(dir, 'predictions.jsonl'), `${lines.join('\n')}\n`);
  const r = await runCli(['drift', '--requests', 'predictions.jsonl', '--json'], { cwd: dir });
  t.equal(r.code, 0, r.stderr);
  t.match(
    r.stderr,
    /warning: skipped 1 of 151 lines of predictions\.jsonl that are not prediction-log lines \(line 4\)/,
  );
  t.match(r.stderr, /left out 10 lines answered by other versions \(7\)/);
  const report = JSON.parse(r.stdout) as DriftReport;
  t.ok(validate(report), JSON.stringify(validate.errors));
  t.equal(report.n, 140);
  t.same(report.source, {
    kind: 'predictions',
    path: 'predictions.jsonl',
    rows: 150,
    lines_skipped: 1,
    other_versions: 10,
  });
  t.equal(report.predictions?.n, 140, 'the logged predictions are tested too');
});

t.test('bad input: one clear line each, the right exit code, no report written', async (t) => {
  const { dir, outcome } = await project(t);
  const cases: [string, string[], string, number, RegExp][] = [
    [
      'other columns',
      ['--data', 'other.csv'],
      'a,b,c\n1,2,3\n',
      1,
      /^error: other\.csv has no sepal_length, sepal_width, petal_length, petal_width columns \(its header is a,b,c\)$/m,
    ],
    ['an empty CSV', ['--data', 'empty.csv'], '', 1, /^error: empty\.csv is empty$/m],
    [
      'a header only',
      ['--data', 'head.csv'],
      'sepal_length,sepal_width,petal_length,petal_width\n',
      1,
      /^error: head\.csv has a header and no rows$/m,
    ],
    [
      'a word for a number',
      ['--data', 'word.csv'],
      'sepal_length,sepal_width,petal_length,petal_width\n1,2,three,4\n',
      1,
      /^error: word\.csv line 2: petal_length is "three", not a number$/m,
    ],
    ['an empty log', ['--requests', 'empty.jsonl'], '', 1, /^error: empty\.jsonl is empty$/m],
    [
      'a missing file',
      ['--data', 'nowhere.csv'],
      '',
      1,
      /^error: cannot read .*nowhere\.csv: no such file$/m,
    ],
    [
      'both sources',
      ['--data', 'a.csv', '--requests', 'b.jsonl'],
      '',
      2,
      /^error: give exactly one of --data <csv> and --requests <jsonl>$/m,
    ],
    [
      'crossed PSI thresholds',
      ['--data', 'other.csv', '--psi-warning', '0.5'],
      '',
      2,
      /^error: PSI thresholds need 0 <= warning <= drift, got 0.5 and 0.25$/m,
    ],
  ];
  for (const [what, args, content, code, line] of cases) {
    const file = args[1] as string;
    if (content !== '' || what.startsWith('an empty')) writeFileSync(path.join(dir, file), content);
    const r = await runCli(['drift', ...args, '--html', 'bad.html'], { cwd: dir });
    t.equal(r.code, code, `${what}: exit ${code}`);
    t.match(r.stderr, line, what);
    t.equal(r.stdout, '', `${what}: nothing on stdout`);
    t.notOk(existsSync(path.join(dir, 'bad.html')), `${what}: no report written`);
  }

  const r = outcome.result;
  rmSync(
    path.join(
      dir,
      'mlruns',
      r.experiment_id,
      r.run_id,
      'artifacts',
      'model',
      'reference-profile.json',
    ),
  );
  writeFileSync(path.join(dir, 'new.csv'), await irisCsv(200));
  const old = await runCli(['drift', '--data', 'new.csv'], { cwd: dir });
  t.equal(old.code, 1);
  t.match(
    old.stderr,
    /^error: models:\/iris_classifier@production: no reference profile \(trained before irisops logged one\)$/m,
  );
  t.match(old.stderr, /^hint: retrain with irisops train/m);
});
