/**
 * Decides, before anything is written, what happens to each file: create it, leave it
 * (same content), skip it (different content, no --force), overwrite it (--force), or add
 * the missing lines (.gitignore: additive, so it never loses what the user had).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { DesiredFile } from './files.js';

export type FileAction = 'create' | 'overwrite' | 'extend' | 'unchanged' | 'skip';

export interface PlannedFile {
  path: string;
  action: FileAction;
  /** bytes to write (for create, overwrite, extend) */
  content: Buffer;
  /** extend: the lines added */
  added?: string[];
}

function readIfExists(file: string): Buffer | null {
  try {
    return readFileSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

function mergeLines(existing: Buffer, wanted: Buffer): { content: Buffer; added: string[] } {
  const text = existing.toString('utf8');
  const have = new Set(text.split(/\r?\n/).map((l) => l.trim()));
  const added = wanted
    .toString('utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter(
      (l) =>
        l !== '' &&
        !l.startsWith('#') &&
        !have.has(l) &&
        !have.has(l.replace(/\/$/, '')) &&
        !have.has(`/${l}`),
    );
  if (added.length === 0) return { content: existing, added };
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const sep = text === '' || text.endsWith('\n') ? '' : eol;
  return { content: Buffer.from(`${text}${sep}${['# irisops', ...added].join(eol)}${eol}`), added };
}

export function planFiles(
  dir: string,
  files: DesiredFile[],
  { force }: { force: boolean },
): PlannedFile[] {
  return files.map((f) => {
    const existing = readIfExists(path.join(dir, ...f.path.split('/')));
    if (existing === null) return { path: f.path, action: 'create', content: f.content };
    if (existing.equals(f.content))
      return { path: f.path, action: 'unchanged', content: f.content };
    if (f.mergeLines) {
      const merged = mergeLines(existing, f.content);
      return merged.added.length === 0
        ? { path: f.path, action: 'unchanged', content: existing }
        : { path: f.path, action: 'extend', content: merged.content, added: merged.added };
    }
    return { path: f.path, action: force ? 'overwrite' : 'skip', content: f.content };
  });
}
