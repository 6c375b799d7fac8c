/**
 * Finds the Python that has MLflow (the one .ci/run installs from requirements-mlflow.txt),
 * so tests can use MLflow's own client as the referee for what irisops writes.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export const mlflowInstallHint =
  'python3 -m venv .venv && .venv/bin/pip install -r requirements-mlflow.txt';

let cached: string | null | undefined;

function canImportMlflow(python: string): boolean {
  const probe = spawnSync(python, ['-c', 'import mlflow'], { stdio: 'ignore', timeout: 60_000 });
  return probe.status === 0;
}

/**
 * IRISOPS_PYTHON (or IRISOPS_MLFLOW_PYTHON) if set, else the repo's .venv, else python3 on
 * PATH; null when none imports mlflow. The one finder every test uses.
 */
export function findMlflowPython(): string | null {
  if (cached !== undefined) return cached;
  const candidates = [
    process.env.IRISOPS_PYTHON,
    process.env.IRISOPS_MLFLOW_PYTHON,
    path.join(repoRoot, '.venv', 'bin', 'python'),
    path.join(repoRoot, '.venv', 'Scripts', 'python.exe'),
    'python3',
  ].filter((c): c is string => typeof c === 'string' && c !== '');
  cached =
    candidates.find((c) => (!c.includes(path.sep) || existsSync(c)) && canImportMlflow(c)) ?? null;
  return cached;
}

interface Skippable {
  plan(n: number, comment?: string): void;
}

/**
 * The Python to use. Without one, the test is skipped with the install command, unless
 * IRISOPS_REQUIRE_MLFLOW=1 (CI), where a missing MLflow is a failure, not a skip.
 */
export function requireMlflow(t: Skippable): string | null {
  const python = findMlflowPython();
  if (python !== null) return python;
  const message = `no Python with mlflow found (set IRISOPS_PYTHON, or run: ${mlflowInstallHint})`;
  if (process.env.IRISOPS_REQUIRE_MLFLOW === '1')
    throw new Error(`IRISOPS_REQUIRE_MLFLOW=1 but ${message}`);
  t.plan(0, message);
  return null;
}
