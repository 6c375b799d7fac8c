import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface Teardown {
  teardown(fn: () => void | Promise<void>): void;
}

/** A temp folder removed when the test ends. */
export function tempDir(t: Teardown, prefix = 'irisops-test-'): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}
