/** Champion/challenger/shadow routing, feedback and /ab on a real server over real HTTP. */
import http from 'node:http';
import t, { type Test } from 'tap';
import { loadModel } from '../../src/model/load.js';
import { createMetrics, ModelHolder } from '../../src/serve/index.js';
import { ServeVariants, type ShadowPredict } from '../../src/serve/variants.js';
import { validatorFor } from '../../src/schemas/index.js';
import type { AbReport, FeedbackResponse } from '../../src/schemas/generated.js';
import type { TrackingStore } from '../../src/tracking/store.js';
import { trainedStore } from '../helpers/fixtures.js';
import {
  call,
  memoryLogger,
  postJson,
  SAMPLES,
  startTestServer,
  type TestServer,
} from './helpers.js';

async function holderOf(store: TrackingStore, uri: string): Promise<ModelHolder> {
  const holder = new ModelHolder({ logger: memoryLogger(), load: () => loadModel(store, uri) });
  await holder.reload('start');
  return holder;
}

interface RolloutOptions {
  split?: number;
  shadow?: { uri: string; percent: number; predict?: ShadowPredict };
  challengerUri?: string;
  feedbackWindow?: number;
}

async function rolloutServer(t: Test, o: RolloutOptions = {}): Promise<TestServer> {
  const { store } = await trainedStore(t, { versions: 2, alias: 'production' });
  const champion = await holderOf(store, 'models:/iris_classifier/1');
  const challengerUri = o.challengerUri ?? 'models:/iris_classifier/2';
  const logger = memoryLogger();
  const metrics = createMetrics();
  const variants = new ServeVariants({
    champion: { holder: champion, uri: 'models:/iris_classifier/1' },
    challenger:
      o.split === undefined
        ? null
        : {
            holder: await holderOf(store, challengerUri),
            uri: challengerUri,
            splitPercent: o.split,
          },
    shadow: o.shadow
      ? {
          holder: await holderOf(store, o.shadow.uri),
          uri: o.shadow.uri,
          percent: o.shadow.percent,
        }
      : null,
    feedbackWindow: o.feedbackWindow,
    registry: metrics.registry,
    logger,
    shadowPredict: o.shadow?.predict,
  });
  return startTestServer(t, store, { holder: champion, variants, metrics });
}

const agent = () => new http.Agent({ keepAlive: true, maxSockets: 16 });

function predict(base: string, headers: Record<string, string> = {}, a?: http.Agent) {
  return call(base, '/predict', {
    body: JSON.stringify({ features: SAMPLES.versicolor }),
    headers: { 'content-type': 'application/json', ...headers },
    agent: a,
  });
}

t.test(
  '--split 10 sends 10 % (±3) of 5,000 requests to the challenger; each answer says which',
  async (t) => {
    const s = await rolloutServer(t, { split: 10 });
    const a = agent();
    t.teardown(() => a.destroy());
    let challenger = 0;
    const validate = validatorFor('predict-response');
    for (let batch = 0; batch < 50; batch++) {
      const answers = await Promise.all(Array.from({ length: 100 }, () => predict(s.url, {}, a)));
      for (const r of answers) {
        const variant = r.headers['x-model-variant'];
        if (variant === 'challenger') challenger++;
        const body = r.json as { variant: string; model_version: string };
        if (body.variant !== variant || !validate(body)) t.fail(`bad answer ${r.text}`);
        if (body.model_version !== (variant === 'challenger' ? '2' : '1'))
          t.fail(`wrong model ${r.text}`);
      }
    }
    t.ok(Math.abs(challenger / 5000 - 0.1) <= 0.03, `${challenger} of 5000 to the challenger`);
    const metrics = (await call(s.url, '/metrics')).text;
    t.match(
      metrics,
      new RegExp(`irisops_variant_requests_total\\{variant="challenger"\\} ${challenger}\\b`),
    );
    t.match(metrics, /irisops_variant_predictions_total\{variant="champion",class="versicolor"\}/);
    t.match(metrics, /irisops_variant_request_duration_seconds_count\{variant="champion"\}/);
  },
);

t.test('x-subject-id is sticky; x-variant forces; a bad x-variant is a 400', async (t) => {
  const s = await rolloutServer(t, { split: 50 });
  for (const subject of ['alice', 'bob', 'carol', 'dave']) {
    const seen = new Set<string>();
    for (let i = 0; i < 10; i++)
      seen.add(
        String((await predict(s.url, { 'x-subject-id': subject })).headers['x-model-variant']),
      );
    t.equal(seen.size, 1, `${subject} always gets ${[...seen].join()}`);
  }
  t.equal(
    (await predict(s.url, { 'x-variant': 'challenger' })).headers['x-model-variant'],
    'challenger',
  );
  t.equal(
    (await predict(s.url, { 'x-variant': 'champion', 'x-subject-id': 'x' })).headers[
      'x-model-variant'
    ],
    'champion',
  );
  const bad = await predict(s.url, { 'x-variant': 'both' });
  t.equal(bad.status, 400);
  t.match(bad.json, { detail: /x-variant must be champion or challenger/ });
  const batch = await postJson(s.url, '/predict/batch', { instances: [SAMPLES.setosa] });
  t.match(batch.headers['x-model-variant'], /^(champion|challenger)$/);
  const health = (await call(s.url, '/health')).json as {
    variants: { variant: string; model_version: string; percent: number }[];
  };
  t.match(health.variants, [
    { variant: 'champion', model_version: '1', percent: 50 },
    { variant: 'challenger', model_version: '2', percent: 50 },
  ]);
  t.ok(validatorFor('health')(health));
  const root = (await call(s.url, '/')).json as { variants: unknown[] };
  t.equal(root.variants.length, 2);
});

