/** What `irisops train` asks of the core, and what the core needs from outside. */
import type { TrackingStore } from '../tracking/store.js';
import type { FitSession } from './fit.js';
import type { ForestParams } from './forest-spec.js';

export type TrainStep = 'load' | 'split' | 'fit' | 'evaluate' | 'cv' | 'log' | 'register';

export interface TrainRequest {
  dataPath: string;
  experiment: string;
  runName: string;
  modelName: string;
  register: boolean;
  params: ForestParams;
  testSize: number;
  cvFolds: number | null;
  /** seed of the split and the folds when it differs from the forest's (tune's winner) */
  splitSeed?: number;
  /** mlflow.source.name; default "irisops train" */
  source?: string;
  /** more tags on the run (tune: its parent run) */
  tags?: Record<string, string>;
  /**
   * Fold accuracies already measured with these params on these very folds (tune's winning
   * trial): logged as they are, since fitting the folds again would give the same numbers.
   */
  foldScores?: number[];
}

export interface TrainDeps {
  store: TrackingStore;
  now: () => number;
  irisopsVersion: string;
  user: string;
  host: string;
  pid: number;
  gitCommit: string | null;
  onStep?: (step: TrainStep, done: boolean, detail?: string) => void;
  /** aborted on Ctrl-C: the run is then marked KILLED and InterruptedError thrown */
  signal?: AbortSignal;
  /** a fit worker already running (tune hands over an idle lane's); closed like an own one */
  fitSession?: FitSession;
}

/** Reports a step, after checking that the train was not interrupted. */
export type StepReporter = (step: TrainStep, done: boolean, detail?: string) => void;
