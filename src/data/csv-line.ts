/**
 * One CSV line split into cells. The data irisops reads is numbers and labels, so a line is
 * never continued by a quoted newline; a cell may still be quoted ("setosa", "a,b", "" for a
 * quote) and is trimmed, as the original pandas-based tools read it.
 */

/** the cells of a line, or null when a quote is left open */
export function splitCsvLine(line: string, delimiter = ','): string[] | null {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i] as string;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"' && cell.trim() === '') {
      quoted = true;
      cell = '';
    } else if (ch === delimiter) {
      cells.push(cell.trim());
      cell = '';
    } else cell += ch;
  }
  if (quoted) return null;
  cells.push(cell.trim());
  return cells;
}

/** Delimiters people save CSVs with, tried when the header does not split on commas. */
export const OTHER_DELIMITERS = [';', '\t', '|'] as const;

export function describeDelimiter(d: string): string {
  return d === '\t' ? 'a tab' : `\`${d}\``;
}
