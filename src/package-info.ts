/** irisops' own package.json (version, engines), read once, wherever it is installed. */
import { readFileSync } from 'node:fs';

interface PackageInfo {
  version: string;
  engines?: { node?: string };
}

let cached: PackageInfo | undefined;

export function packageInfo(): PackageInfo {
  // src/package-info.ts and dist/package-info.js both sit one level below the package root
  cached ??= JSON.parse(
    readFileSync(new URL('../package.json', import.meta.url), 'utf8'),
  ) as PackageInfo;
  return cached;
}

export function irisopsVersion(): string {
  return packageInfo().version;
}
