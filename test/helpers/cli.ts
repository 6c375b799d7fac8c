/** Runs the built CLI (bin/irisops.js) as a real child process. */
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Test } from 'tap';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
export const bin = fileURLToPath(new URL('../../bin/irisops.js', import.meta.url));

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  cwd?: string;
  env?: Record<string, string | undefined>;
  input?: string;
  timeoutMs?: number;
}

/** A clean environment: no inherited MLflow or irisops settings leak into a test. */
export function cleanEnv(extra: Record<string, string | undefined> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v === undefined || /^(MLFLOW_|IRISOPS_|PORT$|NO_COLOR$|DEBUG$|FORCE_COLOR$)/.test(k))
      continue;
    env[k] = v;
  }
  env.NODE_ENV = 'test';
  for (const [k, v] of Object.entries(extra)) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  return env;
}

export function runCli(args: string[], options: CliOptions = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], {
      cwd: options.cwd ?? repoRoot,
      env: cleanEnv(options.env),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
    child.stdin.end(options.input ?? '');
  });
}

/** The `nobody` user, when this process is root and can start children as another user. */
export function nobody(): { uid: number; gid: number } | null {
  if (process.platform === 'win32' || process.getuid?.() !== 0) return null;
  const uid = spawnSync('id', ['-u', 'nobody'], { encoding: 'utf8' });
  const gid = spawnSync('id', ['-g', 'nobody'], { encoding: 'utf8' });
  if (uid.status !== 0 || gid.status !== 0) return null;
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

/** Runs the CLI as another user (permission tests: root ignores file modes). */
export function runAs(
  user: { uid: number; gid: number },
  args: string[],
  cwd: string,
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    // `env -i` then setpriv: tap hooks every spawn to record coverage (through NODE_OPTIONS
    // and its own variables), and that hook's write fails loudly for an unprivileged user
    const id = [`--reuid=${user.uid}`, `--regid=${user.gid}`, '--clear-groups'];
    const env = [`PATH=${process.env.PATH ?? '/usr/bin:/bin'}`, `HOME=${cwd}`, 'NODE_ENV=test'];
    const child = spawn('env', ['-i', ...env, 'setpriv', ...id, process.execPath, bin, ...args], {
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/** The house's bad-input contract: the exit code, one `error:` line, a `hint:`, empty stdout. */
export function expectOneError(t: Test, r: CliResult, code: number, message: RegExp): void {
  t.equal(r.code, code, `exit ${code}: ${r.stderr}`);
  t.equal(r.stdout, '', 'nothing on stdout');
  const [first = '', ...rest] = r.stderr.trim().split('\n');
  t.match(first, /^error: /);
  t.match(first, message);
  t.match(rest.join('\n'), /^hint: /);
}
