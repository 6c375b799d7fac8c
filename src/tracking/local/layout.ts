/**
 * Where things live in MLflow's FileStore layout (mlflow/store/tracking/file_store.py and
 * mlflow/store/model_registry/file_store.py), so MLflow reads the folder as its own:
 *
 *   <root>/<exp_id>/meta.yaml, tags/<key>
 *   <root>/<exp_id>/<run_id>/meta.yaml, params/<key>, metrics/<key>, tags/<key>, artifacts/,
 *                            inputs/<md5(dataset_id, run_id)>/meta.yaml, outputs/<model_id>/
 *   <root>/<exp_id>/datasets/<md5(name, digest)>/meta.yaml
 *   <root>/<exp_id>/models/<model_id>/meta.yaml, params/, tags/, metrics/, artifacts/
 *                                              (MLflow 3's logged models, see logged-models.ts)
 *   <root>/.trash/<exp_id>/...                 deleted experiments
 *   <root>/models/<name>/meta.yaml, tags/, aliases/<alias>, version-<n>/meta.yaml, tags/
 */
import path from 'node:path';
import type { ModelVersionStatus, RunInfo, RunStatus } from '../store.js';
import { isDir, listDirs, type Meta } from './meta-files.js';

export const TRASH = '.trash';
export const MODELS = 'models';
export const META = 'meta.yaml';
export const DEFAULT_EXPERIMENT_ID = '0';
/**
 * irisops' private corner of the root: temp files, staged folders and the lock. MLflow skips
 * any root entry whose name ends in ".trash" when it lists experiments, and
 * migrate-filestore only reads numeric folders, so nothing here is ever taken for data.
 */
export const SCRATCH = '.irisops.trash';
/** Folders inside an experiment that are not runs (FileStore.RESERVED_EXPERIMENT_FOLDERS). */
const RESERVED_EXPERIMENT_FOLDERS = new Set(['tags', 'datasets', 'traces', 'models']);
export const DELETED_VERSION_STAGE = 'Deleted_Internal';

/** RunStatus as MLflow persists it: the protobuf enum number. */
export const STATUS_TO_NUMBER: Record<RunStatus, number> = {
  RUNNING: 1,
  SCHEDULED: 2,
  FINISHED: 3,
  FAILED: 4,
  KILLED: 5,
};
export const NUMBER_TO_STATUS = new Map<number, RunStatus>(
  Object.entries(STATUS_TO_NUMBER).map(([k, v]) => [v, k as RunStatus]),
);
export const SOURCE_TYPE_LOCAL = 4;
export const VERSION_STATUSES = new Set<ModelVersionStatus>([
  'PENDING_REGISTRATION',
  'FAILED_REGISTRATION',
  'READY',
]);

const EXPERIMENT_FOLDER = /^[a-zA-Z0-9][\w-]{0,63}$/;
const RUN_FOLDER = /^[a-zA-Z0-9][\w-]{0,255}$/;

/** A run found on disk: its folders, its raw meta.yaml and what it says. */
export interface RunLocation {
  experimentDir: string;
  runDir: string;
  meta: Meta;
  info: RunInfo;
}

export function isInside(parent: string, child: string): boolean {
  const relative = path.relative(parent, child);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

export async function activeExperimentIds(root: string): Promise<string[]> {
  return (await listDirs(root)).filter(
    (n) => !n.endsWith(TRASH) && n !== MODELS && EXPERIMENT_FOLDER.test(n),
  );
}

export async function deletedExperimentIds(root: string): Promise<string[]> {
  return (await listDirs(path.join(root, TRASH))).filter((n) => EXPERIMENT_FOLDER.test(n));
}

/** Every experiment folder, active ones first, then those in .trash. */
export async function allExperimentDirs(root: string): Promise<{ id: string; dir: string }[]> {
  const trash = path.join(root, TRASH);
  return [
    ...(await activeExperimentIds(root)).map((id) => ({ id, dir: path.join(root, id) })),
    ...(await deletedExperimentIds(root)).map((id) => ({ id, dir: path.join(trash, id) })),
  ];
}

export async function runFolderNames(experimentDir: string): Promise<string[]> {
  return (await listDirs(experimentDir)).filter(
    (n) => !RESERVED_EXPERIMENT_FOLDERS.has(n) && RUN_FOLDER.test(n),
  );
}

/** MLflow's check that a folder is a run and not, say, a look-alike inside artifacts. */
export async function isRunFolder(runDir: string): Promise<boolean> {
  for (const sub of ['metrics', 'params', 'artifacts'])
    if (!(await isDir(path.join(runDir, sub)))) return false;
  return true;
}

/** How MLflow writes a local artifact location: an absolute path (a file URI on Windows). */
export function localUri(absolute: string): string {
  if (process.platform === 'win32') return new URL(`file:///${absolute.replace(/\\/g, '/')}`).href;
  return absolute;
}
