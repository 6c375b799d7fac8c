/**
 * Request ids: a caller's x-request-id is echoed when it is short and harmless, else a new
 * one is made. New ids are UUID-shaped: a process-unique random prefix and a counter,
 * unique across workers and restarts, and far cheaper per request than a fresh random
 * UUID. The counter can be read back from an id (ownSequence), so the feedback window
 * finds an answer by arithmetic rather than by a map of strings.
 */
import { randomUUID } from 'node:crypto';

const SAFE_ID = /^[\w.:@/+=-]{1,128}$/;
const PREFIX = randomUUID().slice(0, 24);
const COUNTER_DIGITS = 12;
const COUNTER_LIMIT = 16 ** COUNTER_DIGITS;
let counter = 0;

type IdHeader = string | string[] | undefined;

/** A caller's x-request-id that is echoed as it is. */
function isCallerId(header: IdHeader): header is string {
  return typeof header === 'string' && SAFE_ID.test(header);
}

/**
 * A request's counter: -1 when the caller's own id is echoed, else the next counter of this
 * process's ids. The server keeps it beside the id (idFor), so nothing reads it back.
 */
export function sequenceFor(header: IdHeader): number {
  if (isCallerId(header)) return -1;
  counter = (counter + 1) % COUNTER_LIMIT;
  return counter;
}

/** The x-request-id for a request whose counter sequenceFor gave (ownSequence reads it back). */
export function idFor(header: IdHeader, sequence: number): string {
  if (sequence === -1) return header as string;
  return PREFIX + sequence.toString(16).padStart(COUNTER_DIGITS, '0');
}

export function requestId(header: IdHeader): string {
  return idFor(header, sequenceFor(header));
}

/** The counter of an id this process made, or -1 for any other id. */
export function ownSequence(id: string): number {
  if (id.length !== PREFIX.length + COUNTER_DIGITS || !id.startsWith(PREFIX)) return -1;
  const tail = id.slice(PREFIX.length);
  // parseInt stops at the first non-hex character; only a full hex tail is ours
  const n = Number.parseInt(tail, 16);
  return Number.isNaN(n) || n.toString(16).padStart(COUNTER_DIGITS, '0') !== tail ? -1 : n;
}
