/**
 * Request bodies: bounded in size, decoded as strict UTF-8, parsed as JSON. Each failure is
 * the status SPEC.md's error table gives it (413, 400, 422 for a missing body).
 */
import type { IncomingMessage } from 'node:http';
import { HttpProblem } from './problem.js';

/** The client went away before its body arrived: nobody is left to answer. */
export class ClientGoneError extends Error {}

/**
 * Reads the whole body, at most `limit` bytes, then calls `done` once. Callback-shaped so the
 * hot path (/predict) pays for no promise chain; readBody wraps it for everything else.
 */
export function readBodyThen(
  req: IncomingMessage,
  limit: number,
  done: (error: Error | null, body: Buffer) => void,
): void {
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > limit) {
    done(tooLarge(limit), EMPTY);
    return;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  let finished = false;
  const finish = (error: Error | null) => {
    if (finished) return;
    finished = true;
    if (error) {
      // the request may live on (a 413 answer is written to it): stop listening
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('close', onClose);
      done(error, EMPTY);
      return;
    }
    // after 'end' the request is done with and its listeners go with it: three removals a
    // request were measurable on /predict, and the late 'close' finds `finished` set
    done(null, chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size));
  };
  const onData = (chunk: Buffer) => {
    size += chunk.length;
    if (size > limit) {
      // stop buffering; the rest of the body is never read, so the socket is closed after the answer
      req.pause();
      finish(tooLarge(limit));
      return;
    }
    chunks.push(chunk);
  };
  const onEnd = () => finish(null);
  // 'close' also comes after every request that ended well (the listeners stay on, see
  // finish): an Error made there regardless cost ~14 µs a request for its stack. No 'error'
  // listener: a request emits 'error' only to listeners, and an aborted one always closes.
  const onClose = () => {
    if (!finished) finish(new ClientGoneError('connection closed before the body ended'));
  };
  req.on('data', onData);
  req.on('end', onEnd);
  req.on('close', onClose);
}

const EMPTY = Buffer.alloc(0);

export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    readBodyThen(req, limit, (error, body) => (error ? reject(error) : resolve(body))),
  );
}

function tooLarge(limit: number): HttpProblem {
  return new HttpProblem(
    413,
    `the request body is larger than the ${limit}-byte limit (--max-body)`,
    {
      errors: [{ path: '', message: `must be at most ${limit} bytes` }],
      closeConnection: true,
    },
  );
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

export function decodeUtf8(bytes: Buffer): string {
  const text = bytes.toString('utf8');
  // toString replaces invalid sequences with U+FFFD; only then pay for the strict decoder,
  // which tells a replaced byte from a real U+FFFD the client sent
  if (text.includes('\uFFFD')) {
    try {
      strictUtf8.decode(bytes);
    } catch {
      throw new HttpProblem(400, 'the request body is not valid UTF-8', {
        errors: [{ path: '', message: 'must be UTF-8 text' }],
      });
    }
  }
  return text;
}

export function parseJson(bytes: Buffer): unknown {
  if (bytes.length === 0) {
    // FastAPI answers a missing body with 422 "Field required"; keep that status
    throw new HttpProblem(422, 'the request has no body; a JSON body is required', {
      errors: [{ path: '', message: 'is required' }],
    });
  }
  const text = decodeUtf8(bytes);
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new HttpProblem(400, 'the request body is not valid JSON', {
      errors: [{ path: '', message: (error as Error).message }],
    });
  }
}

export type BodyKind = 'json' | 'csv';

/**
 * application/json and any +json type are JSON; a missing content type is read as JSON too,
 * as FastAPI did, so clients that never set one keep working. Anything else is 415.
 */
export function bodyKind(contentType: string | undefined, allowCsv: boolean): BodyKind {
  if (contentType === undefined || contentType === '') return 'json';
  const semi = contentType.indexOf(';');
  const media = (semi === -1 ? contentType : contentType.slice(0, semi)).trim().toLowerCase();
  let kind: BodyKind | null = null;
  if (media === 'application/json' || (media.startsWith('application/') && media.endsWith('+json')))
    kind = 'json';
  else if (allowCsv && media === 'text/csv') kind = 'csv';
  if (kind && semi !== -1) {
    const charset = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(contentType)?.[1]?.toLowerCase();
    if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') kind = null;
  }
  if (!kind) {
    const accepted = allowCsv ? 'application/json or text/csv' : 'application/json';
    throw new HttpProblem(
      415,
      `content type ${JSON.stringify(contentType)} is not accepted; send ${accepted} (UTF-8)`,
      {
        errors: [{ path: '', message: `content-type must be ${accepted}` }],
        headers: { 'accept-post': allowCsv ? 'application/json, text/csv' : 'application/json' },
      },
    );
  }
  return kind;
}
