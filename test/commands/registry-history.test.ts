/**
 * registry history and registry rollback on a local folder, as real child processes: the
 * whole scenario (MLflow's client reading the moves from the folder), refusals and bad input.
 */
import t from 'tap';
import { readAliasHistory } from '../../src/tracking/alias-history.js';
import { expectOneError, runCli } from '../helpers/cli.js';
import { trainedStore } from '../helpers/fixtures.js';
import { findMlflowPython } from '../helpers/python.js';
import { aliasHistoryScenario } from './alias-history-scenario.js';

const python = findMlflowPython();
// MLflow 3 reads a folder store only when allowed to; runPythonJson passes this env on
process.env.MLFLOW_ALLOW_FILE_STORE = 'true';

function cliFor(root: string) {
  return (args: string[], env: Record<string, string> = {}) =>
    runCli(['--tracking-uri', root, ...args], { env });
}

t.test('promote twice, history, --at, rollback; MLflow reads the moves', async (t) => {
  const { root } = await trainedStore(t, { versions: 2 });
  if (python === null) t.comment('no Python with mlflow: the MLflow read-back is left out');
  await aliasHistoryScenario(t, cliFor(root), python, root);
});

t.test('rollback refuses when there is no earlier holder, and writes nothing', async (t) => {
  const { root, store } = await trainedStore(t, { versions: 2 });
  const cli = cliFor(root);
  t.equal((await cli(['registry', 'promote', 'iris_classifier', '1'])).code, 0);
  const tagsBefore = (await store.getRegisteredModel('iris_classifier')).tags;
  const r = await cli(['registry', 'rollback', 'iris_classifier']);
  expectOneError(
    t,
    r,
    1,
    /iris_classifier @production had no version before v1 .*nothing to roll back to/,
  );
  t.equal((await store.getModelVersionByAlias('iris_classifier', 'production')).version, '1');
  t.same((await store.getRegisteredModel('iris_classifier')).tags, tagsBefore, 'no tag written');
});

t.test('rollback refuses an alias moved outside irisops, or never moved by it', async (t) => {
  const { root, store } = await trainedStore(t, { versions: 3 });
  const cli = cliFor(root);
  await store.setAlias('iris_classifier', 'staging', '1');
  const never = await cli(['registry', 'rollback', 'iris_classifier', '--alias', 'staging']);
  expectOneError(t, never, 1, /no recorded move of iris_classifier @staging/);
  t.equal((await cli(['registry', 'promote', 'iris_classifier', '1'])).code, 0);
  t.equal((await cli(['registry', 'promote', 'iris_classifier', '2'])).code, 0);
  await store.setAlias('iris_classifier', 'production', '3');
  const outside = await cli(['registry', 'rollback', 'iris_classifier']);
  expectOneError(t, outside, 1, /@production is v3, not v2 as its last recorded move left it/);
  t.equal((await store.getModelVersionByAlias('iris_classifier', 'production')).version, '3');
  t.equal((await readAliasHistory(store, 'iris_classifier')).moves.length, 2, 'nothing recorded');
});

t.test('bad input: one line, the right exit code, nothing written', async (t) => {
  const { root, store } = await trainedStore(t, { versions: 2 });
  const cli = cliFor(root);
  t.equal((await cli(['registry', 'promote', 'iris_classifier', '1'])).code, 0);
  const cases: [string[], number, RegExp][] = [
    [
      ['registry', 'history', 'iris_classifier', '--at', 'notadate'],
      2,
      /--at expects an ISO 8601 time, got "notadate"/,
    ],
    [
      ['registry', 'history', 'iris_classifier', '--at', '2026-13-45'],
      2,
      /--at expects an ISO 8601 time/,
    ],
    [
      ['registry', 'history', 'iris_classifier', '--alias', 'staging'],
      1,
      /alias "staging" not found on registered model "iris_classifier"/,
    ],
    [['registry', 'history', 'iris_classifier', '--alias', 'latest'], 2, /invalid alias "latest"/],
    [['registry', 'history', 'no_such_model'], 1, /registered model "no_such_model" not found/],
    [
      ['registry', 'rollback', 'iris_classifier', '--alias', 'staging'],
      1,
      /alias "staging" not found/,
    ],
    [
      ['registry', 'rollback', 'iris_classifier', '--message', ''],
      2,
      /--message must be 1 to 1000 characters/,
    ],
    [
      ['registry', 'promote', 'iris_classifier', '2', '--message', 'x'.repeat(1001)],
      2,
      /--message must be 1 to 1000 characters, got 1001/,
    ],
  ];
  for (const [args, code, message] of cases) {
    const r = await cli(args);
    expectOneError(t, r, code, message);
  }
  t.equal((await store.getModelVersionByAlias('iris_classifier', 'production')).version, '1');
  t.equal((await readAliasHistory(store, 'iris_classifier')).moves.length, 1);
});

t.test('promoting the version the alias already holds records nothing', async (t) => {
  const { root, store } = await trainedStore(t, { versions: 1 });
  const cli = cliFor(root);
  t.equal((await cli(['registry', 'promote', 'iris_classifier', '1'])).code, 0);
  const same = await cli(['registry', 'promote', 'iris_classifier', '1']);
  t.match(same.stdout, /already v1: nothing changed/);
  t.equal((await readAliasHistory(store, 'iris_classifier')).moves.length, 1);
  const listed = await cli(['registry', 'history', 'iris_classifier']);
  t.match(listed.stdout, /iris_classifier @production: 1 move\(s\), newest first/);
});
