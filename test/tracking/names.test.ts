import t from 'tap';
import { InvalidParameterError } from '../../src/errors.js';
import { loadSchema } from '../../src/schemas/index.js';
import {
  ALIAS_PATTERN,
  MAX_ALIAS_LENGTH,
  MODEL_NAME_PATTERN,
  RESERVED_ALIAS_PATTERN,
  RESERVED_ALIASES,
  validateAlias,
  validateArtifactPath,
  validateExperimentId,
  validateExperimentName,
  validateLoggedModelId,
  validateLoggedModelName,
  validateMetricKey,
  validateModelName,
  validateParamKey,
  validateRunId,
  validateTagKey,
  validateVersion,
} from '../../src/tracking/names.js';
import type { TapTest } from './conformance.js';

/** Asserts a rejection that is one line and names the value. */
function refuses(t: TapTest, fn: () => unknown, value: string, rule: RegExp): void {
  try {
    fn();
    t.fail(`accepted ${JSON.stringify(value)}`);
  } catch (error) {
    t.type(error, InvalidParameterError, `${JSON.stringify(value)} is an InvalidParameterError`);
    const message = (error as Error).message;
    t.notMatch(message, /\n/, 'one line');
    t.ok(
      message.includes(JSON.stringify(value.length > 80 ? `${value.slice(0, 77)}...` : value)),
      `names ${JSON.stringify(value)}: ${message}`,
    );
    t.match(message, rule);
  }
}

const traversal = ['../x', '..', 'a/../b', '/etc/passwd', './a', 'a//b', 'a/', '.'];

t.test('aliases follow MLflow: no latest, no v<digits>, no spaces, no paths', async (t) => {
  for (const good of [
    'production',
    'staging',
    'champion-2',
    'ab_c',
    'V',
    'version3',
    'v3a',
    'étiquette',
  ])
    t.equal(validateAlias(good), good);
  refuses(t, () => validateAlias('latest'), 'latest', /reserved/);
  refuses(t, () => validateAlias('LATEST'), 'LATEST', /reserved/);
  refuses(t, () => validateAlias('v3'), 'v3', /v<digits>/);
  refuses(t, () => validateAlias('V12'), 'V12', /v<digits>/);
  refuses(t, () => validateAlias('my alias'), 'my alias', /letters, digits/);
  refuses(t, () => validateAlias(''), '', /empty/);
  for (const bad of traversal) refuses(t, () => validateAlias(bad), bad, /letters, digits|empty/);
  refuses(t, () => validateAlias('a'.repeat(256)), 'a'.repeat(256), /at most 255/);
});

t.test('model names: no slash, colon, percent, traversal or control characters', async (t) => {
  for (const good of ['iris_classifier', 'Iris Classifier', 'model.v2', 'a-b'])
    t.equal(validateModelName(good), good);
  for (const bad of ['a/b', '../x', '/etc', 'm:1'])
    refuses(t, () => validateModelName(bad), bad, /'\/' or ':'/);
  refuses(t, () => validateModelName('..'), '..', /resolve/);
  refuses(t, () => validateModelName('50%'), '50%', /%/);
  refuses(t, () => validateModelName('a\\b'), 'a\\b', /\\/);
  refuses(t, () => validateModelName('a\0b'), 'a\0b', /control/);
  refuses(t, () => validateModelName('  '), '  ', /empty/);
});

t.test('versions are positive integers, returned canonical', async (t) => {
  t.equal(validateVersion('3'), '3');
  t.equal(validateVersion('007'), '7');
  t.equal(validateVersion(12), '12');
  for (const bad of ['0', '-1', 'v3', '1.5', '', '1/../2', ' 3', '99999999999999999999'])
    refuses(t, () => validateVersion(bad), bad, /positive integers/);
});

t.test('run and experiment ids cannot carry a path', async (t) => {
  t.equal(validateRunId('0123456789abcdef0123456789abcdef'), '0123456789abcdef0123456789abcdef');
  t.equal(validateExperimentId('0'), '0');
  t.equal(validateExperimentId('123456789012345678'), '123456789012345678');
  for (const bad of [...traversal, '', 'a b', '-abc', 'abc\0']) {
    refuses(t, () => validateRunId(bad), bad, /run ids/);
    refuses(t, () => validateExperimentId(bad), bad, /experiment ids/);
  }
  refuses(t, () => validateExperimentId('1'.repeat(65)), '1'.repeat(65), /at most 64/);
  t.throws(() => validateRunId(42), InvalidParameterError, 'not a string');
});

