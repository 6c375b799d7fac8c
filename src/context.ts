/**
 * What touches the outside world reaches code through this object, built once in
 * cli.ts. Tests build their own instead of mocking globals.
 */
export interface OutputStream {
  write(chunk: string): unknown;
  isTTY?: boolean;
}

/** Colour is decided per stream: `runs ls | cat` is plain even when stderr is a terminal. */
export interface StreamColors {
  stdout: boolean;
  stderr: boolean;
}

export interface Context {
  stdout: OutputStream;
  stderr: OutputStream;
  env: Record<string, string | undefined>;
  cwd: string;
  /** epoch milliseconds */
  now: () => number;
  fetch: typeof globalThis.fetch;
  /** stdin and stdout are both terminals: prompts are allowed */
  interactive: boolean;
  color: StreamColors;
  quiet: boolean;
  debug: boolean;
  /** AbortSignal fired on SIGINT/SIGTERM for long commands (not serve, which handles its own) */
  signal?: AbortSignal;
}

export interface GlobalOptions {
  trackingUri?: string;
  config?: string;
  quiet?: boolean;
  /** false with --no-color */
  color?: boolean;
  debug?: boolean;
}

/**
 * --no-color wins, then FORCE_COLOR (0/false turn colour off, anything else on), then
 * NO_COLOR (any non-empty value), then TERM=dumb; otherwise a stream is coloured when it is
 * a terminal.
 */
export function colorFor(
  isTTY: boolean | undefined,
  env: Record<string, string | undefined>,
  flag: boolean | undefined,
): boolean {
  if (flag === false) return false;
  const force = env.FORCE_COLOR;
  if (force !== undefined && force !== '') return !/^(0|false)$/i.test(force);
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.TERM === 'dumb') return false;
  return Boolean(isTTY);
}

export function debugWanted(env: Record<string, string | undefined>, flag?: boolean): boolean {
  return Boolean(flag) || /(^|,)irisops(,|$)/.test(env.DEBUG ?? '');
}

export function createProcessContext(globals: GlobalOptions): Context {
  const env = process.env;
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    env,
    cwd: process.cwd(),
    now: () => Date.now(),
    fetch: globalThis.fetch.bind(globalThis),
    interactive: Boolean(process.stdin.isTTY && process.stdout.isTTY) && env.CI !== 'true',
    color: {
      stdout: colorFor(process.stdout.isTTY, env, globals.color),
      stderr: colorFor(process.stderr.isTTY, env, globals.color),
    },
    quiet: Boolean(globals.quiet),
    debug: debugWanted(env, globals.debug),
  };
}
