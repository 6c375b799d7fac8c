/**
 * Exact-path routing: a fixed table, so no request path ever becomes a file path or a
 * regular expression. Unknown paths are 404, known paths with another method 405 + Allow.
 */
import type { Exchange } from './exchange.js';

export type Handler = (ex: Exchange) => void | Promise<void>;

/** Generic over the handler so the web UI (src/ui) routes its own exchanges the same way. */
export interface Route<H = Handler> {
  method: 'GET' | 'POST';
  path: string;
  handler: H;
}

export type Match<H = Handler> =
  | { kind: 'found'; route: Route<H> }
  | { kind: 'not-found' }
  | { kind: 'method-not-allowed'; allow: string };

export function createRouter<H = Handler>(
  routes: Route<H>[],
): (method: string, path: string) => Match<H> {
  const table = new Map<string, Map<string, Route<H>>>();
  for (const route of routes) {
    let byMethod = table.get(route.path);
    if (!byMethod) table.set(route.path, (byMethod = new Map()));
    byMethod.set(route.method, route);
    // HEAD is GET without a body
    if (route.method === 'GET') byMethod.set('HEAD', route);
  }
  const allowOf = new Map(
    [...table].map(([path, byMethod]) => [path, [...byMethod.keys()].join(', ')]),
  );
  return (method, path) => {
    const byMethod = table.get(path);
    if (!byMethod) return { kind: 'not-found' };
    const route = byMethod.get(method);
    if (route) return { kind: 'found', route };
    return { kind: 'method-not-allowed', allow: allowOf.get(path) ?? '' };
  };
}
