/**
 * deploy/prometheus and deploy/grafana against the real thing: promtool accepts the config
 * and the rules; a real Prometheus scraping a real `irisops serve` finds a series for every
 * dashboard query and every alert's signal; a serve without a model fires the no-model and
 * the 5xx alerts, and the drift alert fires on shifted traffic.
 *
 * An alert's full expression is empty while its condition is false (no 5xx yet, latency
 * fine), so what must return series is its signal: the expression without the final
 * comparison (alerts.yml keeps the `<signal> <op> <threshold>` shape; checked here).
 * Thresholds and `for:` durations, which a short live run cannot show, are promtool rule tests
 * on synthetic series (alerts.promtool.yml). Prometheus is Debian's package; without it these parts skip, except under CI=true.
 */
import t, { type Test } from 'tap';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { bundledDataPath, FEATURES, loadDataset } from '../../src/data/dataset.js';
import { seededRandom, shuffle } from '../../src/data/random.js';
import { SHIPPED_TARGET } from '../../src/init/monitoring.js';
import { DRIFT_STATUS } from '../../src/serve/handlers/drift.js';
import { runCli } from '../helpers/cli.js';
import { trainedStore } from '../helpers/fixtures.js';
import {
  alerts,
  findBinary,
  query,
  rules,
  startPrometheus,
  until,
  type Prometheus,
} from '../helpers/prometheus.js';
import { serveProcess, type Served } from '../helpers/serve-process.js';
import { tempDir } from '../helpers/temp.js';
import {
  allPanels,
  dashboardQueries,
  deployFile,
  metricNames,
  readConfig,
  readDashboard,
  readRules,
  splitAlert,
  type AlertParts,
} from './monitoring-files.js';

const WINDOW = 60;
/** promtool rule tests of alerts.yml on synthetic series */
const RULE_TESTS = fileURLToPath(new URL('alerts.promtool.yml', import.meta.url));

/** why a part skips: the binary is missing, and this is not CI (where it must be there) */
function skipWithout(binary: string): string | false {
  if (findBinary(binary) || process.env.CI === 'true') return false;
  return `${binary} is not installed (Debian package prometheus; scripts/ci-packages.sh)`;
}

/** under CI=true a missing binary is a failure, not a skip */
function present(t: Test, binary: string): boolean {
  if (findBinary(binary)) return true;
  t.fail(`${binary} is not installed, and CI=true requires it (scripts/ci-packages.sh)`);
  return false;
}

const alertParts = (): AlertParts[] =>
  readRules().groups.flatMap((g) => g.rules.map((r) => splitAlert(r) as AlertParts));

t.test(
  'the shipped files: one job scraping serve, and the alerts the issue asks for',
  async (t) => {
    const config = readConfig();
    t.same(config.rule_files, ['alerts.yml']);
    t.equal(config.scrape_configs.length, 1);
    t.match(config.scrape_configs[0], {
      job_name: 'irisops',
      metrics_path: '/metrics',
      static_configs: [{ targets: [SHIPPED_TARGET] }],
    });

    const all = readRules().groups.flatMap((g) => g.rules);
    for (const rule of all)
      t.ok(splitAlert(rule), `${rule.alert}: expr is <signal> <op> <threshold>`);
    const byName = new Map(alertParts().map((a) => [a.alert, a]));
    t.match(byName.get('IrisopsDrift'), { op: '>=', threshold: DRIFT_STATUS.drift });
    t.match(byName.get('IrisopsDriftWarning'), { op: '==', threshold: DRIFT_STATUS.warning });
    for (const name of ['IrisopsNoModelLoaded', 'IrisopsHighErrorRate', 'IrisopsHighLatency'])
      t.ok(byName.has(name), `${name} is there`);

    const dashboard = readDashboard();
    const panels = allPanels(dashboard);
    t.equal(new Set(panels.map((p) => p.id)).size, panels.length, 'panel ids are unique');
    for (const p of panels.filter((p) => p.type !== 'row')) {
      t.same(p.datasource, { type: 'prometheus', uid: '${datasource}' }, `${p.title}: datasource`);
      t.ok(p.targets?.length, `${p.title} has a query`);
    }
    for (const q of dashboardQueries(dashboard))
      t.notMatch(q.expr, /\$/, `${q.where}: every Grafana variable is one the tests know`);
  },
);

