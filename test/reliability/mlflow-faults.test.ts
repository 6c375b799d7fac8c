/**
 * MLflow server faults through the CLI: a real `mlflow server` behind a rule-based fault
 * proxy on loopback. Dropped connections, 500s, 429 with Retry-After, 5-second stalls and
 * lost answers are retried within bounds or end in a clear error; a run is never left
 * RUNNING when irisops could still reach the server to close it; a planted token never
 * shows in any output.
 */
import t, { type Test } from 'tap';
import { runCli, type CliResult } from '../helpers/cli.js';
import { mlflowPythonOrSkip, startMlflowServer } from '../helpers/mlflow-server.js';
import { tempDir } from '../helpers/temp.js';
import { reportFigures } from './helpers.js';
import { startRuleProxy, type Rule } from './rule-proxy.js';

const found = mlflowPythonOrSkip();
if ('skip' in found) {
  t.plan(0, found.skip);
} else {
  const python = found.python;
  const server = await startMlflowServer(t, python);
  const SECRET = 'tok-7f3a9c-planted-secret';
  const env = {
    MLFLOW_TRACKING_TOKEN: SECRET,
    MLFLOW_HTTP_REQUEST_TIMEOUT: '2',
    MLFLOW_HTTP_REQUEST_BACKOFF_FACTOR: '0.05',
    MLFLOW_HTTP_REQUEST_BACKOFF_JITTER: '0.01',
    IRISOPS_HTTP_TOTAL_TIMEOUT: '20',
  };
  const injected: Record<string, number> = {};
  const outputs: CliResult[] = [];
  let scenario = 0;

  async function rest(path: string, body?: unknown): Promise<Record<string, unknown>> {
    const r = await fetch(`${server.url}/api/2.0/mlflow/${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return (await r.json()) as Record<string, unknown>;
  }

  interface ServerRun {
    info: { run_id: string; status: string };
  }
  /** What the server itself holds for an experiment and a model (asked directly). */
  async function serverState(experiment: string, model: string) {
    const exp = (await rest(
      `experiments/get-by-name?experiment_name=${encodeURIComponent(experiment)}`,
    )) as { experiment?: { experiment_id: string } };
    const runs = exp.experiment
      ? ((
          (await rest('runs/search', { experiment_ids: [exp.experiment.experiment_id] })) as {
            runs?: ServerRun[];
          }
        ).runs ?? [])
      : [];
    const versions =
      (
        (await rest(`model-versions/search?filter=${encodeURIComponent(`name='${model}'`)}`)) as {
          model_versions?: { version: string }[];
        }
      ).model_versions ?? [];
    return { runs: runs.map((r) => r.info.status), versions: versions.map((v) => v.version) };
  }

  /** One CLI train through a fresh proxy holding `rules`; names are unique per scenario. */
  async function trainThrough(t: Test, rules: Rule[], extraEnv: Record<string, string> = {}) {
    scenario++;
    const proxy = await startRuleProxy(t, server.url);
    proxy.rules.push(...rules);
    const experiment = `faults-${scenario}`;
    const model = `faults_model_${scenario}`;
    const started = performance.now();
    const r = await runCli(
      [
        'train',
        '--n-estimators',
        '5',
        '--tracking-uri',
        proxy.url,
        '--experiment',
        experiment,
        '--model-name',
        model,
        '--json',
      ],
      { cwd: tempDir(t), env: { ...env, ...extraEnv }, timeoutMs: 120_000 },
    );
    const ms = performance.now() - started;
    outputs.push(r);
    for (const [k, n] of Object.entries(proxy.injected)) injected[k] = (injected[k] ?? 0) + n;
    return { r, ms, proxy, state: await serverState(experiment, model) };
  }

  t.test('one fault of every kind on the way: each retried, the train succeeds', async (t) => {
    const { r, ms, proxy, state } = await trainThrough(t, [
      { match: /experiments\/get-by-name/, fault: { kind: 'drop' }, times: 1 },
      { match: /experiments\/create/, fault: { kind: 'status', status: 503 }, times: 1 },
      { match: /runs\/create/, fault: { kind: 'status', status: 500 }, times: 1 },
      {
        match: /runs\/log-batch/,
        fault: { kind: 'status', status: 429, headers: { 'retry-after': '1' } },
        times: 1,
      },
      {
        match: /mlflow-artifacts\/artifacts\//,
        method: 'PUT',
        fault: { kind: 'stall', ms: 5000 },
        times: 1,
      },
      { match: /runs\/log-inputs/, fault: { kind: 'drop' }, times: 1 },
      { match: /runs\/update/, fault: { kind: 'status', status: 502 }, times: 1 },
      { match: /registered-models\/(create|get)/, fault: { kind: 'stall', ms: 5000 }, times: 1 },
      { match: /model-versions\/create/, fault: { kind: 'status', status: 504 }, times: 1 },
    ]);
    t.equal(r.code, 0, `train exits 0 in ${Math.round(ms)} ms`, { stderr: r.stderr });
    t.ok(ms < 60_000, 'within the retry bounds');
    const faults = Object.values(proxy.injected).reduce((a, b) => a + b, 0);
    t.ok(faults >= 8, `${faults} faults injected`);
    t.same(state.runs, ['FINISHED'], 'the server holds one run, FINISHED');
    t.same(state.versions, ['1'], 'and one version');
  });

  t.test(
    'answers lost after the server acted: retries do not duplicate runs or versions',
    async (t) => {
      const { r, state } = await trainThrough(t, [
        { match: /runs\/create/, fault: { kind: 'drop-answer' }, times: 1 },
        { match: /model-versions\/create/, fault: { kind: 'drop-answer' }, times: 1 },
      ]);
      t.equal(r.code, 0, 'train exits 0', { stderr: r.stderr });
      t.equal(
        state.runs.filter((s) => s === 'FINISHED').length,
        1,
        'one FINISHED run on the server',
      );
      t.same(state.runs, ['FINISHED'], 'and no orphan run left RUNNING by a retried create');
      t.same(state.versions, ['1'], 'one version, not two');
    },
  );

  t.test(
    'every runs/log-batch fails once the run exists: exit 1, the run ends FAILED',
    async (t) => {
      const { r, ms, state } = await trainThrough(t, [
        { match: /runs\/log-batch/, fault: { kind: 'status', status: 500 } },
      ]);
      t.equal(r.code, 1, `train exits 1 after ${Math.round(ms)} ms`);
      t.match(
        r.stderr,
        /^error: run [0-9a-f]{32} marked FAILED: .*HTTP 500/m,
        'saying what happened',
      );
      t.same(state.runs, ['FAILED'], 'the server holds the run as FAILED, not RUNNING');
      t.same(state.versions, [], 'nothing registered');
    },
  );

  t.test('every request stalls 5 s: a clear timeout error within the bounds', async (t) => {
    const { r, ms, state } = await trainThrough(
      t,
      [{ match: /./, fault: { kind: 'stall', ms: 5000 } }],
      { MLFLOW_HTTP_REQUEST_TIMEOUT: '0.5', MLFLOW_HTTP_REQUEST_MAX_RETRIES: '2' },
    );
    t.equal(r.code, 1, 'train exits 1');
    t.ok(ms < 15_000, `gave up after ${Math.round(ms)} ms`);
    t.match(r.stderr, /^error: .*(timed out|timeout|no answer)/im, r.stderr.split('\n')[0] ?? '');
    t.same(state.runs, [], 'no run was created');
  });

  t.test('the server goes away after the run is created: exit 1, the run says so', async (t) => {
    const { r, ms, state } = await trainThrough(t, [
      { match: /^(?!.*(experiments\/|runs\/create))/, fault: { kind: 'status', status: 503 } },
    ]);
    t.equal(r.code, 1, 'train exits 1');
    t.ok(ms < 60_000, `within ${Math.round(ms)} ms`);
    t.match(r.stderr, /^error: run [0-9a-f]{32} left unfinished: .*HTTP 503/m);
    // irisops could not reach the server to close it: RUNNING is the truth here
    t.same(state.runs, ['RUNNING'], 'the run the server could not be told about stays RUNNING');
  });

  t.test('reads and promotions retry through transient faults', async (t) => {
    const proxy = await startRuleProxy(t, server.url);
    proxy.rules.push(
      { match: /runs\/search/, fault: { kind: 'status', status: 500 }, times: 1 },
      { match: /registered-models\/search/, fault: { kind: 'drop' }, times: 1 },
      {
        match: /registered-models\/alias/,
        method: 'POST',
        fault: { kind: 'status', status: 429, headers: { 'retry-after': '1' } },
        times: 1,
      },
      { match: /model-versions\/(get|search)/, fault: { kind: 'stall', ms: 5000 }, times: 1 },
    );
    const opts = { cwd: tempDir(t), env, timeoutMs: 60_000 };
    const uri = ['--tracking-uri', proxy.url];
    for (const args of [
      ['runs', 'ls', '--experiment', 'faults-1', '--json'],
      ['registry', 'ls', 'faults_model_1', '--json'],
      ['registry', 'promote', 'faults_model_1', '1', '--json'],
    ]) {
      const r = await runCli([...args, ...uri], opts);
      outputs.push(r);
      t.equal(r.code, 0, `${args.slice(0, 2).join(' ')} succeeds`, { stderr: r.stderr });
    }
    for (const [k, n] of Object.entries(proxy.injected)) injected[k] = (injected[k] ?? 0) + n;
    t.ok(Object.keys(proxy.injected).length >= 3, 'faults were injected');
  });

  t.test('the planted token never appears in any output', async (t) => {
    const leaks = outputs.filter((o) => `${o.stdout}\n${o.stderr}`.includes(SECRET));
    t.equal(leaks.length, 0, `${outputs.length} command outputs checked`);
    reportFigures(t, 'mlflow-faults', {
      commands: outputs.length,
      faults_injected: injected,
      faults_total: Object.values(injected).reduce((a, b) => a + b, 0),
    });
  });
}
