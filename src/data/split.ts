/** Stratified splits, reproducible from a seed. */
import { DataError, UsageError } from '../errors.js';
import { seededRandom, shuffle } from './random.js';

export interface Split {
  train: number[];
  test: number[];
}

function indicesByClass(y: number[]): Map<number, number[]> {
  const groups = new Map<number, number[]>();
  y.forEach((label, i) => {
    const list = groups.get(label) ?? [];
    list.push(i);
    groups.set(label, list);
  });
  return new Map([...groups.entries()].sort((a, b) => a[0] - b[0]));
}

/**
 * Holds out ceil(testSize * n) rows, allocated to classes in proportion to their size
 * (largest remainder), like scikit-learn's stratified train_test_split.
 */
export function stratifiedSplit(y: number[], testSize: number, seed: number, classNames: readonly string[] = []): Split {
  if (!(testSize > 0 && testSize < 1)) throw new UsageError(`--test-size must be between 0 and 1 (exclusive), got ${testSize}`);
  const random = seededRandom(seed);
  const groups = indicesByClass(y);
  const nTest = Math.ceil(testSize * y.length);
  const shares = [...groups.entries()].map(([label, idx]) => {
    const exact = (nTest * idx.length) / y.length;
    return { label, idx, take: Math.floor(exact), rest: exact - Math.floor(exact) };
  });
  let left = nTest - shares.reduce((s, g) => s + g.take, 0);
  for (const g of [...shares].sort((a, b) => b.rest - a.rest || a.label - b.label)) {
    if (left <= 0) break;
    g.take += 1;
    left -= 1;
  }
  const train: number[] = [];
  const test: number[] = [];
  for (const g of shares) {
    const name = classNames[g.label] ?? String(g.label);
    if (g.take === 0) {
      throw new DataError(`--test-size ${testSize} leaves class ${name} with no test row`, { hint: 'use a larger --test-size' });
    }
    if (g.take >= g.idx.length) {
      throw new DataError(`--test-size ${testSize} leaves class ${name} with no training row`, { hint: 'use a smaller --test-size' });
    }
    const order = shuffle([...g.idx], random);
    test.push(...order.slice(0, g.take));
    train.push(...order.slice(g.take));
  }
  return { train: train.sort((a, b) => a - b), test: test.sort((a, b) => a - b) };
}

/** k stratified folds: each class is shuffled and dealt round-robin over the folds. */
export function stratifiedKFold(y: number[], k: number, seed: number): Split[] {
  const random = seededRandom(seed);
  const folds: number[][] = Array.from({ length: k }, () => []);
  let offset = 0;
  for (const idx of indicesByClass(y).values()) {
    if (idx.length < k) throw new DataError(`--cv ${k} needs at least ${k} rows per class, one class has ${idx.length}`);
    shuffle([...idx], random).forEach((row, i) => folds[(i + offset) % k]?.push(row));
    offset += idx.length;
  }
  return folds.map((fold, i) => ({
    test: [...fold].sort((a, b) => a - b),
    train: folds.flatMap((f, j) => (j === i ? [] : f)).sort((a, b) => a - b),
  }));
}
