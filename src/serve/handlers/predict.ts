/** POST /predict and POST /predict/batch: the workshop contract. */
import { readBody, readBodyThen, bodyKind, parseJson } from '../body.js';
import type { HandlerContext } from '../context.js';
import { failExchange, replyJson, type Exchange } from '../exchange.js';
import { HttpProblem } from '../problem.js';
import { CLASSES, FEATURES, type FeatureName, type ServedModel } from '../served-model.js';
import { check, validationProblem } from '../validation.js';
import type { Variant } from '../../rollout/routing.js';

export function noModelProblem(): HttpProblem {
  return new HttpProblem(
    503,
    'no model is loaded yet; train and register one (irisops train), then promote it or send SIGHUP',
    {
      errors: [{ path: '', message: 'no model is loaded' }],
    },
  );
}

/** The model for this request, read once so a hot reload cannot change it mid-way. */
export function modelFor(ctx: HandlerContext, ex: Exchange): ServedModel {
  const model = ctx.holder.current;
  if (!model) throw noModelProblem();
  ex.modelVersion = model.version;
  return model;
}

/** The variant that answers this request (src/rollout/routing.ts) and its model, read once. */
export function variantFor(
  ctx: HandlerContext,
  ex: Exchange,
): { variant: Variant; model: ServedModel } {
  const { variant, model } = ctx.variants.pick(ex);
  if (!model) throw noModelProblem();
  ex.modelVersion = model.version;
  return { variant, model };
}

export function fillFeatures(
  x: Float64Array,
  order: readonly FeatureName[],
  features: Record<FeatureName, number>,
): void {
  for (let i = 0; i < order.length; i++) x[i] = features[order[i] as FeatureName];
}

export async function readJsonBody(ctx: HandlerContext, ex: Exchange): Promise<unknown> {
  bodyKind(ex.req.headers['content-type'], false);
  return parseJson(await readBody(ex.req, ctx.maxBody));
}

export function createPredictHandlers(ctx: HandlerContext) {
  // one request is handled synchronously from here to its answer: scratch space is safe to share
  const x = new Float64Array(FEATURES.length);
  const votes = new Int32Array(CLASSES.length);

  // the busiest route: no promise and no async chain between the body and the answer;
  // failures go straight to the problem answer the dispatcher would give
  function predict(ex: Exchange): void {
    bodyKind(ex.req.headers['content-type'], false);
    readBodyThen(ex.req, ctx.maxBody, (error, bytes) => {
      if (error) return failExchange(ctx, ex, error);
      try {
        const body = check(ctx.validators.predict, parseJson(bytes));
        const { variant, model } = variantFor(ctx, ex);
        fillFeatures(x, model.inputOrder, body.features);
        const c = model.predictor.predictInto(x, votes);
        ctx.metrics?.countPredictions(model.predictor.classLabels[c] as string, 1);
        ctx.observer?.observe(ex, model, x, c);
        const v = ctx.variants;
        replyJson(
          ctx,
          ex,
          200,
          v.withVariant(model.predictionJson(c, votes), variant),
          v.headers(variant),
        );
        v.answered(ex, variant, c, body.features);
      } catch (failure) {
        failExchange(ctx, ex, failure);
      }
    });
  }

  async function batch(ex: Exchange): Promise<void> {
    const raw = await readJsonBody(ctx, ex);
    const instances = (raw as { instances?: unknown } | null)?.instances;
    // checked before the schema so an oversized batch is not validated item by item
    if (Array.isArray(instances) && instances.length > ctx.maxBatch) {
      throw validationProblem([
        {
          path: '/instances',
          message: `must NOT have more than ${ctx.maxBatch} items (--max-batch)`,
        },
      ]);
    }
    const body = check(ctx.validators.batch, raw);
    const { variant, model } = variantFor(ctx, ex);
    const counts = new Int32Array(CLASSES.length);
    let out = '{"predictions":[';
    body.instances.forEach((features, i) => {
      fillFeatures(x, model.inputOrder, features);
      const c = model.predictor.predictInto(x, votes);
      counts[c] = (counts[c] as number) + 1;
      ctx.observer?.observe(ex, model, x, c);
      out += (i === 0 ? '' : ',') + model.batchItemJson(c, votes);
    });
    out += `],"model_version":${model.versionJson}}`;
    counts.forEach(
      (n, c) => n > 0 && ctx.metrics?.countPredictions(model.predictor.classLabels[c] as string, n),
    );
    replyJson(ctx, ex, 200, out, ctx.variants.headers(variant));
    ctx.variants.counted(ex, variant, counts.entries());
  }

  return { predict, batch };
}
