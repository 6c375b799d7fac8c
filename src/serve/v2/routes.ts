/**
 * The /v2 routes. The three fixed paths join the server's exact-path table; the model
 * paths carry a name and a version, so they are matched here segment by segment (never
 * as a regular expression or a file path), and each reports its pattern as the route, so
 * the metrics' route label stays bounded.
 */
import type { HandlerContext } from '../context.js';
import type { Exchange } from '../exchange.js';
import type { Match, Route } from '../router.js';
import { replyV2Error } from './errors.js';
import { createV2Handlers, type ModelRef, type V2Options } from './handlers.js';

type ModelHandler = (ex: Exchange, ref: ModelRef) => void | Promise<void>;

const MODELS = '/v2/models/';
const NOT_FOUND: Match = { kind: 'not-found' };

export function createV2Routes(ctx: HandlerContext, options: V2Options) {
  const h = createV2Handlers(ctx, options);

  /** Every /v2 answer, error or not, leaves in the protocol's shape. */
  const guarded =
    (handler: (ex: Exchange) => void | Promise<void>) =>
    async (ex: Exchange): Promise<void> => {
      try {
        await handler(ex);
      } catch (error) {
        replyV2Error(ctx, ex, error);
      }
    };

  const routes: Route[] = [
    { method: 'GET', path: '/v2', handler: guarded(h.server) },
    { method: 'GET', path: '/v2/health/live', handler: guarded(h.live) },
    { method: 'GET', path: '/v2/health/ready', handler: guarded(h.ready) },
  ];

  const tails: Record<string, { method: 'GET' | 'POST'; handler: ModelHandler }> = {
    '': { method: 'GET', handler: h.metadata },
    '/ready': { method: 'GET', handler: h.modelReady },
    '/infer': { method: 'POST', handler: h.infer },
  };

  /** /v2/models/{name}[/versions/{version}][/ready|/infer] */
  function match(method: string, path: string): Match {
    if (!path.startsWith(MODELS)) return NOT_FOUND;
    const parts = path.slice(MODELS.length).split('/');
    const name = decode(parts[0]);
    if (!name) return NOT_FOUND;
    let version: string | null = null;
    let rest = parts.slice(1);
    let pattern = `${MODELS}{name}`;
    if (rest[0] === 'versions') {
      version = decode(rest[1]);
      if (!version) return NOT_FOUND;
      rest = rest.slice(2);
      pattern += '/versions/{version}';
    }
    if (rest.length > 1) return NOT_FOUND;
    const tail = rest.length === 0 ? '' : `/${rest[0]}`;
    const entry = tails[tail];
    if (!entry) return NOT_FOUND;
    const allowed = entry.method === 'GET' ? ['GET', 'HEAD'] : ['POST'];
    if (!allowed.includes(method)) return { kind: 'method-not-allowed', allow: allowed.join(', ') };
    const ref: ModelRef = { name, version };
    return {
      kind: 'found',
      route: {
        method: entry.method,
        path: pattern + tail,
        handler: guarded((ex) => entry.handler(ex, ref)),
      },
    };
  }

  return { routes, match };
}

/** A path segment, percent-decoded; empty or undecodable is no segment at all. */
function decode(segment: string | undefined): string | null {
  if (!segment) return null;
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}
