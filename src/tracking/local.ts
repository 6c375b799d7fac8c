/**
 * The embedded tracking store: a folder in MLflow's own FileStore layout
 * (mlflow/store/tracking/file_store.py and mlflow/store/model_registry/file_store.py), so
 * MLflow reads it as if it had written it, and `mlflow migrate-filestore` imports it.
 *
 *   <root>/<exp_id>/meta.yaml, tags/<key>
 *   <root>/<exp_id>/<run_id>/meta.yaml, params/<key>, metrics/<key>, tags/<key>, artifacts/,
 *                            inputs/<md5(dataset_id, run_id)>/meta.yaml
 *   <root>/<exp_id>/datasets/<md5(name, digest)>/meta.yaml
 *   <root>/.trash/<exp_id>/...                 deleted experiments
 *   <root>/models/<name>/meta.yaml, tags/, aliases/<alias>, version-<n>/meta.yaml, tags/
 *
 * What irisops adds is safety, invisible to MLflow: every file is written to a temp file and
 * renamed into place, every folder is built aside and renamed into place, and writers take a
 * lock on the folder so concurrent processes never hand out one version number twice.
 */
import { createHash, randomUUID } from 'node:crypto';
import { promises as fs, constants as fsConstants, type Dirent } from 'node:fs';
import path from 'node:path';
import lockfile from 'proper-lockfile';
import YAML from 'yaml';
import {
  InvalidParameterError,
  IrisopsError,
  NotFoundError,
  StoreUnavailableError,
  TrackingError,
} from '../errors.js';
import { matchesFilter, parseFilter, parseOrderBy, sortRuns } from './filter.js';
import {
  copyFileAtomic,
  errorCode,
  makeStagingDir,
  publishDir,
  sweepStaleTemps,
  writeFileAtomic,
} from './fs-atomic.js';
import {
  MAX_PARAM_VALUE_LENGTH,
  MAX_TAG_VALUE_LENGTH,
  quote,
  validateAlias,
  validateArtifactPath,
  validateExperimentId,
  validateExperimentName,
  validateMetricKey,
  validateModelName,
  validateParamKey,
  validateRunId,
  validateTagKey,
  validateVersion,
} from './names.js';
import type {
  ArtifactFile,
  CreateModelVersionRequest,
  CreateRunRequest,
  DatasetInput,
  Experiment,
  LifecycleStage,
  LogBatchRequest,
  Metric,
  ModelVersion,
  ModelVersionStatus,
  RegisteredModel,
  Run,
  RunInfo,
  RunStatus,
  SearchRunsRequest,
  TrackingStore,
} from './store.js';
import { MLFLOW_RUN_NAME } from './tags.js';

const TRASH = '.trash';
const MODELS = 'models';
const META = 'meta.yaml';
const DEFAULT_EXPERIMENT_ID = '0';
/**
 * irisops' private corner of the root: temp files, staged folders and the lock. MLflow skips
 * any root entry whose name ends in ".trash" when it lists experiments, and
 * migrate-filestore only reads numeric folders, so nothing here is ever taken for data.
 */
const SCRATCH = '.irisops.trash';
/** Folders inside an experiment that are not runs (FileStore.RESERVED_EXPERIMENT_FOLDERS). */
const RESERVED_EXPERIMENT_FOLDERS = new Set(['tags', 'datasets', 'traces', 'models']);
const DELETED_VERSION_STAGE = 'Deleted_Internal';

/** RunStatus as MLflow persists it: the protobuf enum number. */
const STATUS_TO_NUMBER: Record<RunStatus, number> = {
  RUNNING: 1,
  SCHEDULED: 2,
  FINISHED: 3,
  FAILED: 4,
  KILLED: 5,
};
const NUMBER_TO_STATUS = new Map<number, RunStatus>(
  Object.entries(STATUS_TO_NUMBER).map(([k, v]) => [v, k as RunStatus]),
);
const SOURCE_TYPE_LOCAL = 4;
const VERSION_STATUSES = new Set<ModelVersionStatus>([
  'PENDING_REGISTRATION',
  'FAILED_REGISTRATION',
  'READY',
]);

const MAX_EXPERIMENT_TAG_VALUE_LENGTH = 20000;
const MAX_REGISTRY_TAG_VALUE_LENGTH = 100_000;
const MAX_METRICS_PER_BATCH = 1000;
const MAX_PARAMS_TAGS_PER_BATCH = 100;
const DATASET_LIMITS = {
  name: 500,
  digest: 36,
  source: 65535,
  schema: 1048575,
  profile: 16777215,
  tagKey: 255,
  tagValue: 500,
};

/** A lock older than this belongs to a writer that died; its holder refreshes it far more often. */
const LOCK_STALE_MS = 10_000;
/** How long a writer waits for a live lock: well past LOCK_STALE_MS, so a dead holder is outwaited. */
const LOCK_WAIT_MS = 60_000;
const SCRATCH_MAX_AGE_MS = 60 * 60 * 1000;

const UNAVAILABLE_REASONS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EIO: 'input/output error',
  ENOTDIR: 'a path component is not a folder',
  ELOOP: 'too many symbolic links',
  EMFILE: 'too many open files',
  ENAMETOOLONG: 'path too long',
};

type Meta = Record<string, unknown>;

export interface LocalStoreOptions {
  now: () => number;
  /**
   * Told about damaged items that a listing skips (so one bad meta.yaml does not hide all
   * the rest): the command shows them as warnings instead of leaving them silently out.
   */
  onWarning?: (message: string) => void;
}

interface RunLocation {
  experimentDir: string;
  runDir: string;
  meta: Meta;
  info: RunInfo;
}

function isPlainObject(value: unknown): value is Meta {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function dumpYaml(data: Meta): string {
  // YAML 1.1 is what PyYAML speaks: under it a bare `yes`, `on` or `2024-01-01` is not a
  // string, so those must be quoted for MLflow to read back exactly what was written.
  return YAML.stringify(data, {
    version: '1.1',
    sortMapEntries: true,
    singleQuote: true,
    lineWidth: 0,
  });
}

function md5Hex(...parts: string[]): string {
  const hash = createHash('md5');
  for (const part of parts) hash.update(part, 'utf8');
  return hash.digest('hex');
}

/** Python's str(float), which MLflow writes and every MLflow reader parses. */
function formatMetricValue(value: number): string {
  if (Number.isNaN(value)) return 'nan';
  if (value === Infinity) return 'inf';
  if (value === -Infinity) return '-inf';
  if (Number.isInteger(value) && Math.abs(value) < 1e16)
    return `${Object.is(value, -0) ? '-0' : value}.0`;
  return String(value);
}

/** Python's float() on what MLflow writes; null when it is not a number at all. */
function parsePythonFloat(text: string): number | null {
  const lower = text.toLowerCase();
  if (lower === 'nan' || lower === '+nan' || lower === '-nan') return NaN;
  if (lower === 'inf' || lower === '+inf' || lower === 'infinity' || lower === '+infinity')
    return Infinity;
  if (lower === '-inf' || lower === '-infinity') return -Infinity;
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)) return null;
  return Number(text);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function isInside(parent: string, child: string): boolean {
  const relative = path.relative(parent, child);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

/**
 * One writer at a time per folder: a promise chain orders the writers of this process, and
 * proper-lockfile (a mkdir lock with a refreshed mtime) orders processes. A writer killed
 * with the lock held leaves it stale, and the next writer takes it over after LOCK_STALE_MS.
 */
class FolderLock {
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly target: string,
    private readonly lockPath: string,
  ) {}

  /**
   * Retries only while another process holds the lock: any other failure (a read-only
   * folder, a full disk) is reported at once instead of after the whole retry budget.
   */
  private async acquire(onCompromised: (error: Error) => void): Promise<() => Promise<void>> {
    const deadline = Date.now() + LOCK_WAIT_MS;
    for (let attempt = 0; ; attempt++) {
      try {
        return await lockfile.lock(this.target, {
          lockfilePath: this.lockPath,
          realpath: false,
          stale: LOCK_STALE_MS,
          update: LOCK_STALE_MS / 4,
          onCompromised,
        });
      } catch (error) {
        if (errorCode(error) !== 'ELOCKED') throw error;
        if (Date.now() > deadline) {
          throw new StoreUnavailableError(
            `the store ${this.target} stayed locked by another irisops process for ${LOCK_WAIT_MS / 1000} s`,
            {
              hint: `if no irisops process is running, remove ${this.lockPath}`,
              cause: error,
            },
          );
        }
        await sleep(Math.min(20 + attempt * 10, 150) * (0.5 + Math.random()));
      }
    }
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    const previous = this.chain;
    let done!: () => void;
    this.chain = new Promise<void>((resolve) => (done = resolve));
    await previous;
    try {
      let compromised: Error | undefined;
      const release = await this.acquire((error) => {
        compromised = error;
      });
      try {
        const result = await work();
        if (compromised !== undefined) {
          throw new StoreUnavailableError(
            `lost the lock on ${this.target} while writing: ${compromised.message}`,
            { cause: compromised },
          );
        }
        return result;
      } finally {
        await release().catch(() => undefined);
      }
    } finally {
      done();
    }
  }
}

