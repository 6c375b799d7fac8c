/** The serving core's public face, used by src/commands/serve.ts and the tests. */
export {
  startServer,
  DEFAULT_TIMEOUTS,
  type RunningServer,
  type ServerOptions,
  type ServerTimeouts,
} from './server.js';
export { ModelHolder, type ModelLoader, type ReloadResult } from './model-holder.js';
export {
  compileServedModel,
  FEATURES,
  CLASSES,
  type ModelSource,
  type ServedModel,
} from './served-model.js';
export { createMetrics, type ServeMetrics } from './metrics.js';
export {
  createJsonLogger,
  isLogLevel,
  silentLogger,
  type Logger,
  type LogLevel,
} from './logger.js';
export {
  startPrimary,
  isClusterWorker,
  workerMetricsText,
  reportReady,
  type Primary,
} from './cluster.js';
