/**
 * One CLI scenario for the alias history, run against any store (a folder, a real MLflow
 * server): promote twice, read the history and what held the alias in between, roll back,
 * and let MLflow's own Python client read the recorded moves.
 */
import type { Test } from 'tap';
import { validatorFor } from '../../src/schemas/index.js';
import type { AliasHistory, PromoteResult } from '../../src/schemas/types.js';
import type { CliResult } from '../helpers/cli.js';
import { runPythonJson } from '../helpers/mlflow-server.js';

export type Cli = (args: string[], env?: Record<string, string>) => Promise<CliResult>;

const json = <T>(r: CliResult): T => JSON.parse(r.stdout) as T;

async function history(t: Test, cli: Cli, extra: string[] = []): Promise<AliasHistory> {
  const r = await cli(['registry', 'history', 'iris_classifier', '--json', ...extra]);
  t.equal(r.code, 0, r.stderr);
  const body = json<AliasHistory>(r);
  t.ok(validatorFor('alias-history')(body), 'matches schemas/alias-history.schema.json');
  return body;
}

/** Expects iris_classifier v1 and v2 in the store, @production unset. */
export async function aliasHistoryScenario(
  t: Test,
  cli: Cli,
  python: string | null,
  trackingUri: string,
): Promise<void> {
  const before = Date.now();
  const first = await cli(['registry', 'promote', 'iris_classifier', '1', '--message', 'first'], {
    LOGNAME: 'alice',
  });
  t.equal(first.code, 0, first.stderr);
  const between = Date.now();
  const second = await cli(
    ['registry', 'promote', 'iris_classifier', '2', '--message', 'better recall'],
    { LOGNAME: 'bob' },
  );
  t.equal(second.code, 0, second.stderr);

  const moves = (await history(t, cli)).moves;
  t.match(moves, [
    {
      alias: 'production',
      from: '1',
      to: '2',
      user: 'bob',
      via: 'registry promote',
      message: 'better recall',
      reason: null,
    },
    { alias: 'production', from: null, to: '1', user: 'alice', message: 'first' },
  ]);
  t.equal(moves.length, 2, 'both moves, newest first');
  const table = await cli(['registry', 'history', 'iris_classifier']);
  t.equal(table.code, 0);
  const rows = table.stdout.split('\n').filter((l) => /\bv\d\b/.test(l) && /promote/.test(l));
  t.match(rows, [/v1\s+v2\s+bob\s+registry promote\s+better recall/, /-\s+v1\s+alice/]);

  const at = async (time: number) =>
    (await history(t, cli, ['--at', new Date(time).toISOString()])).at;
  t.match(await at(before - 60_000), { version: null, since: null }, 'before any move: none');
  t.match(await at(between), { version: '1', since: moves[1]?.time }, 'between the moves: v1');
  t.match(await at(Date.now()), { version: '2' }, 'now: v2');
  const none = await cli(['registry', 'history', 'iris_classifier', '--at', '2000-01-01']);
  t.match(none.stdout, /@production at 2000-01-01 00:00:00 UTC: none/);

  const rolled = await cli(
    ['registry', 'rollback', 'iris_classifier', '--message', 'oops', '--json'],
    {
      LOGNAME: 'carol',
    },
  );
  t.equal(rolled.code, 0, rolled.stderr);
  const result = json<PromoteResult>(rolled);
  t.ok(validatorFor('promote-result')(result));
  t.same(result, {
    name: 'iris_classifier',
    alias: 'production',
    version: '1',
    previous_version: '2',
  });
  const after = (await history(t, cli)).moves;
  t.equal(after.length, 3, 'the rollback is a move too');
  t.match(after[0], {
    from: '2',
    to: '1',
    user: 'carol',
    via: 'registry rollback',
    message: 'oops',
    reason: new RegExp(`^rollback of the move at ${moves[0]?.time} \\(v1 -> v2\\)$`),
  });
  const again = await cli(['registry', 'rollback', 'iris_classifier'], { LOGNAME: 'dave' });
  t.equal(again.code, 0, again.stderr);
  t.match(again.stdout, /@production: v1 → v2/, 'a second rollback undoes the first');

  if (python === null) return;
  const seen = runPythonJson(
    python,
    trackingUri,
    `
import json
from mlflow import MlflowClient
tags = MlflowClient().get_registered_model("iris_classifier").tags
moves = [json.loads(v) for k, v in sorted(tags.items()) if k.startswith("irisops.alias_history.")]
print(json.dumps([[m["from"], m["to"], m["user"], m["via"]] for m in moves]))
`,
  );
  t.same(
    seen,
    [
      [null, '1', 'alice', 'registry promote'],
      ['1', '2', 'bob', 'registry promote'],
      ['2', '1', 'carol', 'registry rollback'],
      ['1', '2', 'dave', 'registry rollback'],
    ],
    "MLflow's client reads every move, in order",
  );
}