export class LocalStore implements TrackingStore {
  readonly kind = 'local' as const;
  readonly displayUri: string;
  private readonly onWarning: (message: string) => void;
  private readonly root: string;
  private readonly now: () => number;
  private readonly lock: FolderLock;
  private rootReady = false;

  constructor(rootDir: string, options: LocalStoreOptions) {
    this.displayUri = rootDir;
    this.root = path.resolve(rootDir);
    this.now = options.now;
    this.onWarning = options.onWarning ?? (() => {});
    this.lock = new FolderLock(this.root, path.join(this.root, SCRATCH, 'store.lock'));
  }

  // ---------------------------------------------------------------- plumbing

  private get scratch(): string {
    return path.join(this.root, SCRATCH);
  }

  private get trash(): string {
    return path.join(this.root, TRASH);
  }

  private get modelsDir(): string {
    return path.join(this.root, MODELS);
  }

  /** The root as the user named it, plus a relative part: what messages show. */
  private shown(absolute: string): string {
    const relative = path.relative(this.root, absolute);
    return relative === '' ? this.displayUri : path.join(this.displayUri, relative);
  }

  private timestamp(): number {
    return Math.trunc(this.now());
  }

  /** Turns OS errors into StoreUnavailableError naming the path and the reason. */
  private translate(error: unknown, action: string): unknown {
    if (error instanceof IrisopsError) return error;
    const code = errorCode(error);
    const reason = code === undefined ? undefined : UNAVAILABLE_REASONS[code];
    if (reason === undefined) return error;
    const where =
      typeof (error as { path?: unknown }).path === 'string'
        ? (error as { path: string }).path
        : this.root;
    return new StoreUnavailableError(`cannot ${action} ${where}: ${reason} (${code})`, {
      hint:
        code === 'ENOSPC' || code === 'EDQUOT'
          ? `free some space on the disk that holds ${this.displayUri}`
          : `check that ${this.displayUri} is a folder you can ${action === 'read' ? 'read' : 'write'}, or pass --tracking-uri with another folder`,
      cause: error,
    });
  }

