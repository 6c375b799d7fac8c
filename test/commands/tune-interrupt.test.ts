/**
 * Ctrl-C (a real SIGINT to a real child process) stops `irisops tune` mid-sweep: exit 130,
 * the parent and every unfinished trial KILLED, none left RUNNING, nothing registered.
 * Whatever order the pool takes trials in, some have finished and some are fitting at the
 * signal: four lanes start four of the six trials at once, and three of the six are tiny.
 */
import t from 'tap';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { bin, cleanEnv, runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp.js';
import type { RunsList } from '../../src/schemas/types.js';

/** Only a safety net against a hang: unstopped, this sweep takes minutes. */
const SAFETY_MS = 120_000;

t.test('SIGINT after the first trial: exit 130, KILLED runs, nothing registered', async (t) => {
  const dir = tempDir(t);
  // the first four started hold a 2-tree trial (done at once) and a 3000-tree one (fitting)
  const args = ['tune', '--n-estimators', '2,3000', '--max-depth', '4:6', '--cv', '10'];
  const stopped = await new Promise<{ code: number | null; stderr: string; ms: number }>(
    (resolve, reject) => {
      const child = spawn(process.execPath, [bin, ...args, '--parallel', '4'], {
        cwd: dir,
        env: cleanEnv(),
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      let sentAt = 0;
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
        if (sentAt === 0 && /✔ trial 1\/6/.test(stderr)) {
          sentAt = performance.now();
          child.kill('SIGINT');
        }
      });
      const guard = setTimeout(() => child.kill('SIGKILL'), SAFETY_MS);
      child.on('error', reject);
      child.on('close', (code) => {
        clearTimeout(guard);
        resolve({ code, stderr, ms: performance.now() - sentAt });
      });
    },
  );
  t.equal(stopped.code, 130, stopped.stderr);
  t.match(
    stopped.stderr,
    /irisops tune interrupted: sweep [0-9a-f]{32} and its unfinished trials marked KILLED, nothing registered/,
  );
  t.notMatch(stopped.stderr, /winner:/, 'the winner was never fitted');
  // reported, not asserted (speed belongs to bench/): how long the stop took
  t.comment(`stopped ${Math.round(stopped.ms)} ms after SIGINT`);

  const ls = await runCli(['runs', 'ls', '--json'], { cwd: dir });
  t.equal(ls.code, 0, ls.stderr);
  const runs = (JSON.parse(ls.stdout) as RunsList).runs;
  const statuses = runs.map((r) => r.status);
  t.notOk(statuses.includes('RUNNING'), statuses.join(', '));
  const parent = runs.find((r) => r.tags['irisops.tune.role'] === 'parent');
  t.equal(parent?.status, 'KILLED');
  t.ok(statuses.filter((s) => s === 'KILLED').length >= 2, 'the parent and a trial in flight');
  t.ok(statuses.includes('FINISHED'), 'the finished trial stays FINISHED');
  t.notOk(existsSync(path.join(dir, 'mlruns', 'models')), 'no model registered');
});
