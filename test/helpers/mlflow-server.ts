/**
 * A real `mlflow server` (sqlite backend, proxied artifacts) on a free loopback port, for
 * one test file. Its whole process group is killed at teardown, even when tests fail.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { findMlflowPython, mlflowInstallHint } from './python.js';

export interface MlflowServer {
  url: string;
  dir: string;
  /** milliseconds from spawn to a healthy /health */
  startupMs: number;
  stop(): Promise<void>;
}

interface TapLike {
  teardown(fn: () => unknown): void;
}

export const installHint = `create the venv: ${mlflowInstallHint}`;

/** A Python that can import mlflow (see findMlflowPython). */
export const locateMlflowPython = findMlflowPython;

/**
 * The Python to use, or why the real-server tests are skipped. With IRISOPS_REQUIRE_MLFLOW=1
 * (CI) a missing mlflow is a failure, not a skip.
 */
export function mlflowPythonOrSkip(): { python: string } | { skip: string } {
  const python = locateMlflowPython();
  if (python !== null) return { python };
  const reason = `no Python with mlflow found; ${installHint}`;
  if (process.env.IRISOPS_REQUIRE_MLFLOW === '1')
    throw new Error(`IRISOPS_REQUIRE_MLFLOW=1 but ${reason}`);
  return { skip: reason };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

export async function startMlflowServer(
  t: TapLike,
  python: string,
  /** backendStoreUri: e.g. a folder LocalStore wrote (then MLFLOW_ALLOW_FILE_STORE is set) */
  options: {
    timeoutMs?: number;
    backendStoreUri?: string;
    /** e.g. s3://bucket (then the backend store is a database, not a folder) */
    artifactsDestination?: string;
    env?: Record<string, string>;
  } = {},
): Promise<MlflowServer> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'irisops-mlflow-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const started = performance.now();
  const child = spawn(
    python,
    [
      '-m',
      'mlflow',
      'server',
      '--backend-store-uri',
      options.backendStoreUri ?? `sqlite:///${path.join(dir, 'mlflow.db')}`,
      ...(options.artifactsDestination !== undefined
        ? ['--artifacts-destination', options.artifactsDestination]
        : options.backendStoreUri === undefined
          ? ['--artifacts-destination', path.join(dir, 'artifacts')]
          : []),
      '--host',
      '127.0.0.1',
      '--port',
      String(port),
      '--workers',
      '1',
    ],
    {
      cwd: dir,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        MLFLOW_TRACKING_URI: '',
        PYTHONUNBUFFERED: '1',
        // MLflow 3 starts eight huey job consumers by default; the tests use no server-side jobs,
        // and on a 2-core machine those processes slow every other test
        MLFLOW_SERVER_ENABLE_JOB_EXECUTION: 'false',
        MLFLOW_SERVER_JOB_ENABLE_PERIODIC_TASKS: 'false',
        // MLflow 3.17's telemetry thread once crashed the server at start (KeyError on
        // _MLFLOW_TELEMETRY_SESSION_ID in os.environ.copy()); it also tries the network
        MLFLOW_DISABLE_TELEMETRY: 'true',
        ...(options.backendStoreUri === undefined ? {} : { MLFLOW_ALLOW_FILE_STORE: 'true' }),
        ...options.env,
      },
    },
  );
  let log = '';
  const keep = (chunk: Buffer): void => {
    log = (log + chunk.toString('utf8')).slice(-8000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  let exited = false;
  const exit = new Promise<void>((resolve) => {
    child.once('exit', () => {
      exited = true;
      resolve();
    });
  });

  const stop = async (): Promise<void> => {
    if (child.pid === undefined) return;
    if (!exited) {
      killGroup(child.pid, 'SIGTERM');
      const timer = setTimeout(() => killGroup(child.pid as number, 'SIGKILL'), 5000);
      await exit;
      clearTimeout(timer);
    }
    // uvicorn workers share the group and may outlive the parent by a moment
    killGroup(child.pid, 'SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  };
  t.teardown(stop);

  const deadline = started + (options.timeoutMs ?? 60_000);
  while (performance.now() < deadline) {
    if (exited) throw new Error(`mlflow server exited before it was healthy:\n${log}`);
    try {
      const response = await fetch(`${url}/health`, { signal: AbortSignal.timeout(2000) });
      if (response.ok) {
        return { url, dir, startupMs: Math.round(performance.now() - started), stop };
      }
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  await stop();
  throw new Error(`mlflow server not healthy within ${options.timeoutMs ?? 60_000} ms:\n${log}`);
}

/** Runs a Python snippet with MLFLOW_TRACKING_URI set; returns its stdout parsed as JSON. */
export function runPythonJson(
  python: string,
  trackingUri: string,
  code: string,
  timeoutMs = 120_000,
): unknown {
  const result = spawnSync(python, ['-c', code], {
    encoding: 'utf8',
    timeout: timeoutMs,
    env: { ...process.env, MLFLOW_TRACKING_URI: trackingUri, PYTHONWARNINGS: 'ignore' },
  });
  if (result.status !== 0) {
    throw new Error(`python failed (${String(result.status)}):\n${result.stderr}`);
  }
  const lines = result.stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1] ?? 'null');
}
