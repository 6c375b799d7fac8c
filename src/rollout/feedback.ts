/**
 * The last N answers, kept to match the true labels sent later to POST /feedback, and the
 * tallies per variant the verdict is computed from.
 *
 * Answers under an id the server made are kept in typed arrays, in the slot their id's
 * counter gives (`sequenceOf`, injected by the server): no string is kept and no map is
 * touched per request, which cost a few µs a request and kept the old generation growing
 * (longer GC pauses, a higher p99). Such an answer lasts until N more ids have been made.
 * Answers under a caller's own x-request-id go to a map, oldest evicted first, at most N.
 * Memory is bounded by the window: 12 bytes a slot plus about 150 bytes a caller-named
 * answer, so about 1.2 MB for the default 100,000 with server-made ids.
 */
import type { Variant } from './routing.js';

export const DEFAULT_FEEDBACK_WINDOW = 100_000;
/** what --help says an answer costs: a slot, and a caller-named answer on top */
export const BYTES_PER_ANSWER = 12;
export const BYTES_PER_NAMED_ANSWER = 150;

const VARIANTS: readonly Variant[] = ['champion', 'challenger'];

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

/** the counter of an id the server made, or -1 */
export type SequenceOf = (requestId: string) => number;

const noSequence: SequenceOf = () => -1;

export class FeedbackWindow {
  readonly capacity: number;
  private readonly sequenceOf: SequenceOf;
  /** per slot: the counter stored there (-1: empty), the variant, the class, labelled */
  private readonly seq: Float64Array;
  private readonly variantOf: Uint8Array;
  private readonly predictedOf: Int32Array;
  private readonly labelledOf: Uint8Array;
  private ownCount = 0;
  private readonly named = new Map<string, Answer>();
  private readonly tallies: Record<Variant, VariantTally> = {
    champion: { requests: 0, labelled: 0, correct: 0 },
    challenger: { requests: 0, labelled: 0, correct: 0 },
  };

  constructor(capacity = DEFAULT_FEEDBACK_WINDOW, sequenceOf: SequenceOf = noSequence) {
    this.capacity = capacity;
    this.sequenceOf = sequenceOf;
    this.seq = new Float64Array(capacity).fill(-1);
    this.variantOf = new Uint8Array(capacity);
    this.predictedOf = new Int32Array(capacity);
    this.labelledOf = new Uint8Array(capacity);
  }

  /** answers that can still be labelled */
  get size(): number {
    return Math.min(this.ownCount, this.capacity) + this.named.size;
  }

  /**
   * An answer was sent; requestId is its x-request-id. The server passes the id's counter
   * it already knows (`sequence`), which spares reading it back from the string.
   */
  recordAnswer(
    requestId: string,
    variant: Variant,
    predicted: number,
    sequence: number = this.sequenceOf(requestId),
  ): void {
    this.tallies[variant].requests += 1;
    if (this.capacity === 0) return;
    if (sequence >= 0) {
      const slot = sequence % this.capacity;
      if (this.seq[slot] === -1) this.ownCount += 1;
      this.seq[slot] = sequence;
      this.variantOf[slot] = variant === 'champion' ? 0 : 1;
      this.predictedOf[slot] = predicted;
      this.labelledOf[slot] = 0;
      return;
    }
    // a reused id is the newest answer under that id
    this.named.delete(requestId);
    this.named.set(requestId, { variant, predicted, labelled: false });
    if (this.named.size > this.capacity) {
      const oldest = this.named.keys().next().value as string;
      this.named.delete(oldest);
    }
  }

  /** The true class of an earlier answer. */
  label(requestId: string, trueClass: number): LabelResult {
    const answer = this.find(requestId);
    if (!answer) return { outcome: 'unmatched' };
    if (answer.labelled) return { outcome: 'duplicate', variant: answer.variant };
    answer.markLabelled();
    const correct = answer.predicted === trueClass;
    const tally = this.tallies[answer.variant];
    tally.labelled += 1;
    if (correct) tally.correct += 1;
    return { outcome: 'matched', variant: answer.variant, correct };
  }

  tally(variant: Variant): VariantTally {
    return { ...this.tallies[variant] };
  }

  private find(requestId: string): (Answer & { markLabelled(): void }) | null {
    if (this.capacity === 0) return null;
    const n = this.sequenceOf(requestId);
    if (n < 0) {
      const answer = this.named.get(requestId);
      return answer ? { ...answer, markLabelled: () => void (answer.labelled = true) } : null;
    }
    const slot = n % this.capacity;
    if (this.seq[slot] !== n) return null;
    return {
      variant: VARIANTS[this.variantOf[slot] as number] as Variant,
      predicted: this.predictedOf[slot] as number,
      labelled: this.labelledOf[slot] === 1,
      markLabelled: () => void (this.labelledOf[slot] = 1),
    };
  }
}
