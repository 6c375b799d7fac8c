import t from 'tap';
import { createLineBatch } from '../../src/serve/line-batch.js';

t.test('lines leave in one write once the batch is full, in order', async (t) => {
  const writes: string[] = [];
  const batch = createLineBatch({ write: (s: string) => writes.push(s) }, 10, 10_000);
  batch.write('aaaa\n');
  t.same(writes, [], 'below the size nothing is written');
  batch.write('bbbbbb\n');
  t.same(writes, ['aaaa\nbbbbbb\n']);
  batch.write('c\n');
  batch.drain();
  batch.drain();
  t.same(writes, ['aaaa\nbbbbbb\n', 'c\n'], 'drain hands over the rest once');
});

t.test('a lone line leaves after the flush interval without a drain', async (t) => {
  const writes: string[] = [];
  const batch = createLineBatch({ write: (s: string) => writes.push(s) }, 1_000_000, 20);
  batch.write('quiet\n');
  await new Promise((r) => setTimeout(r, 80));
  t.same(writes, ['quiet\n']);
});
