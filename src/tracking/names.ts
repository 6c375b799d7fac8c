/**
 * MLflow's naming rules (mlflow/utils/validation.py), checked before any name becomes part of
 * a file path or a request. Both stores and the commands use them, so a bad name fails the
 * same way everywhere and never reaches the file system.
 */
import { InvalidParameterError } from '../errors.js';

const RUN_ID = /^[a-zA-Z0-9][\w-]{0,255}$/;
const EXPERIMENT_ID = /^[a-zA-Z0-9][\w-]{0,63}$/;
/** what MLflow's stores issue (f"m-{uuid4().hex}"); a model id becomes a folder name */
const LOGGED_MODEL_ID = /^m-[0-9a-f]{32}$/;
/** _validate_logged_model_name: characters a logged model's name cannot hold */
const LOGGED_MODEL_NAME_BAD = ['/', ':', '.', '%', '"', "'"];
// Python's re `\w` on str is Unicode-aware; \p{L}\p{N}_ is the JavaScript equivalent.
const ENTITY_KEY = /^[/\p{L}\p{N}_.\- :]*$/u;
/**
 * MLflow's alias rules (_validate_model_alias_name and _validate_model_alias_name_reserved),
 * exported as pattern sources so a JSON schema can state the same rule: an alias is made of
 * letters, digits, _ and -, at most MAX_ALIAS_LENGTH long, and is neither `latest` (any
 * case) nor `v<digits>` / `V<digits>`.
 */
export const ALIAS_PATTERN = '^[\\p{L}\\p{N}_-]+$';
export const RESERVED_ALIAS_PATTERN = '^([lL][aA][tT][eE][sS][tT]|[vV][0-9]+)$';
export const RESERVED_ALIASES: readonly string[] = ['latest'];
const ALIAS = new RegExp(ALIAS_PATTERN, 'u');
/**
 * validateModelName as one pattern, for a JSON schema: not blank, not '.' or '..', and no
 * '/', ':', '%', '\\' or control character.
 */
export const MODEL_NAME_PATTERN = '^(?!\\.{1,2}$)(?=.*\\S)[^/:%\\\\\\u0000-\\u001f\\u007f]+$';
const VERSION_ALIAS = /^[vV]\d+$/;

export const MAX_ENTITY_KEY_LENGTH = 250;
export const MAX_PARAM_VALUE_LENGTH = 6000;
export const MAX_TAG_VALUE_LENGTH = 8000;
export const MAX_EXPERIMENT_NAME_LENGTH = 500;
export const MAX_ALIAS_LENGTH = 255;

/** Quotes a value so a message stays on one line whatever the value holds. */
export function quote(value: string): string {
  const shown = value.length > 80 ? `${value.slice(0, 77)}...` : value;
  return JSON.stringify(shown);
}

function invalid(what: string, value: string, rule: string, hint?: string): never {
  throw new InvalidParameterError(
    `invalid ${what} ${quote(value)}: ${rule}`,
    hint === undefined ? {} : { hint },
  );
}

const ALIAS_HINT = 'pick another alias name, such as production, staging or champion';

function requireString(what: string, value: unknown): string {
  if (typeof value !== 'string') {
    throw new InvalidParameterError(
      `invalid ${what}: expected a string, got ${value === null ? 'null' : typeof value}`,
    );
  }
  return value;
}

/**
 * MLflow's path_not_unique: the name must be its own posix normal form, so that as a file
 * name it cannot resolve to another name ('a/../b', './a', 'a//b', '/a', '..').
 */
function resolvesElsewhere(name: string): boolean {
  return name.split('/').some((segment) => segment === '' || segment === '.' || segment === '..');
}

export function validateRunId(runId: unknown): string {
  const value = requireString('run id', runId);
  if (!RUN_ID.test(value))
    invalid(
      'run id',
      value,
      'run ids are letters, digits, _ and -, starting with a letter or digit',
    );
  return value;
}

/** Whether text is a logged model id (m- and 32 hex digits), e.g. in a models:/ URI. */
export function isLoggedModelId(text: string): boolean {
  return LOGGED_MODEL_ID.test(text);
}

export function validateLoggedModelId(modelId: unknown): string {
  const value = requireString('logged model id', modelId);
  if (!LOGGED_MODEL_ID.test(value))
    invalid('logged model id', value, 'logged model ids are m- and 32 hex digits');
  return value;
}

export function validateLoggedModelName(name: unknown): string {
  const value = requireString('logged model name', name);
  if (value === '' || LOGGED_MODEL_NAME_BAD.some((c) => value.includes(c)))
    invalid(
      'logged model name',
      value,
      `a logged model name is not empty and holds none of ${LOGGED_MODEL_NAME_BAD.join(' ')}`,
    );
  return value;
}

export function validateExperimentId(experimentId: unknown): string {
  const value = requireString('experiment id', experimentId);
  if (!EXPERIMENT_ID.test(value)) {
    invalid(
      'experiment id',
      value,
      'experiment ids are at most 64 letters, digits, _ and -, starting with a letter or digit',
    );
  }
  return value;
}

