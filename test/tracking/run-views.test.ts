import t from 'tap';
import { hostname } from 'node:os';
import path from 'node:path';
import { LocalStore } from '../../src/tracking/local/index.js';
import {
  isStale,
  LEAD_METRICS,
  LEAD_PARAMS,
  orderKeys,
  processAlive,
} from '../../src/tracking/run-views.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp.js';

t.test('a RUNNING run whose process is gone is flagged stale, on this host only', async (t) => {
  const dir = tempDir(t);
  const store = new LocalStore(path.join(dir, 'mlruns'), { now: () => Date.now() });
  const exp = await store.createExperiment('iris-classification');
  // pid 2^22 + 1 is above Linux's pid_max default: no process has it
  const deadPid = String(4194305);
  const make = (host: string, pid: string) =>
    store.createRun({
      experimentId: exp.experiment_id,
      runName: `${host}-${pid}`,
      startTime: Date.now(),
      userId: 'test',
      tags: { 'irisops.host': host, 'irisops.pid': pid },
    });
  const dead = await make(hostname(), deadPid);
  const alive = await make(hostname(), String(process.pid));
  const elsewhere = await make('another-host', deadPid);
  t.notOk(processAlive(4194305));
  t.ok(isStale(await store.getRun(dead.run_id), hostname(), processAlive));
  t.notOk(isStale(await store.getRun(alive.run_id), hostname(), processAlive));
  t.notOk(
    isStale(await store.getRun(elsewhere.run_id), hostname(), processAlive),
    'cannot know about another host',
  );
  await store.updateRun(dead.run_id, 'FAILED', Date.now());
  t.notOk(
    isStale(await store.getRun(dead.run_id), hostname(), processAlive),
    'only RUNNING runs can be stale',
  );

  await store.updateRun(dead.run_id, 'RUNNING', null);
  const ls = await runCli(['runs', 'ls'], { cwd: dir });
  t.match(ls.stdout, /RUNNING \(stale\)/);
  const json = JSON.parse((await runCli(['runs', 'ls', '--json'], { cwd: dir })).stdout) as {
    runs: { run_id: string; stale: boolean }[];
  };
  t.same(
    json.runs.filter((r) => r.stale).map((r) => r.run_id),
    [dead.run_id],
  );
});

t.test(
  'orderKeys: the lead keys present come first, in their order, then the rest sorted',
  async (t) => {
    t.same(orderKeys(['zeta', 'max_depth', 'alpha', 'n_estimators'], LEAD_PARAMS), [
      'n_estimators',
      'max_depth',
      'alpha',
      'zeta',
    ]);
    t.same(orderKeys(['b', 'a'], LEAD_METRICS), ['a', 'b'], 'no lead key: sorted by name');
    t.same(orderKeys([], LEAD_METRICS), []);
  },
);
