/**
 * The prediction log's file: lines are queued in memory and written by one asynchronous
 * write at a time, so a request only pays for building its line. The file is rotated when it
 * passes maxBytes (file -> file.1 -> file.2 ..., the oldest past `keep` removed). If the disk
 * falls behind by more than MAX_QUEUED_BYTES the newest lines are dropped and counted rather
 * than let memory grow or slow the answers.
 */
import { closeSync, openSync, renameSync, rmSync, statSync, write, writeSync } from 'node:fs';

const MAX_QUEUED_BYTES = 16 * 1024 * 1024;

export interface PredictionLogOptions {
  maxBytes: number;
  /** rotated files kept beside the live one */
  keep?: number;
}

export class PredictionLogWriter {
  dropped = 0;
  rotations = 0;
  private fd: number;
  private size: number;
  private queue: string[] = [];
  private queued = 0;
  private writing = false;
  private closed = false;
  private readonly keep: number;

  constructor(
    readonly file: string,
    private readonly options: PredictionLogOptions,
    private readonly onError: (error: Error) => void = () => {},
  ) {
    this.keep = options.keep ?? 3;
    this.fd = openSync(file, 'a');
    this.size = statSync(file).size;
  }

  /** line: one JSON document, without its newline */
  append(line: string): void {
    if (this.closed) return;
    if (this.queued > MAX_QUEUED_BYTES) {
      this.dropped += 1;
      return;
    }
    this.queue.push(line);
    this.queued += line.length + 1;
    if (!this.writing) {
      this.writing = true;
      setImmediate(() => this.drain());
    }
  }

  private take(): string {
    const text = `${this.queue.join('\n')}\n`;
    this.queue = [];
    this.queued = 0;
    return text;
  }

  private drain(): void {
    if (this.queue.length === 0 || this.closed) {
      this.writing = false;
      return;
    }
    const bytes = Buffer.from(this.take());
    write(this.fd, bytes, 0, bytes.length, null, (error) => {
      if (error) this.onError(error);
      else this.grow(bytes.length);
      this.drain();
    });
  }

  private grow(n: number): void {
    this.size += n;
    if (this.size < this.options.maxBytes) return;
    try {
      closeSync(this.fd);
      rmSync(`${this.file}.${this.keep}`, { force: true });
      for (let k = this.keep - 1; k >= 1; k--) {
        try {
          renameSync(`${this.file}.${k}`, `${this.file}.${k + 1}`);
        } catch {
          // that generation does not exist yet
        }
      }
      renameSync(this.file, `${this.file}.1`);
      this.rotations += 1;
    } catch (error) {
      this.onError(error as Error);
    }
    this.fd = openSync(this.file, 'a');
    this.size = 0;
  }

  /** at shutdown: whatever is still queued is written synchronously, then the file closed */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.queue.length > 0) writeSync(this.fd, this.take());
    closeSync(this.fd);
  }
}
