/** [predict] a known setosa row predicts setosa, and the answer validates against the output schema. */
import { describeErrors, formatIssues, validatorFor } from '../../schemas/index.js';
import type { PredictResponse } from '../../schemas/generated.js';
import { trainAndPromote } from '../hints.js';
import { fetchJson, isObject } from '../http.js';
import type { VerifyState } from '../state.js';
import type { CheckOutcome } from '../types.js';
import { healthyService } from './api.js';

/** the first row of the Iris data set */
export const SETOSA = { sepal_length: 5.1, sepal_width: 3.5, petal_length: 1.4, petal_width: 0.2 };

export async function checkPredict(state: VerifyState): Promise<CheckOutcome> {
  const settings = await state.settingsOrSkip();
  const base = await healthyService(state);
  const url = `${base}/predict`;
  let answer;
  try {
    answer = await fetchJson(state.deps.fetch, url, {
      method: 'POST',
      body: { features: SETOSA },
      timeoutMs: state.deps.httpTimeoutMs,
    });
  } catch (error) {
    return {
      status: 'fail',
      message: `POST ${url} failed: ${(error as Error).message}`,
      hint: state.serveHint(settings),
    };
  }
  if (answer.status !== 200) {
    const detail = isObject(answer.body)
      ? (answer.body.detail ?? answer.body.title)
      : answer.text.slice(0, 120);
    return {
      status: 'fail',
      message: `POST ${url} answered ${answer.status}: ${String(detail)}`,
      hint: state.serveHint(settings),
    };
  }
  const validate = validatorFor<PredictResponse>('predict-response');
  if (!validate(answer.body)) {
    return {
      status: 'fail',
      message: `POST ${url}: the answer does not match schemas/predict-response.schema.json (${formatIssues(describeErrors(validate.errors).slice(0, 3))}): restart it with this irisops version`,
      hint: state.serveHint(settings),
    };
  }
  const body = answer.body;
  if (body.prediction_label !== 'setosa' || body.prediction !== 0) {
    const registered = await state.registered().catch(() => null);
    const next = registered?.ok ? registered.value.next : '1';
    return {
      status: 'fail',
      message: `a setosa row (5.1, 3.5, 1.4, 0.2) was predicted ${body.prediction_label} (confidence ${body.confidence}) by version ${body.model_version}`,
      hint: trainAndPromote(state.deps.flags, settings.model_name, next, settings.alias),
    };
  }
  return {
    status: 'pass',
    message: `a setosa row predicts setosa (confidence ${body.confidence}, version ${body.model_version}); the answer matches the output schema`,
  };
}
