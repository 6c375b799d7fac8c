import { fromCSV } from 'arquero';
import fc from 'fast-check';
import t from 'tap';
import { readColumns } from '../../src/data/csv-columns.js';

const NAMES = ['a', 'b', 'species'];

/** What the loader read before: arquero's table, column by column. */
function arqueroColumns(lines: string[], names: string[]) {
  const table = fromCSV(lines.join('\n'), { autoType: false });
  return Object.fromEntries(names.map((c) => [c, table.array(c) as unknown as unknown[]]));
}

const cell = fc.oneof(
  fc.constantFrom('', ' ', '4.9', ' 5.1 ', '-0', '1e3', 'setosa', 'NaN', ' a'),
  fc.string({ unit: fc.constantFrom('1', '.', ' ', 'x', '\t', ';') }),
);

t.test('plain CSV reads cell for cell as arquero reads it', async (t) => {
  const seed = Number(process.env.IRISOPS_CSV_SEED ?? 20261207);
  const cases = fc.sample(
    fc.integer({ min: 1, max: 5 }).chain((width) =>
      fc.record({
        header: fc.shuffledSubarray(['a', 'b', 'species', 'extra', 'a', ' b', 'b '], {
          minLength: width,
          maxLength: width,
        }),
        rows: fc.array(fc.array(cell, { minLength: width, maxLength: width }), {
          minLength: 1,
          maxLength: 6,
        }),
      }),
    ),
    { numRuns: 500, seed },
  );
  let checked = 0;
  for (const { header, rows } of cases) {
    const lines = [header.join(','), ...rows.map((r) => r.join(','))];
    let expected: unknown;
    try {
      expected = arqueroColumns(lines, NAMES);
    } catch {
      continue; // a name missing from arquero's table: readColumns takes arquero's path too
    }
    t.strictSame(await readColumns(lines, NAMES), expected, JSON.stringify(lines));
    checked++;
  }
  t.ok(checked > 50, `${checked} plain files compared`);
});

t.test('quotes, a carriage return or an untrimmed name still go through arquero', async (t) => {
  const files = [
    ['a,b,species', '"4.9",5,"set""osa"', '1,"2,5",x'],
    ['a,b,species', '1,2,x\r3,4,y'],
    [' a,b,species', '1,2,x'],
  ];
  for (const lines of files) {
    let expected: unknown;
    let thrown: unknown;
    try {
      expected = arqueroColumns(lines, NAMES);
    } catch (error) {
      thrown = error;
    }
    if (thrown) await t.rejects(readColumns(lines, NAMES), JSON.stringify(lines));
    else t.strictSame(await readColumns(lines, NAMES), expected, JSON.stringify(lines));
  }
});
