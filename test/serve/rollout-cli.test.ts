/** irisops serve's rollout flags as a real child process: bad input and a live challenger. */
import t from 'tap';
import { runCli } from '../helpers/cli.js';
import { trainedStore } from '../helpers/fixtures.js';
import { serveProcess } from '../helpers/serve-process.js';
import { call } from './helpers.js';

for (const bad of ['0', '101', 'abc']) {
  t.test(`--split ${bad} is a usage error`, async (t) => {
    const r = await runCli(['serve', '--challenger', 'models:/iris_classifier/2', '--split', bad]);
    t.equal(r.code, 2);
    t.match(r.stderr, /--split/);
    t.match(r.stderr, /^error: option '--split <percent>' argument .* is invalid/);
  });
}

t.test('--challenger equal to the champion, and --split alone, are usage errors', async (t) => {
  const same = await runCli(['serve', '--model', 'models:/m/1', '--challenger', 'models:/m/1']);
  t.equal(same.code, 2);
  t.match(same.stderr, /--challenger models:\/m\/1 is the champion itself/);
  const alone = await runCli(['serve', '--split', '10']);
  t.equal(alone.code, 2);
  t.match(alone.stderr, /--split needs --challenger/);
  const workers = await runCli(['serve', '--workers', '2', '--shadow', 'models:/m/2']);
  t.equal(workers.code, 2);
});

t.test(
  'a challenger that does not load is a warning; the champion serves everything',
  async (t) => {
    const { root } = await trainedStore(t, { versions: 2, alias: 'production' });
    const s = await serveProcess(t, [
      '--tracking-uri',
      root,
      '--challenger',
      'models:/iris_classifier/9',
      '--split',
      '50',
      '--shadow',
      'models:/iris_classifier/1',
    ]);
    t.match(s.stderr(), /warning: challenger models:\/iris_classifier\/9 not loaded/);
    const health = (await call(s.url, '/health')).json as {
      variants: { variant: string; loaded: boolean }[];
    };
    t.match(health.variants, [
      { variant: 'champion', loaded: true },
      { variant: 'challenger', loaded: false },
      { variant: 'shadow', loaded: true },
    ]);
    for (let i = 0; i < 10; i++) {
      const r = await call(s.url, '/predict', {
        body: JSON.stringify({
          features: { sepal_length: 5, sepal_width: 3, petal_length: 1.4, petal_width: 0.2 },
        }),
        headers: { 'content-type': 'application/json' },
      });
      t.equal(r.headers['x-model-variant'], 'champion');
    }
    s.child.kill('SIGTERM');
    t.equal((await s.exit).code, 0);
  },
);