t.test('metric, param and tag keys: MLflow characters, no path tricks', async (t) => {
  for (const validate of [validateMetricKey, validateParamKey, validateTagKey]) {
    for (const good of ['accuracy', 'val/loss', 'mlflow.runName', 'a b', 'k:v', 'f1-score', 'µ'])
      t.equal(validate(good), good);
    for (const bad of traversal) refuses(t, () => validate(bad), bad, /resolve to another name/);
    refuses(t, () => validate(''), '', /must be provided/);
    refuses(t, () => validate('a\0b'), 'a\0b', /may only contain/);
    refuses(t, () => validate('a\nb'), 'a\nb', /may only contain/);
    refuses(t, () => validate('a\\b'), 'a\\b', /may only contain/);
    refuses(t, () => validate('k'.repeat(251)), 'k'.repeat(251), /at most 250/);
  }
});

t.test('experiment names: anything printable, not empty, bounded', async (t) => {
  t.equal(validateExperimentName('iris-classification'), 'iris-classification');
  t.equal(
    validateExperimentName('../weird but allowed'),
    '../weird but allowed',
    'a name never becomes a path',
  );
  refuses(t, () => validateExperimentName(''), '', /empty/);
  refuses(t, () => validateExperimentName('x'.repeat(501)), 'x'.repeat(501), /at most 500/);
});

t.test('artifact paths: relative, no .., no absolute, no NUL; normalised', async (t) => {
  t.equal(validateArtifactPath('model/MLmodel'), 'model/MLmodel');
  t.equal(validateArtifactPath('./model//model.json/'), 'model/model.json');
  t.equal(validateArtifactPath('', { allowRoot: true }), '');
  t.equal(validateArtifactPath('.', { allowRoot: true }), '');
  refuses(t, () => validateArtifactPath(''), '', /name a file/);
  refuses(t, () => validateArtifactPath('../meta.yaml'), '../meta.yaml', /'\.\.'/);
  refuses(t, () => validateArtifactPath('model/../../x'), 'model/../../x', /'\.\.'/);
  refuses(t, () => validateArtifactPath('/etc/passwd'), '/etc/passwd', /absolute/);
  refuses(t, () => validateArtifactPath('C:/Windows'), 'C:/Windows', /absolute/);
  refuses(t, () => validateArtifactPath('a\\..\\b'), 'a\\..\\b', /separator/);
  refuses(t, () => validateArtifactPath('a\0b'), 'a\0b', /NUL/);
  refuses(t, () => validateArtifactPath('file:///etc/passwd'), 'file:///etc/passwd', /URI/);
});

t.test(
  'the exported patterns agree with the validators (what config.schema.json can use)',
  async (t) => {
    const alias = new RegExp(ALIAS_PATTERN, 'u');
    const reserved = new RegExp(RESERVED_ALIAS_PATTERN, 'u');
    const modelName = new RegExp(MODEL_NAME_PATTERN, 'u');
    const accepts = (validate: (v: string) => string, value: string): boolean => {
      try {
        validate(value);
        return true;
      } catch {
        return false;
      }
    };
    for (const value of [
      'production',
      'champion_2',
      'é-1',
      'latest',
      'LaTeSt',
      'v2',
      'V10',
      'v',
      'a b',
      'a.b',
      '',
      'x'.repeat(255),
      'x'.repeat(256),
    ]) {
      const bySchema =
        alias.test(value) && !reserved.test(value) && value.length <= MAX_ALIAS_LENGTH;
      t.equal(
        bySchema,
        accepts(validateAlias, value),
        `alias ${JSON.stringify(value.slice(0, 20))}`,
      );
    }
    t.same(RESERVED_ALIASES, ['latest']);
    const config = loadSchema('config') as unknown as {
      properties: Record<string, { pattern?: string; not?: { pattern: string } }>;
    };
    t.equal(config.properties.alias?.pattern, ALIAS_PATTERN, 'config.schema.json: alias');
    t.equal(config.properties.alias?.not?.pattern, RESERVED_ALIAS_PATTERN, 'reserved aliases');
    t.equal(config.properties.model_name?.pattern, MODEL_NAME_PATTERN, 'model names');
    for (const value of [
      'iris_classifier',
      'Iris Model',
      'a.b',
      '.',
      '..',
      '...',
      ' ',
      '',
      'a/b',
      'a:b',
      'a%b',
      'a\\b',
      'a\tb',
      'é',
    ]) {
      t.equal(
        modelName.test(value),
        accepts(validateModelName, value),
        `model name ${JSON.stringify(value)}`,
      );
    }
  },
);

t.test(
  'logged model ids are what MLflow issues; names follow _validate_logged_model_name',
  async (t) => {
    const id = `m-${'0123456789abcdef'.repeat(2)}`;
    t.equal(validateLoggedModelId(id), id);
    for (const bad of [...traversal, 'm-', `m-${'A'.repeat(32)}`, `${id}/x`, id.slice(1)])
      refuses(
        t,
        () => validateLoggedModelId(bad),
        bad,
        /logged model ids are m- and 32 hex digits/,
      );
    t.equal(validateLoggedModelName('model'), 'model');
    for (const bad of ['', 'a/b', 'a:b', 'a.b', '50%', 'say "hi"', "it's"])
      refuses(t, () => validateLoggedModelName(bad), bad, /holds none of/);
  },
);
