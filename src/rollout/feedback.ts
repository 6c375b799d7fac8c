/**
 * The last N answers, kept to match the true labels sent later to POST /feedback, and the
 * tallies per variant the verdict is computed from. A Map keeps insertion order, so the
 * oldest answer is evicted in constant time once the window is full: memory is bounded by
 * the window (an entry is a request id string and a small record, roughly 150 bytes: about
 * 15 MB for the default 100,000).
 */
import type { Variant } from './routing.js';

export const DEFAULT_FEEDBACK_WINDOW = 100_000;
/** the estimate above, said in --help and the README */
export const BYTES_PER_ANSWER = 150;

interface Answer {
  variant: Variant;
  predicted: number;
  /** a label already arrived for it: a second one is not counted again */
  labelled: boolean;
}

export interface VariantTally {
  /** answers given */
  requests: number;
  /** answers whose true label arrived */
  labelled: number;
  /** ... and were right */
  correct: number;
}

export type FeedbackOutcome = 'matched' | 'unmatched' | 'duplicate';

export interface LabelResult {
  outcome: FeedbackOutcome;
  variant?: Variant;
  correct?: boolean;
}

export class FeedbackWindow {
  readonly capacity: number;
  private readonly answers = new Map<string, Answer>();
  private readonly tallies: Record<Variant, VariantTally> = {
    champion: { requests: 0, labelled: 0, correct: 0 },
    challenger: { requests: 0, labelled: 0, correct: 0 },
  };

  constructor(capacity = DEFAULT_FEEDBACK_WINDOW) {
    this.capacity = capacity;
  }

  get size(): number {
    return this.answers.size;
  }

  /** An answer was sent; requestId is its x-request-id. */
  recordAnswer(requestId: string, variant: Variant, predicted: number): void {
    this.tallies[variant].requests += 1;
    if (this.capacity === 0) return;
    // a reused id is the newest answer under that id
    this.answers.delete(requestId);
    this.answers.set(requestId, { variant, predicted, labelled: false });
    if (this.answers.size > this.capacity) {
      const oldest = this.answers.keys().next().value as string;
      this.answers.delete(oldest);
    }
  }

  /** The true class of an earlier answer. */
  label(requestId: string, trueClass: number): LabelResult {
    const answer = this.answers.get(requestId);
    if (!answer) return { outcome: 'unmatched' };
    if (answer.labelled) return { outcome: 'duplicate', variant: answer.variant };
    answer.labelled = true;
    const correct = answer.predicted === trueClass;
    const tally = this.tallies[answer.variant];
    tally.labelled += 1;
    if (correct) tally.correct += 1;
    return { outcome: 'matched', variant: answer.variant, correct };
  }

  tally(variant: Variant): VariantTally {
    return { ...this.tallies[variant] };
  }
}
