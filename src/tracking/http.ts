/**
 * The HTTP layer under the MLflow REST store: auth, TLS options, timeouts, retries and the
 * translation of MLflow's error JSON into irisops' typed errors. It follows the MLflow
 * Python client's environment variables so one shell setup drives both tools.
 */
import { readFileSync } from 'node:fs';
import {
  InvalidParameterError,
  NotFoundError,
  StoreUnavailableError,
  TrackingError,
  UsageError,
} from '../errors.js';
import { connectionFailure, Transient } from './http-failure.js';

export type Env = Record<string, string | undefined>;

export interface HttpSettings {
  /** per attempt */
  timeoutMs: number;
  maxRetries: number;
  backoffFactorMs: number;
  jitterMs: number;
  /** no new attempt starts after this much time since the first one */
  totalTimeoutMs: number;
}

export interface HttpClientOptions {
  env: Env;
  fetch: typeof globalThis.fetch;
  /** tests inject these to keep retries fast and deterministic */
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  settings?: Partial<HttpSettings>;
}

export interface RequestOptions {
  query?: Record<string, string | number | undefined>;
  json?: unknown;
  body?: Buffer;
  contentType?: string;
  /**
   * For a request that is not idempotent (creating a run or a version): asked before each
   * retry whether the earlier attempt landed after all (its answer was lost). A body it
   * returns is taken as the answer, so the retry does not create a second one.
   */
  recover?: () => Promise<Record<string, unknown> | null>;
}

export interface HttpResponse {
  status: number;
  headers: Headers;
  body: Buffer;
}

// MLflow's client retries the same set (mlflow/utils/request_utils.py).
const transientStatuses = new Set([408, 429, 500, 502, 503, 504]);
const maxSingleDelayMs = 10_000;
const startServerHint =
  'start one with: mlflow server --host 127.0.0.1 --port 5000 (or use the local folder: --tracking-uri ./mlruns)';

function numberFromEnv(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min || value > max) {
    throw new UsageError(`${name} must be a number between ${min} and ${max}, got '${raw}'`);
  }
  return value;
}

/**
 * Defaults are deliberately shorter than MLflow's (120 s timeout, 7 retries with a 2 s
 * factor, which can take minutes): a CLI whose server is not started should say so fast.
 */
export function readHttpSettings(env: Env): HttpSettings {
  return {
    timeoutMs: numberFromEnv(env, 'MLFLOW_HTTP_REQUEST_TIMEOUT', 30, 0.05, 3600) * 1000,
    maxRetries: Math.floor(numberFromEnv(env, 'MLFLOW_HTTP_REQUEST_MAX_RETRIES', 4, 0, 10)),
    backoffFactorMs: numberFromEnv(env, 'MLFLOW_HTTP_REQUEST_BACKOFF_FACTOR', 0.5, 0, 60) * 1000,
    jitterMs: numberFromEnv(env, 'MLFLOW_HTTP_REQUEST_BACKOFF_JITTER', 0.25, 0, 60) * 1000,
    totalTimeoutMs: numberFromEnv(env, 'IRISOPS_HTTP_TOTAL_TIMEOUT', 60, 0.1, 3600) * 1000,
  };
}

const secretQueryKey = /token|secret|password|passwd|key|sig|signature|auth|credential/i;

/** A URL safe to print: user info and secret-looking query values become '***'. */
export function redactUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return url.replace(/\/\/[^/@\s]*@/g, '//***@');
  }
  if (parsed.username !== '' || parsed.password !== '') {
    parsed.username = '***';
    parsed.password = '';
  }
  for (const key of [...parsed.searchParams.keys()]) {
    if (secretQueryKey.test(key)) parsed.searchParams.set(key, '***');
  }
  const text = parsed.toString();
  // URL.toString() adds a '/' to a bare origin; keep what the user typed recognisable.
  return url.endsWith('/') || parsed.pathname !== '/' || parsed.search !== ''
    ? text
    : text.replace(/\/$/, '');
}

interface Auth {
  header: string | undefined;
  secrets: string[];
}

function resolveAuth(env: Env, url: URL): Auth {
  const secrets: string[] = [];
  const urlUser = decodeURIComponent(url.username);
  const urlPassword = decodeURIComponent(url.password);
  if (urlPassword !== '') secrets.push(urlPassword, url.password);
  const token = env.MLFLOW_TRACKING_TOKEN;
  const user = env.MLFLOW_TRACKING_USERNAME;
  const password = env.MLFLOW_TRACKING_PASSWORD;
  if (password) secrets.push(password);
  if (token) {
    secrets.push(token);
    // MLflow gives the token precedence over Basic credentials.
    return { header: `Bearer ${token}`, secrets };
  }
  let basic: string | undefined;
  if (user || password) basic = `${user ?? ''}:${password ?? ''}`;
  else if (urlUser !== '' || urlPassword !== '') basic = `${urlUser}:${urlPassword}`;
  if (basic === undefined) return { header: undefined, secrets };
  const encoded = Buffer.from(basic, 'utf8').toString('base64');
  secrets.push(encoded);
  return { header: `Basic ${encoded}`, secrets };
}

