/**
 * The Open Inference Protocol (KServe V2) endpoints over the served model: server and model
 * metadata, liveness and readiness, and infer. A request names the model it wants; a name or
 * version this server does not serve is 404, so a client can never be answered by another
 * model than the one it asked for.
 */
import { requestValidatorFor } from '../../schemas/index.js';
import type {
  V2Health,
  V2InferRequest,
  V2ModelMetadata,
  V2ModelReady,
  V2ServerMetadata,
} from '../../schemas/generated.js';
import { readJsonBody } from '../handlers/predict.js';
import type { HandlerContext } from '../context.js';
import { replyJson, type Exchange } from '../exchange.js';
import { CLASSES, FEATURES, type ServedModel } from '../served-model.js';
import { issuesOf } from '../validation.js';
import type { Issue } from '../problem.js';
import { v2Error } from './errors.js';
import { rowsOf } from './tensors.js';

export interface V2Options {
  /** the name a model served from runs:/ answers to (it has no registered name) */
  modelName: string;
}

export interface ModelRef {
  name: string;
  /** null: whichever version is served */
  version: string | null;
}

const OUTPUTS = ['predictions', 'probabilities', 'labels'] as const;
type OutputName = (typeof OUTPUTS)[number];

function metadataOf(name: string, model: ServedModel): V2ModelMetadata {
  return {
    name,
    versions: [model.version],
    platform: 'irisops-random-forest',
    inputs: [
      {
        name: 'input',
        datatype: 'FP32',
        shape: [-1, FEATURES.length],
        parameters: { features: [...model.inputOrder], accepted_datatypes: ['FP32', 'FP64'] },
      },
    ],
    outputs: [
      { name: 'predictions', datatype: 'INT64', shape: [-1] },
      { name: 'probabilities', datatype: 'FP32', shape: [-1, CLASSES.length] },
      { name: 'labels', datatype: 'BYTES', shape: [-1] },
    ],
  };
}

function wantedOutputs(body: V2InferRequest): OutputName[] {
  if (!body.outputs) return [...OUTPUTS];
  const seen = new Set<OutputName>();
  const issues: Issue[] = [];
  body.outputs.forEach((o, i) => {
    if (seen.has(o.name))
      issues.push({ path: `/outputs/${i}/name`, message: `${o.name} is asked for twice` });
    seen.add(o.name);
  });
  if (issues.length > 0) throw v2Error(400, 'the outputs cannot be answered', issues);
  return body.outputs.map((o) => o.name);
}

/** The model the path names, or 404/503 saying what this server does serve. */
function servedAt(
  ctx: HandlerContext,
  options: V2Options,
  ref: ModelRef,
  ex: Exchange,
): ServedModel {
  const model = ctx.holder.current;
  if (!model)
    throw v2Error(
      503,
      'no model is loaded yet; train and register one (irisops train), then promote it',
    );
  const served = model.source.name ?? options.modelName;
  if (ref.name !== served)
    throw v2Error(404, `unknown model "${ref.name}"; this server serves "${served}"`);
  if (ref.version !== null && ref.version !== model.version)
    throw v2Error(
      404,
      `model "${served}" has no version "${ref.version}" here; this server serves version ${model.version}`,
    );
  ex.modelVersion = model.version;
  return model;
}

function inferAnswer(
  ctx: HandlerContext,
  { votes, x }: { votes: Int32Array; x: Float64Array },
  name: string,
  model: ServedModel,
  body: V2InferRequest,
  outputs: OutputName[],
  { values, n }: { values: Float64Array; n: number },
) {
  const { predictor } = model;
  const classes = new Array<number>(n);
  const shares: number[] = [];
  const counts = new Int32Array(CLASSES.length);
  for (let r = 0; r < n; r++) {
    for (let i = 0; i < x.length; i++) x[i] = values[r * x.length + i] as number;
    const c = predictor.predictInto(x, votes);
    classes[r] = c;
    counts[c] = (counts[c] as number) + 1;
    for (let k = 0; k < votes.length; k++) shares.push((votes[k] as number) / predictor.nTrees);
  }
  counts.forEach(
    (count, c) =>
      count > 0 && ctx.metrics?.countPredictions(predictor.classLabels[c] as string, count),
  );
  const tensor = {
    predictions: { name: 'predictions', datatype: 'INT64', shape: [n], data: classes },
    probabilities: {
      name: 'probabilities',
      datatype: 'FP32',
      shape: [n, CLASSES.length],
      data: shares,
    },
    labels: {
      name: 'labels',
      datatype: 'BYTES',
      shape: [n],
      data: classes.map((c) => CLASSES[c]),
    },
  };
  return {
    model_name: name,
    model_version: model.version,
    ...(body.id === undefined ? {} : { id: body.id }),
    outputs: outputs.map((o) => tensor[o]),
  };
}

export function createV2Handlers(ctx: HandlerContext, options: V2Options) {
  const validate = requestValidatorFor<V2InferRequest>('v2-infer-request');
  // reused by every request: the walk over the trees allocates nothing per row
  const scratch = { votes: new Int32Array(CLASSES.length), x: new Float64Array(FEATURES.length) };
  const nameOf = (model: ServedModel) => model.source.name ?? options.modelName;

  const modelAt = (ref: ModelRef, ex: Exchange) => servedAt(ctx, options, ref, ex);

  const json = (ex: Exchange, status: number, body: unknown) =>
    replyJson(ctx, ex, status, JSON.stringify(body));

  function server(ex: Exchange): void {
    const body: V2ServerMetadata = { name: 'irisops', version: ctx.serviceVersion, extensions: [] };
    json(ex, 200, body);
  }

  function live(ex: Exchange): void {
    json(ex, 200, { live: true } satisfies V2Health);
  }

  function ready(ex: Exchange): void {
    const ok = ctx.holder.current !== null && !ctx.state.draining;
    json(ex, ok ? 200 : 503, { ready: ok } satisfies V2Health);
  }

  function modelReady(ex: Exchange, ref: ModelRef): void {
    // not loaded yet, under the name it will have: not ready rather than unknown
    if (!ctx.holder.current && ref.name === options.modelName && ref.version === null) {
      json(ex, 503, { name: ref.name, ready: false } satisfies V2ModelReady);
      return;
    }
    const model = modelAt(ref, ex);
    const ok = !ctx.state.draining;
    json(ex, ok ? 200 : 503, { name: nameOf(model), ready: ok } satisfies V2ModelReady);
  }

  function metadata(ex: Exchange, ref: ModelRef): void {
    const model = modelAt(ref, ex);
    json(ex, 200, metadataOf(nameOf(model), model));
  }

  async function infer(ex: Exchange, ref: ModelRef): Promise<void> {
    if (ex.req.headers['inference-header-content-length'] !== undefined)
      throw v2Error(
        400,
        'the binary tensor data extension is not supported; send the tensors as JSON (tritonclient: binary_data=False)',
      );
    const raw = await readJsonBody(ctx, ex);
    if (!validate(raw))
      throw v2Error(400, 'the request body does not match the protocol', issuesOf(validate.errors));
    const model = modelAt(ref, ex);
    const outputs = wantedOutputs(raw);
    const issues: Issue[] = [];
    const rows = rowsOf(raw.inputs, model.inputOrder, ctx.maxBatch, issues);
    if (!rows) throw v2Error(400, 'the input tensors cannot be read', issues);
    json(ex, 200, inferAnswer(ctx, scratch, nameOf(model), model, raw, outputs, rows));
  }

  return { server, live, ready, modelReady, metadata, infer };
}
