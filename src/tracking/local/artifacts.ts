/** A run's artifacts: its own artifacts/ folder, or wherever a local artifact_uri points. */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { InvalidParameterError, NotFoundError, TrackingError } from '../../errors.js';
import { copyFileAtomic, errorCode } from '../fs-atomic.js';
import { quote } from '../names.js';
import type { ArtifactFile } from '../store.js';
import type { LocalContext } from './context.js';
import { isInside, type RunLocation } from './layout.js';
import { isDir } from './meta-files.js';
import { locateRun } from './run-read.js';

/**
 * The run's artifact folder. A run in the default layout is read from its own folder even
 * if the store was moved since (artifact_uri then still names the old place).
 */
async function artifactRoot(
  ctx: LocalContext,
  location: RunLocation,
): Promise<{ dir: string; insideStore: boolean }> {
  const own = path.join(location.runDir, 'artifacts');
  const uri = location.info.artifact_uri;
  if (
    uri === '' ||
    uri.replace(/\\/g, '/').replace(/\/+$/, '').endsWith(`/${location.info.run_id}/artifacts`)
  ) {
    if (await isDir(own)) return { dir: own, insideStore: true };
  }
  let local: string | null = null;
  if (uri.startsWith('file:')) local = new URL(uri).pathname;
  else if (!/^[a-z][a-z0-9+.-]*:/i.test(uri) || /^[a-zA-Z]:[\\/]/.test(uri)) local = uri;
  if (local === null) {
    throw new TrackingError(
      'UNSUPPORTED_ARTIFACT_STORE',
      `run ${location.info.run_id} keeps its artifacts at ${uri}, which a local store cannot reach`,
      {
        hint: 'serve that store with `mlflow server` and pass its http:// URL as --tracking-uri',
      },
    );
  }
  const dir = path.resolve(ctx.root, decodeURIComponent(local));
  return { dir, insideStore: isInside(ctx.root, dir) };
}

/** Copies every file under source into realRoot/prefix, never through a link that leads out. */
export async function uploadFolder(
  ctx: LocalContext,
  source: string,
  realRoot: string,
  prefix: string,
  insideStore: boolean,
): Promise<void> {
  const upload = async (from: string, relative: string): Promise<void> => {
    for (const entry of await fs.readdir(from, { withFileTypes: true })) {
      const full = path.join(from, entry.name);
      const rel = relative === '' ? entry.name : `${relative}/${entry.name}`;
      // Symlinked folders are skipped: following them could loop or copy half the disk.
      const stat = entry.isSymbolicLink() ? await fs.stat(full).catch(() => null) : null;
      if (entry.isDirectory()) await upload(full, rel);
      else if (entry.isFile() || stat?.isFile() === true) {
        const target = path.join(
          realRoot,
          ...(prefix === '' ? [] : prefix.split('/')),
          ...rel.split('/'),
        );
        await fs.mkdir(path.dirname(target), { recursive: true });
        if (!isInside(realRoot, await fs.realpath(path.dirname(target)))) {
          throw new InvalidParameterError(
            `artifact path ${quote(rel)} would be written outside the run's artifacts (a symbolic link inside them points elsewhere)`,
          );
        }
        await copyFileAtomic(full, target, insideStore ? { tempDir: ctx.scratch } : {});
      }
    }
  };
  await upload(source, '');
}

export async function logArtifacts(
  ctx: LocalContext,
  runId: string,
  localDir: string,
  prefix: string,
): Promise<void> {
  const source = path.resolve(localDir);
  let sourceStat;
  try {
    sourceStat = await fs.stat(source);
  } catch (error) {
    throw new InvalidParameterError(
      `cannot read the folder to upload ${localDir}: ${errorCode(error) ?? String(error)}`,
      { cause: error },
    );
  }
  if (!sourceStat.isDirectory())
    throw new InvalidParameterError(`${localDir} is not a folder; logArtifacts uploads a folder`);
  try {
    await ctx.ensureRoot();
    const location = await locateRun(ctx, runId);
    const { dir, insideStore } = await artifactRoot(ctx, location);
    await fs.mkdir(dir, { recursive: true });
    await uploadFolder(ctx, source, await fs.realpath(dir), prefix, insideStore);
  } catch (error) {
    throw ctx.translate(error, 'write');
  }
}

/**
 * Whose artifacts are read: the folder they live in (it may not exist yet: then there are
 * none) and how messages name their owner ("run <id>", "logged model <id>").
 */
export interface ArtifactOwner {
  dir: string;
  label: string;
}

/** The artifacts of a run, wherever its artifact_uri points. */
export async function runArtifacts(ctx: LocalContext, runId: string): Promise<ArtifactOwner> {
  const { dir } = await artifactRoot(ctx, await locateRun(ctx, runId));
  return { dir, label: `run ${runId}` };
}

/** Resolves path inside the artifacts, refusing anything (symlinks included) that leads out. */
async function resolveArtifact(
  owner: ArtifactOwner,
  artifactPath: string,
): Promise<{ base: string; target: string } | null> {
  let base: string;
  try {
    base = await fs.realpath(owner.dir);
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return null;
    throw error;
  }
  const joined = path.join(base, ...(artifactPath === '' ? [] : artifactPath.split('/')));
  let target: string;
  try {
    target = await fs.realpath(joined);
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return { base, target: joined };
    throw error;
  }
  if (!isInside(base, target)) {
    throw new InvalidParameterError(
      `artifact path ${quote(artifactPath)} of ${owner.label} leads outside its artifacts (symbolic link)`,
    );
  }
  return { base, target };
}

/** The files and folders directly under a path of the owner's artifacts, by path. */
export async function listArtifacts(
  owner: ArtifactOwner,
  relative: string,
): Promise<ArtifactFile[]> {
  const resolved = await resolveArtifact(owner, relative);
  if (resolved === null || !(await isDir(resolved.target))) return [];
  const files: ArtifactFile[] = [];
  for (const entry of await fs.readdir(resolved.target, { withFileTypes: true })) {
    const full = path.join(resolved.target, entry.name);
    let stat;
    try {
      if (entry.isSymbolicLink() && !isInside(resolved.base, await fs.realpath(full))) continue;
      stat = await fs.stat(full);
    } catch {
      continue;
    }
    const entryPath = relative === '' ? entry.name : `${relative}/${entry.name}`;
    files.push(
      stat.isDirectory()
        ? { path: entryPath, is_dir: true }
        : { path: entryPath, is_dir: false, file_size: stat.size },
    );
  }
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

export async function readArtifact(owner: ArtifactOwner, relative: string): Promise<Buffer> {
  const resolved = await resolveArtifact(owner, relative);
  const notFound = new NotFoundError(`artifact ${quote(relative)} not found in ${owner.label}`);
  if (resolved === null) throw notFound;
  try {
    const stat = await fs.stat(resolved.target);
    if (stat.isDirectory())
      throw new InvalidParameterError(
        `artifact ${quote(relative)} of ${owner.label} is a folder, not a file`,
      );
    return await fs.readFile(resolved.target);
  } catch (error) {
    if (errorCode(error) === 'ENOENT') throw notFound;
    throw error;
  }
}
