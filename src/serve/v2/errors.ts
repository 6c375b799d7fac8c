/**
 * Errors under /v2 take the Open Inference Protocol's form, {"error": "…"}
 * (schemas/v2-error.schema.json), not problem details: KServe, Triton and their clients
 * read that field. A body that does not match the contract is 400 there (422 elsewhere).
 */
import { ClientGoneError } from '../body.js';
import type { ExchangeSinks } from '../exchange.js';
import { replyJson, type Exchange } from '../exchange.js';
import { HttpProblem, type Issue } from '../problem.js';

export class V2Error extends HttpProblem {}

export function v2Error(status: number, message: string, issues: Issue[] = []): V2Error {
  return new V2Error(status, message, { errors: issues });
}

function messageOf(problem: HttpProblem): string {
  if (problem.errors.length === 0) return problem.message;
  const listed = problem.errors.map((i) => `${i.path || '(body)'} ${i.message}`).join('; ');
  return `${problem.message}: ${listed}`;
}

export function replyV2Error(sinks: ExchangeSinks, ex: Exchange, error: unknown): void {
  if (error instanceof ClientGoneError) return;
  if (error instanceof HttpProblem) {
    if (error.closeConnection) ex.closeAfter = true;
    const status = error.status === 422 ? 400 : error.status;
    const body = JSON.stringify({ error: messageOf(error) });
    replyJson(sinks, ex, status, body, error.headers);
    return;
  }
  sinks.logger.log('error', 'unexpected error while answering', {
    request_id: ex.id,
    path: ex.path,
    error: error instanceof Error ? (error.stack ?? error.message) : String(error),
  });
  const body = JSON.stringify({
    error: `unexpected server error; it is logged with request id ${ex.id}`,
  });
  replyJson(sinks, ex, 500, body);
}