function isTrue(value: string | undefined): boolean {
  return value !== undefined && ['1', 'true', 'yes'].includes(value.trim().toLowerCase());
}

interface TlsOptions {
  rejectUnauthorized?: boolean;
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
}

function resolveTls(env: Env): TlsOptions | undefined {
  const insecure = isTrue(env.MLFLOW_TRACKING_INSECURE_TLS);
  const caPath = env.MLFLOW_TRACKING_SERVER_CERT_PATH;
  const clientCertPath = env.MLFLOW_TRACKING_CLIENT_CERT_PATH;
  if (insecure && caPath) {
    // Same rule as MLflow's client: the two options contradict each other.
    throw new UsageError(
      'MLFLOW_TRACKING_INSECURE_TLS and MLFLOW_TRACKING_SERVER_CERT_PATH cannot both be set',
      {
        hint: 'unset one of them',
      },
    );
  }
  if (!insecure && !caPath && !clientCertPath) return undefined;
  const read = (name: string, file: string): Buffer => {
    try {
      return readFileSync(file);
    } catch (error) {
      throw new UsageError(`${name} points to a file that cannot be read: ${file}`, {
        cause: error,
      });
    }
  };
  const options: TlsOptions = {};
  if (insecure) options.rejectUnauthorized = false;
  if (caPath) options.ca = read('MLFLOW_TRACKING_SERVER_CERT_PATH', caPath);
  if (clientCertPath) {
    // Like requests' cert=path: one PEM file holding the certificate and its key.
    const pem = read('MLFLOW_TRACKING_CLIENT_CERT_PATH', clientCertPath);
    options.cert = pem;
    options.key = pem;
  }
  return options;
}

type DispatcherCtor = new (options: { connect: TlsOptions }) => object;

/**
 * Global fetch takes TLS settings only through an undici dispatcher, and the undici package
 * is not a runtime dependency. Node's bundled undici publishes its global Agent under a
 * cross-version symbol once fetch has run; its constructor builds an Agent with our options.
 */
async function createDispatcher(tls: TlsOptions): Promise<object> {
  const symbol = Symbol.for('undici.globalDispatcher.1');
  const holder = globalThis as unknown as Record<symbol, unknown>;
  if (holder[symbol] === undefined) await globalThis.fetch('data:,').catch(() => undefined);
  const current = holder[symbol];
  const ctor: unknown =
    typeof current === 'object' && current !== null ? current.constructor : undefined;
  if (typeof ctor !== 'function') {
    throw new UsageError('this Node.js cannot apply MLFLOW_TRACKING_* TLS settings to fetch', {
      hint: 'use NODE_EXTRA_CA_CERTS=/path/ca.pem instead of MLFLOW_TRACKING_SERVER_CERT_PATH',
    });
  }
  return new (ctor as DispatcherCtor)({ connect: tls });
}

function parseRetryAfter(value: string | null, nowMs: number): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}

function firstLine(text: string, limit = 300): string {
  const line = (text.split(/\r?\n/, 1)[0] ?? '').trim();
  return line.length > limit ? `${line.slice(0, limit)}…` : line;
}

function readErrorJson(body: Buffer): { code: string; message: string } | undefined {
  try {
    const parsed: unknown = JSON.parse(body.toString('utf8'));
    if (typeof parsed !== 'object' || parsed === null) return undefined;
    const record = parsed as Record<string, unknown>;
    if (typeof record.error_code !== 'string') return undefined;
    return {
      code: record.error_code,
      message: typeof record.message === 'string' ? record.message : '',
    };
  } catch {
    return undefined;
  }
}

