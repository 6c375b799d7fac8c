/**
 * A real Prometheus (Debian's `prometheus` package, installed by scripts/ci-packages.sh) as a
 * child process on a free loopback port, with its TSDB in a temp folder; and the few calls
 * of its HTTP API the tests make. Every wait polls with a deadline.
 */
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { closedPort } from '../verify/helpers.js';
import { tempDir, type Teardown } from './temp.js';

/** the binary on PATH, or null when it is not installed */
export function findBinary(name: string): string | null {
  const r = spawnSync(name, ['--version'], { encoding: 'utf8', timeout: 30_000 });
  return r.status === 0 ? name : null;
}

/** Polls `probe` until it returns a value (not null/undefined) or the deadline passes. */
export async function until<T>(
  what: string,
  probe: () => Promise<T | null | undefined>,
  ms = 30_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  let last: unknown = null;
  for (;;) {
    try {
      const value = await probe();
      if (value !== null && value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline)
      throw new Error(`gave up waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

export interface Prometheus {
  url: string;
  stderr: () => string;
}

export async function startPrometheus(t: Teardown, configFile: string): Promise<Prometheus> {
  const port = await closedPort();
  const child = spawn(
    'prometheus',
    [
      `--config.file=${configFile}`,
      `--storage.tsdb.path=${path.join(tempDir(t, 'irisops-prometheus-'), 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  t.teardown(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  const url = `http://127.0.0.1:${port}`;
  await until('Prometheus to be ready', async () => {
    if (child.exitCode !== null) throw new Error(`prometheus exited ${child.exitCode}: ${stderr}`);
    return (await fetch(`${url}/-/ready`)).ok ? true : null;
  });
  return { url, stderr: () => stderr };
}

export interface Sample {
  metric: Record<string, string>;
  value: [number, string];
}

interface ApiAnswer<T> {
  status: 'success' | 'error';
  data: T;
  error?: string;
}

async function api<T>(url: string): Promise<T> {
  const body = (await (await fetch(url)).json()) as ApiAnswer<T>;
  if (body.status !== 'success') throw new Error(`${url}: ${body.error ?? 'error'}`);
  return body.data;
}

/** an instant query; a PromQL error throws with Prometheus's message */
export async function query(prom: Prometheus, expr: string): Promise<Sample[]> {
  const data = await api<{ result: Sample[] }>(
    `${prom.url}/api/v1/query?query=${encodeURIComponent(expr)}`,
  );
  return data.result;
}

export interface AlertingRule {
  name: string;
  health: 'ok' | 'err' | 'unknown';
  lastError?: string;
  lastEvaluation: string;
  state: string;
}

export async function rules(prom: Prometheus): Promise<AlertingRule[]> {
  const data = await api<{ groups: { rules: AlertingRule[] }[] }>(`${prom.url}/api/v1/rules`);
  return data.groups.flatMap((g) => g.rules);
}

export interface Alert {
  labels: Record<string, string>;
  state: 'pending' | 'firing';
}

export async function alerts(prom: Prometheus): Promise<Alert[]> {
  return (await api<{ alerts: Alert[] }>(`${prom.url}/api/v1/alerts`)).alerts;
}
