/**
 * Request validators (schemas/index.ts requestValidatorFor: compiled at build time, and
 * they delete properties the schema does not list, so `__proto__`, `constructor` and any
 * other extra key never reach the model), and how their errors become a 422 problem.
 */
import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import { describeErrors, requestValidatorFor } from '../schemas/index.js';
import type {
  BatchRequest,
  FeedbackRequest,
  InvocationsRequest,
  PredictRequest,
} from '../schemas/generated.js';
import { HttpProblem, type Issue } from './problem.js';

export interface RequestValidators {
  predict: ValidateFunction<PredictRequest>;
  batch: ValidateFunction<BatchRequest>;
  invocations: ValidateFunction<InvocationsRequest>;
  feedback: ValidateFunction<FeedbackRequest>;
}

export function compileRequestValidators(): RequestValidators {
  return {
    predict: requestValidatorFor<PredictRequest>('predict-request'),
    batch: requestValidatorFor<BatchRequest>('batch-request'),
    invocations: requestValidatorFor<InvocationsRequest>('invocations-request'),
    feedback: requestValidatorFor<FeedbackRequest>('feedback-request'),
  };
}

const INPUT_FORMS = 'dataframe_split, dataframe_records, instances, inputs';

/** Ajv's errors, each as path + message, with oneOf/false-schema noise said plainly. */
export function issuesOf(errors: ErrorObject[] | null | undefined): Issue[] {
  const list = errors ?? [];
  const kept = list.filter((e) => !(e.schemaPath.startsWith('#/oneOf/') && e.instancePath === ''));
  const issues = describeErrors(kept).map((issue, i) => {
    const e = kept[i] as ErrorObject;
    if (e.keyword === 'oneOf' && e.instancePath === '')
      return { path: '', message: `must contain exactly one of ${INPUT_FORMS}` };
    if (e.keyword === 'false schema' && issue.path === '/params')
      return {
        path: '/params',
        message: 'is not accepted: this model takes no inference parameters',
      };
    return issue;
  });
  const seen = new Set<string>();
  return issues.filter((i) => {
    const key = `${i.path}\u0000${i.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export function validationProblem(issues: Issue[]): HttpProblem {
  const n = issues.length;
  return new HttpProblem(
    422,
    `the request body does not match the contract (${n} error${n === 1 ? '' : 's'})`,
    { errors: issues },
  );
}

export function check<T>(validate: ValidateFunction<T>, value: unknown): T {
  if (!validate(value)) throw validationProblem(issuesOf(validate.errors));
  return value;
}
