/**
 * The serving side of a rollout: the champion, challenger and shadow model holders, which
 * one answers a request (src/rollout/routing.ts decides), the feedback window, and the
 * shadow predictions made after an answer has left. Without --challenger and --shadow it is
 * a champion-only set: answers are unchanged, feedback still counts the champion's accuracy.
 */
import { performance } from 'node:perf_hooks';
import { FeedbackWindow, type LabelResult } from '../rollout/feedback.js';
import {
  createAssigner,
  createShadowSampler,
  isVariant,
  type Assigner,
  type Variant,
} from '../rollout/routing.js';
import type { Health } from '../schemas/generated.js';
import type { Exchange } from './exchange.js';
import type { Logger } from './logger.js';
import type { ModelHolder } from './model-holder.js';
import { HttpProblem } from './problem.js';
import { ownSequence } from './request-id.js';
import { CLASSES, type FeatureName, type ServedModel } from './served-model.js';
import { registerVariantMetrics, type VariantMetrics } from './variant-metrics.js';
import type { Registry } from 'prom-client';

export type Features = Record<FeatureName, number>;
/** How the shadow predicts: tests swap in one that throws or is slow. */
export type ShadowPredict = (model: ServedModel, features: Features) => number | Promise<number>;

export interface VariantSource {
  holder: ModelHolder;
  /** the URI as given on the command line */
  uri: string;
}

export interface ServeVariantsOptions {
  champion: VariantSource;
  challenger?: (VariantSource & { splitPercent: number }) | null;
  shadow?: (VariantSource & { percent: number }) | null;
  feedbackWindow?: number;
  registry?: Registry | null;
  logger: Logger;
  rng?: () => number;
  shadowPredict?: ShadowPredict;
  /** shadow predictions waiting at once; beyond it a sampled request is skipped */
  maxPendingShadow?: number;
}

export interface ShadowTally {
  compared: number;
  agreed: number;
  failed: number;
  skipped: number;
}

const predictWithModel: ShadowPredict = (model, features) => {
  const x = new Float64Array(model.inputOrder.length);
  model.inputOrder.forEach((name, i) => (x[i] = features[name]));
  return model.predictor.predictInto(x, new Int32Array(CLASSES.length));
};

export class ServeVariants {
  readonly champion: VariantSource;
  readonly challenger: (VariantSource & { splitPercent: number }) | null;
  readonly shadow: (VariantSource & { percent: number }) | null;
  readonly feedback: FeedbackWindow;
  readonly shadowTally: ShadowTally = { compared: 0, agreed: 0, failed: 0, skipped: 0 };
  /** answers carry x-model-variant and a variant field only when there is a rollout */
  readonly reporting: boolean;
  private readonly assigner: Assigner | null;
  private readonly sampleShadow: () => boolean;
  private readonly shadowPredict: ShadowPredict;
  private readonly metrics: VariantMetrics | null;
  private readonly logger: Logger;
  private readonly maxPendingShadow: number;
  private pendingShadow = 0;

  constructor(o: ServeVariantsOptions) {
    this.champion = o.champion;
    this.challenger = o.challenger ?? null;
    this.shadow = o.shadow ?? null;
    this.reporting = this.challenger !== null || this.shadow !== null;
    this.feedback = new FeedbackWindow(o.feedbackWindow, ownSequence);
    this.assigner = this.challenger ? createAssigner(this.challenger.splitPercent, o.rng) : null;
    this.sampleShadow = this.shadow ? createShadowSampler(this.shadow.percent, o.rng) : () => false;
    this.shadowPredict = o.shadowPredict ?? predictWithModel;
    this.logger = o.logger;
    this.maxPendingShadow = o.maxPendingShadow ?? 1000;
    this.metrics = o.registry
      ? registerVariantMetrics(o.registry, () => ({
          champion: this.accuracy('champion'),
          ...(this.challenger ? { challenger: this.accuracy('challenger') } : {}),
        }))
      : null;
  }

  private accuracy(variant: Variant): number | null {
    const t = this.feedback.tally(variant);
    return t.labelled === 0 ? null : t.correct / t.labelled;
  }

  holders(): ModelHolder[] {
    return [this.champion, this.challenger, this.shadow]
      .filter((v): v is VariantSource => v !== null)
      .map((v) => v.holder);
  }