const sleepReal = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export class HttpClient {
  /** the base URL with credentials redacted */
  readonly displayUrl: string;
  readonly settings: HttpSettings;
  private readonly origin: string;
  private readonly basePath: string;
  private readonly auth: Auth;
  private readonly tls: TlsOptions | undefined;
  private dispatcher: Promise<object> | undefined;
  private readonly fetchImpl: typeof globalThis.fetch;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;

  constructor(baseUrl: string, options: HttpClientOptions) {
    let url: URL;
    try {
      url = new URL(baseUrl);
    } catch (error) {
      throw new UsageError(`not a valid tracking server URL: ${redactUrl(baseUrl)}`, {
        cause: error,
      });
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new UsageError(`the tracking server URL must be http(s): ${redactUrl(baseUrl)}`);
    }
    this.displayUrl = redactUrl(baseUrl.replace(/\/+$/, ''));
    this.auth = resolveAuth(options.env, url);
    this.tls = url.protocol === 'https:' ? resolveTls(options.env) : undefined;
    this.settings = { ...readHttpSettings(options.env), ...options.settings };
    this.origin = url.origin;
    this.basePath = url.pathname.replace(/\/+$/, '');
    this.fetchImpl = options.fetch;
    this.sleep = options.sleep ?? sleepReal;
    this.random = options.random ?? Math.random;
  }

  /** Removes every known secret from a text bound for a message. */
  redact(text: string): string {
    let out = text;
    for (const secret of this.auth.secrets) {
      if (secret.length >= 3) out = out.split(secret).join('***');
    }
    return out;
  }

  /** JSON call to an MLflow REST endpoint; throws typed errors. */
  async json(
    method: string,
    path: string,
    options: RequestOptions = {},
  ): Promise<Record<string, unknown>> {
    const response = await this.request(method, path, options);
    if (response.body.length === 0) return {};
    let parsed: unknown;
    try {
      parsed = JSON.parse(response.body.toString('utf8'));
    } catch (error) {
      throw new TrackingError(
        'BAD_RESPONSE',
        `${this.displayUrl} answered ${method} ${path} with something that is not JSON`,
        {
          cause: error,
          hint: 'check that --tracking-uri points to an MLflow tracking server',
        },
      );
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new TrackingError(
        'BAD_RESPONSE',
        `${this.displayUrl} answered ${method} ${path} with unexpected JSON`,
      );
    }
    return parsed as Record<string, unknown>;
  }

  /**
   * One logical request: retried on connection errors, timeouts, 408/429/5xx with backoff
   * and jitter, never on other 4xx. Any non-2xx left at the end becomes a typed error.
   */
  async request(method: string, path: string, options: RequestOptions = {}): Promise<HttpResponse> {
    const url = this.urlFor(path, options.query);
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.auth.header !== undefined) headers.authorization = this.auth.header;
    let body: Buffer | undefined;
    if (options.json !== undefined) {
      body = Buffer.from(JSON.stringify(options.json), 'utf8');
      headers['content-type'] = 'application/json';
    } else if (options.body !== undefined) {
      body = options.body;
      headers['content-type'] = options.contentType ?? 'application/octet-stream';
    }
    const dispatcher = this.tls === undefined ? undefined : await this.getDispatcher(this.tls);
    const what = `${method} ${path}`;
    const started = performance.now();
    const { maxRetries, totalTimeoutMs } = this.settings;
    for (let attempt = 0; ; attempt += 1) {
      let failure: Transient;
      try {
        const response = await this.attempt(url, method, headers, body, dispatcher, what);
        if (response.status >= 200 && response.status < 300) return response;
        if (!transientStatuses.has(response.status)) throw this.statusError(response, what);
        const retryAfter =
          response.status === 429 || response.status === 503
            ? parseRetryAfter(response.headers.get('retry-after'), Date.now())
            : undefined;
        const decoded = readErrorJson(response.body);
        const detail = decoded ? `: ${this.redact(firstLine(decoded.message))}` : '';
        failure = new Transient(`HTTP ${response.status}${detail}`, retryAfter, 'status');
      } catch (error) {
        if (!(error instanceof Transient)) throw error;
        failure = error;
      }
      const elapsed = performance.now() - started;
      const backoff =
        Math.min(maxSingleDelayMs, this.settings.backoffFactorMs * 2 ** attempt) +
        this.random() * this.settings.jitterMs;
      const delay = failure.retryAfterMs ?? backoff;
      if (failure.permanent) throw this.unavailable(failure, what, attempt + 1, false);
      if (attempt >= maxRetries || elapsed + delay >= totalTimeoutMs) {
        throw this.unavailable(failure, what, attempt + 1, attempt < maxRetries);
      }
      await this.sleep(delay);
      if (options.recover) {
        const landed = await options.recover().catch(() => null);
        if (landed !== null) {
          return { status: 200, headers: new Headers(), body: Buffer.from(JSON.stringify(landed)) };
        }
      }
    }
  }

  private urlFor(path: string, query: RequestOptions['query']): string {
    const search = new URLSearchParams();
    for (const [key, value] of Object.entries(query ?? {})) {
      if (value !== undefined) search.append(key, String(value));
    }
    const qs = search.toString();
    return `${this.origin}${this.basePath}${path}${qs === '' ? '' : `?${qs}`}`;
  }

  private getDispatcher(tls: TlsOptions): Promise<object> {
    this.dispatcher ??= createDispatcher(tls);
    return this.dispatcher;
  }

  private async attempt(
    url: string,
    method: string,
    headers: Record<string, string>,
    body: Buffer | undefined,
    dispatcher: object | undefined,
    what: string,
  ): Promise<HttpResponse> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.settings.timeoutMs);
    try {
      const init: RequestInit = { method, headers, signal: controller.signal };
      if (body !== undefined) init.body = body;
      // undici's RequestInit extension; typed loosely because the Agent comes from Node's internals.
      if (dispatcher !== undefined) Object.assign(init, { dispatcher });
      const response = await this.fetchImpl(url, init);
      // The timer covers the body too: a server that stalls mid-body is as stuck as a silent one.
      const data = Buffer.from(await response.arrayBuffer());
      return { status: response.status, headers: response.headers, body: data };
    } catch (error) {
      if (controller.signal.aborted) {
        throw new Transient(
          `no answer within ${formatSeconds(this.settings.timeoutMs)} (${what})`,
          undefined,
          'timeout',
        );
      }
      throw connectionFailure(error, new URL(url), (text) => this.redact(text));
    } finally {
      clearTimeout(timer);
    }
  }

  private unavailable(
    failure: Transient,
    what: string,
    attempts: number,
    outOfTime: boolean,
  ): StoreUnavailableError {
    const tries = attempts === 1 ? '1 attempt' : `${attempts} attempts`;
    const budget = outOfTime
      ? `, retry budget of ${formatSeconds(this.settings.totalTimeoutMs)} spent`
      : '';
    const where = `MLflow tracking server at ${this.displayUrl}`;
    if (failure.kind === 'connection') {
      const reason = failure.reason === '' ? '' : `: ${failure.reason}`;
      return new StoreUnavailableError(
        `cannot reach the ${where} (${failure.message}; ${tries}${budget})${reason}`,
        { hint: failure.hint ?? startServerHint },
      );
    }
    if (failure.kind === 'timeout') {
      return new StoreUnavailableError(
        `the ${where} did not answer: ${failure.message}; ${tries}${budget}`,
        {
          hint: 'check the server, or raise MLFLOW_HTTP_REQUEST_TIMEOUT (seconds)',
        },
      );
    }
    return new StoreUnavailableError(
      `the ${where} failed ${what} with ${failure.message} (${tries}${budget})`,
      {
        hint: 'check the server logs, then run the command again',
      },
    );
  }

  private statusError(response: HttpResponse, what: string): TrackingError {
    const decoded = readErrorJson(response.body);
    const message =
      this.redact(firstLine(decoded?.message ?? '')) || `HTTP ${response.status} for ${what}`;
    if (response.status === 401 || decoded?.code === 'UNAUTHENTICATED') {
      return new TrackingError(
        'UNAUTHENTICATED',
        `the MLflow tracking server at ${this.displayUrl} refused the credentials (${message})`,
        {
          hint: 'set MLFLOW_TRACKING_TOKEN, or MLFLOW_TRACKING_USERNAME and MLFLOW_TRACKING_PASSWORD',
        },
      );
    }
    if (response.status === 403 || decoded?.code === 'PERMISSION_DENIED') {
      return new TrackingError(
        'PERMISSION_DENIED',
        `the MLflow tracking server at ${this.displayUrl} denied ${what} (${message})`,
      );
    }
    if (decoded === undefined) {
      if (response.status === 404) {
        return new TrackingError(
          'ENDPOINT_NOT_FOUND',
          `${this.displayUrl} has no ${what}: is it an MLflow tracking server (>= 2.x, with --serve-artifacts for artifacts)?`,
        );
      }
      return new TrackingError(
        'BAD_RESPONSE',
        `the MLflow tracking server at ${this.displayUrl} answered ${what} with HTTP ${response.status}`,
      );
    }
    return mlflowError(decoded.code, message);
  }
}

/** MLflow error_code → the typed error the local store raises for the same case. */
export function mlflowError(code: string, message: string): TrackingError {
  if (code === 'RESOURCE_DOES_NOT_EXIST' || code === 'NOT_FOUND') return new NotFoundError(message);
  if (code === 'INVALID_PARAMETER_VALUE' || code === 'BAD_REQUEST' || code === 'INVALID_ARGUMENT') {
    return new InvalidParameterError(message);
  }
  return new TrackingError(code, message);
}

function formatSeconds(ms: number): string {
  const seconds = ms / 1000;
  return `${Number.isInteger(seconds) ? seconds : seconds.toFixed(1)} s`;
}