  private async reading<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      throw this.translate(error, 'read');
    }
  }

  private async writing<T>(work: () => Promise<T>): Promise<T> {
    try {
      await this.ensureRoot();
      return await this.lock.run(work);
    } catch (error) {
      throw this.translate(error, 'write');
    }
  }

  /**
   * Creates the folder on first write the way MLflow's FileStore does (root, default
   * experiment 0, .trash) plus irisops' scratch folder. Only the process whose mkdir made the
   * root writes experiment 0, so racing first writers never create it twice.
   */
  private async ensureRoot(): Promise<void> {
    if (this.rootReady) return;
    const existing = await fs.stat(this.root).catch((error: unknown) => {
      if (errorCode(error) === 'ENOENT') return null;
      throw error;
    });
    if (existing !== null && !existing.isDirectory()) {
      throw new StoreUnavailableError(`the tracking store ${this.displayUri} is not a folder`, {
        hint: 'pass --tracking-uri with a folder path',
      });
    }
    const created = await fs.mkdir(this.root, { recursive: true });
    await fs.mkdir(this.scratch, { recursive: true });
    await fs.mkdir(this.trash, { recursive: true });
    if (created !== undefined) {
      await this.lock.run(async () => {
        if (!(await this.exists(path.join(this.root, DEFAULT_EXPERIMENT_ID)))) {
          await this.publishExperiment(DEFAULT_EXPERIMENT_ID, 'Default', {});
        }
      });
    }
    await sweepStaleTemps(this.scratch, SCRATCH_MAX_AGE_MS, Date.now());
    this.rootReady = true;
  }

  private async exists(target: string): Promise<boolean> {
    try {
      await fs.access(target);
      return true;
    } catch (error) {
      if (errorCode(error) === 'ENOENT') return false;
      throw error;
    }
  }

  private async isDir(target: string): Promise<boolean> {
    try {
      return (await fs.stat(target)).isDirectory();
    } catch (error) {
      const code = errorCode(error);
      if (code === 'ENOENT' || code === 'ENOTDIR') return false;
      throw error;
    }
  }

  private async listDirs(dir: string): Promise<string[]> {
    let entries: Dirent[];
    try {
      entries = await fs.readdir(dir, { withFileTypes: true });
    } catch (error) {
      if (errorCode(error) === 'ENOENT') return [];
      throw error;
    }
    return entries.filter((e) => e.isDirectory()).map((e) => e.name);
  }

  private async writeFile(target: string, data: string): Promise<void> {
    await fs.mkdir(path.dirname(target), { recursive: true });
    await writeFileAtomic(target, data, { tempDir: this.scratch });
  }

  private async writeYaml(target: string, data: Meta): Promise<void> {
    await this.writeFile(target, dumpYaml(data));
  }

  private malformed(file: string, reason: string): TrackingError {
    return new TrackingError(
      'MALFORMED_STORE',
      `${this.shown(file)} is not a valid MLflow file: ${reason}`,
      {
        hint: `restore ${this.shown(file)} from a backup, or move its folder out of ${this.displayUri}`,
      },
    );
  }

  /** Reads a meta.yaml; ENOENT is left to the caller, anything unreadable is MALFORMED_STORE. */
  private async readMeta(file: string): Promise<Meta> {
    for (let attempt = 0; ; attempt++) {
      const text = await fs.readFile(file, 'utf8');
      // MLflow's own writers are not atomic: an empty file may be one being written right now.
      if (text.trim() === '' && attempt < 2) {
        await sleep(50 * (attempt + 1));
        continue;
      }
      let parsed: unknown;
      try {
        parsed = YAML.parse(text, { version: '1.1' });
      } catch (error) {
        throw this.malformed(
          file,
          `invalid YAML (${(error instanceof Error ? error.message : String(error)).split('\n')[0]})`,
        );
      }
      if (!isPlainObject(parsed)) throw this.malformed(file, 'expected a YAML mapping');
      return parsed;
    }
  }

  private field = {
    string: (meta: Meta, key: string, file: string): string => {
      const value = meta[key];
      if (typeof value === 'string') return value;
      if (typeof value === 'number') return String(value);
      throw this.malformed(file, `field '${key}' is missing or not a string`);
    },
    optionalString: (meta: Meta, key: string, file: string): string | null => {
      const value = meta[key];
      if (value === undefined || value === null) return null;
      if (typeof value === 'string') return value;
      if (typeof value === 'number') return String(value);
      throw this.malformed(file, `field '${key}' is not a string`);
    },
    integer: (meta: Meta, key: string, file: string): number => {
      const value = meta[key];
      if (typeof value === 'number' && Number.isFinite(value)) return Math.trunc(value);
      if (typeof value === 'string' && /^-?\d+$/.test(value)) return Number(value);
      throw this.malformed(file, `field '${key}' is missing or not a number`);
    },
    optionalInteger: (meta: Meta, key: string, file: string): number | null => {
      const value = meta[key];
      if (value === undefined || value === null) return null;
      return this.field.integer(meta, key, file);
    },
  };

  /** Every file below dir as '/'-separated keys (tag and metric keys may contain '/'). */
  private async readKeyFiles(dir: string): Promise<Map<string, string>> {
    const result = new Map<string, string>();
    const walk = async (current: string, prefix: string): Promise<void> => {
      let entries: Dirent[];
      try {
        entries = await fs.readdir(current, { withFileTypes: true });
      } catch (error) {
        if (errorCode(error) === 'ENOENT') return;
        throw error;
      }
      for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
        const key = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
        const full = path.join(current, entry.name);
        if (entry.isDirectory()) await walk(full, key);
        else if (entry.isFile()) result.set(key, await fs.readFile(full, 'utf8'));
      }
    };
    await walk(dir, '');
    return result;
  }

  // ---------------------------------------------------------------- experiments

  private async publishExperiment(
    experimentId: string,
    name: string,
    tags: Record<string, string>,
  ): Promise<boolean> {
    const stage = await makeStagingDir(this.scratch, `exp-${experimentId}`);
    try {
      const now = this.timestamp();
      await this.writeYaml(path.join(stage, META), {
        artifact_location: this.localUri(path.join(this.root, experimentId)),
        creation_time: now,
        effective_trace_archival_retention: null,
        experiment_id: experimentId,
        last_update_time: now,
        lifecycle_stage: 'active',
        name,
        trace_location: null,
        workspace: 'default',
      });
      for (const [key, value] of Object.entries(tags))
        await this.writeFile(path.join(stage, 'tags', key), value);
      return await publishDir(stage, path.join(this.root, experimentId));
    } finally {
      await fs.rm(stage, { recursive: true, force: true });
    }
  }

  /** How MLflow writes a local artifact location: an absolute path (a file URI on Windows). */
  private localUri(absolute: string): string {
    if (process.platform === 'win32')
      return new URL(`file:///${absolute.replace(/\\/g, '/')}`).href;
    return absolute;
  }

  private async readExperimentAt(dir: string, expectedId: string): Promise<Experiment> {
    const file = path.join(dir, META);
    const meta = await this.readMeta(file);
    const experimentId = this.field.string(meta, 'experiment_id', file);
    if (experimentId !== expectedId)
      throw this.malformed(
        file,
        `experiment_id '${experimentId}' does not match its folder '${expectedId}'`,
      );
    const stage = meta.lifecycle_stage ?? 'active';
    if (stage !== 'active' && stage !== 'deleted')
      throw this.malformed(file, `unknown lifecycle_stage '${String(stage)}'`);
    const tags = Object.fromEntries(await this.readKeyFiles(path.join(dir, 'tags')));
    return {
      experiment_id: experimentId,
      name: this.field.string(meta, 'name', file),
      artifact_location: this.field.optionalString(meta, 'artifact_location', file) ?? '',
      // A folder in .trash is deleted whatever its meta.yaml says (a restore cut short).
      lifecycle_stage:
        path.basename(path.dirname(dir)) === TRASH ? 'deleted' : (stage as LifecycleStage),
      creation_time: this.field.optionalInteger(meta, 'creation_time', file),
      last_update_time: this.field.optionalInteger(meta, 'last_update_time', file),
      tags,
    };
  }

  private async activeExperimentIds(): Promise<string[]> {
    const names = await this.listDirs(this.root);
    return names.filter(
      (n) => !n.endsWith(TRASH) && n !== MODELS && /^[a-zA-Z0-9][\w-]{0,63}$/.test(n),
    );
  }

  private async deletedExperimentIds(): Promise<string[]> {
    return (await this.listDirs(this.trash)).filter((n) => /^[a-zA-Z0-9][\w-]{0,63}$/.test(n));
  }

  /** Folder of an experiment: active first, then .trash; null when neither has it. */
  private async experimentDir(experimentId: string): Promise<string | null> {
    for (const dir of [path.join(this.root, experimentId), path.join(this.trash, experimentId)]) {
      if (await this.isDir(dir)) return dir;
    }
    return null;
  }

  /** Every readable experiment, active then deleted; malformed ones are skipped, not fatal. */
  /**
   * With `strict`, a damaged experiment meta.yaml is an error rather than skipped: a lookup by
   * name cannot know the damaged one is not the one asked for, and creating a second
   * experiment of the same name would damage the store further.
   */
  private async allExperiments(includeDeleted: boolean, strict = false): Promise<Experiment[]> {
    const dirs = (await this.activeExperimentIds()).map((id) => ({
      id,
      dir: path.join(this.root, id),
    }));
    if (includeDeleted)
      dirs.push(
        ...(await this.deletedExperimentIds()).map((id) => ({
          id,
          dir: path.join(this.trash, id),
        })),
      );
    const experiments: Experiment[] = [];
    for (const { id, dir } of dirs) {
      try {
        experiments.push(await this.readExperimentAt(dir, id));
      } catch (error) {
        if (errorCode(error) === 'ENOENT') continue;
        if (!strict && error instanceof TrackingError && error.code === 'MALFORMED_STORE') {
          this.onWarning(`skipped a damaged experiment: ${error.message}`);
          continue;
        }
        throw error;
      }
    }
    return experiments;
  }

  async ping(): Promise<void> {
    try {
      const stat = await fs.stat(this.root);
      if (!stat.isDirectory())
        throw new StoreUnavailableError(`the tracking store ${this.displayUri} is not a folder`);
      await fs.readdir(this.root);
      await fs.access(this.root, fsConstants.R_OK | fsConstants.X_OK);
    } catch (error) {
      if (errorCode(error) !== 'ENOENT') throw this.translate(error, 'read');
      // Not there yet: fine if the first write will be able to create it.
      let parent = path.dirname(this.root);
      while (!(await this.exists(parent)) && path.dirname(parent) !== parent)
        parent = path.dirname(parent);
      try {
        await fs.access(parent, fsConstants.W_OK | fsConstants.X_OK);
      } catch (accessError) {
        throw new StoreUnavailableError(
          `cannot create the tracking store ${this.displayUri}: ${parent} is not writable (${errorCode(accessError) ?? 'error'})`,
          {
            hint: 'pass --tracking-uri with a folder you can write',
            cause: accessError,
          },
        );
      }
    }
  }

  async getExperimentByName(name: string): Promise<Experiment | null> {
    validateExperimentName(name);
    return this.reading(
      async () => (await this.allExperiments(true, true)).find((e) => e.name === name) ?? null,
    );
  }

  async getExperiment(experimentId: string): Promise<Experiment> {
    validateExperimentId(experimentId);
    return this.reading(async () => {
      const dir = await this.experimentDir(experimentId);
      if (dir === null)
        throw new NotFoundError(`experiment ${experimentId} not found in ${this.displayUri}`);
      try {
        return await this.readExperimentAt(dir, experimentId);
      } catch (error) {
        if (errorCode(error) === 'ENOENT')
          throw this.malformed(path.join(dir, META), 'the file is missing');
        throw error;
      }
    });
  }

  async createExperiment(name: string, tags: Record<string, string> = {}): Promise<Experiment> {
    validateExperimentName(name);
    for (const [key, value] of Object.entries(tags)) {
      validateTagKey(key);
      this.checkValue('experiment tag', key, value, MAX_EXPERIMENT_TAG_VALUE_LENGTH);
    }
    return this.writing(async () => {
      const existing = (await this.allExperiments(true, true)).find((e) => e.name === name);
      if (existing !== undefined) {
        if (existing.lifecycle_stage === 'deleted')
          await this.restoreExperiment(existing.experiment_id);
        return this.getExperiment(existing.experiment_id);
      }
      for (let attempt = 0; attempt < 10; attempt++) {
        const experimentId = generateExperimentId();
        if (await this.exists(path.join(this.trash, experimentId))) continue;
        if (await this.publishExperiment(experimentId, name, tags))
          return this.getExperiment(experimentId);
      }
      throw new TrackingError(
        'INTERNAL_ERROR',
        `could not find a free experiment id in ${this.displayUri}`,
      );
    });
  }

  /** MLflow's restore_experiment: back from .trash, active again, and so are its runs. */
  private async restoreExperiment(experimentId: string): Promise<void> {
    const trashed = path.join(this.trash, experimentId);
    const active = path.join(this.root, experimentId);
    const inTrash = await this.isDir(trashed);
    const dir = inTrash ? trashed : active;
    const now = this.timestamp();
    // Runs first, the experiment's own meta last, the move at the very end: a restore cut
    // short leaves the experiment in .trash, where the next attempt finds and finishes it.
    for (const runId of await this.runFolderNames(dir)) {
      const file = path.join(dir, runId, META);
      try {
        const meta = await this.readMeta(file);
        if (meta.lifecycle_stage === 'deleted') {
          delete meta.deleted_time;
          await this.writeYaml(file, { ...meta, lifecycle_stage: 'active' });
        }
      } catch (error) {
        if (errorCode(error) === 'ENOENT') continue;
        if (error instanceof TrackingError && error.code === 'MALFORMED_STORE') continue;
        throw error;
      }
    }
    const metaFile = path.join(dir, META);
    const meta = await this.readMeta(metaFile);
    await this.writeYaml(metaFile, { ...meta, lifecycle_stage: 'active', last_update_time: now });
    if (inTrash) {
      if (!(await publishDir(trashed, active))) {
        throw new TrackingError(
          'RESOURCE_ALREADY_EXISTS',
          `cannot restore experiment ${experimentId}: ${this.shown(active)} already exists`,
        );
      }
    }
  }

  async listExperiments(): Promise<Experiment[]> {
    return this.reading(async () => {
      const experiments = (await this.allExperiments(false)).filter(
        (e) => e.lifecycle_stage === 'active',
      );
      // MLflow's default order: creation_time DESC, then experiment_id ASC.
      return experiments.sort(
        (a, b) =>
          (b.creation_time ?? -Infinity) - (a.creation_time ?? -Infinity) ||
          (a.experiment_id < b.experiment_id ? -1 : a.experiment_id > b.experiment_id ? 1 : 0),
      );
    });
  }

  // ---------------------------------------------------------------- runs

  private checkValue(what: string, key: string, value: unknown, limit: number): string {
    if (typeof value !== 'string')
      throw new InvalidParameterError(`invalid ${what} ${quote(key)}: the value must be a string`);
    if (value.length > limit)
      throw new InvalidParameterError(
        `invalid ${what} ${quote(key)}: the value is ${value.length} characters, more than ${limit}`,
      );
    return value;
  }

  private async runFolderNames(experimentDir: string): Promise<string[]> {
    return (await this.listDirs(experimentDir)).filter(
      (n) => !RESERVED_EXPERIMENT_FOLDERS.has(n) && /^[a-zA-Z0-9][\w-]{0,255}$/.test(n),
    );
  }

  /** MLflow's check that a folder is a run and not, say, a look-alike inside artifacts. */
  private async isRunFolder(runDir: string): Promise<boolean> {
    for (const sub of ['metrics', 'params', 'artifacts'])
      if (!(await this.isDir(path.join(runDir, sub)))) return false;
    return true;
  }

  private parseRunInfo(meta: Meta, file: string, runDir: string, experimentDir: string): RunInfo {
    const runId =
      this.field.optionalString(meta, 'run_id', file) ?? this.field.string(meta, 'run_uuid', file);
    if (runId !== path.basename(runDir))
      throw this.malformed(file, `run_id '${runId}' does not match its folder`);
    const experimentId = this.field.string(meta, 'experiment_id', file);
    if (experimentId !== path.basename(experimentDir))
      throw this.malformed(
        file,
        `experiment_id '${experimentId}' does not match its experiment folder`,
      );
    const rawStatus = meta.status ?? 1;
    const status =
      typeof rawStatus === 'number'
        ? NUMBER_TO_STATUS.get(rawStatus)
        : typeof rawStatus === 'string' && rawStatus in STATUS_TO_NUMBER
          ? (rawStatus as RunStatus)
          : undefined;
    if (status === undefined)
      throw this.malformed(file, `unknown run status '${String(rawStatus)}'`);
    const stage = meta.lifecycle_stage ?? 'active';
    if (stage !== 'active' && stage !== 'deleted')
      throw this.malformed(file, `unknown lifecycle_stage '${String(stage)}'`);
    return {
      run_id: runId,
      run_name: this.field.optionalString(meta, 'run_name', file) ?? '',
      experiment_id: experimentId,
      user_id: this.field.optionalString(meta, 'user_id', file) ?? '',
      status,
      start_time: this.field.optionalInteger(meta, 'start_time', file) ?? 0,
      end_time: this.field.optionalInteger(meta, 'end_time', file),
      artifact_uri: this.field.optionalString(meta, 'artifact_uri', file) ?? '',
      lifecycle_stage:
        path.basename(path.dirname(experimentDir)) === TRASH
          ? 'deleted'
          : (stage as LifecycleStage),
    };
  }

  private async readRunAt(experimentDir: string, runDir: string): Promise<RunLocation> {
    const file = path.join(runDir, META);
    const meta = await this.readMeta(file);
    return {
      experimentDir,
      runDir,
      meta,
      info: this.parseRunInfo(meta, file, runDir, experimentDir),
    };
  }

  private async locateRun(runId: string): Promise<RunLocation> {
    validateRunId(runId);
    const experimentDirs = [
      ...(await this.activeExperimentIds()).map((id) => path.join(this.root, id)),
      ...(await this.deletedExperimentIds()).map((id) => path.join(this.trash, id)),
    ];
    for (const experimentDir of experimentDirs) {
      const runDir = path.join(experimentDir, runId);
      if (!(await this.isRunFolder(runDir))) continue;
      try {
        return await this.readRunAt(experimentDir, runDir);
      } catch (error) {
        if (errorCode(error) === 'ENOENT')
          throw this.malformed(path.join(runDir, META), 'the file is missing');
        throw error;
      }
    }
    throw new NotFoundError(`run ${runId} not found in ${this.displayUri}`, {
      hint: 'list the runs with: irisops runs ls',
    });
  }

  private requireActive(location: RunLocation): void {
    if (location.info.lifecycle_stage !== 'active') {
      throw new TrackingError(
        'INVALID_STATE',
        `run ${location.info.run_id} is deleted; it cannot be changed`,
      );
    }
  }

  private parseMetricLines(key: string, text: string, file: string): Metric[] {
    const metrics: Metric[] = [];
    for (const line of text.split('\n')) {
      if (line.trim() === '') continue;
      const parts = line.trim().split(' ');
      if (parts.length !== 2 && parts.length !== 3 && parts.length !== 5)
        throw this.malformed(file, `a metric line has ${parts.length} fields, expected 2, 3 or 5`);
      const timestamp = Number(parts[0]);
      const value = parsePythonFloat(parts[1] as string);
      const step = parts.length >= 3 ? Number(parts[2]) : 0;
      if (!Number.isInteger(timestamp) || !Number.isInteger(step) || value === null) {
        throw this.malformed(file, `unreadable metric line ${JSON.stringify(line.slice(0, 60))}`);
      }
      metrics.push({ key, value, timestamp, step });
    }
    return metrics;
  }

  /** MLflow's latest value: the highest step, then the latest timestamp, then the largest value. */
  private latestMetric(history: Metric[]): Metric | undefined {
    let best: Metric | undefined;
    for (const m of history) {
      if (
        best === undefined ||
        m.step > best.step ||
        (m.step === best.step &&
          (m.timestamp > best.timestamp ||
            (m.timestamp === best.timestamp && m.value > best.value)))
      ) {
        best = m;
      }
    }
    return best;
  }

  private async readInputs(location: RunLocation): Promise<DatasetInput[]> {
    const inputsDir = path.join(location.runDir, 'inputs');
    const inputs: DatasetInput[] = [];
    for (const inputId of (await this.listDirs(inputsDir)).sort()) {
      const file = path.join(inputsDir, inputId, META);
      const link = await this.readMeta(file);
      if (link.source_type !== 'DATASET') continue;
      const datasetId = this.field.string(link, 'source_id', file);
      if (!/^[0-9a-f]{32}$/.test(datasetId))
        throw this.malformed(file, `source_id '${datasetId}' is not a dataset id`);
      const datasetFile = path.join(location.experimentDir, 'datasets', datasetId, META);
      let dataset: Meta;
      try {
        dataset = await this.readMeta(datasetFile);
      } catch (error) {
        // MLflow skips an input whose dataset is gone; so does irisops.
        if (errorCode(error) === 'ENOENT') continue;
        throw error;
      }
      const rawTags = link.tags ?? {};
      if (!isPlainObject(rawTags)) throw this.malformed(file, "field 'tags' is not a mapping");
      const input: DatasetInput = {
        name: this.field.string(dataset, 'name', datasetFile),
        digest: this.field.string(dataset, 'digest', datasetFile),
        source_type: this.field.string(dataset, 'source_type', datasetFile),
        source: this.field.string(dataset, 'source', datasetFile),
        tags: Object.fromEntries(Object.entries(rawTags).map(([k, v]) => [k, String(v)])),
      };
      const schema = this.field.optionalString(dataset, 'schema', datasetFile);
      const profile = this.field.optionalString(dataset, 'profile', datasetFile);
      if (schema !== null) input.schema = schema;
      if (profile !== null) input.profile = profile;
      inputs.push(input);
    }
    return inputs;
  }

  private async readRunData(location: RunLocation): Promise<Run> {
    const metricsDir = path.join(location.runDir, 'metrics');
    const metrics: [string, number][] = [];
    for (const [key, text] of await this.readKeyFiles(metricsDir)) {
      const latest = this.latestMetric(
        this.parseMetricLines(key, text, path.join(metricsDir, key)),
      );
      if (latest !== undefined) metrics.push([key, latest.value]);
    }
    const params = Object.fromEntries(
      await this.readKeyFiles(path.join(location.runDir, 'params')),
    );
    const tags = Object.fromEntries(await this.readKeyFiles(path.join(location.runDir, 'tags')));
    const info = { ...location.info };
    if (info.run_name === '' && typeof tags[MLFLOW_RUN_NAME] === 'string')
      info.run_name = tags[MLFLOW_RUN_NAME];
    return {
      info,
      data: { params, metrics: Object.fromEntries(metrics), tags },
      inputs: await this.readInputs(location),
    };
  }

  async createRun(request: CreateRunRequest): Promise<RunInfo> {
    validateExperimentId(request.experimentId);
    if (!Number.isSafeInteger(request.startTime) || request.startTime < 0) {
      throw new InvalidParameterError(
        `invalid start time ${String(request.startTime)}: expected epoch milliseconds`,
      );
    }
    if (typeof request.userId !== 'string')
      throw new InvalidParameterError('invalid user id: expected a string');
    const tags: Record<string, string> = {};
    for (const [key, value] of Object.entries(request.tags ?? {}))
      tags[validateTagKey(key)] = this.checkValue('tag', key, value, MAX_TAG_VALUE_LENGTH);
    const tagName = tags[MLFLOW_RUN_NAME];
    if (request.runName !== '' && tagName !== undefined && tagName !== request.runName) {
      throw new InvalidParameterError(
        `run name ${quote(request.runName)} differs from the mlflow.runName tag ${quote(tagName)}`,
      );
    }
    const runId = randomUUID().replace(/-/g, '');
    const runName =
      request.runName !== '' ? request.runName : (tagName ?? `run-${runId.slice(0, 8)}`);
    this.checkValue('run name', runName, runName, MAX_TAG_VALUE_LENGTH);
    tags[MLFLOW_RUN_NAME] = runName;
    return this.writing(async () => {
      const experiment = await this.getExperiment(request.experimentId);
      if (experiment.lifecycle_stage !== 'active') {
        throw new TrackingError(
          'INVALID_STATE',
          `experiment ${request.experimentId} (${experiment.name}) is deleted; restore it before adding runs`,
        );
      }
      const experimentDir = path.join(this.root, request.experimentId);
      const artifactUri = `${experiment.artifact_location.replace(/\/+$/, '')}/${runId}/artifacts`;
      const stage = await makeStagingDir(this.scratch, `run-${runId}`);
      try {
        await this.writeYaml(path.join(stage, META), {
          artifact_uri: artifactUri,
          deleted_time: null,
          end_time: null,
          entry_point_name: '',
          experiment_id: request.experimentId,
          lifecycle_stage: 'active',
          run_id: runId,
          run_name: runName,
          source_name: '',
          source_type: SOURCE_TYPE_LOCAL,
          source_version: '',
          start_time: request.startTime,
          status: STATUS_TO_NUMBER.RUNNING,
          tags: [],
          user_id: request.userId,
        });
        for (const sub of ['metrics', 'params', 'artifacts', 'tags'])
          await fs.mkdir(path.join(stage, sub), { recursive: true });
        for (const [key, value] of Object.entries(tags))
          await this.writeFile(path.join(stage, 'tags', key), value);
        if (!(await publishDir(stage, path.join(experimentDir, runId)))) {
          throw new TrackingError(
            'RESOURCE_ALREADY_EXISTS',
            `run ${runId} already exists in ${this.displayUri}`,
          );
        }
      } finally {
        await fs.rm(stage, { recursive: true, force: true });
      }
      return (await this.readRunAt(experimentDir, path.join(experimentDir, runId))).info;
    });
  }

  async logBatch(runId: string, batch: LogBatchRequest): Promise<void> {
    validateRunId(runId);
    const metrics = batch.metrics ?? [];
    const params = batch.params ?? [];
    const tags = batch.tags ?? [];
    if (metrics.length > MAX_METRICS_PER_BATCH)
      throw new InvalidParameterError(
        `a batch holds at most ${MAX_METRICS_PER_BATCH} metrics, got ${metrics.length}`,
      );
    if (params.length > MAX_PARAMS_TAGS_PER_BATCH)
      throw new InvalidParameterError(
        `a batch holds at most ${MAX_PARAMS_TAGS_PER_BATCH} params, got ${params.length}`,
      );
    if (tags.length > MAX_PARAMS_TAGS_PER_BATCH)
      throw new InvalidParameterError(
        `a batch holds at most ${MAX_PARAMS_TAGS_PER_BATCH} tags, got ${tags.length}`,
      );
    for (const m of metrics) {
      validateMetricKey(m.key);
      if (typeof m.value !== 'number')
        throw new InvalidParameterError(
          `invalid metric ${quote(m.key)}: the value must be a number`,
        );
      if (!Number.isSafeInteger(m.timestamp) || m.timestamp < 0)
        throw new InvalidParameterError(
          `invalid metric ${quote(m.key)}: timestamp ${String(m.timestamp)} is not a non-negative integer`,
        );
      if (!Number.isSafeInteger(m.step))
        throw new InvalidParameterError(
          `invalid metric ${quote(m.key)}: step ${String(m.step)} is not an integer`,
        );
    }
    const seen = new Set<string>();
    for (const p of params) {
      validateParamKey(p.key);
      this.checkValue('param', p.key, p.value, MAX_PARAM_VALUE_LENGTH);
      if (seen.has(p.key))
        throw new InvalidParameterError(`param ${quote(p.key)} appears twice in one batch`);
      seen.add(p.key);
    }
    for (const t of tags) {
      validateTagKey(t.key);
      this.checkValue('tag', t.key, t.value, MAX_TAG_VALUE_LENGTH);
    }
    await this.writing(async () => {
      const location = await this.locateRun(runId);
      this.requireActive(location);
      // Params are immutable in MLflow: refuse a changed value before writing anything.
      for (const p of params) {
        const existing = await fs
          .readFile(path.join(location.runDir, 'params', p.key), 'utf8')
          .catch((error: unknown) => {
            if (errorCode(error) === 'ENOENT') return null;
            throw error;
          });
        if (existing !== null && existing !== p.value) {
          throw new InvalidParameterError(
            `param ${quote(p.key)} of run ${runId} is already ${quote(existing)}; params cannot change (tried ${quote(p.value)})`,
          );
        }
      }
      for (const p of params)
        await this.writeFile(path.join(location.runDir, 'params', p.key), p.value);
      const byKey = new Map<string, Metric[]>();
      for (const m of metrics) byKey.set(m.key, [...(byKey.get(m.key) ?? []), m]);
      for (const [key, list] of byKey) {
        const file = path.join(location.runDir, 'metrics', key);
        const previous = await fs.readFile(file, 'utf8').catch((error: unknown) => {
          if (errorCode(error) === 'ENOENT') return '';
          throw error;
        });
        const lines = list
          .map((m) => `${m.timestamp} ${formatMetricValue(m.value)} ${m.step}\n`)
          .join('');
        const glue = previous === '' || previous.endsWith('\n') ? '' : '\n';
        // MLflow appends; irisops rewrites the whole file atomically so a crash never leaves a torn line.
        await this.writeFile(file, previous + glue + lines);
      }
      for (const t of tags) {
        if (t.key === MLFLOW_RUN_NAME) {
          await this.writeYaml(path.join(location.runDir, META), {
            ...location.meta,
            run_name: t.value,
          });
        }
        await this.writeFile(path.join(location.runDir, 'tags', t.key), t.value);
      }
    });
  }

  async logInputs(runId: string, datasets: DatasetInput[]): Promise<void> {
    validateRunId(runId);
    for (const d of datasets) {
      for (const key of ['name', 'digest', 'source_type', 'source'] as const) {
        if (typeof d[key] !== 'string')
          throw new InvalidParameterError(`invalid dataset input: ${key} must be a string`);
      }
      for (const key of ['name', 'digest', 'source', 'schema', 'profile'] as const) {
        const value = d[key];
        if (value !== undefined && value.length > DATASET_LIMITS[key]) {
          throw new InvalidParameterError(
            `invalid dataset ${quote(d.name)}: ${key} is ${value.length} characters, more than MLflow's ${DATASET_LIMITS[key]}`,
          );
        }
      }
      for (const [key, value] of Object.entries(d.tags ?? {})) {
        if (
          key.length > DATASET_LIMITS.tagKey ||
          typeof value !== 'string' ||
          value.length > DATASET_LIMITS.tagValue
        ) {
          throw new InvalidParameterError(
            `invalid input tag ${quote(key)} on dataset ${quote(d.name)}: keys are at most ${DATASET_LIMITS.tagKey} characters, values strings of at most ${DATASET_LIMITS.tagValue}`,
          );
        }
      }
    }
    await this.writing(async () => {
      const location = await this.locateRun(runId);
      this.requireActive(location);
      for (const d of datasets) {
        const datasetId = md5Hex(d.name, d.digest);
        const datasetsDir = path.join(location.experimentDir, 'datasets');
        if (!(await this.exists(path.join(datasetsDir, datasetId)))) {
          await fs.mkdir(datasetsDir, { recursive: true });
          await this.publishFolder(path.join(datasetsDir, datasetId), {
            digest: d.digest,
            name: d.name,
            profile: d.profile ?? null,
            schema: d.schema ?? null,
            source: d.source,
            source_type: d.source_type,
          });
        }
        const inputId = md5Hex(datasetId, runId);
        const inputsDir = path.join(location.runDir, 'inputs');
        if (!(await this.exists(path.join(inputsDir, inputId)))) {
          await fs.mkdir(inputsDir, { recursive: true });
          // destination_id repeats the dataset id: MLflow's FileStore writes it so, and reads
          // only source_id, so irisops writes the same bytes.
          await this.publishFolder(path.join(inputsDir, inputId), {
            destination_id: datasetId,
            destination_type: 'RUN',
            source_id: datasetId,
            source_type: 'DATASET',
            tags: { ...(d.tags ?? {}) },
          });
        }
      }
    });
  }

  /** A folder holding only meta.yaml, appearing all at once (or not, if someone beat us). */
  private async publishFolder(
    target: string,
    meta: Meta,
    extra?: (stage: string) => Promise<void>,
  ): Promise<boolean> {
    const stage = await makeStagingDir(this.scratch, path.basename(target));
    try {
      await this.writeYaml(path.join(stage, META), meta);
      if (extra !== undefined) await extra(stage);
      return await publishDir(stage, target);
    } finally {
      await fs.rm(stage, { recursive: true, force: true });
    }
  }

  async updateRun(runId: string, status: RunStatus, endTime: number | null): Promise<RunInfo> {
    validateRunId(runId);
    if (!(status in STATUS_TO_NUMBER))
      throw new InvalidParameterError(
        `invalid run status ${quote(String(status))}: expected one of ${Object.keys(STATUS_TO_NUMBER).join(', ')}`,
      );
    if (endTime !== null && (!Number.isSafeInteger(endTime) || endTime < 0))
      throw new InvalidParameterError(
        `invalid end time ${String(endTime)}: expected epoch milliseconds`,
      );
    return this.writing(async () => {
      const location = await this.locateRun(runId);
      this.requireActive(location);
      const file = path.join(location.runDir, META);
      await this.writeYaml(file, {
        ...location.meta,
        status: STATUS_TO_NUMBER[status],
        end_time: endTime,
      });
      return (await this.readRunAt(location.experimentDir, location.runDir)).info;
    });
  }

  async getRun(runId: string): Promise<Run> {
    validateRunId(runId);
    return this.reading(async () => this.readRunData(await this.locateRun(runId)));
  }

  async getMetricHistory(runId: string, key: string): Promise<Metric[]> {
    validateRunId(runId);
    validateMetricKey(key);
    return this.reading(async () => {
      const location = await this.locateRun(runId);
      const file = path.join(location.runDir, 'metrics', key);
      let text: string;
      try {
        text = await fs.readFile(file, 'utf8');
      } catch (error) {
        if (errorCode(error) === 'ENOENT' || errorCode(error) === 'EISDIR') return [];
        throw error;
      }
      return this.parseMetricLines(key, text, file);
    });
  }

  async searchRuns(request: SearchRunsRequest): Promise<Run[]> {
    for (const id of request.experimentIds) validateExperimentId(id);
    const filter = parseFilter(request.filter);
    const orderBy = (request.orderBy ?? []).map(parseOrderBy);
    const max = request.maxResults;
    if (max !== undefined && (!Number.isSafeInteger(max) || max < 1))
      throw new InvalidParameterError(
        `invalid maxResults ${String(max)}: expected a positive integer`,
      );
    return this.reading(async () => {
      const runs: Run[] = [];
      for (const experimentId of new Set(request.experimentIds)) {
        // Deleted experiments live in .trash and are left out, as MLflow's active-only view does.
        const experimentDir = path.join(this.root, experimentId);
        if (!(await this.isDir(experimentDir))) continue;
        for (const name of await this.runFolderNames(experimentDir)) {
          const runDir = path.join(experimentDir, name);
          try {
            if (!(await this.isRunFolder(runDir))) continue;
            const location = await this.readRunAt(experimentDir, runDir);
            if (location.info.lifecycle_stage !== 'active') continue;
            const run = await this.readRunData(location);
            if (matchesFilter(run, filter)) runs.push(run);
          } catch (error) {
            // One damaged run must not hide all the others; getRun reports it by name.
            if (errorCode(error) === 'ENOENT') continue;
            if (error instanceof TrackingError && error.code === 'MALFORMED_STORE') {
              this.onWarning(`skipped a damaged run: ${error.message}`);
              continue;
            }
            throw error;
          }
        }
      }
      const sorted = sortRuns(runs, orderBy);
      return max === undefined ? sorted : sorted.slice(0, max);
    });
  }

  // ---------------------------------------------------------------- artifacts

  /**
   * The run's artifact folder. A run in the default layout is read from its own folder even
   * if the store was moved since (artifact_uri then still names the old place).
   */
  private async artifactRoot(
    location: RunLocation,
  ): Promise<{ dir: string; insideStore: boolean }> {
    const own = path.join(location.runDir, 'artifacts');
    const uri = location.info.artifact_uri;
    if (
      uri === '' ||
      uri.replace(/\\/g, '/').replace(/\/+$/, '').endsWith(`/${location.info.run_id}/artifacts`)
    ) {
      if (await this.isDir(own)) return { dir: own, insideStore: true };
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
    const dir = path.resolve(this.root, decodeURIComponent(local));
    return { dir, insideStore: isInside(this.root, dir) };
  }

  async logArtifacts(runId: string, localDir: string, artifactPath = ''): Promise<void> {
    validateRunId(runId);
    const prefix = validateArtifactPath(artifactPath, { allowRoot: true });
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
      await this.ensureRoot();
      const location = await this.locateRun(runId);
      const { dir, insideStore } = await this.artifactRoot(location);
      await fs.mkdir(dir, { recursive: true });
      const realRoot = await fs.realpath(dir);
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
            await copyFileAtomic(full, target, insideStore ? { tempDir: this.scratch } : {});
          }
        }
      };
      await upload(source, '');
    } catch (error) {
      throw this.translate(error, 'write');
    }
  }

  /** Resolves path inside the artifacts, refusing anything (symlinks included) that leads out. */
  private async resolveArtifact(
    runId: string,
    artifactPath: string,
  ): Promise<{ base: string; target: string } | null> {
    const location = await this.locateRun(runId);
    const { dir } = await this.artifactRoot(location);
    let base: string;
    try {
      base = await fs.realpath(dir);
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
        `artifact path ${quote(artifactPath)} of run ${runId} leads outside the run's artifacts (symbolic link)`,
      );
    }
    return { base, target };
  }

  async listArtifacts(runId: string, artifactPath = ''): Promise<ArtifactFile[]> {
    validateRunId(runId);
    const relative = validateArtifactPath(artifactPath, { allowRoot: true });
    return this.reading(async () => {
      const resolved = await this.resolveArtifact(runId, relative);
      if (resolved === null || !(await this.isDir(resolved.target))) return [];
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
    });
  }

  async readArtifact(runId: string, artifactPath: string): Promise<Buffer> {
    validateRunId(runId);
    const relative = validateArtifactPath(artifactPath);
    return this.reading(async () => {
      const resolved = await this.resolveArtifact(runId, relative);
      const notFound = new NotFoundError(`artifact ${quote(relative)} not found in run ${runId}`);
      if (resolved === null) throw notFound;
      try {
        const stat = await fs.stat(resolved.target);
        if (stat.isDirectory())
          throw new InvalidParameterError(
            `artifact ${quote(relative)} of run ${runId} is a folder, not a file`,
          );
        return await fs.readFile(resolved.target);
      } catch (error) {
        if (errorCode(error) === 'ENOENT') throw notFound;
        throw error;
      }
    });
  }

  // ---------------------------------------------------------------- registry

  private modelDir(name: string): string {
    return path.join(this.modelsDir, validateModelName(name));
  }

  private modelNotFound(name: string): NotFoundError {
    return new NotFoundError(`registered model ${quote(name)} not found in ${this.displayUri}`, {
      hint: 'list the models with: irisops registry ls',
    });
  }

  private async requireModelDir(name: string): Promise<string> {
    const dir = this.modelDir(name);
    if (!(await this.isDir(dir))) throw this.modelNotFound(name);
    return dir;
  }

  private async readAliases(modelDir: string): Promise<Record<string, string>> {
    const files = await this.readKeyFiles(path.join(modelDir, 'aliases'));
    return Object.fromEntries([...files].map(([alias, version]) => [alias, version.trim()]));
  }

  private async readRegisteredModelAt(dir: string): Promise<RegisteredModel> {
    const file = path.join(dir, META);
    let meta: Meta;
    try {
      meta = await this.readMeta(file);
    } catch (error) {
      if (errorCode(error) === 'ENOENT') throw this.malformed(file, 'the file is missing');
      throw error;
    }
    const creation = this.field.optionalInteger(meta, 'creation_timestamp', file) ?? 0;
    return {
      name: this.field.string(meta, 'name', file),
      creation_timestamp: creation,
      last_updated_timestamp:
        this.field.optionalInteger(meta, 'last_updated_timestamp', file) ?? creation,
      description: this.field.optionalString(meta, 'description', file) ?? '',
      tags: Object.fromEntries(await this.readKeyFiles(path.join(dir, 'tags'))),
      aliases: await this.readAliases(dir),
    };
  }

  /** MLflow re-saves the model's meta.yaml on every registry change, aliases snapshot included. */
  private async touchRegisteredModel(dir: string): Promise<void> {
    const file = path.join(dir, META);
    const meta = await this.readMeta(file);
    await this.writeYaml(file, {
      ...meta,
      aliases: await this.readAliases(dir),
      last_updated_timestamp: this.timestamp(),
    });
  }

  private async readVersionAt(
    modelDir: string,
    version: string,
  ): Promise<{ version: ModelVersion; stage: string }> {
    const dir = path.join(modelDir, `version-${version}`);
    const file = path.join(dir, META);
    const meta = await this.readMeta(file);
    const recorded = this.field.string(meta, 'version', file);
    if (recorded !== version)
      throw this.malformed(
        file,
        `version ${recorded} does not match its folder version-${version}`,
      );
    const status = meta.status ?? 'READY';
    if (typeof status !== 'string' || !VERSION_STATUSES.has(status as ModelVersionStatus))
      throw this.malformed(file, `unknown status '${String(status)}'`);
    const aliases = Object.entries(await this.readAliases(modelDir))
      .filter(([, v]) => v === version)
      .map(([alias]) => alias)
      .sort();
    const creation = this.field.optionalInteger(meta, 'creation_timestamp', file) ?? 0;
    const runId = this.field.optionalString(meta, 'run_id', file);
    return {
      stage: this.field.optionalString(meta, 'current_stage', file) ?? 'None',
      version: {
        name: this.field.string(meta, 'name', file),
        version,
        creation_timestamp: creation,
        last_updated_timestamp:
          this.field.optionalInteger(meta, 'last_updated_timestamp', file) ?? creation,
        run_id: runId === '' ? null : runId,
        source: this.field.optionalString(meta, 'source', file) ?? '',
        status: status as ModelVersionStatus,
        description: this.field.optionalString(meta, 'description', file) ?? '',
        tags: Object.fromEntries(await this.readKeyFiles(path.join(dir, 'tags'))),
        aliases,
      },
    };
  }

  private async versionNumbers(modelDir: string): Promise<number[]> {
    return (await this.listDirs(modelDir))
      .map((n) => /^version-(\d+)$/.exec(n)?.[1])
      .filter((n): n is string => n !== undefined)
      .map(Number)
      .filter((n) => Number.isSafeInteger(n) && n > 0);
  }

  private async getVersionIn(
    name: string,
    modelDir: string,
    version: string,
  ): Promise<ModelVersion> {
    const notFound = new NotFoundError(
      `version ${version} of registered model ${quote(name)} not found in ${this.displayUri}`,
      {
        hint: `list the versions with: irisops registry ls ${name}`,
      },
    );
    try {
      const found = await this.readVersionAt(modelDir, version);
      if (found.stage === DELETED_VERSION_STAGE) throw notFound;
      return found.version;
    } catch (error) {
      if (errorCode(error) === 'ENOENT') throw notFound;
      throw error;
    }
  }

  async createRegisteredModel(name: string): Promise<RegisteredModel> {
    const dir = this.modelDir(name);
    return this.writing(async () => {
      if (!(await this.isDir(dir))) {
        await fs.mkdir(this.modelsDir, { recursive: true });
        const now = this.timestamp();
        await this.publishFolder(dir, {
          aliases: {},
          creation_timestamp: now,
          deployment_job_id: null,
          deployment_job_state: null,
          description: null,
          last_updated_timestamp: now,
          name,
          workspace: 'default',
        });
      }
      return this.readRegisteredModelAt(dir);
    });
  }

  async getRegisteredModel(name: string): Promise<RegisteredModel> {
    validateModelName(name);
    return this.reading(async () => this.readRegisteredModelAt(await this.requireModelDir(name)));
  }

  async searchRegisteredModels(): Promise<RegisteredModel[]> {
    return this.reading(async () => {
      const models: RegisteredModel[] = [];
      for (const name of (await this.listDirs(this.modelsDir)).sort()) {
        try {
          models.push(await this.readRegisteredModelAt(path.join(this.modelsDir, name)));
        } catch (error) {
          if (error instanceof TrackingError && error.code === 'MALFORMED_STORE') {
            this.onWarning(`skipped a damaged registered model: ${error.message}`);
            continue;
          }
          throw error;
        }
      }
      return models.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    });
  }

  async createModelVersion(request: CreateModelVersionRequest): Promise<ModelVersion> {
    const dir = this.modelDir(request.name);
    if (typeof request.source !== 'string' || request.source === '')
      throw new InvalidParameterError('invalid model version source: it must be a non-empty URI');
    if (request.runId !== null) validateRunId(request.runId);
    const tags = Object.entries(request.tags ?? {});
    for (const [key, value] of tags) {
      validateTagKey(key);
      this.checkValue('model version tag', key, value, MAX_REGISTRY_TAG_VALUE_LENGTH);
    }
    return this.writing(async () => {
      const modelDir = await this.requireModelDir(request.name);
      const storageLocation = await this.storageLocation(request.source);
      let next = Math.max(0, ...(await this.versionNumbers(modelDir))) + 1;
      for (let attempt = 0; attempt < 100; attempt++, next++) {
        const now = this.timestamp();
        const published = await this.publishFolder(
          path.join(dir, `version-${next}`),
          {
            creation_timestamp: now,
            current_stage: 'None',
            deployment_job_state: null,
            description:
              request.description === undefined || request.description === ''
                ? null
                : request.description,
            last_updated_timestamp: now,
            model_id: null,
            name: request.name,
            run_id: request.runId,
            run_link: null,
            source: request.source,
            status: 'READY',
            status_message: null,
            storage_location: storageLocation,
            user_id: null,
            version: next,
            workspace: 'default',
          },
          async (stage) => {
            for (const [key, value] of tags)
              await this.writeFile(path.join(stage, 'tags', key), value);
          },
        );
        // Not published means a writer outside irisops' lock (MLflow itself) took that number.
        if (published) {
          await this.touchRegisteredModel(modelDir);
          return this.getVersionIn(request.name, modelDir, String(next));
        }
      }
      throw new TrackingError(
        'INTERNAL_ERROR',
        `could not allocate a version number for ${quote(request.name)}`,
      );
    });
  }

  /** MLflow resolves a models:/<name>/<version> source to where that version's files are. */
  private async storageLocation(source: string): Promise<string> {
    const match = /^models:\/([^/@]+)\/(\d+)$/.exec(source);
    if (match === null) return source;
    try {
      const file = path.join(
        this.modelDir(match[1] as string),
        `version-${validateVersion(match[2])}`,
        META,
      );
      const meta = await this.readMeta(file);
      return (
        this.field.optionalString(meta, 'storage_location', file) ??
        this.field.optionalString(meta, 'source', file) ??
        source
      );
    } catch (error) {
      if (errorCode(error) === 'ENOENT')
        throw new InvalidParameterError(
          `model version source ${quote(source)} names a version that does not exist`,
        );
      throw error;
    }
  }

  async getModelVersion(name: string, version: string): Promise<ModelVersion> {
    validateModelName(name);
    const canonical = validateVersion(version);
    return this.reading(async () =>
      this.getVersionIn(name, await this.requireModelDir(name), canonical),
    );
  }

  async searchModelVersions(name: string): Promise<ModelVersion[]> {
    const dir = this.modelDir(name);
    return this.reading(async () => {
      const versions: ModelVersion[] = [];
      for (const n of (await this.versionNumbers(dir)).sort((a, b) => b - a)) {
        try {
          const found = await this.readVersionAt(dir, String(n));
          if (found.stage !== DELETED_VERSION_STAGE) versions.push(found.version);
        } catch (error) {
          if (errorCode(error) === 'ENOENT') continue;
          if (error instanceof TrackingError && error.code === 'MALFORMED_STORE') {
            this.onWarning(`skipped a damaged model version: ${error.message}`);
            continue;
          }
          throw error;
        }
      }
      return versions;
    });
  }

  async setAlias(name: string, alias: string, version: string): Promise<string | null> {
    validateModelName(name);
    validateAlias(alias);
    const canonical = validateVersion(version);
    return this.writing(async () => {
      const modelDir = await this.requireModelDir(name);
      await this.getVersionIn(name, modelDir, canonical);
      const file = path.join(modelDir, 'aliases', alias);
      const previous = await fs.readFile(file, 'utf8').then(
        (text) => text.trim() || null,
        (error: unknown) => {
          if (errorCode(error) === 'ENOENT') return null;
          throw error;
        },
      );
      await this.writeFile(file, canonical);
      await this.touchRegisteredModel(modelDir);
      return previous;
    });
  }

  async deleteAlias(name: string, alias: string): Promise<void> {
    validateModelName(name);
    validateAlias(alias);
    await this.writing(async () => {
      const modelDir = await this.requireModelDir(name);
      const file = path.join(modelDir, 'aliases', alias);
      if (!(await this.exists(file))) return;
      await fs.rm(file);
      await this.touchRegisteredModel(modelDir);
    });
  }

  async getModelVersionByAlias(name: string, alias: string): Promise<ModelVersion> {
    validateModelName(name);
    if (alias.toLowerCase() === 'latest') {
      const versions = await this.searchModelVersions(name);
      const latest = versions[0];
      if (latest === undefined) {
        await this.getRegisteredModel(name);
        throw new NotFoundError(`registered model ${quote(name)} has no versions yet`);
      }
      return latest;
    }
    validateAlias(alias);
    return this.reading(async () => {
      const modelDir = await this.requireModelDir(name);
      const version = (await this.readAliases(modelDir))[alias];
      if (version === undefined) {
        throw new NotFoundError(
          `alias ${quote(alias)} not found on registered model ${quote(name)}`,
          {
            hint: `set it with: irisops registry promote ${name} <version> --alias ${alias}`,
          },
        );
      }
      let canonical: string;
      try {
        canonical = validateVersion(version);
      } catch {
        throw this.malformed(
          path.join(modelDir, 'aliases', alias),
          `it holds ${quote(version)}, not a version number`,
        );
      }
      return this.getVersionIn(name, modelDir, canonical);
    });
  }
}

/**
 * MLflow's _generate_unique_integer_id: the last 18 digits of a random 128-bit number, with
 * leading zeros replaced so the id keeps its width. Numeric ids matter: migrate-filestore
 * only imports experiments whose folder name is an integer.
 */
function generateExperimentId(): string {
  const big = BigInt(`0x${randomUUID().replace(/-/g, '')}`).toString();
  let digits = big.slice(-18);
  while (digits.startsWith('0')) digits = digits.slice(1) + String(Math.floor(Math.random() * 10));
  return digits;
}