  /** The variant and model for a request; throws a 4xx/503 problem when it cannot answer. */
  pick(ex: Exchange): { variant: Variant; model: ServedModel | null } {
    const header = ex.req.headers['x-variant'];
    let forced: Variant | undefined;
    if (header !== undefined) {
      if (!isVariant(header))
        throw new HttpProblem(400, 'x-variant must be champion or challenger', {
          errors: [{ path: 'x-variant', message: 'must be champion or challenger' }],
        });
      forced = header;
    }
    const challenger = this.challenger?.holder.current ?? null;
    if (forced === 'challenger' && !challenger)
      throw new HttpProblem(503, 'x-variant: challenger, but no challenger model is loaded', {
        errors: [{ path: 'x-variant', message: 'the challenger is not loaded' }],
      });
    const subject = ex.req.headers['x-subject-id'];
    const variant = this.assigner
      ? this.assigner.assign({
          subject: typeof subject === 'string' ? subject : undefined,
          forced,
          challengerReady: challenger !== null,
        })
      : 'champion';
    return {
      variant,
      model: variant === 'challenger' ? challenger : this.champion.holder.current,
    };
  }

  /** The /predict body with the variant added (the output schema's optional field). */
  withVariant(json: string, variant: Variant | null): string {
    return variant && this.reporting ? `${json.slice(0, -1)},"variant":"${variant}"}` : json;
  }

  headers(variant: Variant | null): Record<string, string> | undefined {
    return variant && this.reporting ? { 'x-model-variant': variant } : undefined;
  }

  /** After a /predict answer has been written: feedback, metrics, maybe the shadow. */
  answered(ex: Exchange, variant: Variant, predicted: number, features: Features): void {
    this.feedback.recordAnswer(ex.id, variant, predicted, ex.sequence);
    if (this.metrics) {
      this.metrics.request(variant, (performance.now() - ex.started) / 1000);
      this.metrics.predicted(variant, CLASSES[predicted] as string, 1);
    }
    if (this.shadow && this.sampleShadow()) this.runShadow(ex.id, predicted, features);
  }

  /** After a batch or /invocations answer: metrics only (feedback matches single answers). */
  counted(ex: Exchange, variant: Variant, classCounts: Iterable<[number, number]>): void {
    if (!this.metrics) return;
    this.metrics.request(variant, (performance.now() - ex.started) / 1000);
    for (const [c, n] of classCounts)
      if (n > 0) this.metrics.predicted(variant, CLASSES[c] as string, n);
  }

  label(requestId: string, trueClass: number): LabelResult {
    const result = this.feedback.label(requestId, trueClass);
    if (result.outcome === 'matched')
      this.metrics?.feedback(result.variant as Variant, result.correct === true);
    return result;
  }

  private runShadow(requestId: string, answered: number, features: Features): void {
    const model = this.shadow?.holder.current;
    if (!model) return;
    if (this.pendingShadow >= this.maxPendingShadow) {
      this.shadowTally.skipped += 1;
      this.metrics?.shadow('skipped');
      return;
    }
    this.pendingShadow += 1;
    // the answer is already written; the shadow runs on a later turn of the event loop
    setImmediate(() => {
      void (async () => this.shadowPredict(model, features))()
        .then((c) => {
          const agree = c === answered;
          this.shadowTally.compared += 1;
          if (agree) this.shadowTally.agreed += 1;
          this.metrics?.shadow(agree ? 'agree' : 'disagree');
        })
        .catch((error: unknown) => {
          this.shadowTally.failed += 1;
          this.metrics?.shadow('failed');
          this.logger.log('warn', 'shadow prediction failed', {
            request_id: requestId,
            error: error instanceof Error ? error.message : String(error),
          });
        })
        .finally(() => {
          this.pendingShadow -= 1;
        });
    });
  }

  /** What /health and / list; undefined without a rollout (their bodies stay as before). */
  listing(): Health['variants'] {
    if (!this.reporting) return undefined;
    const entry = (
      variant: 'champion' | 'challenger' | 'shadow',
      v: VariantSource,
      percent?: number,
    ) => {
      const m = v.holder.current;
      return {
        variant,
        loaded: m !== null,
        model_name: m?.source.name ?? null,
        model_version: m?.version ?? null,
        model_uri: m?.source.uri ?? v.uri,
        ...(percent === undefined ? {} : { percent }),
      };
    };
    const split = this.challenger?.splitPercent ?? 0;
    return [
      entry('champion', this.champion, this.challenger ? 100 - split : 100),
      ...(this.challenger ? [entry('challenger', this.challenger, split)] : []),
      ...(this.shadow ? [entry('shadow', this.shadow, this.shadow.percent)] : []),
    ];
  }
}
