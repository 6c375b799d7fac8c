/**
 * The last N inputs a server answered, per model version, for GET /drift. Fixed-size typed
 * arrays written round-robin: a push is O(1) and allocates nothing, and memory is bounded by
 * capacity x features x versions whatever the traffic.
 */
import type { DriftWindowData } from './drift.js';

/** serve's --drift-window default */
export const DEFAULT_DRIFT_WINDOW = 1000;
/** versions kept at once: the serving one and the few it replaced, for a report after a reload */
export const DEFAULT_WINDOW_VERSIONS = 3;

/** marks a row pushed without a prediction */
const NO_PREDICTION = -1;

export class InputWindow {
  readonly capacity: number;
  readonly width: number;
  private readonly values: Float64Array;
  private readonly predicted: Int32Array;
  private next = 0;
  private filled = 0;

  constructor(width: number, capacity: number = DEFAULT_DRIFT_WINDOW) {
    if (!(Number.isInteger(capacity) && capacity >= 1))
      throw new RangeError(`window capacity must be a positive integer, got ${capacity}`);
    if (!(Number.isInteger(width) && width >= 1))
      throw new RangeError(`window width must be a positive integer, got ${width}`);
    this.capacity = capacity;
    this.width = width;
    this.values = new Float64Array(capacity * width);
    this.predicted = new Int32Array(capacity);
  }

  get size(): number {
    return this.filled;
  }

  /** row: the features in profile order; prediction: the class index, if one was answered */
  push(row: ArrayLike<number>, prediction?: number): void {
    if (row.length !== this.width)
      throw new RangeError(`expected ${this.width} values, got ${row.length}`);
    const base = this.next * this.width;
    for (let f = 0; f < this.width; f++) this.values[base + f] = row[f] as number;
    this.predicted[this.next] = prediction ?? NO_PREDICTION;
    this.next = (this.next + 1) % this.capacity;
    if (this.filled < this.capacity) this.filled += 1;
  }

  /**
   * A copy, oldest first. predicted is present only when every row in the window has one,
   * so the class counts and the feature figures always describe the same rows.
   */
  snapshot(): DriftWindowData {
    const rows: number[][] = [];
    const predicted: number[] = [];
    const start = this.filled < this.capacity ? 0 : this.next;
    for (let k = 0; k < this.filled; k++) {
      const slot = (start + k) % this.capacity;
      rows.push(Array.from(this.values.subarray(slot * this.width, (slot + 1) * this.width)));
      predicted.push(this.predicted[slot] as number);
    }
    return predicted.every((p) => p !== NO_PREDICTION) ? { rows, predicted } : { rows };
  }
}

/** One InputWindow per model version, the least recently used dropped beyond maxVersions. */
export class VersionedWindows {
  private readonly windows = new Map<string, InputWindow>();
  private latest: string | undefined;

  constructor(
    readonly width: number,
    readonly capacity: number = DEFAULT_DRIFT_WINDOW,
    readonly maxVersions: number = DEFAULT_WINDOW_VERSIONS,
  ) {}

  push(version: string, row: ArrayLike<number>, prediction?: number): void {
    let window = this.windows.get(version);
    if (window === undefined || version !== this.latest) {
      if (window) this.windows.delete(version);
      else window = new InputWindow(this.width, this.capacity);
      // re-inserted last: Map order is then least to most recently used
      this.windows.set(version, window);
      this.latest = version;
      for (const oldest of this.windows.keys()) {
        if (this.windows.size <= this.maxVersions) break;
        this.windows.delete(oldest);
      }
    }
    window.push(row, prediction);
  }

  get(version: string): InputWindow | undefined {
    return this.windows.get(version);
  }

  versions(): string[] {
    return [...this.windows.keys()];
  }
}