export function validateExperimentName(name: unknown): string {
  const value = requireString('experiment name', name);
  if (value.trim() === '') invalid('experiment name', value, 'it must not be empty');
  if (value.length > MAX_EXPERIMENT_NAME_LENGTH)
    invalid(
      'experiment name',
      value,
      `it must be at most ${MAX_EXPERIMENT_NAME_LENGTH} characters`,
    );
  if (value.includes('\0')) invalid('experiment name', value, 'it must not contain NUL');
  return value;
}

function validateEntityKey(what: string, key: unknown): string {
  const value = requireString(what, key);
  if (value === '') invalid(what, value, 'a key name must be provided');
  if (!ENTITY_KEY.test(value)) {
    invalid(
      what,
      value,
      'names may only contain letters, digits, underscores, dashes, periods, spaces, colons and slashes',
    );
  }
  if (resolvesElsewhere(value))
    invalid(
      what,
      value,
      'as a file name it must not resolve to another name (no leading /, no . or .. segments, no //)',
    );
  if (value.length > MAX_ENTITY_KEY_LENGTH)
    invalid(what, value, `it must be at most ${MAX_ENTITY_KEY_LENGTH} characters`);
  return value;
}

export function validateMetricKey(key: unknown): string {
  return validateEntityKey('metric key', key);
}

export function validateParamKey(key: unknown): string {
  return validateEntityKey('param key', key);
}

export function validateTagKey(key: unknown): string {
  return validateEntityKey('tag key', key);
}

export function validateModelName(name: unknown): string {
  const value = requireString('model name', name);
  if (value.trim() === '') invalid('model name', value, 'it must not be empty');
  if (value.includes('/') || value.includes(':'))
    invalid('model name', value, "names cannot contain '/' or ':'");
  if (value.includes('%')) invalid('model name', value, "names cannot contain '%'");
  if (value.includes('\\')) invalid('model name', value, "names cannot contain '\\'");
  // A control character in a folder name is legal on POSIX but breaks every tool that lists it.
  if ([...value].some((ch) => ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f)) {
    invalid('model name', value, 'names cannot contain control characters');
  }
  if (value === '.' || value === '..')
    invalid('model name', value, 'as a folder name it must not resolve to another name');
  return value;
}

/** Returns the canonical form ('007' -> '7') so one version has one folder name. */
export function validateVersion(version: unknown): string {
  const value =
    typeof version === 'number' ? String(version) : requireString('model version', version);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(Number(value)) || Number(value) < 1) {
    invalid('model version', value, 'versions are positive integers (1, 2, 3, ...)');
  }
  return String(Number(value));
}

/**
 * The alias rules of MLflow's registry, including the reserved names it refuses. `registry
 * promote`, `init` and both stores call this, so each refuses the same names the same way.
 */
export function validateAlias(alias: unknown): string {
  const value = requireString('alias', alias);
  if (value === '') invalid('alias', value, 'an alias must not be empty', ALIAS_HINT);
  if (!ALIAS.test(value))
    invalid(
      'alias',
      value,
      'aliases may only contain letters, digits, underscores (_) and dashes (-)',
      ALIAS_HINT,
    );
  if (value.length > MAX_ALIAS_LENGTH)
    invalid('alias', value, `it must be at most ${MAX_ALIAS_LENGTH} characters`, ALIAS_HINT);
  if (RESERVED_ALIASES.includes(value.toLowerCase()))
    invalid(
      'alias',
      value,
      "'latest' (in any case) is reserved by MLflow for the highest version",
      `for the highest version use models:/<name>/latest; otherwise ${ALIAS_HINT}`,
    );
  if (VERSION_ALIAS.test(value))
    invalid(
      'alias',
      value,
      'names like v<digits> are reserved by MLflow for version references',
      ALIAS_HINT,
    );
  return value;
}

/**
 * A path inside a run's artifacts: relative, '/'-separated, no '..' and no NUL. Returns it
 * normalised ('' for the root, no leading './', no trailing '/').
 */
export function validateArtifactPath(
  artifactPath: unknown,
  options: { allowRoot?: boolean } = {},
): string {
  const value = requireString('artifact path', artifactPath);
  if (value.includes('\0')) invalid('artifact path', value, 'it must not contain NUL');
  if (value.includes('\\')) invalid('artifact path', value, "use '/' as the separator, not '\\'");
  if (value.startsWith('/') || /^[a-zA-Z]:/.test(value))
    invalid('artifact path', value, 'it must be relative to the run artifacts, not absolute');
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value))
    invalid('artifact path', value, 'it must be a relative path, not a URI');
  const segments = value.split('/').filter((s) => s !== '' && s !== '.');
  if (segments.includes('..')) invalid('artifact path', value, "it must not contain '..' segments");
  const normalised = segments.join('/');
  if (normalised === '' && options.allowRoot !== true)
    invalid('artifact path', value, 'it must name a file under the run artifacts');
  return normalised;
}
