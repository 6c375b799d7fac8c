/** Facts about where a run was made, recorded as MLflow's standard tags. */
import { execFileSync } from 'node:child_process';
import { hostname, userInfo } from 'node:os';
import { randomInt } from 'node:crypto';

export function detectGitCommit(cwd: string): string | null {
  try {
    const out = execFileSync('git', ['rev-parse', 'HEAD'], {
      cwd,
      stdio: ['ignore', 'pipe', 'ignore'],
      timeout: 2000,
    });
    const sha = out.toString().trim();
    return /^[0-9a-f]{40}$/.test(sha) ? sha : null;
  } catch {
    return null;
  }
}

/**
 * The user name as MLflow's Python client finds it (getpass.getuser: LOGNAME, USER, LNAME,
 * USERNAME, then the password database), so a run or an alias move made by irisops names
 * the same user MLflow would, and a test or CI job can set it through the environment.
 */
export function currentUser(env: Record<string, string | undefined>): string {
  for (const key of ['LOGNAME', 'USER', 'LNAME', 'USERNAME']) {
    const value = env[key];
    if (value !== undefined && value !== '') return value;
  }
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}

export function currentHost(): string {
  return hostname();
}

const ADJECTIVES = [
  'brave',
  'calm',
  'eager',
  'gentle',
  'lucky',
  'quiet',
  'sunny',
  'swift',
  'tidy',
  'wise',
  'bold',
  'bright',
];
const NOUNS = [
  'iris',
  'petal',
  'sepal',
  'bloom',
  'meadow',
  'fern',
  'willow',
  'lotus',
  'orchid',
  'tulip',
  'clover',
  'heron',
];

/** MLflow-style readable run names, e.g. "swift-orchid-417" */
export function generateRunName(): string {
  const pick = (list: string[]) => list[randomInt(list.length)] ?? 'run';
  return `${pick(ADJECTIVES)}-${pick(NOUNS)}-${randomInt(1000)}`;
}
