// What the benches share: flags, medians and ratios, timed child processes, temp folders.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('../', import.meta.url));
export const bin = path.join(root, 'bin/irisops.js');
export const python = process.env.IRISOPS_PYTHON ?? path.join(root, '.venv/bin/python');

/** `--name value` from argv, as a number unless the fallback is a string. */
export function arg(name, fallback, argv = process.argv) {
  const i = argv.indexOf(`--${name}`);
  if (i === -1) return fallback;
  const value = argv[i + 1];
  return typeof fallback === 'string' ? String(value) : Number(value);
}

export const flag = (name, argv = process.argv) => argv.includes(`--${name}`);

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};
export const round = (x, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;
export const ratio = (a, b) => round(a / b, 3);

/** Wall time (ms) of one child process; throws with its stderr when it fails. */
export function timed(command, args, options = {}) {
  const t0 = performance.now();
  const r = spawnSync(command, args, {
    encoding: 'utf8',
    maxBuffer: 1 << 30,
    ...options,
  });
  const ms = performance.now() - t0;
  if (r.status !== 0) {
    const why = r.error?.message ?? r.signal ?? `exit ${r.status}`;
    throw new Error(`${[command, ...args].join(' ')}: ${why}\n${r.stderr ?? ''}`.trim());
  }
  return { ms, stdout: r.stdout, stderr: r.stderr };
}

/** A temp folder for the duration of fn, removed after (also on failure). */
export async function withTempDir(prefix, fn) {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  try {
    return await fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Prints a bench's result as one JSON document on stdout. */
export function printResult(result) {
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}

/** A loopback port that was free a moment ago, for a server started as a child process. */
export function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** Resolves once url answers 2xx; throws after timeoutMs. */
export async function waitForOk(url, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not answer within ${timeoutMs / 1000} s`);
}
