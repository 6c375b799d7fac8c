/**
 * The route table: every endpoint the service answers. A new endpoint is one line here and a
 * handler of its own in handlers/.
 */
import type { HandlerContext } from './context.js';
import { reply } from './exchange.js';
import { createDocsHandlers, DOCS_ASSETS } from './handlers/docs.js';
import { createDriftHandler } from './handlers/drift.js';
import { createInfoHandlers } from './handlers/info.js';
import { createInvocationsHandler } from './handlers/invocations.js';
import { createPredictHandlers } from './handlers/predict.js';
import { createRolloutHandlers } from './handlers/rollout.js';
import { HttpProblem } from './problem.js';
import type { Route } from './router.js';

export type MetricsText = () => Promise<{ contentType: string; text: string }>;

export function buildRoutes(ctx: HandlerContext, metricsText: MetricsText): Route[] {
  const predict = createPredictHandlers(ctx);
  const info = createInfoHandlers(ctx);
  const docs = createDocsHandlers(ctx);
  const rollout = createRolloutHandlers(ctx);
  return [
    { method: 'GET', path: '/', handler: info.root },
    { method: 'GET', path: '/health', handler: info.health },
    { method: 'GET', path: '/contract', handler: info.contract },
    { method: 'POST', path: '/predict', handler: predict.predict },
    { method: 'POST', path: '/predict/batch', handler: predict.batch },
    { method: 'POST', path: '/invocations', handler: createInvocationsHandler(ctx) },
    { method: 'GET', path: '/drift', handler: createDriftHandler(ctx, ctx.drift ?? null) },
    { method: 'POST', path: '/feedback', handler: rollout.feedback },
    { method: 'GET', path: '/ab', handler: rollout.ab },
    { method: 'GET', path: '/ping', handler: info.ping },
    { method: 'GET', path: '/version', handler: info.version },
    { method: 'GET', path: '/openapi.json', handler: docs.openapi },
    { method: 'GET', path: '/docs', handler: docs.page },
    ...Object.keys(DOCS_ASSETS).map((path): Route => ({
      method: 'GET',
      path,
      handler: docs.asset,
    })),
    {
      method: 'GET',
      path: '/metrics',
      handler: async (ex) => {
        const { contentType, text } = await metricsText().catch((error: Error) => {
          throw new HttpProblem(503, `metrics are not available right now: ${error.message}`);
        });
        reply(ctx, ex, 200, contentType, text);
      },
    },
  ];
}
