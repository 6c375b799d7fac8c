/**
 * Ctrl-C (SIGINT) and SIGTERM stop `irisops train` at any point: a real child process, a real
 * signal, exit 130, no run left RUNNING or FINISHED, no model version registered.
 */
import t, { type Test } from 'tap';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { bin, cleanEnv, runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp.js';

/** Only a safety net against a hang: a fit this long would take minutes if never stopped. */
const SAFETY_MS = 60_000;

interface Stopped {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
}

/** Starts a train, sends `signal` once stderr matches `when`, resolves when the process ends. */
function interruptTrain(
  cwd: string,
  args: string[],
  when: RegExp,
  signal: NodeJS.Signals,
): Promise<Stopped> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, 'train', ...args], {
      cwd,
      env: cleanEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    let sent = false;
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (!sent && when.test(stderr)) {
        sent = true;
        child.kill(signal);
      }
    });
    const guard = setTimeout(() => child.kill('SIGKILL'), SAFETY_MS);
    child.on('error', reject);
    child.on('close', (code, sig) => {
      clearTimeout(guard);
      resolve({ code, signal: sig, stderr });
    });
  });
}

async function assertNothingKept(t: Test, dir: string) {
  const ls = await runCli(['runs', 'ls', '--json'], { cwd: dir });
  if (ls.code === 0) {
    const runs = (JSON.parse(ls.stdout) as { runs: { status: string }[] }).runs;
    t.notOk(
      runs.some((r) => r.status === 'RUNNING' || r.status === 'FINISHED'),
      `statuses: ${runs.map((r) => r.status).join(', ')}`,
    );
  } else {
    t.match(ls.stderr, /not found/, 'or nothing was logged at all');
  }
  t.notOk(existsSync(path.join(dir, 'mlruns', 'models')), 'no model registered');
}

const points: { name: string; args: string[]; when: RegExp; unfinished: RegExp }[] = [
  // 5000 trees take tens of seconds: the signal lands inside the fit
  {
    name: 'during a long fit',
    args: ['--n-estimators', '5000'],
    when: /✔ split/,
    unfinished: /✔ fit forest/,
  },
  // 50 folds of 300 trees: the signal lands inside the cross-validation
  {
    name: 'during --cv',
    args: ['--n-estimators', '300', '--cv', '50'],
    when: /✔ evaluate/,
    unfinished: /✔ cross-validate/,
  },
  {
    name: 'right after start',
    args: ['--n-estimators', '5000'],
    when: /✔ load data/,
    unfinished: /✔ fit forest/,
  },
];

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  for (const point of points) {
    t.test(`${signal} ${point.name}: exit 130, nothing finished or registered`, async (t) => {
      const dir = tempDir(t);
      const stopped = await interruptTrain(dir, point.args, point.when, signal);
      t.equal(stopped.code, 130, stopped.stderr);
      t.match(stopped.stderr, /error: irisops train interrupted/);
      t.notMatch(stopped.stderr, point.unfinished, 'the step it interrupted never ended');
      t.notMatch(stopped.stderr, /✔ log run/, 'no run was logged');
      await assertNothingKept(t, dir);
    });
  }
}
