/**
 * A CSV's named columns, cell by cell, exactly as arquero's fromCSV reads them with autoType
 * off (an empty cell is null; a column name is the header cell as written). Plain text (no
 * quote, no carriage return, and every wanted name written exactly in the header) splits on
 * the delimiter and nothing else in arquero's reader too, so it is split here without
 * loading arquero, which costs a train about a fifth of its start-up; anything else still
 * goes through arquero, quirks and all.
 */
export type Columns = Record<string, (string | null)[]>;

function plainColumns(lines: readonly string[], names: readonly string[]): Columns | null {
  const [header, ...body] = lines;
  if (header === undefined) return null;
  const headerCells = header.split(',');
  // a repeated name is the last column of that name, as in arquero's table
  const index = new Map(headerCells.map((name, i) => [name, i]));
  if (!names.every((name) => index.has(name))) return null;
  const columns: Columns = Object.fromEntries(names.map((name) => [name, []]));
  for (const line of body) {
    const cells = line.split(',');
    for (const name of names) {
      const cell = cells[index.get(name) as number];
      (columns[name] as (string | null)[]).push(cell === undefined || cell === '' ? null : cell);
    }
  }
  return columns;
}

export async function readColumns(lines: readonly string[], names: readonly string[]): Promise<Columns> {
  const text = lines.join('\n');
  if (!text.includes('"') && !text.includes('\r')) {
    const plain = plainColumns(lines, names);
    if (plain) return plain;
  }
  const { fromCSV } = await import('arquero');
  // autoType off: every cell arrives as written, so a bad cell is reported, not silently coerced
  const table = fromCSV(text, { autoType: false });
  return Object.fromEntries(
    names.map((c) => [c, table.array(c) as unknown as (string | null)[]]),
  );
}
