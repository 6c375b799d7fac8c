/**
 * Every error answer is RFC 9457 problem details (schemas/problem.schema.json). Handlers
 * throw HttpProblem; the exchange turns it into application/problem+json.
 */
import { IrisopsError } from '../errors.js';
import type { Problem } from '../schemas/generated.js';

export interface Issue {
  /** JSON pointer into the request body, '' for the whole body */
  path: string;
  message: string;
}

const TITLES: Record<number, [slug: string, title: string]> = {
  400: ['malformed-request', 'Bad Request'],
  404: ['not-found', 'Not Found'],
  405: ['method-not-allowed', 'Method Not Allowed'],
  408: ['request-timeout', 'Request Timeout'],
  413: ['body-too-large', 'Content Too Large'],
  415: ['unsupported-media-type', 'Unsupported Media Type'],
  422: ['validation-error', 'Unprocessable Content'],
  431: ['headers-too-large', 'Request Header Fields Too Large'],
  500: ['internal-error', 'Internal Server Error'],
  503: ['service-unavailable', 'Service Unavailable'],
};

export class HttpProblem extends IrisopsError {
  readonly status: number;
  readonly errors: Issue[];
  readonly headers: Record<string, string>;
  /** the request body was not read to its end: the connection cannot be reused */
  readonly closeConnection: boolean;

  constructor(
    status: number,
    detail: string,
    options: { errors?: Issue[]; headers?: Record<string, string>; closeConnection?: boolean } = {},
  ) {
    super(`HTTP_${status}`, detail);
    this.status = status;
    this.errors = options.errors ?? [];
    this.headers = options.headers ?? {};
    this.closeConnection = options.closeConnection ?? false;
  }
}

export function problemTitle(status: number): string {
  return TITLES[status]?.[1] ?? (status >= 500 ? 'Server Error' : 'Client Error');
}

export function problemBody(
  status: number,
  detail: string,
  errors: Issue[],
  instance?: string,
  requestId?: string,
): string {
  const body: Problem = {
    type: `https://irisops.dev/problems/${TITLES[status]?.[0] ?? String(status)}`,
    title: problemTitle(status),
    status,
    detail,
    errors,
  };
  if (instance !== undefined) body.instance = instance;
  if (requestId !== undefined) body.request_id = requestId;
  return JSON.stringify(body);
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';
