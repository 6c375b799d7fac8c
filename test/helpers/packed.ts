/**
 * The package as users get it: `npm pack` of this checkout, installed from the tarball into a
 * "tool" folder that stands in for npx's cache. Dependencies are resolved the way npx resolves
 * them: from the registry, through whatever npm cache this run was given (`npm_config_cache`
 * is inherited; an empty one is filled as it goes). `--prefer-offline` only skips revalidating
 * what that cache already holds, so a fresh machine and a warm one take the same path.
 * dist/ is fresh because `npm test` builds before the suite runs.
 *
 * Packing and installing take seconds, so a test file does it once: every call in the same
 * process shares one result, removed when the whole file's tests end.
 */
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from './cli.js';
import { tempDir } from './temp.js';

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

export interface PackedIrisops {
  /** absolute path of the .tgz */
  tarball: string;
  /** paths inside the tarball, as `npm pack --json` lists them */
  files: string[];
  /** the folder the tarball is installed in: a package.json and node_modules, nothing else */
  tool: string;
  /** tool/node_modules/.bin, where the installed `irisops` lives */
  binDir: string;
}

interface PackJson {
  filename: string;
  files: { path: string }[];
}

function run(args: string[], cwd: string, timeout: number): string {
  const r = spawnSync(npm, args, { cwd, encoding: 'utf8', timeout });
  if (r.status !== 0) {
    throw new Error(
      `npm ${args.join(' ')} (in ${cwd}) exited ${String(r.status ?? r.signal)}:\n${r.stderr}`,
    );
  }
  return r.stdout;
}

function packAndInstall(): PackedIrisops {
  const work = tempDir(t, 'irisops-packed-');
  const out = run(
    ['pack', '--ignore-scripts', '--json', '--pack-destination', work],
    repoRoot,
    120_000,
  );
  const [packed] = JSON.parse(out) as PackJson[];
  if (!packed) throw new Error(`npm pack printed no package: ${out}`);
  const tarball = path.join(work, packed.filename);

  const tool = path.join(work, 'tool');
  mkdirSync(tool);
  writeFileSync(path.join(tool, 'package.json'), JSON.stringify({ name: 'tool', private: true }));
  run(
    ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', tarball],
    tool,
    300_000,
  );
  return {
    tarball,
    files: packed.files.map((f) => f.path),
    tool,
    binDir: path.join(tool, 'node_modules', '.bin'),
  };
}

let shared: PackedIrisops | undefined;

/** The packed and installed tarball, made on first use in this test file. */
export function packedIrisops(): PackedIrisops {
  shared ??= packAndInstall();
  return shared;
}

/** PATH with the installed tarball's bin folder first. */
export function pathWithPacked(packed: PackedIrisops): string {
  return `${packed.binDir}${path.delimiter}${process.env.PATH ?? ''}`;
}
