/** irisops registry register: finishing a train that stopped before it registered. */
import t from 'tap';
import { runCli } from '../helpers/cli.js';
import { tempDir, trainInto } from '../helpers/fixtures.js';
import { LocalStore } from '../../src/tracking/local/index.js';
import { validatorFor } from '../../src/schemas/index.js';

t.test(
  'a run trained with --no-register becomes the next version; a second try names it',
  async (t) => {
    const root = `${tempDir(t)}/mlruns`;
    const store = new LocalStore(root, { now: () => Date.now() });
    const first = await trainInto(store, { register: true });
    const unregistered = await trainInto(store, { register: false });
    const runId = unregistered.result.run_id;
    t.equal(unregistered.result.registered_model, null);

    const r = await runCli(['registry', 'register', runId.slice(0, 8), '--tracking-uri', root]);
    t.equal(r.code, 0, r.stderr);
    t.match(r.stdout, new RegExp(`run ${runId.slice(0, 8)}\\w* registered as iris_classifier v2`));
    t.match(
      r.stderr,
      /Promote it: irisops registry promote iris_classifier 2 --alias production --tracking-uri /,
    );

    const versions = await store.searchModelVersions('iris_classifier');
    t.same(versions.map((v) => [v.version, v.run_id]).sort(), [
      ['1', first.result.run_id],
      ['2', runId],
    ]);

    const again = await runCli(['registry', 'register', runId, '--tracking-uri', root, '--json']);
    t.equal(again.code, 1);
    t.equal(again.stdout, '', 'no document for a refusal');
    t.match(
      again.stderr,
      new RegExp(`^error: run ${runId} is already registered as iris_classifier version 2`),
    );
    t.match(again.stderr, /hint: promote it: irisops registry promote iris_classifier 2/);

    const other = await runCli([
      'registry',
      'register',
      runId,
      '--model-name',
      'iris_other',
      '--tracking-uri',
      root,
      '--json',
    ]);
    t.equal(other.code, 0, other.stderr);
    const doc: unknown = JSON.parse(other.stdout);
    const validate = validatorFor('register-result');
    t.ok(validate(doc), JSON.stringify(validate.errors));
    t.match(doc, { name: 'iris_other', version: '1', run_id: runId });
  },
);

t.test('refuses a run that is not finished or holds no irisops model, and bad ids', async (t) => {
  const root = `${tempDir(t)}/mlruns`;
  const store = new LocalStore(root, { now: () => Date.now() });
  const exp = await store.createExperiment('iris-classification');
  const bare = await store.createRun({
    experimentId: exp.experiment_id,
    runName: 'bare',
    startTime: Date.now(),
    userId: 'test',
  });
  const running = await runCli(['registry', 'register', bare.run_id, '--tracking-uri', root]);
  t.equal(running.code, 1);
  t.match(running.stderr, /is RUNNING, not FINISHED/);
  t.match(running.stderr, /hint: /);

  await store.updateRun(bare.run_id, 'FINISHED', Date.now());
  const noModel = await runCli(['registry', 'register', bare.run_id, '--tracking-uri', root]);
  t.equal(noModel.code, 1);
  t.match(noModel.stderr, new RegExp(`^error: run ${bare.run_id} has no irisops model`));
  t.match(noModel.stderr, /hint: register a run logged by irisops train/);

  const short = await runCli(['registry', 'register', '98', '--tracking-uri', root]);
  t.equal(short.code, 2);
  t.match(short.stderr, /^error: "98" is too short to name a run: give at least 6 characters/);
  const junk = await runCli(['registry', 'register', 'zz-top', '--tracking-uri', root]);
  t.equal(junk.code, 2);
  t.match(junk.stderr, /^error: "zz-top" is not a run id/);
  const missing = await runCli(['registry', 'register', 'abcdef12', '--tracking-uri', root]);
  t.equal(missing.code, 1);
  t.match(missing.stderr, /no run id starts with abcdef12/);
  t.same(
    await store.searchModelVersions('iris_classifier').catch(() => []),
    [],
    'nothing registered',
  );
});
