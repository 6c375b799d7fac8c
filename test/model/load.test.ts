import t from 'tap';
import { appendFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadModel } from '../../src/model/load.js';
import { trainedStore } from '../helpers/fixtures.js';

t.test('a registered model loads with its digest verified', async (t) => {
  const { store } = await trainedStore(t, { versions: 1, alias: 'production' });
  const m = await loadModel(store, 'models:/iris_classifier@production');
  t.equal(m.version, '1');
  t.match(m.digest, /^sha256:[0-9a-f]{64}$/);
  t.equal(m.model.class_labels.length, 3);
});

t.test('changed model bytes are refused, naming the run record', async (t) => {
  const { root, store, outcomes } = await trainedStore(t, { versions: 1 });
  const r = outcomes[0]!.result;
  appendFileSync(
    path.join(root, r.experiment_id, r.run_id, 'artifacts', 'model', 'model.json'),
    ' ',
  );
  await t.rejects(loadModel(store, 'models:/iris_classifier/1'), {
    code: 'MODEL_DIGEST_MISMATCH',
    message: /its run recorded/,
  });
});

t.test('a registry record that disagrees with the bytes is refused too', async (t) => {
  const { root, store } = await trainedStore(t, { versions: 1 });
  writeFileSync(
    path.join(root, 'models', 'iris_classifier', 'version-1', 'tags', 'irisops.model_digest'),
    `sha256:${'0'.repeat(64)}`,
  );
  await t.rejects(loadModel(store, 'models:/iris_classifier/1'), {
    code: 'MODEL_DIGEST_MISMATCH',
    message: /the registry recorded/,
  });
  const direct = await loadModel(
    store,
    (await store.getModelVersion('iris_classifier', '1')).source.replace(
      /^.*\/([0-9a-f]{32})\/artifacts\/model$/,
      'runs:/$1/model',
    ),
  );
  t.equal(direct.version, null, 'the run itself still loads by runs:/ (its own record matches)');
});

t.test('train logs the reference profile inside model/ and the loader exposes it', async (t) => {
  const { root, store, outcomes } = await trainedStore(t, { versions: 1 });
  const r = outcomes[0]!.result;
  const dir = path.join(root, r.experiment_id, r.run_id, 'artifacts', 'model');
  const onDisk = JSON.parse(readFileSync(path.join(dir, 'reference-profile.json'), 'utf8'));
  t.equal(onDisk.n_rows, 120, 'the training split, not the whole file');
  const m = await loadModel(store, 'models:/iris_classifier/1');
  t.same(m.profile, onDisk);
  t.equal(m.digest, r.model_digest, 'the model digest is still the digest of model.json alone');
  t.match(
    readFileSync(path.join(dir, 'MLmodel'), 'utf8'),
    /reference_profile: reference-profile\.json/,
  );
});

t.test('a model logged without a profile still loads; a damaged profile is reported', async (t) => {
  const { root, store, outcomes } = await trainedStore(t, { versions: 1 });
  const r = outcomes[0]!.result;
  const file = path.join(
    root,
    r.experiment_id,
    r.run_id,
    'artifacts',
    'model',
    'reference-profile.json',
  );
  writeFileSync(file, '{"format":');
  const damaged = await loadModel(store, 'models:/iris_classifier/1');
  t.equal(damaged.profile, null);
  t.match(damaged.profileProblem, /not valid JSON/);
  rmSync(file);
  const old = await loadModel(store, 'models:/iris_classifier/1');
  t.equal(old.profile, null);
  t.match(old.profileProblem, /no reference profile/);
  t.equal(old.model.class_labels.length, 3, 'the model itself is unaffected');
});
