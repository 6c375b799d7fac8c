/** The project's package.json, when verify runs inside one (node and deps become required). */
import { readFileSync } from 'node:fs';
import path from 'node:path';

export interface PackageJson {
  engines?: { node?: string };
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

export function readJson(file: string): unknown {
  return JSON.parse(readFileSync(file, 'utf8'));
}

/** null when there is no package.json in cwd; throws when it is not JSON */
export function projectPackage(cwd: string): PackageJson | null {
  const file = path.join(cwd, 'package.json');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return null;
  }
  const value: unknown = JSON.parse(text);
  return typeof value === 'object' && value !== null ? (value as PackageJson) : {};
}

export function inProject(cwd: string): boolean {
  try {
    return projectPackage(cwd) !== null;
  } catch {
    return true;
  }
}
