/** Running container CLIs for [docker], [image], [container]: a real child process, with a timeout. */
import { execFile } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import path from 'node:path';
import type { CommandRunner } from './types.js';

export const runCommand: CommandRunner = (command, args, { timeoutMs = 15_000 } = {}) =>
  new Promise((resolve) => {
    execFile(
      command,
      args,
      { timeout: timeoutMs, windowsHide: true, maxBuffer: 4 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : null;
        resolve({
          code,
          stdout: String(stdout),
          stderr: String(stderr) || (error && code === null ? error.message : ''),
        });
      },
    );
  });

/** `which`, with PATHEXT on Windows */
export function executableFinder(
  env: Record<string, string | undefined>,
  platform = process.platform,
) {
  return (name: string): string | null => {
    const dirs = (env.PATH ?? env.Path ?? '').split(path.delimiter).filter(Boolean);
    const exts = platform === 'win32' ? (env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';') : [''];
    for (const dir of dirs) {
      for (const ext of exts) {
        const file = path.join(dir, name + ext);
        try {
          if (!statSync(file).isFile()) continue;
          if (platform !== 'win32') accessSync(file, constants.X_OK);
          return file;
        } catch {
          // not here
        }
      }
    }
    return null;
  };
}
