/**
 * A model file compiled for serving: every tree's nodes packed into shared typed arrays,
 * walked without allocating. The vote follows ml-random-forest exactly (ml-array-mode):
 * trees are counted in order and a class takes the lead only when its count *exceeds* the
 * running maximum, so among tied classes the one that reached the final count first wins.
 */
import { ModelError } from '../errors.js';
import type { ModelFile } from '../schemas/types.js';

export interface Predictor {
  readonly featureNames: readonly string[];
  readonly classLabels: readonly string[];
  readonly nTrees: number;
  readonly nFeatures: number;
  readonly nClasses: number;
  /**
   * Writes each class's vote count into `votes` (length nClasses, overwritten) and returns
   * the predicted class index. `x` holds the features in featureNames order.
   */
  predictInto(x: ArrayLike<number>, votes: Int32Array): number;
  /** Convenience for tests and tools; allocates its result. */
  predict(x: ArrayLike<number>): { classIndex: number; votes: Int32Array };
}

function invalid(message: string): ModelError {
  return new ModelError('MODEL_INVALID', `model.json cannot be served: ${message}`);
}

export function compilePredictor(model: ModelFile): Predictor {
  const nFeatures = model.feature_names.length;
  const nClasses = model.class_labels.length;
  const nTrees = model.trees.length;
  let nNodes = 0;
  for (const tree of model.trees) nNodes += tree.feature.length;

  const feature = new Int32Array(nNodes);
  const threshold = new Float64Array(nNodes);
  const left = new Int32Array(nNodes);
  const right = new Int32Array(nNodes);
  const value = new Int32Array(nNodes);
  const roots = new Int32Array(nTrees);

  let base = 0;
  model.trees.forEach((tree, t) => {
    const n = tree.feature.length;
    if (
      tree.threshold.length !== n ||
      tree.left.length !== n ||
      tree.right.length !== n ||
      tree.value.length !== n
    ) {
      throw invalid(`tree ${t} has arrays of different lengths`);
    }
    roots[t] = base;
    for (let i = 0; i < n; i++) {
      const f = tree.feature[i] as number;
      const g = base + i;
      feature[g] = f;
      if (f === -1) {
        const v = tree.value[i] as number;
        if (!(v >= 0 && v < nClasses))
          throw invalid(`tree ${t} node ${i} votes for class ${v}, outside 0..${nClasses - 1}`);
        value[g] = v;
        continue;
      }
      if (f >= nFeatures)
        throw invalid(`tree ${t} node ${i} splits on feature ${f}, outside 0..${nFeatures - 1}`);
      const l = tree.left[i] as number;
      const r = tree.right[i] as number;
      // children strictly after their parent: every walk moves forward, so a crafted file
      // cannot make a tree loop forever
      if (!(l > i && l < n && r > i && r < n))
        throw invalid(`tree ${t} node ${i} has children ${l}/${r} that do not follow it`);
      const th = tree.threshold[i] as number;
      if (!Number.isFinite(th))
        throw invalid(`tree ${t} node ${i} has a threshold that is not a finite number`);
      threshold[g] = th;
      left[g] = base + l;
      right[g] = base + r;
    }
    base += n;
  });

  function predictInto(x: ArrayLike<number>, votes: Int32Array): number {
    votes.fill(0);
    let best = 0;
    let max = 0;
    for (let t = 0; t < nTrees; t++) {
      let node = roots[t] as number;
      let f = feature[node] as number;
      while (f !== -1) {
        node =
          (x[f] as number) < (threshold[node] as number)
            ? (left[node] as number)
            : (right[node] as number);
        f = feature[node] as number;
      }
      const c = value[node] as number;
      const count = (votes[c] as number) + 1;
      votes[c] = count;
      if (count > max) {
        max = count;
        best = c;
      }
    }
    return best;
  }

  return {
    featureNames: Object.freeze([...model.feature_names]),
    classLabels: Object.freeze([...model.class_labels]),
    nTrees,
    nFeatures,
    nClasses,
    predictInto,
    predict(x) {
      const votes = new Int32Array(nClasses);
      return { classIndex: predictInto(x, votes), votes };
    },
  };
}
