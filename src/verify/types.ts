/**
 * The checklist's vocabulary. A check returns what it saw about its subject; the runner turns
 * that into the reported status using the check's level (see runner.ts).
 */
import type { Settings, SettingFlags } from '../config/resolve.js';
import type { TrackingStore } from '../tracking/store.js';

export const CHECK_IDS = [
  'node',
  'deps',
  'config',
  'data',
  'tracking',
  'experiment',
  'model',
  'promoted',
  'artifact',
  'ui',
  'api',
  'predict',
  'contract',
  'docker',
  'image',
  'container',
  'ci',
] as const;

export type CheckId = (typeof CHECK_IDS)[number];
export type CheckStatus = 'pass' | 'warn' | 'fail';
export type CheckLevel = 'required' | 'warn';

/**
 * What a check found. `fail`: its subject is broken (reported as a warning for a warn-level
 * check unless --strict); `warn`: works, with a caveat worth fixing; `pass`: fine.
 */
export interface CheckOutcome {
  status: CheckStatus;
  message: string;
  /** for fail/warn: the command that fixes it, as the user should type it */
  hint?: string | null;
}

export interface CommandResult {
  /** null when the program could not be started (not found) or was killed */
  code: number | null;
  stdout: string;
  stderr: string;
}

export type CommandRunner = (
  command: string,
  args: string[],
  options?: { timeoutMs?: number },
) => Promise<CommandResult>;

/** Everything a check may touch, injected so tests need no global mocks. */
export interface VerifyDeps {
  cwd: string;
  env: Record<string, string | undefined>;
  fetch: typeof globalThis.fetch;
  now: () => number;
  /** settings flags given on the command line (they are repeated in hints) */
  flags: SettingFlags;
  resolveSettings: () => Promise<Settings>;
  openStore: (settings: Settings) => Promise<TrackingStore>;
  runCommand: CommandRunner;
  /** absolute path of an executable on PATH, or null */
  findExecutable: (name: string) => string | null;
  /** process.versions.node */
  nodeVersion: string;
  /** the engines.node range irisops itself declares */
  irisopsEngines: string;
  /** per HTTP request to the service or the tracking server's UI */
  httpTimeoutMs: number;
}

/** A prerequisite failed: the dependent check reports it instead of running. */
export class Prerequisite extends Error {
  readonly hint: string | null;
  constructor(message: string, hint: string | null) {
    super(message);
    this.name = 'Prerequisite';
    this.hint = hint;
  }
}
