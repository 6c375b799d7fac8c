/**
 * Why an HTTP attempt failed, in words a person can act on, and whether another attempt
 * could succeed: a refused port, an unknown host or a rejected certificate cannot.
 */

function causeCode(error: unknown): string {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && code !== '') return code;
    current = current.cause;
  }
  return error instanceof Error ? error.name : 'network error';
}

export class Transient extends Error {
  constructor(
    message: string,
    readonly retryAfterMs: number | undefined,
    readonly kind: 'connection' | 'timeout' | 'status',
    /** what the failure means, for a person; '' when the code says it all */
    readonly reason = '',
    /** retrying cannot help (a refused port, an unknown host, a rejected certificate) */
    readonly permanent = false,
    readonly hint?: string,
  ) {
    super(message);
  }
}

const TLS_CODES = new Set([
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

function causeMessages(error: unknown): string[] {
  const messages: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth += 1) {
    messages.push(current.message);
    current = current.cause;
  }
  return messages;
}

/** Names why a request never got an answer, and whether trying again could change that. */
export function connectionFailure(
  error: unknown,
  url: URL,
  redact: (text: string) => string,
): Transient {
  const code = causeCode(error);
  const connection = (reason: string, permanent = false, hint?: string): Transient =>
    new Transient(redact(code), undefined, 'connection', reason, permanent, hint);
  if (causeMessages(error).includes('bad port')) {
    // fetch (undici) blocks the WHATWG "bad ports" (1, 9, 22, 25, 6000, ...) before connecting.
    return new Transient(
      'bad port',
      undefined,
      'connection',
      `fetch refuses to connect to port ${url.port}, one of the ports it blocks`,
      true,
      'run the MLflow server on another port (mlflow server --port 5000) and pass that URL',
    );
  }
  if (code === 'ECONNREFUSED') return connection('connection refused: nothing listens there');
  if (code === 'ENOTFOUND')
    return connection(
      `host not found: DNS has no address for ${url.hostname}`,
      true,
      'check the host name in --tracking-uri (or MLFLOW_TRACKING_URI)',
    );
  if (code === 'EAI_AGAIN') return connection(`DNS lookup of ${url.hostname} failed for now`);
  if (code === 'ECONNRESET') return connection('the connection was reset');
  if (TLS_CODES.has(code))
    return connection(
      "the server's TLS certificate was rejected",
      true,
      'set MLFLOW_TRACKING_SERVER_CERT_PATH to the CA bundle that signed it (or, to skip the check, MLFLOW_TRACKING_INSECURE_TLS=true)',
    );
  return connection('');
}
