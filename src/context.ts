/**
 * What touches the outside world reaches code through this object, built once in
 * cli.ts. Tests build their own instead of mocking globals.
 */
export interface OutputStream {
  write(chunk: string): unknown;
  isTTY?: boolean;
}

export interface Context {
  stdout: OutputStream;
  stderr: OutputStream;
  env: Record<string, string | undefined>;
  cwd: string;
  /** epoch milliseconds */
  now: () => number;
  fetch: typeof globalThis.fetch;
  /** stdin and stdout are both terminals: prompts and spinners are allowed */
  interactive: boolean;
  color: boolean;
  quiet: boolean;
  debug: boolean;
  /** AbortSignal fired on SIGINT/SIGTERM for long commands (not serve, which handles its own) */
  signal?: AbortSignal;
}

export interface GlobalOptions {
  trackingUri?: string;
  config?: string;
  json?: boolean;
  quiet?: boolean;
  color?: boolean;
  debug?: boolean;
}

export function createProcessContext(globals: GlobalOptions): Context {
  const env = process.env;
  const noColor = env.NO_COLOR !== undefined && env.NO_COLOR !== '';
  const stdoutTTY = Boolean(process.stdout.isTTY);
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    env,
    cwd: process.cwd(),
    now: () => Date.now(),
    fetch: globalThis.fetch.bind(globalThis),
    interactive: Boolean(process.stdin.isTTY) && stdoutTTY && env.CI !== 'true',
    color: globals.color !== false && !noColor && Boolean(process.stderr.isTTY || stdoutTTY),
    quiet: Boolean(globals.quiet),
    debug: Boolean(globals.debug) || /(^|,)irisops(,|$)/.test(env.DEBUG ?? ''),
  };
}