t.test(
  'promtool accepts the config (shipped and as init writes it) and the rules; its rule tests pass',
  { skip: skipWithout('promtool') },
  async (t) => {
    if (!present(t, 'promtool')) return;
    // and the copy irisops init writes into a project, on the project's port
    const project = tempDir(t);
    const init = await runCli(['init', '--yes', '--no-docker', '--no-ci', '--port', '8123'], {
      cwd: project,
    });
    t.equal(init.code, 0, init.stderr);
    const projectConfig = path.join(project, 'deploy', 'prometheus', 'prometheus.yml');
    t.match(readFileSync(projectConfig, 'utf8'), "targets: ['localhost:8123']");
    for (const args of [
      ['check', 'config', deployFile('prometheus/prometheus.yml')],
      ['check', 'config', projectConfig],
      ['check', 'rules', deployFile('prometheus/alerts.yml')],
      // every threshold and every for: on synthetic series (see the file)
      ['test', 'rules', RULE_TESTS],
    ]) {
      const r = spawnSync('promtool', args, { encoding: 'utf8', timeout: 60_000 });
      t.equal(r.status, 0, `promtool ${args.join(' ')}\n${r.stdout}${r.stderr}`);
    }
    const ruleTests = readFileSync(RULE_TESTS, 'utf8');
    for (const a of alertParts())
      t.match(
        ruleTests,
        `alertname="${a.alert}", alertstate="firing"`,
        `${a.alert} is seen firing`,
      );
  },
);

/** the shipped config and rules, scraping `targets` every second, alerts without `for:` */
function testConfig(t: Test, targets: string[]): string {
  const dir = tempDir(t, 'irisops-prometheus-config-');
  const rulesFile = readRules();
  for (const g of rulesFile.groups) for (const r of g.rules) r.for = '0s';
  writeFileSync(path.join(dir, 'alerts.yml'), stringify(rulesFile));
  const config = readConfig();
  config.global = { ...config.global, scrape_interval: '1s', evaluation_interval: '1s' };
  const job = config.scrape_configs[0];
  if (job) job.static_configs = [{ targets }];
  const file = path.join(dir, 'prometheus.yml');
  writeFileSync(file, stringify(config));
  return file;
}

async function irisRows(shift: number): Promise<Record<string, number>[]> {
  const data = await loadDataset(bundledDataPath);
  return shuffle([...data.x], seededRandom(7))
    .slice(0, WINDOW)
    .map((x) =>
      Object.fromEntries(
        FEATURES.map((f, k) => [f, (x[k] as number) + (f === 'petal_length' ? shift : 0)]),
      ),
    );
}

async function sendTraffic(served: Served, shift: number): Promise<void> {
  const post = (route: string, body: string) =>
    fetch(`${served.url}${route}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
  for (const features of await irisRows(shift))
    if ((await post('/predict', JSON.stringify({ features }))).status !== 200)
      throw new Error('a prediction failed');
  // a 422, so the dashboard's error panel has a series
  if ((await post('/predict', '{"features":{}}')).status !== 422)
    throw new Error('the bad request was not a 422');
}

/** prediction requests to a serve without a model: each one a 503 */
async function send503s(bare: Served, n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    const res = await fetch(`${bare.url}/predict`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ features: (await irisRows(0))[0] }),
    });
    if (res.status !== 503) throw new Error(`a serve without a model answered ${res.status}`);
  }
}

/** alerts in a state, as "name instance [feature]", latency left out (it is the machine's) */
async function alertsIn(prom: Prometheus, state: string): Promise<string[]> {
  return (await alerts(prom))
    .filter((a) => a.state === state && a.labels.alertname !== 'IrisopsHighLatency')
    .map((a) => [a.labels.alertname, a.labels.instance, a.labels.feature ?? ''].join(' ').trim())
    .sort();
}

/** the value Prometheus holds for a one-series query, once it equals `want` */
const scraped = (prom: Prometheus, expr: string, want: number) =>
  until(`${expr} == ${want} in Prometheus`, async () => {
    const [s] = await query(prom, expr);
    return s && Number(s.value[1]) === want ? s.value[0] : null;
  });

/** once every alerting rule was evaluated after `time` (seconds) */
const evaluatedAfter = (prom: Prometheus, time: number) =>
  until('the rules to be evaluated', async () => {
    const all = await rules(prom);
    return all.every((r) => Date.parse(r.lastEvaluation) / 1000 > time) ? all : null;
  });

/** every dashboard query and every alert's signal returns series, labelled as its legend says */
async function checkQueries(t: Test, prom: Prometheus): Promise<void> {
  // three scrapes after the traffic: every rate() has two samples, so one query each tells
  await until('three scrapes', async () => {
    const [s] = await query(prom, 'min(count_over_time(up{job="irisops"}[1m]))');
    return s && Number(s.value[1]) >= 3 ? true : null;
  });
  const checks = [
    ...dashboardQueries(readDashboard()),
    ...alertParts().map((a) => ({ where: `${a.alert}'s signal`, expr: a.signal, labels: [] })),
  ];
  for (const q of checks) {
    const series = await query(prom, q.expr).catch((error: Error) => error);
    if (series instanceof Error || series.length === 0) {
      t.fail(`${q.where} returns series`, {
        expr: q.expr,
        error: series instanceof Error ? series.message : 'no series',
      });
      continue;
    }
    const unlabelled = series.filter((s) => q.labels.some((l) => !s.metric[l]));
    t.same(unlabelled, [], `${q.where} returns series labelled ${q.labels.join(', ') || '-'}`);
  }
}

