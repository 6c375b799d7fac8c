/** GET /, /health, /contract, /ping, /version: what the service is and whether it can answer. */
import { loadSchema } from '../../schemas/index.js';
import type { Health, ServiceInfo } from '../../schemas/generated.js';
import type { HandlerContext } from '../context.js';
import { reply, replyJson, type Exchange } from '../exchange.js';
import { noModelProblem } from './predict.js';

export const ENDPOINTS = {
  health: '/health',
  predict: '/predict',
  predict_batch: '/predict/batch',
  feedback: '/feedback',
  ab: '/ab',
  invocations: '/invocations',
  contract: '/contract',
  docs: '/docs',
  openapi: '/openapi.json',
  metrics: '/metrics',
  drift: '/drift',
  ping: '/ping',
  version: '/version',
};

/** The schema files with their $refs inlined: a client needs nothing else to read them. */
function contractJson(): string {
  return JSON.stringify({
    input_schema: loadSchema('predict-request'),
    output_schema: loadSchema('predict-response'),
  });
}

export function createInfoHandlers(ctx: HandlerContext) {
  const contract = contractJson();

  function health(ex: Exchange): void {
    const model = ctx.holder.current;
    const healthy = model !== null && !ctx.state.draining;
    const body: Health = {
      status: healthy ? 'healthy' : 'unhealthy',
      model_loaded: model !== null,
      model_version: model?.version ?? null,
      model_name: model?.source.name ?? null,
      model_alias: model?.source.alias ?? null,
      model_uri: model?.source.uri ?? null,
      model_digest: model?.source.digest ?? null,
      run_id: model?.source.runId ?? null,
      draining: ctx.state.draining,
      uptime_seconds: Math.max(0, (ctx.now() - ctx.state.startedAt) / 1000),
      variants: ctx.variants.listing(),
    };
    ex.modelVersion = body.model_version;
    replyJson(ctx, ex, healthy ? 200 : 503, JSON.stringify(body));
  }

  function root(ex: Exchange): void {
    const body: ServiceInfo = {
      service: 'irisops',
      version: ctx.serviceVersion,
      status: ctx.state.draining ? 'draining' : 'running',
      model_version: ctx.holder.current?.version ?? null,
      endpoints: ENDPOINTS,
      variants: ctx.variants.listing(),
    };
    replyJson(ctx, ex, 200, JSON.stringify(body));
  }

  return {
    root,
    health,
    contract: (ex: Exchange) => replyJson(ctx, ex, 200, contract),
    // MLflow's scoring server answers /ping with a newline when it can serve
    ping(ex: Exchange) {
      if (!ctx.holder.current) throw noModelProblem();
      reply(ctx, ex, 200, 'application/json', '\n');
    },
    version: (ex: Exchange) => reply(ctx, ex, 200, 'text/plain; charset=utf-8', ctx.serviceVersion),
  };
}
