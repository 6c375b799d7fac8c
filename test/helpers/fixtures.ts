/**
 * Real fixtures in one line: a temp folder, a local store with trained and registered
 * models (trained in-process through the same pipeline `irisops train` uses).
 */
import path from 'node:path';
import { LocalStore } from '../../src/tracking/local/index.js';
import { trainAndLog, type TrainDeps, type TrainOutcome } from '../../src/model/pipeline.js';
import { bundledDataPath } from '../../src/data/dataset.js';
import type { TrackingStore } from '../../src/tracking/store.js';

import { tempDir, type Teardown } from './temp.js';

export { tempDir };

export interface TrainOptions {
  nEstimators?: number;
  maxDepth?: number;
  seed?: number;
  experiment?: string;
  modelName?: string;
  register?: boolean;
  dataPath?: string;
}

export async function trainInto(store: TrackingStore, o: TrainOptions = {}): Promise<TrainOutcome> {
  return trainAndLog(
    {
      dataPath: o.dataPath ?? bundledDataPath,
      experiment: o.experiment ?? 'iris-classification',
      runName: 'fixture',
      modelName: o.modelName ?? 'iris_classifier',
      register: o.register ?? true,
      params: {
        n_estimators: o.nEstimators ?? 20,
        max_depth: o.maxDepth ?? 5,
        max_features: 1,
        random_state: o.seed ?? 42,
      },
      testSize: 0.2,
      cvFolds: null,
    },
    testDeps(store),
  );
}

/** What the train core needs from outside, for a test: this process, no git. */
export function testDeps(store: TrackingStore): TrainDeps {
  return {
    store,
    now: () => Date.now(),
    irisopsVersion: '0.0.0-test',
    user: 'test',
    host: 'test-host',
    pid: process.pid,
    gitCommit: null,
  };
}

/** A temp local store holding `versions` registered versions of iris_classifier (v1..vN). */
export async function trainedStore(
  t: Teardown,
  { versions = 1, alias }: { versions?: number; alias?: string } = {},
): Promise<{ root: string; store: LocalStore; outcomes: TrainOutcome[] }> {
  const root = path.join(tempDir(t), 'mlruns');
  const store = new LocalStore(root, { now: () => Date.now() });
  const outcomes: TrainOutcome[] = [];
  for (let i = 0; i < versions; i++)
    outcomes.push(await trainInto(store, { nEstimators: 10 + i, seed: 42 + i }));
  if (alias && versions > 0) await store.setAlias('iris_classifier', alias, String(versions));
  return { root, store, outcomes };
}
