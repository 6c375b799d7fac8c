/**
 * Files through an MLflow server's artifact proxy (/api/2.0/mlflow-artifacts/artifacts): a
 * run's artifacts and a logged model's own, listed, read and uploaded.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { TrackingError, UsageError } from '../errors.js';
import type { HttpClient } from './http.js';
import { encodePath, int, list, listFiles, str } from './mlflow-wire.js';
import type { ArtifactFile } from './store.js';

const artifactsApi = '/api/2.0/mlflow-artifacts/artifacts';
const uploadConcurrency = 4;

/** The proxy path of an mlflow-artifacts:/… URI, or null when the server does not proxy it. */
export function proxyPath(uri: string): string | null {
  const match = /^mlflow-artifacts:(?:\/\/[^/]*)?(\/.*)?$/.exec(uri);
  return match === null ? null : (match[1] ?? '').replace(/^\/+|\/+$/g, '');
}

/** Why files at `uri` (of a run or a logged model) cannot go through `displayUri`'s proxy. */
export function notProxied(what: string, uri: string, displayUri: string): TrackingError {
  return new TrackingError(
    'ARTIFACTS_NOT_PROXIED',
    `${what} stores artifacts at ${uri.split(':')[0]}:…, which ${displayUri} does not proxy`,
    {
      hint: 'start the server with --artifacts-destination <uri> (artifact proxying is on by default) and train again',
    },
  );
}

/** PUTs every file under localDir to <root>/<target>/… on the artifact proxy, a few at a time. */
export async function uploadToProxy(
  http: HttpClient,
  localDir: string,
  root: string,
  target: string,
): Promise<void> {
  let files: string[];
  try {
    files = await listFiles(localDir);
  } catch (error) {
    throw new UsageError(`cannot read the artifact folder ${localDir}`, { cause: error });
  }
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < files.length) {
      const relative = files[next++] as string;
      // Whole-file bodies so a retried PUT resends the same bytes; irisops artifacts are small.
      const body = await readFile(path.join(localDir, relative));
      const remote = target === '' ? relative : `${target}/${relative}`;
      await http.request('PUT', `${artifactsApi}/${encodePath(`${root}/${remote}`)}`, { body });
    }
  };
  await Promise.all(Array.from({ length: Math.min(uploadConcurrency, files.length) }, worker));
}

/** The files and folders directly under <root>/<relative>, by path. */
export async function listProxied(
  http: HttpClient,
  root: string,
  relative: string,
): Promise<ArtifactFile[]> {
  const body = await http.json('GET', artifactsApi, {
    query: { path: relative === '' ? root : `${root}/${relative}` },
  });
  return list(body.files)
    .map((f): ArtifactFile => {
      const name = str(f.path);
      const file: ArtifactFile = {
        path: relative === '' ? name : `${relative}/${name}`,
        is_dir: f.is_dir === true,
      };
      const size = int(f.file_size);
      if (size !== null) file.file_size = size;
      return file;
    })
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

export async function readProxied(
  http: HttpClient,
  root: string,
  relative: string,
): Promise<Buffer> {
  const response = await http.request(
    'GET',
    `${artifactsApi}/${encodePath(`${root}/${relative}`)}`,
  );
  return response.body;
}
