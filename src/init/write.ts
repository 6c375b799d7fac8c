/**
 * Writes a plan: each file to a temp file next to it, then renamed over the target, so an
 * interrupted init never leaves a half-written file.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { IrisopsError } from '../errors.js';
import type { PlannedFile } from './plan.js';

export function writeAtomic(file: string, content: Buffer): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    writeFileSync(temp, content, { flag: 'wx' });
    renameSync(temp, file);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}

export function applyPlan(dir: string, plan: PlannedFile[]): void {
  for (const f of plan) {
    if (f.action === 'unchanged' || f.action === 'skip') continue;
    const target = path.join(dir, ...f.path.split('/'));
    try {
      writeAtomic(target, f.content);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'error';
      throw new IrisopsError(
        'INIT_WRITE_FAILED',
        `cannot write ${target}: ${(error as Error).message}`,
        {
          hint:
            code === 'EACCES' || code === 'EPERM'
              ? 'run irisops init in a folder you can write'
              : undefined,
          cause: error,
        },
      );
    }
  }
}
