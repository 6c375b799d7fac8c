/** POST /feedback (true labels for earlier answers) and GET /ab (the A/B verdict). */
import { figuresOf, decide } from '../../rollout/verdict.js';
import type { AbReport, FeedbackRequest, FeedbackResponse } from '../../schemas/generated.js';
import type { HandlerContext } from '../context.js';
import { replyJson, type Exchange } from '../exchange.js';
import { CLASSES } from '../served-model.js';
import { check } from '../validation.js';
import type { ServeVariants, VariantSource } from '../variants.js';
import { readJsonBody } from './predict.js';

function identity(v: VariantSource) {
  const m = v.holder.current;
  return {
    loaded: m !== null,
    model_name: m?.source.name ?? null,
    model_version: m?.version ?? null,
    model_uri: v.uri,
  };
}

export function abReport(variants: ServeVariants): AbReport {
  const champion = variants.feedback.tally('champion');
  const challenger = variants.feedback.tally('challenger');
  const s = variants.shadowTally;
  return {
    split_percent: variants.challenger?.splitPercent ?? null,
    feedback_window: variants.feedback.capacity,
    champion: { ...identity(variants.champion), ...figuresOf(champion) },
    challenger: variants.challenger
      ? { ...identity(variants.challenger), ...figuresOf(challenger) }
      : null,
    shadow: variants.shadow
      ? {
          ...identity(variants.shadow),
          percent: variants.shadow.percent,
          ...s,
          agreement: s.compared === 0 ? null : s.agreed / s.compared,
        }
      : null,
    test: decide(champion, challenger),
  };
}

export function createRolloutHandlers(ctx: HandlerContext) {
  async function feedback(ex: Exchange): Promise<void> {
    const body: FeedbackRequest = check(ctx.validators.feedback, await readJsonBody(ctx, ex));
    const items =
      body.items ??
      (body.request_id !== undefined && body.label !== undefined
        ? [{ request_id: body.request_id, label: body.label }]
        : []);
    const result: FeedbackResponse = {
      received: items.length,
      matched: 0,
      unmatched: [],
      duplicates: [],
    };
    for (const item of items) {
      const outcome = ctx.variants.label(item.request_id, CLASSES.indexOf(item.label)).outcome;
      if (outcome === 'matched') result.matched += 1;
      else if (outcome === 'duplicate') result.duplicates.push(item.request_id);
      else result.unmatched.push(item.request_id);
    }
    replyJson(ctx, ex, 200, JSON.stringify(result));
  }

  function ab(ex: Exchange): void {
    replyJson(ctx, ex, 200, JSON.stringify(abReport(ctx.variants)));
  }

  return { feedback, ab };
}
