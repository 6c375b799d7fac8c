/**
 * Who may talk to the UI: loopback Host names only (unless --host opened it up), and
 * writes only from its own pages (same origin, the page's CSRF token).
 */
import { timingSafeEqual } from 'node:crypto';
import type http from 'node:http';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

export function isLoopback(host: string): boolean {
  return LOOPBACK.has(host);
}

/**
 * On loopback, only Host names that mean this machine are answered: a page on another
 * site cannot rebind its own name to 127.0.0.1 and read the store through us.
 */
export function hostAllowed(bindHost: string, port: number, header: string | undefined): boolean {
  if (!isLoopback(bindHost)) return true;
  if (!header) return false;
  const m = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(header);
  if (!m) return false;
  return LOOPBACK.has((m[1] ?? '').toLowerCase()) && Number(m[2] ?? 80) === port;
}

export function tokensMatch(expected: string, given: string | undefined): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** A write must come from our own pages: its Origin (or Sec-Fetch-Site) says so. */
export function sameOrigin(req: http.IncomingMessage): boolean {
  const origin = req.headers.origin;
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin') return false;
  if (origin === undefined) return site === 'same-origin';
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}
