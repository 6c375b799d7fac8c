/**
 * HTML built by a tagged template that escapes every interpolated value, so user text (run
 * names, tags, params) can never become markup; only values already built by `html` or
 * marked `raw` (our own SVG) pass through.
 */
export class Html {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

export type Part = Html | string | number | null | undefined | false | readonly Part[];

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => ENTITIES[ch] ?? ch);
}

function render(part: Part): string {
  if (part instanceof Html) return part.text;
  if (Array.isArray(part)) return part.map(render).join('');
  if (part === null || part === undefined || part === false) return '';
  return escapeHtml(String(part as string | number));
}

export function html(strings: TemplateStringsArray, ...values: Part[]): Html {
  let out = strings[0] ?? '';
  values.forEach((v, i) => {
    out += render(v) + (strings[i + 1] ?? '');
  });
  return new Html(out);
}

/** Markup this module's callers generated themselves (never user text). */
export function raw(text: string): Html {
  return new Html(text);
}

/** A query string from pairs, leaving out empty values; repeated keys allowed. */
export function query(pairs: [string, string | number | undefined | null][]): string {
  const params = new URLSearchParams();
  for (const [k, v] of pairs)
    if (v !== undefined && v !== null && v !== '') params.append(k, String(v));
  const text = params.toString();
  return text ? `?${text}` : '';
}
