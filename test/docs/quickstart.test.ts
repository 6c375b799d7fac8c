/** quickstart.sh checks the port first: a busy one stops it before installing or training. */
import { spawnSync } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import t from 'tap';
import { cleanEnv, repoRoot } from '../helpers/cli.js';

t.test('a busy PORT stops quickstart.sh before npm ci, with the fix', async (t) => {
  const blocker = http.createServer();
  await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
  t.teardown(() => blocker.close());
  const port = (blocker.address() as { port: number }).port;
  // the kernel completes the probe's connection from the listen backlog, loop blocked or not
  const r = spawnSync('bash', [path.join(repoRoot, 'quickstart.sh')], {
    env: cleanEnv({ PORT: String(port) }),
    encoding: 'utf8',
    input: '',
    timeout: 60_000,
  });
  t.equal(r.status, 1);
  t.match(r.stderr, new RegExp(`quickstart stopped:.* port ${port} is already in use`));
  t.match(r.stderr, /what to do: .*PORT=8001 \.\/quickstart\.sh/);
  t.notMatch(r.stdout, /Installing dependencies|Training/, 'nothing installed or trained');
});
