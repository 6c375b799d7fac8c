/**
 * Registered-model tags, and the alias history built on them, run by the conformance suite
 * against every store: what one store records, the other reads the same way.
 */
import { InvalidParameterError, NotFoundError } from '../../src/errors.js';
import { moveOf, readAliasHistory, recordMove } from '../../src/tracking/alias-history.js';
import { promoteAlias } from '../../src/tracking/promote.js';
import type { TrackingStore } from '../../src/tracking/store.js';
import { ALIAS_HISTORY_TAG_PREFIX } from '../../src/tracking/tags.js';
import { MAX_REGISTRY_TAG_VALUE_LENGTH } from '../../src/tracking/validation.js';
import type { TapTest } from './conformance.js';

const BASE_TIME = 1_700_000_000_000;

export async function runRegistryConformance(
  t: TapTest,
  store: TrackingStore,
  unique: (prefix: string) => string,
  timeout: number,
): Promise<void> {
  await t.test('registry: registered-model tags', { timeout }, async (t) => {
    const name = unique('conf_tags');
    await t.rejects(store.setRegisteredModelTag(name, 'k', 'v'), NotFoundError, 'unknown model');
    await store.createRegisteredModel(name);
    await store.setRegisteredModelTag(name, 'team.owner', 'ml');
    await store.setRegisteredModelTag(name, 'note', '{"json": [1, 2]}');
    t.same((await store.getRegisteredModel(name)).tags, {
      'team.owner': 'ml',
      note: '{"json": [1, 2]}',
    });
    await store.setRegisteredModelTag(name, 'team.owner', 'ops');
    t.equal((await store.getRegisteredModel(name)).tags['team.owner'], 'ops', 'overwritten');
    const listed = (await store.searchRegisteredModels()).find((m) => m.name === name);
    t.equal(listed?.tags['team.owner'], 'ops', 'search sees the tags too');
    await t.rejects(store.setRegisteredModelTag(name, '../x', 'v'), InvalidParameterError);
    await t.rejects(store.setRegisteredModelTag(name, '', 'v'), InvalidParameterError);
    await t.rejects(
      store.setRegisteredModelTag(name, 'big', 'x'.repeat(MAX_REGISTRY_TAG_VALUE_LENGTH + 1)),
      InvalidParameterError,
      'value over the limit',
    );
    t.same(Object.keys((await store.getRegisteredModel(name)).tags).sort(), ['note', 'team.owner']);
  });

  await t.test(
    'registry: alias moves are recorded and read back newest first',
    { timeout },
    async (t) => {
      const experiment = await store.createExperiment(unique('conf-history'));
      const run = await store.createRun({
        experimentId: experiment.experiment_id,
        runName: 'h',
        startTime: BASE_TIME,
        userId: 'conformance',
      });
      const name = unique('conf_history');
      await store.createRegisteredModel(name);
      for (let i = 0; i < 2; i++)
        await store.createModelVersion({
          name,
          source: `runs:/${run.run_id}/model`,
          runId: run.run_id,
        });
      const record = (time: number) => ({ user: 'alice', time, via: 'registry promote' as const });
      await promoteAlias(store, {
        name,
        version: '1',
        alias: 'production',
        record: record(BASE_TIME),
      });
      const second = await promoteAlias(store, {
        name,
        version: '2',
        alias: 'production',
        record: { ...record(BASE_TIME + 1000), message: 'better on recall' },
      });
      t.match(second.move, { from: '1', to: '2', message: 'better on recall' });
      const again = await promoteAlias(store, {
        name,
        version: '2',
        alias: 'production',
        record: record(BASE_TIME + 2000),
      });
      t.equal(again.move, null, 'no move, nothing recorded');
      await promoteAlias(store, {
        name,
        version: '1',
        alias: 'staging',
        record: record(BASE_TIME + 3000),
      });
      // a second move in the same millisecond keeps its own tag
      await recordMove(store, name, moveOf(record(BASE_TIME + 3000), 'staging', '1', '2'));

      const production = await readAliasHistory(store, name, 'production');
      t.same(
        production.moves.map((m) => [m.from, m.to, m.user, m.time]),
        [
          ['1', '2', 'alice', new Date(BASE_TIME + 1000).toISOString()],
          [null, '1', 'alice', new Date(BASE_TIME).toISOString()],
        ],
      );
      t.same(production.aliases, { production: '2', staging: '1' });
      t.equal((await readAliasHistory(store, name)).moves.length, 4, 'every alias');
      const tags = (await store.getRegisteredModel(name)).tags;
      const keys = Object.keys(tags).filter((k) => k.startsWith(ALIAS_HISTORY_TAG_PREFIX));
      t.equal(keys.length, 4, 'one tag per move');
      for (const key of keys) t.match(key, /^irisops\.alias_history\.\d{13}-[0-9a-f]{8}$/);

      await store.setRegisteredModelTag(
        name,
        `${ALIAS_HISTORY_TAG_PREFIX}0000000000001`,
        'not json',
      );
      const withBad = await readAliasHistory(store, name);
      t.equal(withBad.moves.length, 4, 'an unreadable tag is skipped');
      t.same(withBad.unreadable, [`${ALIAS_HISTORY_TAG_PREFIX}0000000000001`]);
    },
  );
}
