import t from 'tap';
import { spawn } from 'node:child_process';
import { bin, cleanEnv, runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp.js';

t.test('Ctrl-C during train exits 130 and leaves no run RUNNING', async (t) => {
  const dir = tempDir(t);
  const child = spawn(process.execPath, [bin, 'train', '--n-estimators', '1500'], {
    cwd: dir,
    env: cleanEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  // interrupt once the fit has started (the split step has printed)
  await new Promise<void>((resolve) => {
    const onData = () => {
      if (/✔ split/.test(stderr)) {
        child.stderr.off('data', onData);
        resolve();
      }
    };
    child.stderr.on('data', onData);
  });
  child.kill('SIGINT');
  const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
  t.equal(code, 130, stderr);
  t.match(stderr, /error: irisops train interrupted/);
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
});
