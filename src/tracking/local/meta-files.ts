/**
 * Reading and writing the small files of MLflow's FileStore: meta.yaml (YAML 1.1, as PyYAML
 * reads it), one-value-per-file keys (params/, tags/, metrics/), and Python's float text.
 */
import { promises as fs, readdirSync, readFileSync, type Dirent } from 'node:fs';
import path from 'node:path';
import { yamlModule } from '../../yaml-module.js';
import { errorCode } from '../fs-atomic.js';
import { dumpSimpleMeta, parseSimpleMeta } from './meta-yaml.js';

export type Meta = Record<string, unknown>;

/** Builds the error for a file that is not what MLflow would have written. */
export type Malformed = (file: string, reason: string) => Error;

export function isPlainObject(value: unknown): value is Meta {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function dumpYaml(data: Meta): string {
  // YAML 1.1 is what PyYAML speaks: under it a bare `yes`, `on` or `2024-01-01` is not a
  // string, so those must be quoted for MLflow to read back exactly what was written.
  return (
    dumpSimpleMeta(data) ??
    yamlModule().stringify(data, {
      version: '1.1',
      sortMapEntries: true,
      singleQuote: true,
      lineWidth: 0,
    })
  );
}

/** Python's str(float), which MLflow writes and every MLflow reader parses. */
export function formatMetricValue(value: number): string {
  if (Number.isNaN(value)) return 'nan';
  if (value === Infinity) return 'inf';
  if (value === -Infinity) return '-inf';
  if (Number.isInteger(value) && Math.abs(value) < 1e16)
    return `${Object.is(value, -0) ? '-0' : value}.0`;
  return String(value);
}

/** Python's float() on what MLflow writes; null when it is not a number at all. */
export function parsePythonFloat(text: string): number | null {
  const lower = text.toLowerCase();
  if (lower === 'nan' || lower === '+nan' || lower === '-nan') return NaN;
  if (lower === 'inf' || lower === '+inf' || lower === 'infinity' || lower === '+infinity')
    return Infinity;
  if (lower === '-inf' || lower === '-infinity') return -Infinity;
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)) return null;
  return Number(text);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export async function exists(target: string): Promise<boolean> {
  try {
    await fs.access(target);
    return true;
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return false;
    throw error;
  }
}

export async function isDir(target: string): Promise<boolean> {
  try {
    return (await fs.stat(target)).isDirectory();
  } catch (error) {
    const code = errorCode(error);
    if (code === 'ENOENT' || code === 'ENOTDIR') return false;
    throw error;
  }
}

async function readEntries(dir: string): Promise<Dirent[]> {
  try {
    return await fs.readdir(dir, { withFileTypes: true });
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return [];
    throw error;
  }
}

export async function listDirs(dir: string): Promise<string[]> {
  return (await readEntries(dir)).filter((e) => e.isDirectory()).map((e) => e.name);
}

function readEntriesSync(dir: string): Dirent[] {
  try {
    return readdirSync(dir, { withFileTypes: true });
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return [];
    throw error;
  }
}

/**
 * Every file below dir as '/'-separated keys (tag and metric keys may contain '/').
 * Synchronous inside: these files are a few bytes each, and a thread-pool round trip per
 * file (open, stat, read, close) costs several times the read itself — a cold listing of
 * 10,000 runs reads about 300,000 of them.
 */
export async function readKeyFiles(dir: string): Promise<Map<string, string>> {
  const result = new Map<string, string>();
  const walk = (current: string, prefix: string): void => {
    const entries = readEntriesSync(current).sort((a, b) => (a.name < b.name ? -1 : 1));
    for (const entry of entries) {
      const key = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
      const full = `${current}${path.sep}${entry.name}`;
      if (entry.isDirectory()) walk(full, key);
      else if (entry.isFile()) result.set(key, readFileSync(full, 'utf8'));
    }
  };
  walk(dir, '');
  return result;
}

/** Reads a meta.yaml; ENOENT is left to the caller, anything unreadable is malformed. */
export async function readMetaFile(file: string, malformed: Malformed): Promise<Meta> {
  for (let attempt = 0; ; attempt++) {
    // synchronous for the reason readKeyFiles gives
    const text = readFileSync(file, 'utf8');
    // MLflow's own writers are not atomic: an empty file may be one being written right now.
    if (text.trim() === '' && attempt < 2) {
      await sleep(50 * (attempt + 1));
      continue;
    }
    let parsed: unknown = parseSimpleMeta(text);
    if (parsed !== null) return parsed as Meta;
    try {
      parsed = yamlModule().parse(text, { version: '1.1' });
    } catch (error) {
      throw malformed(
        file,
        `invalid YAML (${(error instanceof Error ? error.message : String(error)).split('\n')[0]})`,
      );
    }
    if (!isPlainObject(parsed)) throw malformed(file, 'expected a YAML mapping');
    return parsed;
  }
}

/** Typed reads of meta.yaml fields, in MLflow's loose typing (numbers stand in for strings). */
export interface FieldReader {
  string(meta: Meta, key: string, file: string): string;
  optionalString(meta: Meta, key: string, file: string): string | null;
  integer(meta: Meta, key: string, file: string): number;
  optionalInteger(meta: Meta, key: string, file: string): number | null;
}

export function fieldReader(malformed: Malformed): FieldReader {
  const reader: FieldReader = {
    string: (meta, key, file) => {
      const value = meta[key];
      if (typeof value === 'string') return value;
      if (typeof value === 'number') return String(value);
      throw malformed(file, `field '${key}' is missing or not a string`);
    },
    optionalString: (meta, key, file) => {
      const value = meta[key];
      if (value === undefined || value === null) return null;
      if (typeof value === 'string') return value;
      if (typeof value === 'number') return String(value);
      throw malformed(file, `field '${key}' is not a string`);
    },
    integer: (meta, key, file) => {
      const value = meta[key];
      if (typeof value === 'number' && Number.isFinite(value)) return Math.trunc(value);
      if (typeof value === 'string' && /^-?\d+$/.test(value)) return Number(value);
      throw malformed(file, `field '${key}' is missing or not a number`);
    },
    optionalInteger: (meta, key, file) => {
      const value = meta[key];
      if (value === undefined || value === null) return null;
      return reader.integer(meta, key, file);
    },
  };
  return reader;
}
