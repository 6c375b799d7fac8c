/**
 * The shell blocks of a Markdown document and the `doc-test` marker before each (the last
 * non-blank line before the fence):
 *
 *   <!-- doc-test: run -->                 run it, in document order, in one bash process
 *   <!-- doc-test: background -->          a second terminal: each line starts in the
 *                                          background and the next block waits for /health
 *   <!-- doc-test: skip <reason> -->       not run here; the reason says why (and what runs it)
 */

export type Marker =
  { kind: 'run' } | { kind: 'background' } | { kind: 'skip'; reason: string } | { kind: 'missing' };

export interface ShellBlock {
  /** 1-based line of the opening fence */
  line: number;
  lang: string;
  body: string;
  marker: Marker;
}

export interface ParsedDoc {
  blocks: ShellBlock[];
  /** markers that are invalid or do not come right before a shell block (lines, 1-based) */
  strayMarkers: number[];
}

const FENCE = /^```([\w-]*)\s*$/;
const MARKER = /^<!--\s*doc-test:\s*(.*?)\s*-->\s*$/;
const SHELL = new Set(['bash', 'sh']);

function parseMarker(text: string): Marker | null {
  if (text === 'run') return { kind: 'run' };
  if (text === 'background') return { kind: 'background' };
  const skip = /^skip\s+(\S.*)$/.exec(text);
  return skip?.[1] ? { kind: 'skip', reason: skip[1] } : null;
}

export function parseDoc(markdown: string): ParsedDoc {
  const lines = markdown.split('\n');
  const blocks: ShellBlock[] = [];
  const usedMarkers = new Set<number>();
  const markerLines: number[] = [];
  let open: { line: number; lang: string; body: string[] } | null = null;
  for (const [i, text] of lines.entries()) {
    if (open === null) {
      const fence = FENCE.exec(text);
      if (fence) open = { line: i + 1, lang: fence[1] ?? '', body: [] };
      else if (MARKER.test(text)) markerLines.push(i + 1);
    } else if (/^```\s*$/.test(text)) {
      if (SHELL.has(open.lang)) {
        // the marker is the last non-blank line before the fence (prettier puts a blank between)
        let before = open.line - 1;
        while (before > 1 && (lines[before - 1] ?? '').trim() === '') before--;
        const m = MARKER.exec(lines[before - 1] ?? '');
        const marker = m ? parseMarker(m[1] ?? '') : null;
        if (marker) usedMarkers.add(before);
        blocks.push({
          line: open.line,
          lang: open.lang,
          body: open.body.join('\n'),
          marker: marker ?? { kind: 'missing' },
        });
      }
      open = null;
    } else open.body.push(text);
  }
  if (open !== null) throw new Error(`unclosed code fence at line ${open.line}`);
  return { blocks, strayMarkers: markerLines.filter((l) => !usedMarkers.has(l)) };
}

/** A URL on the documented default port, rewritten to the test's $PORT. */
const DEFAULT_PORT_URL = /\b(localhost|127\.0\.0\.1):8000\b/g;

/**
 * One bash script running a document's run and background blocks in order. Blocks are
 * copied as written, except that `localhost:8000` becomes `localhost:$PORT` (the test serves
 * on a free port, exported as PORT, which irisops honours like the documented 8000).
 */
export function scriptFor(doc: string, blocks: ShellBlock[]): string {
  const parts: string[] = [
    'set -e',
    // background servers are this shell's jobs: stop them (SIGTERM) whatever happens
    'trap \'rc=$?; kill $(jobs -p) 2>/dev/null || true; wait; exit "$rc"\' EXIT',
    `wait_healthy() { # PID: until http://127.0.0.1:$PORT/health answers 200, at most 30 s
  for _ in $(seq 150); do
    kill -0 "$1" 2>/dev/null || { echo "doc-test: the background command exited before /health answered" >&2; return 1; }
    node -e 'fetch(process.argv[1]).then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))' "http://127.0.0.1:$PORT/health" && return 0
    sleep 0.2
  done
  echo "doc-test: no healthy /health on port $PORT within 30 s" >&2
  return 1
}`,
  ];
  for (const block of blocks) {
    if (block.marker.kind !== 'run' && block.marker.kind !== 'background') continue;
    const where = `${doc}:${block.line}`;
    parts.push(`printf '\\n[doc-test] %s (%s)\\n' '${where}' '${block.marker.kind}' >&2`);
    const body = block.body.replace(DEFAULT_PORT_URL, '$1:$PORT');
    if (block.marker.kind === 'run') {
      parts.push(body);
      continue;
    }
    for (const line of body.split('\n')) {
      if (line.trim() === '' || line.trim().startsWith('#')) continue;
      if (line.trimEnd().endsWith('\\'))
        throw new Error(`${where}: a background block holds one command per line`);
      parts.push(`${line} &`, 'wait_healthy $!');
    }
  }
  return `${parts.join('\n')}\n`;
}
