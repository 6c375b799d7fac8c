/**
 * [deps] inside a project with a package.json: every dependency is installed, at the version
 * the lockfile pins (or in its declared range without a lockfile).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { rangeStatus } from '../semver.js';
import type { VerifyState } from '../state.js';
import type { CheckOutcome } from '../types.js';
import { projectPackage, readJson, type PackageJson } from './project.js';

interface Lockfile {
  packages?: Record<string, { version?: string }>;
}

function installedVersion(cwd: string, name: string): string | null {
  const file = path.join(cwd, 'node_modules', ...name.split('/'), 'package.json');
  if (!existsSync(file)) return null;
  try {
    const v = (readJson(file) as { version?: unknown }).version;
    return typeof v === 'string' ? v : null;
  } catch {
    return null;
  }
}

const list = (names: string[]) =>
  `${names.slice(0, 3).join(', ')}${names.length > 3 ? ` and ${names.length - 3} more` : ''}`;

interface Comparison {
  missing: string[];
  wrong: string[];
  unchecked: string[];
}

/** Each declared dependency against what node_modules holds (and the lockfile, if any). */
function compareInstalled(
  cwd: string,
  pkg: PackageJson,
  declared: Record<string, string>,
  lock: Lockfile | null,
): Comparison {
  const optional = new Set(Object.keys(pkg.optionalDependencies ?? {}));
  const out: Comparison = { missing: [], wrong: [], unchecked: [] };
  for (const name of Object.keys(declared).sort()) {
    const installed = installedVersion(cwd, name);
    if (installed === null) {
      if (!optional.has(name)) out.missing.push(name);
      continue;
    }
    const locked = lock?.packages?.[`node_modules/${name}`]?.version;
    if (lock && locked !== undefined && locked !== installed)
      out.wrong.push(`${name} ${installed} (lockfile ${locked})`);
    else if (!lock) {
      const wanted = declared[name] ?? '*';
      const status = rangeStatus(installed, wanted);
      if (status === 'unsatisfied') out.wrong.push(`${name} ${installed} (wants ${wanted})`);
      else if (status === 'unreadable') out.unchecked.push(`${name} (${wanted})`);
    }
  }
  return out;
}

export async function checkDeps(state: VerifyState): Promise<CheckOutcome> {
  const { cwd } = state.deps;
  let pkg: PackageJson | null;
  try {
    pkg = projectPackage(cwd);
  } catch (error) {
    return {
      status: 'fail',
      message: `package.json is not valid JSON: ${(error as Error).message}`,
      hint: null,
    };
  }
  if (pkg === null)
    return {
      status: 'pass',
      message:
        'no package.json here: nothing to install (irisops runs through npx or a global install)',
    };
  const declared: Record<string, string> = {
    ...pkg.optionalDependencies,
    ...pkg.devDependencies,
    ...pkg.dependencies,
  };
  const names = Object.keys(declared).sort();
  if (names.length === 0)
    return { status: 'pass', message: 'package.json declares no dependencies' };

  const lockFile = path.join(cwd, 'package-lock.json');
  let lock: Lockfile | null = null;
  if (existsSync(lockFile)) {
    try {
      lock = readJson(lockFile) as Lockfile;
    } catch (error) {
      return {
        status: 'fail',
        message: `package-lock.json is not valid JSON: ${(error as Error).message}`,
        hint: 'npm install',
      };
    }
  }
  const fix = lock ? 'npm ci' : 'npm install';
  const { missing, wrong, unchecked } = compareInstalled(cwd, pkg, declared, lock);
  if (missing.length > 0)
    return {
      status: 'fail',
      message: `${missing.length} of ${names.length} dependencies not installed: ${list(missing)}`,
      hint: fix,
    };
  if (wrong.length > 0)
    return {
      status: 'fail',
      message: `installed versions differ from ${lock ? 'package-lock.json' : 'package.json'}: ${list(wrong)}`,
      hint: fix,
    };
  if (unchecked.length > 0)
    return {
      status: 'warn',
      message: `${names.length} dependencies installed, but ${unchecked.length} not checked (not a version range): ${list(unchecked)}`,
      hint: 'npm install',
    };
  return {
    status: 'pass',
    message: `${names.length} dependencies installed${lock ? ', matching package-lock.json' : ''}`,
  };
}
