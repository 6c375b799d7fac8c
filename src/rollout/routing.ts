/**
 * Which variant answers a request. A subject (the x-subject-id header) is hashed to a
 * fixed bucket, so the same subject always lands on the same side of the split for as long
 * as the split is unchanged; a request without one is assigned at random. The hash is
 * FNV-1a over the UTF-8 bytes: stable across processes, restarts and machines.
 */
export const VARIANTS = ['champion', 'challenger'] as const;
export type Variant = (typeof VARIANTS)[number];

/** buckets per 100 %: a split is honoured to 1/100 of a percent */
const BUCKETS = 10_000;

export function isVariant(value: unknown): value is Variant {
  return value === 'champion' || value === 'challenger';
}

/** FNV-1a, 32 bits, of a string's UTF-8 bytes. */
export function stableHash(text: string): number {
  let h = 0x811c9dc5;
  for (const byte of Buffer.from(text, 'utf8')) {
    h ^= byte;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

export function bucketOf(subject: string): number {
  return stableHash(subject) % BUCKETS;
}

export interface AssignRequest {
  /** x-subject-id, when the caller sent one */
  subject?: string;
  /** x-variant, already checked with isVariant */
  forced?: Variant;
  /** false while the challenger is not loaded: everything goes to the champion */
  challengerReady: boolean;
}

export interface Assigner {
  readonly splitPercent: number;
  assign(request: AssignRequest): Variant;
}

/** splitPercent in (0, 100]: the challenger's share. rng is injected for tests. */
export function createAssigner(splitPercent: number, rng: () => number = Math.random): Assigner {
  const threshold = Math.round(splitPercent * (BUCKETS / 100));
  return {
    splitPercent,
    assign({ subject, forced, challengerReady }) {
      if (forced) return forced;
      if (!challengerReady || threshold === 0) return 'champion';
      const bucket =
        subject !== undefined && subject !== '' ? bucketOf(subject) : Math.floor(rng() * BUCKETS);
      return bucket < threshold ? 'challenger' : 'champion';
    },
  };
}

/** Whether this request is also sent to the shadow model. */
export function createShadowSampler(
  percent: number,
  rng: () => number = Math.random,
): () => boolean {
  if (percent >= 100) return () => true;
  if (percent <= 0) return () => false;
  return () => rng() * 100 < percent;
}