t.test('without a rollout the answers are as before: no variant field, no header', async (t) => {
  const { store } = await trainedStore(t, { versions: 1, alias: 'production' });
  const s = await startTestServer(t, store);
  const r = await predict(s.url);
  t.equal(r.headers['x-model-variant'], undefined);
  t.notOk('variant' in (r.json as object));
  t.notOk('variants' in ((await call(s.url, '/health')).json as object));
});

t.test(
  'a shadow that throws or is slow never fails or delays an answer; agreement is counted',
  async (t) => {
    let calls = 0;
    const slowOrThrow: ShadowPredict = async (model, features) => {
      calls++;
      if (calls % 2 === 0) throw new Error('shadow exploded');
      // far longer than any answer takes: the answers below must not wait for it
      await new Promise((r) => setTimeout(r, 300));
      const x = new Float64Array(model.inputOrder.map((f) => features[f]));
      return model.predictor.predictInto(x, new Int32Array(3));
    };
    const s = await rolloutServer(t, {
      shadow: { uri: 'models:/iris_classifier/2', percent: 100, predict: slowOrThrow },
    });
    const answers = await Promise.all(Array.from({ length: 20 }, () => predict(s.url)));
    t.ok(answers.every((r) => r.status === 200 && r.headers['x-model-variant'] === 'champion'));
    // every answer arrived while the slow shadow predictions were still pending
    const before = (await call(s.url, '/ab')).json as AbReport;
    t.ok(
      (before.shadow?.compared ?? 0) < 10,
      'the slow shadow had not finished when the answers came',
    );
    await new Promise((r) => setTimeout(r, 600));
    const ab = (await call(s.url, '/ab')).json as AbReport;
    t.ok(validatorFor('ab-report')(ab));
    t.match(ab.shadow, { compared: 10, agreed: 10, failed: 10, agreement: 1, percent: 100 });
    t.match(
      (await call(s.url, '/metrics')).text,
      /irisops_shadow_predictions_total\{result="failed"\} 10/,
    );
  },
);

async function labelAll(
  t: Test,
  base: string,
  n: number,
  variant: 'champion' | 'challenger',
  rightShare: number,
  prefix: string,
): Promise<void> {
  const items = [];
  for (let i = 0; i < n; i++) {
    const id = `${prefix}-${variant}-${i}`;
    const r = await predict(base, { 'x-variant': variant, 'x-request-id': id });
    const label = (r.json as { prediction_label: string }).prediction_label;
    const wrong = label === 'setosa' ? 'virginica' : 'setosa';
    items.push({ request_id: id, label: i < n * rightShare ? label : wrong });
  }
  const r = await postJson(base, '/feedback', { items });
  t.equal((r.json as FeedbackResponse).matched, n);
}

for (const [name, champion, challenger, verdict] of [
  ['really better', 0.7, 0.95, 'challenger better'],
  ['worse', 0.95, 0.7, 'champion better'],
  ['the same', 0.9, 0.9, 'no significant difference yet'],
] as const) {
  t.test(`planted feedback: a challenger that is ${name} → ${verdict}`, async (t) => {
    const s = await rolloutServer(t, { split: 50 });
    await labelAll(t, s.url, 200, 'champion', champion, name.replace(/ /g, '-'));
    await labelAll(t, s.url, 200, 'challenger', challenger, name.replace(/ /g, '-'));
    const ab = (await call(s.url, '/ab')).json as AbReport;
    t.ok(validatorFor('ab-report')(ab), JSON.stringify(validatorFor('ab-report').errors));
    t.equal(ab.test.verdict, verdict);
    t.equal(ab.champion.labelled, 200);
    t.ok(Math.abs((ab.challenger?.accuracy ?? 0) - challenger) < 0.01);
    const [lo = 1, hi = 0] = ab.champion.interval ?? [];
    t.ok(lo <= champion && champion <= hi);
    if (verdict === 'no significant difference yet')
      t.ok(ab.test.p_value !== null && ab.test.p_value > 0.05);
    else t.ok((ab.test.p_value ?? 1) < 0.05);
    t.match(
      (await call(s.url, '/metrics')).text,
      /irisops_variant_accuracy\{variant="challenger"\}/,
    );
  });
}

t.test(
  'feedback: one or many, unknown, expired and repeated ids are reported; bad labels are 422',
  async (t) => {
    const s = await rolloutServer(t, { split: 50, feedbackWindow: 3 });
    for (const id of ['r1', 'r2', 'r3', 'r4']) await predict(s.url, { 'x-request-id': id });
    const one = await postJson(s.url, '/feedback', { request_id: 'r4', label: 'versicolor' });
    t.same(one.json, { received: 1, matched: 1, unmatched: [], duplicates: [] });
    t.ok(validatorFor('feedback-response')(one.json));
    const many = await postJson(s.url, '/feedback', {
      items: [
        { request_id: 'r1', label: 'setosa' },
        { request_id: 'r2', label: 'setosa' },
        { request_id: 'r4', label: 'setosa' },
        { request_id: 'nope', label: 'setosa' },
      ],
    });
    t.same(many.json, { received: 4, matched: 1, unmatched: ['r1', 'nope'], duplicates: ['r4'] });
    const badLabel = await postJson(s.url, '/feedback', { request_id: 'r3', label: 'daisy' });
    t.equal(badLabel.status, 422);
    t.match(badLabel.json, { errors: [{ path: '/label' }] });
    const huge = await postJson(s.url, '/feedback', 'x'.repeat(70_000));
    t.equal(huge.status, 413);
    // r3 was not counted by the refused request
    t.equal(
      ((await call(s.url, '/ab')).json as AbReport).champion.labelled +
        ((await call(s.url, '/ab')).json as AbReport).challenger!.labelled,
      2,
    );
  },
);
