/**
 * Picks a TrackingStore from a tracking URI. Each implementation is imported lazily so a
 * command only pays for the store it uses.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { UsageError } from '../errors.js';
import type { TrackingStore } from './store.js';

export type { TrackingStore } from './store.js';

export interface StoreOptions {
  env: Record<string, string | undefined>;
  cwd: string;
  fetch: typeof globalThis.fetch;
  now: () => number;
  /** damaged items a listing skipped (local folder); the CLI prints them as warnings */
  onWarning?: (message: string) => void;
}

export type ParsedTrackingUri = { kind: 'local'; root: string } | { kind: 'mlflow'; url: string };

const databaseSchemes = ['sqlite:', 'postgresql:', 'postgres:', 'mysql:', 'mssql:', 'databricks'];

export function parseTrackingUri(uri: string, cwd: string): ParsedTrackingUri {
  const trimmed = uri.trim();
  if (trimmed === '')
    throw new UsageError('the tracking URI is empty', { hint: 'pass --tracking-uri ./mlruns' });
  if (/^https?:\/\//i.test(trimmed)) return { kind: 'mlflow', url: trimmed.replace(/\/+$/, '') };
  if (databaseSchemes.some((s) => trimmed.toLowerCase().startsWith(s))) {
    throw new UsageError(
      `irisops does not open database stores directly (${trimmed.split(':')[0]})`,
      {
        hint: `run an MLflow server over it (mlflow server --backend-store-uri '<that uri>') and pass --tracking-uri http://127.0.0.1:5000`,
      },
    );
  }
  if (trimmed.startsWith('file:')) {
    return {
      kind: 'local',
      root: fileURLToPath(
        new URL(
          trimmed.startsWith('file://') ? trimmed : `file://${path.resolve(cwd, trimmed.slice(5))}`,
        ),
      ),
    };
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed)) {
    throw new UsageError(`unsupported tracking URI scheme: ${trimmed.split(':')[0]}`, {
      hint: 'use a folder path (./mlruns), a file: URI or an http(s):// MLflow server URL',
    });
  }
  return { kind: 'local', root: path.resolve(cwd, trimmed) };
}

export async function openStore(uri: string, options: StoreOptions): Promise<TrackingStore> {
  const parsed = parseTrackingUri(uri, options.cwd);
  if (parsed.kind === 'local') {
    const { LocalStore } = await import('./local/index.js');
    return new LocalStore(parsed.root, { now: options.now, onWarning: options.onWarning });
  }
  const { MlflowStore } = await import('./mlflow.js');
  return new MlflowStore(parsed.url, { env: options.env, fetch: options.fetch, now: options.now });
}
