/**
 * Every failure irisops expects is one of these: a machine code, a one-line message,
 * an optional hint (the command that fixes it) and an exit code. Only src/cli.ts turns
 * them into output and an exit status; the core just throws.
 */
export type ExitCode = 1 | 2 | 130;

export interface ErrorOptions {
  hint?: string;
  cause?: unknown;
}

export class IrisopsError extends Error {
  readonly code: string;
  readonly hint: string | undefined;
  readonly exitCode: ExitCode;

  constructor(code: string, message: string, options: ErrorOptions = {}, exitCode: ExitCode = 1) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.hint = options.hint;
    this.exitCode = exitCode;
  }
}

/** Bad flags, arguments or values: exit 2. */
export class UsageError extends IrisopsError {
  constructor(message: string, options: ErrorOptions = {}) {
    super('USAGE', message, options, 2);
  }
}

export class InterruptedError extends IrisopsError {
  constructor(message = 'interrupted') {
    super('INTERRUPTED', message, {}, 130);
  }
}

export class ConfigError extends IrisopsError {
  constructor(message: string, options: ErrorOptions = {}) {
    super('CONFIG_INVALID', message, options);
  }
}

export class DataError extends IrisopsError {
  constructor(message: string, options: ErrorOptions = {}) {
    super('DATA_INVALID', message, options);
  }
}

export class ModelError extends IrisopsError {
  constructor(code: string, message: string, options: ErrorOptions = {}) {
    super(code, message, options);
  }
}

/**
 * Raised by both TrackingStore implementations with MLflow's own error codes
 * (RESOURCE_DOES_NOT_EXIST, RESOURCE_ALREADY_EXISTS, INVALID_PARAMETER_VALUE, ...)
 * so that commands never need to know which store they talk to.
 */
export class TrackingError extends IrisopsError {
  constructor(code: string, message: string, options: ErrorOptions = {}) {
    super(code, message, options);
  }
}

export class NotFoundError extends TrackingError {
  constructor(message: string, options: ErrorOptions = {}) {
    super('RESOURCE_DOES_NOT_EXIST', message, options);
  }
}

export class InvalidParameterError extends TrackingError {
  constructor(message: string, options: ErrorOptions = {}) {
    super('INVALID_PARAMETER_VALUE', message, options);
  }
}

/** The store cannot be reached or read (server down, folder unreadable, disk full). */
export class StoreUnavailableError extends TrackingError {
  constructor(message: string, options: ErrorOptions = {}) {
    super('STORE_UNAVAILABLE', message, options);
  }
}

export class PromotionRefusedError extends IrisopsError {
  constructor(message: string, options: ErrorOptions = {}) {
    super('PROMOTION_REFUSED', message, options);
  }
}

export function isIrisopsError(error: unknown): error is IrisopsError {
  return error instanceof IrisopsError;
}
