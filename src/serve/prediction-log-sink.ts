/**
 * One prediction-log line per answered prediction (schemas/prediction-log-line.schema.json),
 * built by concatenation on the request path and written off it (monitor/prediction-log.ts).
 */
import type { PredictionLogWriter } from '../monitor/prediction-log.js';
import type { PredictionSink } from './observer.js';
import { jsonFloat } from './json-number.js';

export function createPredictionLogSink(
  writer: PredictionLogWriter,
  now: () => number,
): PredictionSink {
  return {
    write(ex, model, x, predicted) {
      let features = '';
      const order = model.inputOrder;
      for (let i = 0; i < order.length; i++)
        features += `${i === 0 ? '{' : ','}"${order[i] as string}":${jsonFloat(x[i] as number)}`;
      writer.append(
        `{"time":"${new Date(now()).toISOString()}","request_id":${JSON.stringify(ex.id)},"model_version":${model.versionJson},"route":"${ex.route}","features":${features}},"prediction":${predicted}}`,
      );
    },
  };
}
