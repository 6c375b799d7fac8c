/** `irisops serve` as a real child process on a free port; resolves once it prints its URL. */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { bin, cleanEnv, repoRoot } from './cli.js';

export interface Served {
  child: ChildProcessWithoutNullStreams;
  url: string;
  stderr: () => string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

interface Teardown {
  teardown(fn: () => void): void;
}

export function serveProcess(
  t: Teardown,
  args: string[],
  options: {
    cwd?: string;
    env?: Record<string, string | undefined>;
    /** false: the log on stdout is never read, as a paused pager would leave it */
    readStdout?: boolean;
  } = {},
): Promise<Served> {
  const child = spawn(process.execPath, [bin, 'serve', '--port', '0', ...args], {
    cwd: options.cwd ?? repoRoot,
    env: cleanEnv(options.env),
    stdio: 'pipe',
  });
  let stderr = '';
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  const killer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  t.teardown(() => {
    clearTimeout(killer);
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  return new Promise((resolve, reject) => {
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      const url = /listening on (http:\/\/\S+)/.exec(stderr)?.[1];
      if (url && /docs: /.test(stderr)) resolve({ child, url, stderr: () => stderr, exit });
    });
    if (options.readStdout !== false) child.stdout.resume();
    void exit.then(({ code }) =>
      reject(new Error(`serve exited with ${code} before listening:\n${stderr}`)),
    );
  });
}
