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

interface Packed {
  feature: Int32Array;
  threshold: Float64Array;
  left: Int32Array;
  right: Int32Array;
  value: Int32Array;
  roots: Int32Array;
}

type Tree = ModelFile['trees'][number];

/** Copies one tree into the packed arrays at `base`, refusing a node no walk could trust. */
function packTree(p: Packed, tree: Tree, t: number, base: number, model: ModelFile): void {
  const nFeatures = model.feature_names.length;
  const nClasses = model.class_labels.length;
  const n = tree.feature.length;
  const { threshold, left, right, value } = tree;
  if (threshold.length !== n || left.length !== n || right.length !== n || value.length !== n)
    throw invalid(`tree ${t} has arrays of different lengths`);
  p.roots[t] = base;
  for (let i = 0; i < n; i++) {
    const f = tree.feature[i] as number;
    const g = base + i;
    p.feature[g] = f;
    if (f === -1) {
      const v = value[i] as number;
      if (!(v >= 0 && v < nClasses))
        throw invalid(`tree ${t} node ${i} votes for class ${v}, outside 0..${nClasses - 1}`);
      p.value[g] = v;
      continue;
    }
    if (f >= nFeatures)
      throw invalid(`tree ${t} node ${i} splits on feature ${f}, outside 0..${nFeatures - 1}`);
    const l = left[i] as number;
    const r = right[i] as number;
    // children strictly after their parent: every walk moves forward, so a crafted file
    // cannot make a tree loop forever
    if (!(l > i && l < n && r > i && r < n))
      throw invalid(`tree ${t} node ${i} has children ${l}/${r} that do not follow it`);
    const th = threshold[i] as number;
    if (!Number.isFinite(th))
      throw invalid(`tree ${t} node ${i} has a threshold that is not a finite number`);
    p.threshold[g] = th;
    p.left[g] = base + l;
    p.right[g] = base + r;
  }
}

function pack(model: ModelFile): Packed {
  let nNodes = 0;
  for (const tree of model.trees) nNodes += tree.feature.length;
  const p: Packed = {
    feature: new Int32Array(nNodes),
    threshold: new Float64Array(nNodes),
    left: new Int32Array(nNodes),
    right: new Int32Array(nNodes),
    value: new Int32Array(nNodes),
    roots: new Int32Array(model.trees.length),
  };
  let base = 0;
  model.trees.forEach((tree, t) => {
    packTree(p, tree, t, base, model);
    base += tree.feature.length;
  });
  return p;
}

function voter(p: Packed): Predictor['predictInto'] {
  const { feature, threshold, left, right, value, roots } = p;
  const nTrees = roots.length;
  return (x, votes) => {
    // a loop, not fill(): fill() is a call into the runtime, dearer than three stores
    for (let c = 0; c < votes.length; c++) votes[c] = 0;
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
  };
}

export function compilePredictor(model: ModelFile): Predictor {
  const nClasses = model.class_labels.length;
  const predictInto = voter(pack(model));
  return {
    featureNames: Object.freeze([...model.feature_names]),
    classLabels: Object.freeze([...model.class_labels]),
    nTrees: model.trees.length,
    nFeatures: model.feature_names.length,
    nClasses,
    predictInto,
    predict(x) {
      const votes = new Int32Array(nClasses);
      return { classIndex: predictInto(x, votes), votes };
    },
  };
}
