/** Option value parsers for commander: a bad value is a usage error (exit 2). */
import { InvalidArgumentError } from 'commander';
import { isIrisopsError, UsageError } from '../errors.js';

export function integer(min: number, max = Number.MAX_SAFE_INTEGER) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^-?\d+$/.test(value.trim()) || !Number.isSafeInteger(n))
      throw new InvalidArgumentError(`expected an integer, got "${value}"`);
    if (n < min || n > max)
      throw new InvalidArgumentError(`must be between ${min} and ${max}, got ${n}`);
    return n;
  };
}

export function number(min: number, max: number, { exclusive = false } = {}) {
  return (value: string): number => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n))
      throw new InvalidArgumentError(`expected a number, got "${value}"`);
    const ok = exclusive ? n > min && n < max : n >= min && n <= max;
    if (!ok)
      throw new InvalidArgumentError(
        `must be ${exclusive ? 'strictly ' : ''}between ${min} and ${max}, got ${n}`,
      );
    return n;
  };
}

/** A share of traffic: more than 0, at most 100. */
export function percent(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n))
    throw new InvalidArgumentError(`expected a percentage, got "${value}"`);
  if (n <= 0 || n > 100)
    throw new InvalidArgumentError(`must be more than 0 and at most 100, got ${n}`);
  return n;
}

export function list(value: string, previous: string[] | undefined): string[] {
  return [
    ...(previous ?? []),
    ...value
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  ];
}

/**
 * A store rule (names.ts) applied to a command-line value: the same one-line message and
 * hint the store gives, as a usage error (exit 2), before anything is read or written.
 */
export function checkArgument<V, T>(rule: (value: V) => T, value: V): T {
  try {
    return rule(value);
  } catch (error) {
    if (isIrisopsError(error)) throw new UsageError(error.message, { hint: error.hint });
    throw error;
  }
}

/**
 * How many runs `runs ls` shows in its table unless --limit says otherwise: a screenful.
 * --json lists every run instead, since a script reading it would otherwise see the newest
 * 50 as if they were all (the help and the command read it here, the bench reads the help).
 */
export const RUNS_LS_LIMIT = 50;
