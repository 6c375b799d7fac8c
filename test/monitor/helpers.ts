/**
 * Fixtures for the drift tests: the bundled iris data split as train splits it, resampled
 * traffic, and scipy (from the MLflow venv, which has scikit-learn and so scipy) as referee.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { CLASSES, bundledDataPath, loadDataset } from '../../src/data/dataset.js';
import { seededRandom, type Random } from '../../src/data/random.js';
import { stratifiedSplit } from '../../src/data/split.js';
import { findMlflowPython, mlflowInstallHint } from '../helpers/python.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface Rows {
  x: number[][];
  y: number[];
}

export async function irisSplit(seed = 42): Promise<{ all: Rows; train: Rows }> {
  const data = await loadDataset(bundledDataPath);
  const split = stratifiedSplit(data.y, 0.2, seed, CLASSES);
  return {
    all: { x: data.x, y: data.y },
    train: {
      x: split.train.map((i) => data.x[i] as number[]),
      y: split.train.map((i) => data.y[i] as number),
    },
  };
}

/** n rows drawn with replacement: traffic from the training population */
export function resample(rows: Rows, n: number, random: Random): Rows {
  const x: number[][] = [];
  const y: number[] = [];
  for (let k = 0; k < n; k++) {
    const i = Math.floor(random() * rows.x.length);
    x.push([...(rows.x[i] as number[])]);
    y.push(rows.y[i] as number);
  }
  return { x, y };
}

/** standard normal draws (Box-Muller), rounded to 1e-6 so Python reads the same numbers */
export function normals(n: number, seed: number, shift = 0): number[] {
  const random = seededRandom(seed);
  return Array.from({ length: n }, () => {
    const u = 1 - random();
    const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
    return Math.round((z + shift) * 1e6) / 1e6;
  });
}

interface Skippable {
  plan(n: number, comment?: string): void;
}

/**
 * A Python that imports scipy, or null after planning a skip that says why. With
 * IRISOPS_REQUIRE_MLFLOW=1 (CI) a missing venv fails instead, as requireMlflow does.
 */
export function requireScipy(t: Skippable): string | null {
  const python = findMlflowPython();
  const ok =
    python !== null &&
    spawnSync(python, ['-c', 'import scipy.stats'], { stdio: 'ignore', timeout: 60_000 }).status ===
      0;
  if (ok) return python;
  const message = `no Python with scipy found to check p-values against (set IRISOPS_PYTHON, or run: ${mlflowInstallHint})`;
  if (process.env.IRISOPS_REQUIRE_MLFLOW === '1')
    throw new Error(`IRISOPS_REQUIRE_MLFLOW=1 but ${message}`);
  t.plan(0, message);
  return null;
}

/** runs a Python script that reads JSON on stdin and prints JSON */
export function runPython<T>(python: string, script: string, input: unknown): T {
  const result = spawnSync(python, ['-c', script], {
    input: JSON.stringify(input),
    encoding: 'utf8',
    timeout: 120_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) throw new Error(`python failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as T;
}

/**
 * A validator for one schema file, compiled with the options src/schemas/index.ts uses
 * (mirrored, not imported, while that module is being reworked).
 */
export function schemaValidator(name: string): ValidateFunction {
  const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
  const file = path.join(repoRoot, 'schemas', `${name}.schema.json`);
  return ajv.compile(JSON.parse(readFileSync(file, 'utf8')) as object);
}
