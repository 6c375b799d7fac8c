/**
 * The search space of a sweep: each hyper-parameter a comma list ("25,50,100") or an
 * inclusive integer range ("2:6"), the trials it yields (every combination, or a seeded
 * random sample), and the seed each trial fits with. Every bad value is a UsageError raised
 * before anything is written.
 */
import { UsageError } from '../errors.js';
import { FEATURES } from '../data/dataset.js';
import { seededRandom, shuffle } from '../data/random.js';
import { checkMaxFeatures, type ForestParams } from '../model/forest-spec.js';

export const TUNED_PARAMS = ['n_estimators', 'max_depth', 'max_features'] as const;
export type TunedParam = (typeof TUNED_PARAMS)[number];

/** train's defaults and limits, so a parameter not given is searched at train's value */
const RULES: Record<
  TunedParam,
  { flag: string; integer: boolean; min: number; max: number; fallback: number }
> = {
  n_estimators: { flag: '--n-estimators', integer: true, min: 1, max: 5000, fallback: 100 },
  max_depth: { flag: '--max-depth', integer: true, min: 1, max: 64, fallback: 5 },
  max_features: { flag: '--max-features', integer: false, min: 0, max: 64, fallback: 1 },
};

export type SearchSpace = Record<TunedParam, number[]>;
export type SearchKind = 'grid' | 'random';

/** Refused above this many grid points unless --max-trials raises it. */
export const DEFAULT_MAX_TRIALS = 1000;

export interface Trial {
  /** position in the sweep: the order children are listed and ties fall back to */
  index: number;
  params: ForestParams;
}

function parseValue(param: TunedParam, text: string): number {
  const rule = RULES[param];
  const n = Number(text);
  if (text === '' || !Number.isFinite(n))
    throw new UsageError(`${rule.flag}: "${text}" is not a number`);
  if (rule.integer && !Number.isInteger(n))
    throw new UsageError(`${rule.flag}: "${text}" is not an integer`);
  if (param === 'max_features') checkMaxFeatures(n, FEATURES.length);
  else if (n < rule.min || n > rule.max)
    throw new UsageError(`${rule.flag}: ${n} is outside ${rule.min}..${rule.max}`);
  return n;
}

function parseRange(param: TunedParam, text: string): number[] {
  const { flag } = RULES[param];
  const parts = text.split(':').map((s) => s.trim());
  const [from = '', to = ''] = parts;
  if (parts.length !== 2 || !/^-?\d+$/.test(from) || !/^-?\d+$/.test(to))
    throw new UsageError(`${flag}: the range "${text}" needs two integers, a:b`, {
      hint: `e.g. ${flag} 2:6 (inclusive), or a list: ${flag} 0.5,0.75,1`,
    });
  const a = parseValue(param, from);
  const b = parseValue(param, to);
  if (a > b)
    throw new UsageError(`${flag}: the range "${text}" is empty (${a} > ${b})`, {
      hint: `write it low:high, e.g. ${flag} ${b}:${a}`,
    });
  return Array.from({ length: b - a + 1 }, (_, i) => a + i);
}

/** "25,50,100" or "2:6"; duplicates kept once, ascending. */
export function parseValues(param: TunedParam, text: string | undefined): number[] {
  if (text === undefined) return [RULES[param].fallback];
  const { flag } = RULES[param];
  const trimmed = text.trim();
  if (trimmed === '' || trimmed.split(',').every((s) => s.trim() === ''))
    throw new UsageError(`${flag}: the list is empty`, { hint: `e.g. ${flag} 25,50,100` });
  const values = trimmed.includes(':')
    ? parseRange(param, trimmed)
    : trimmed.split(',').map((s) => {
        if (s.trim() === '') throw new UsageError(`${flag}: "${text}" has an empty item`);
        return parseValue(param, s.trim());
      });
  return [...new Set(values)].sort((x, y) => x - y);
}

export function parseSpace(texts: Partial<Record<TunedParam, string>>): SearchSpace {
  return {
    n_estimators: parseValues('n_estimators', texts.n_estimators),
    max_depth: parseValues('max_depth', texts.max_depth),
    max_features: parseValues('max_features', texts.max_features),
  };
}

export function gridSize(space: SearchSpace): number {
  return TUNED_PARAMS.reduce((n, p) => n * space[p].length, 1);
}

/** FNV-1a over the text, so a trial's seed depends on nothing but --seed and its params. */
export function trialSeed(seed: number, params: Omit<ForestParams, 'random_state'>): number {
  const text = `${seed}|${params.n_estimators}|${params.max_depth}|${params.max_features}`;
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  // a positive int32: what --seed accepts, so `irisops train --seed` can replay a trial
  return (h >>> 1) & 0x7fffffff;
}

function combination(space: SearchSpace, i: number): Omit<ForestParams, 'random_state'> {
  const nf = space.max_features.length;
  const nd = space.max_depth.length;
  return {
    n_estimators: space.n_estimators[Math.floor(i / (nf * nd))] as number,
    max_depth: space.max_depth[Math.floor(i / nf) % nd] as number,
    max_features: space.max_features[i % nf] as number,
  };
}

export interface PlanRequest {
  space: SearchSpace;
  search: SearchKind;
  /** random search only */
  trials: number | null;
  seed: number;
  maxTrials: number;
}

/** The trials of a sweep, in index order; random search samples distinct points by --seed. */
export function planTrials(request: PlanRequest): Trial[] {
  const { space, search, seed } = request;
  const size = gridSize(space);
  if (search === 'grid' && request.trials !== null)
    throw new UsageError('--trials is for --search random; a grid tries every combination', {
      hint: 'drop --trials, or add --search random',
    });
  let picks = Array.from({ length: size }, (_, i) => i);
  if (search === 'random') {
    if (request.trials === null)
      throw new UsageError('--search random needs --trials N', { hint: 'e.g. --trials 20' });
    if (request.trials < 1)
      throw new UsageError(`--trials must be at least 1, got ${request.trials}`);
    picks = shuffle(picks, seededRandom(seed)).slice(0, request.trials);
  }
  if (picks.length > request.maxTrials)
    throw new UsageError(
      `the sweep has ${picks.length} trials, more than the cap of ${request.maxTrials}`,
      { hint: `narrow the ranges, use --search random --trials N, or raise --max-trials` },
    );
  return picks.map((p, index) => {
    const params = combination(space, p);
    return { index, params: { ...params, random_state: trialSeed(seed, params) } };
  });
}
