/**
 * Reading a running serve's A/B report (GET /ab) from another process: the fetch is handed
 * in (the Context's), and every way it can fail is one typed error naming the URL.
 */
import { IrisopsError, UsageError } from '../errors.js';
import type { AbReport } from '../schemas/types.js';
import { validatorFor } from '../schemas/index.js';

/** how long a serve on this machine or the next may take to answer /ab */
const TIMEOUT_MS = 10_000;

const START_HINT = 'start one: irisops serve --challenger models:/iris_classifier/2 --split 50';

/** The base URL, checked before anything is fetched. */
export function checkApiUrl(text: string): URL {
  let url: URL | null = null;
  try {
    url = new URL(text);
  } catch {
    url = null;
  }
  if (url === null || !/^https?:$/.test(url.protocol) || url.search !== '' || url.hash !== '') {
    throw new UsageError(`--api-url expects an http(s) URL of irisops serve, got "${text}"`, {
      hint: '--api-url http://127.0.0.1:8000',
    });
  }
  return url;
}

function unreachable(where: string, why: string, error?: unknown): IrisopsError {
  return new IrisopsError('SERVE_UNREACHABLE', `no A/B report from ${where}: ${why}`, {
    hint: START_HINT,
    cause: error,
  });
}

export async function fetchAbReport(fetch: typeof globalThis.fetch, base: URL): Promise<AbReport> {
  const where = new URL('ab', base.href.endsWith('/') ? base : `${base.href}/`).href;
  let response: Response;
  try {
    response = await fetch(where, {
      headers: { accept: 'application/json' },
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    const why =
      (error as Error).name === 'TimeoutError'
        ? `no answer within ${TIMEOUT_MS / 1000} s`
        : `nothing is listening there${cause ? ` (${cause})` : ''}`;
    throw unreachable(where, why, error);
  }
  const text = await response.text();
  if (!response.ok)
    throw unreachable(
      where,
      `HTTP ${response.status} (is it irisops serve, version 0.1 or later?)`,
    );
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw unreachable(where, 'the answer is not JSON');
  }
  if (!validatorFor('ab-report')(body))
    throw unreachable(where, 'the answer is not an A/B report (schemas/ab-report.schema.json)');
  return body as AbReport;
}
