/**
 * The web UI's handlers: how answers are written, what the routes share (the write guard,
 * the query-string state, the promotion); routes.ts builds the route table on them. Errors become a
 * page with the message and its hint, or an RFC 9457 problem document on the API.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  InvalidParameterError,
  IrisopsError,
  NotFoundError,
  PromotionRefusedError,
  StoreUnavailableError,
  UsageError,
} from '../errors.js';
import type { PromoteResult, UiAliasRequest } from '../schemas/types.js';
import { HttpProblem, problemBody, PROBLEM_CONTENT_TYPE } from '../serve/problem.js';
import { promoteAlias } from '../tracking/promote.js';
import { sameOrigin, tokensMatch } from './guard.js';
import { html, type Html } from './html.js';
import { layout, notice, type PageFrame } from './layout.js';
import type { RegistryState } from './pages-registry.js';
import type { RunsState } from './pages-runs.js';
import * as q from './queries.js';

export interface UiExchange {
  req: IncomingMessage;
  res: ServerResponse;
  path: string;
  params: URLSearchParams;
}

export type UiHandler = (ex: UiExchange) => Promise<void>;

export interface HandlerOptions extends q.UiDeps {
  readOnly: boolean;
  defaultAlias: string;
  token: string;
  url: string;
  /** who moves an alias through the form, and the clock: recorded in the alias history */
  user: string;
  now: () => number;
}

type Outcome = NonNullable<RegistryState['outcome']>;

const PAGE_SIZE = 100;
const MAX_PAGE_SIZE = 1000;
export const MAX_BODY = 16 * 1024;

export function statusOf(error: unknown): number {
  if (error instanceof HttpProblem) return error.status;
  if (error instanceof NotFoundError) return 404;
  if (error instanceof InvalidParameterError || error instanceof UsageError) return 400;
  if (error instanceof PromotionRefusedError) return 409;
  if (error instanceof StoreUnavailableError) return 503;
  return 500;
}

function messageOf(error: unknown): { message: string; hint?: string } {
  if (error instanceof IrisopsError) return { message: error.message, hint: error.hint };
  return { message: `unexpected error: ${(error as Error).message}` };
}

function intParam(params: URLSearchParams, name: string, fallback: number, max: number): number {
  const text = params.get(name);
  if (text === null || text === '') return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0 || n > max)
    throw new InvalidParameterError(
      `${name} must be a whole number from 0 to ${max}, got "${text}"`,
    );
  return n;
}

export function required(params: URLSearchParams, name: string, what: string): string {
  const value = params.get(name);
  if (!value) throw new InvalidParameterError(`${what} is missing: add ?${name}=… to the URL`);
  return value;
}

/** How every answer is written: a page in the shared frame, JSON, or a refusal. */
export function createResponder(o: HandlerOptions) {
  const frame = (title: string, section: PageFrame['section']): PageFrame => ({
    title,
    section,
    storeUri: o.store.displayUri,
    readOnly: o.readOnly,
  });
  const send = (ex: UiExchange, status: number, type: string, body: string | Buffer) => {
    ex.res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body) });
    ex.res.end(ex.req.method === 'HEAD' ? undefined : body);
  };
  const page = (ex: UiExchange, f: PageFrame, body: Html, status = 200) =>
    send(ex, status, 'text/html; charset=utf-8', layout(f, body));
  const json = (ex: UiExchange, value: unknown, status = 200) =>
    send(ex, status, 'application/json; charset=utf-8', JSON.stringify(value));

  const refuse = (ex: UiExchange, status: number, message: string, hint?: string) => {
    if (ex.path.startsWith('/api/')) {
      const body = problemBody(status, hint ? `${message} (${hint})` : message, [], ex.path);
      send(ex, status, PROBLEM_CONTENT_TYPE, body);
      return;
    }
    page(
      ex,
      frame('Error', 'experiments'),
      html`<h1>Error ${status}</h1>
        ${notice('error', message, hint)}
        <p><a href="/">experiments</a></p>`,
      status,
    );
  };
  const run = (ex: UiExchange, handler: UiHandler) => {
    handler(ex).catch((error: unknown) => {
      if (ex.res.headersSent) {
        ex.res.destroy();
        return;
      }
      const { message, hint } = messageOf(error);
      refuse(ex, statusOf(error), message, hint);
    });
  };

  return { frame, send, page, json, refuse, run };
}

/** What several routes share: the write guard, the query-string state, the promotion. */
export function createKit(o: HandlerOptions) {
  const outcomes = new Map<string, Outcome>();
  /** Not read-only, from our own origin, with the token our pages carry. */
  const guardWrite = (ex: UiExchange, token: string | undefined) => {
    if (o.readOnly)
      throw new HttpProblem(403, 'this UI was started with --read-only: alias moves are off');
    if (!sameOrigin(ex.req))
      throw new HttpProblem(403, 'refused: the request does not come from this UI (cross-origin)');
    if (!tokensMatch(o.token, token))
      throw new HttpProblem(403, 'refused: missing or wrong CSRF token; reload the page');
  };

  const runsState = async (ex: UiExchange): Promise<RunsState> => {
    const experimentId = required(ex.params, 'experiment', 'the experiment');
    const experiment = await o.store.getExperiment(experimentId);
    return {
      experimentId,
      experimentName: experiment.name,
      filter: ex.params.get('filter') ?? '',
      sort: ex.params.get('sort') ?? '',
      offset: intParam(ex.params, 'offset', 0, 1_000_000),
      limit: Math.max(1, intParam(ex.params, 'limit', PAGE_SIZE, MAX_PAGE_SIZE)),
    };
  };
  const runsQuery = (s: RunsState): q.RunsQuery => ({
    experimentId: s.experimentId,
    filter: s.filter || undefined,
    sort: s.sort || undefined,
    offset: s.offset,
    limit: s.limit,
  });
  const compareState = (ex: UiExchange) => ({
    runIds: ex.params.getAll('run'),
    onlyDifferences: ex.params.get('diff') === '1',
    x: ex.params.get('x'),
  });

  const promote = async (request: UiAliasRequest): Promise<PromoteResult> => {
    const { result } = await promoteAlias(o.store, {
      name: request.model,
      version: request.version,
      alias: request.alias,
      ifBetter: request.if_better ? 'metrics.accuracy' : undefined,
      record: { user: o.user, time: o.now(), via: 'ui' },
    });
    return result;
  };
  const remember = (outcome: Outcome): string => {
    const id = randomBytes(9).toString('base64url');
    outcomes.set(id, outcome);
    // a bounded memory: the oldest outcomes go first
    for (const key of outcomes.keys()) if (outcomes.size > 100) outcomes.delete(key);
    return id;
  };

  return { o, outcomes, guardWrite, runsState, runsQuery, compareState, promote, remember };
}

export type UiKit = ReturnType<typeof createResponder> & ReturnType<typeof createKit>;