async function checkDriftAlert(t: Test, prom: Prometheus, served: Served): Promise<void> {
  await sendTraffic(served, 2);
  const firing = await until('IrisopsDrift on petal_length to fire', async () => {
    const now = (await alerts(prom)).filter(
      (a) => a.labels.alertname === 'IrisopsDrift' && a.state === 'firing',
    );
    return now.some((a) => a.labels.feature === 'petal_length') ? now : null;
  });
  t.match(firing[0]?.labels, { model_version: '1', severity: 'warning' });
  t.notOk(
    firing.some((a) => a.labels.feature === 'sepal_width'),
    'an unshifted feature does not fire',
  );
}

t.test('a real serve, scraped by a real Prometheus', async (t) => {
  const { root } = await trainedStore(t, { versions: 1, alias: 'production' });
  const served = await serveProcess(
    t,
    ['--drift-window', String(WINDOW), '--drift-min-samples', String(WINDOW / 2)],
    { cwd: path.dirname(root) },
  );
  await sendTraffic(served, 0);

  const exported = new Set(
    (await (await fetch(`${served.url}/metrics`)).text()).match(/^irisops_\w+/gm),
  );
  const used = [
    ...dashboardQueries(readDashboard()).map((q) => q.expr),
    ...alertParts().map((a) => a.signal),
  ].flatMap(metricNames);
  for (const name of new Set(used)) t.ok(exported.has(name), `serve exports ${name}`);

  await t.test(
    'every query has series; no model and 5xx fire their alerts, shifted petal lengths IrisopsDrift',
    { skip: skipWithout('prometheus') },
    async (t) => {
      if (!present(t, 'prometheus')) return;
      // a second serve, in an empty folder: no model, and its predictions answer 503
      const bare = await serveProcess(t, [], { cwd: tempDir(t) });
      // the 503 series exists before the first scrape, so the later ones are an increase
      await send503s(bare, 1);
      const hosts = [served, bare].map((s) => new URL(s.url).host);
      const prom = await startPrometheus(t, testConfig(t, hosts));
      await scraped(prom, 'irisops_drift_window_samples', WINDOW);
      await scraped(prom, 'sum(irisops_http_requests_total{status="503"})', 1);
      await send503s(bare, 5);
      const after = await scraped(prom, 'sum(irisops_http_requests_total{status="503"})', 6);
      await checkQueries(t, prom);

      const evaluated = await evaluatedAfter(prom, after);
      t.same(
        evaluated.filter((r) => r.health !== 'ok').map((r) => [r.name, r.lastError]),
        [],
        'every rule evaluates without error',
      );
      t.same(
        await alertsIn(prom, 'firing'),
        [`IrisopsHighErrorRate ${hosts[1]}`, `IrisopsNoModelLoaded ${hosts[1]}`],
        'the serve without a model fires; unshifted iris rows fire nothing',
      );
      await checkDriftAlert(t, prom, served);
      t.equal(prom.stderr().match(/level=error/g), null, 'Prometheus logged no error');
    },
  );
});
