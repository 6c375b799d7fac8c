/** Small JSON-over-HTTP helpers for the service checks: a timeout on every request. */

export interface HttpAnswer {
  status: number;
  /** parsed JSON, or undefined when the body is not JSON */
  body: unknown;
  text: string;
}

function why(error: unknown, timeoutMs: number): string {
  const e = error as Error & { cause?: { code?: string; message?: string } };
  if (e.name === 'TimeoutError' || e.name === 'AbortError')
    return `no answer within ${timeoutMs / 1000}s`;
  return e.cause?.code ?? e.cause?.message ?? e.message;
}

export async function fetchJson(
  fetchImpl: typeof globalThis.fetch,
  url: string,
  { timeoutMs, method = 'GET', body }: { timeoutMs: number; method?: string; body?: unknown },
): Promise<HttpAnswer> {
  let response: Response;
  let text: string;
  try {
    response = await fetchImpl(url, {
      method,
      signal: AbortSignal.timeout(timeoutMs),
      headers:
        body === undefined
          ? { accept: 'application/json' }
          : { accept: 'application/json', 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    text = await response.text();
  } catch (error) {
    throw new Error(why(error, timeoutMs), { cause: error });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return { status: response.status, body: parsed, text };
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
