/**
 * A UI over a real store in one line: trained runs, two registered versions, a sweep
 * parent with a child, and a run whose name is an XSS payload; the server on port 0.
 */
import { startUiServer, type RunningUi } from '../../src/ui/index.js';
import type { TrackingStore } from '../../src/tracking/store.js';
import { MLFLOW_PARENT_RUN_ID } from '../../src/tracking/tags.js';
import { trainInto } from '../helpers/fixtures.js';

export const XSS_NAME = '<script>alert("x")</script><img src=x onerror=alert(1)>';
export const TOKEN = 'test-token-0123456789';

export interface UiFixture {
  ui: RunningUi;
  experimentId: string;
  runIds: { v1: string; v2: string; parent: string; child: string; xss: string };
}

export async function seedStore(store: TrackingStore): Promise<Omit<UiFixture, 'ui'>> {
  const one = await trainInto(store, { nEstimators: 10, seed: 42 });
  const two = await trainInto(store, { nEstimators: 12, seed: 43, maxDepth: 3 });
  const exp = await store.getExperimentByName('iris-classification');
  if (!exp) throw new Error('fixture experiment missing');
  const make = async (name: string, tags: Record<string, string> = {}) => {
    const info = await store.createRun({
      experimentId: exp.experiment_id,
      runName: name,
      startTime: Date.now(),
      userId: 'test',
      tags,
    });
    await store.logBatch(info.run_id, {
      params: [{ key: 'max_depth', value: '4' }],
      metrics: [0.5, 0.7, 0.9].map((value, step) => ({
        key: 'accuracy',
        value,
        step,
        timestamp: Date.now(),
      })),
    });
    await store.updateRun(info.run_id, 'FINISHED', Date.now());
    return info.run_id;
  };
  const parent = await make('sweep');
  const child = await make('trial-1', { [MLFLOW_PARENT_RUN_ID]: parent });
  const xss = await make(XSS_NAME, { note: XSS_NAME });
  return {
    experimentId: exp.experiment_id,
    runIds: { v1: one.result.run_id, v2: two.result.run_id, parent, child, xss },
  };
}

export async function startUi(
  t: { teardown(fn: () => unknown): void },
  store: TrackingStore,
  { readOnly = false } = {},
): Promise<RunningUi> {
  const ui = await startUiServer({
    host: '127.0.0.1',
    port: 0,
    store,
    readOnly,
    defaultAlias: 'production',
    machine: 'test-host',
    alive: () => true,
    user: 'ui-tester',
    now: () => Date.now(),
    token: TOKEN,
  });
  t.teardown(() => ui.close());
  return ui;
}
