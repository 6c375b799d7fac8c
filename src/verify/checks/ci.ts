/** [ci] .github/workflows has at least one workflow, and every one parses as YAML with jobs. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseDocument } from 'yaml';
import type { VerifyState } from '../state.js';
import type { CheckOutcome } from '../types.js';

export async function checkCi(state: VerifyState): Promise<CheckOutcome> {
  const dir = path.join(state.deps.cwd, '.github', 'workflows');
  let files: string[];
  try {
    files = readdirSync(dir)
      .filter((f) => /\.ya?ml$/.test(f))
      .sort();
  } catch {
    files = [];
  }
  const writeOne = 'irisops init --yes --no-docker';
  if (files.length === 0)
    return { status: 'fail', message: 'no workflow in .github/workflows', hint: writeOne };
  for (const file of files) {
    const shown = `.github/workflows/${file}`;
    const text = readFileSync(path.join(dir, file), 'utf8');
    const doc = parseDocument(text);
    // init rewrites its own workflow (and, unchanged, the config and data)
    const ours =
      file === 'irisops.yml'
        ? existsSync(path.join(state.deps.cwd, 'Dockerfile'))
          ? 'irisops init --yes --force'
          : 'irisops init --yes --force --no-docker'
        : null;
    const error = doc.errors[0];
    if (error) {
      const line = error.linePos?.[0]?.line;
      return {
        status: 'fail',
        message: `${shown}${line ? `:${line}` : ''}: ${error.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '')}`,
        hint: ours,
      };
    }
    const value: unknown = doc.toJS();
    const jobs =
      typeof value === 'object' && value !== null
        ? (value as Record<string, unknown>).jobs
        : undefined;
    if (typeof jobs !== 'object' || jobs === null || Object.keys(jobs).length === 0) {
      return { status: 'fail', message: `${shown} has no jobs`, hint: ours };
    }
  }
  return {
    status: 'pass',
    message: `${files.length} workflow${files.length === 1 ? '' : 's'} parse: ${files.join(', ')}`,
  };
}
