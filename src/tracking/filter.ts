/**
 * MLflow's run search syntax, for stores that search runs themselves (the local folder):
 * a filter is comparisons joined by `and`; `orderBy` entries are `<key> [ASC|DESC]`.
 * The rules (which operators go with which entity, how missing values sort, the default
 * order) follow mlflow/utils/search_utils.py so the local store answers as the server would.
 */
import { InvalidParameterError } from '../errors.js';

export type Entity = 'metric' | 'param' | 'tag' | 'attribute' | 'dataset';
export type Comparator =
  | '='
  | '!='
  | '>'
  | '>='
  | '<'
  | '<='
  | 'LIKE'
  | 'ILIKE'
  | 'IN'
  | 'NOT IN'
  | 'IS NULL'
  | 'IS NOT NULL';

export interface Comparison {
  entity: Entity;
  key: string;
  comparator: Comparator;
  value: number | string | string[] | null;
  /** 1-based character position of the clause in the filter, for messages */
  position: number;
}

/** A filter is a conjunction: MLflow has no `or` in run search. */
export interface Filter {
  clauses: Comparison[];
}

export interface OrderBy {
  entity: Exclude<Entity, 'dataset'>;
  key: string;
  ascending: boolean;
}

const ENTITY_ALIASES: Record<string, Entity> = {
  metric: 'metric',
  metrics: 'metric',
  param: 'param',
  params: 'param',
  parameter: 'param',
  parameters: 'param',
  tag: 'tag',
  tags: 'tag',
  attribute: 'attribute',
  attributes: 'attribute',
  attr: 'attribute',
  run: 'attribute',
  dataset: 'dataset',
  datasets: 'dataset',
};

const NUMERIC_ATTRIBUTES = new Set(['start_time', 'end_time']);
const STRING_ATTRIBUTES = new Set(['run_id', 'run_name', 'user_id', 'status', 'artifact_uri']);
const DATASET_KEYS = new Set(['name', 'digest', 'context']);
const ATTRIBUTE_ALIASES: Record<string, string> = {
  created: 'start_time',
  Created: 'start_time',
  'run name': 'run_name',
  'Run name': 'run_name',
  'Run Name': 'run_name',
};

const NUMERIC_COMPARATORS: readonly Comparator[] = ['=', '!=', '>', '>=', '<', '<='];
const STRING_COMPARATORS: readonly Comparator[] = ['=', '!=', 'LIKE', 'ILIKE'];
const NULL_COMPARATORS: readonly Comparator[] = ['IS NULL', 'IS NOT NULL'];

type Token =
  | { kind: 'word'; text: string; pos: number }
  | { kind: 'quoted'; text: string; quote: "'" | '"' | '`'; pos: number }
  | { kind: 'number'; text: string; pos: number }
  | { kind: 'op'; text: string; pos: number }
  | { kind: 'punct'; text: '(' | ')' | ',' | '.'; pos: number }
  | { kind: 'end'; pos: number };

function syntaxError(source: string, position: number, message: string, hint?: string): never {
  const where = position > source.length ? 'at the end' : `at position ${position}`;
  throw new InvalidParameterError(
    `invalid filter ${where}: ${message} (in ${JSON.stringify(source)})`,
    hint === undefined ? {} : { hint },
  );
}

/** A run attribute a bare key may name (run_name, start_time, ...), aliases included. */
export function isRunAttribute(key: string): boolean {
  const name = ATTRIBUTE_ALIASES[key] ?? key;
  return NUMERIC_ATTRIBUTES.has(name) || STRING_ATTRIBUTES.has(name);
}

/** What a bare key most likely meant: a metric (or a param or tag of that name). */
export function bareKeyHint(key: string): string {
  return `did you mean metrics.${key}? (params.${key} and tags.${key} name a param or a tag)`;
}

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const ch = source[i] as string;
    const pos = i + 1;
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    if (ch === "'" || ch === '"' || ch === '`') {
      let text = '';
      let j = i + 1;
      for (;;) {
        if (j >= source.length) syntaxError(source, pos, `unterminated ${ch}-quoted string`);
        const c = source[j] as string;
        if (c === ch) {
          // SQL's way to put the quote itself in a string: double it.
          if (source[j + 1] === ch) {
            text += ch;
            j += 2;
            continue;
          }
          break;
        }
        text += c;
        j++;
      }
      tokens.push({ kind: 'quoted', text, quote: ch, pos });
      i = j + 1;
      continue;
    }
    const two = source.slice(i, i + 2);
    if (two === '!=' || two === '>=' || two === '<=' || two === '<>') {
      tokens.push({ kind: 'op', text: two === '<>' ? '!=' : two, pos });
      i += 2;
      continue;
    }
    if (ch === '=' || ch === '>' || ch === '<') {
      tokens.push({ kind: 'op', text: ch, pos });
      i++;
      continue;
    }
    if (ch === '(' || ch === ')' || ch === ',') {
      tokens.push({ kind: 'punct', text: ch, pos });
      i++;
      continue;
    }
    const number = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?/.exec(source.slice(i));
    const previous = tokens[tokens.length - 1];
    if (
      number !== null &&
      (previous === undefined || previous.kind === 'op' || previous.kind === 'punct')
    ) {
      tokens.push({ kind: 'number', text: number[0], pos });
      i += number[0].length;
      continue;
    }
    // A bare word runs until whitespace, an operator, a quote or a parenthesis; dots and
    // slashes stay inside it because metric keys like `val/loss.1` use them.
    const word = /^[^\s=!<>()'"`,]+/.exec(source.slice(i));
    if (word === null) syntaxError(source, pos, `unexpected character ${JSON.stringify(ch)}`);
    tokens.push({ kind: 'word', text: word[0], pos });
    i += word[0].length;
  }
  tokens.push({ kind: 'end', pos: source.length + 1 });
  return tokens;
}

function describe(token: Token): string {
  switch (token.kind) {
    case 'end':
      return 'the end of the filter';
    case 'quoted':
      return `${token.quote}${token.text}${token.quote}`;
    default:
      return `'${token.text}'`;
  }
}

class Parser {
  private index = 0;
  constructor(
    private readonly source: string,
    private readonly tokens: Token[],
  ) {}

  private peek(offset = 0): Token {
    return this.tokens[Math.min(this.index + offset, this.tokens.length - 1)] as Token;
  }

  private next(): Token {
    const token = this.peek();
    if (this.index < this.tokens.length - 1) this.index++;
    return token;
  }

  private fail(token: Token, message: string): never {
    syntaxError(this.source, token.pos, message);
  }

  private isWord(token: Token, word: string): boolean {
    return token.kind === 'word' && token.text.toLowerCase() === word;
  }

  parseFilter(): Filter {
    const clauses: Comparison[] = [];
    if (this.peek().kind === 'end') return { clauses };
    for (;;) {
      clauses.push(this.parseComparison());
      const token = this.next();
      if (token.kind === 'end') return { clauses };
      if (this.isWord(token, 'or'))
        this.fail(token, "'or' is not supported by MLflow search; combine conditions with 'and'");
      if (!this.isWord(token, 'and'))
        this.fail(token, `expected 'and' or the end of the filter, found ${describe(token)}`);
    }
  }

  /** An identifier: `status`, `metrics.acc`, metrics.`my key`, tags."mlflow.runName" */
  parseIdentifier(): { entity: Entity; key: string; pos: number } {
    const first = this.next();
    const pos = first.pos;
    let entity: Entity;
    let key: string;
    if (first.kind === 'quoted' && first.quote !== "'") {
      entity = 'attribute';
      key = first.text;
    } else if (first.kind === 'word') {
      const dot = first.text.indexOf('.');
      if (dot === -1) {
        entity = 'attribute';
        key = first.text;
      } else {
        const prefix = first.text.slice(0, dot);
        const resolved = ENTITY_ALIASES[prefix] ?? ENTITY_ALIASES[prefix.toLowerCase()];
        if (resolved === undefined) {
          this.fail(
            first,
            `unknown entity '${prefix}'; use metrics., params., tags., attributes. or datasets.`,
          );
        }
        entity = resolved;
        key = first.text.slice(dot + 1);
        if (key === '') {
          const quoted = this.peek();
          if (
            quoted.kind === 'quoted' &&
            quoted.quote !== "'" &&
            quoted.pos === first.pos + first.text.length
          ) {
            this.next();
            key = quoted.text;
          } else {
            this.fail(quoted, `expected a key after '${first.text}'`);
          }
        }
      }
    } else {
      this.fail(
        first,
        `expected a key such as metrics.accuracy or attributes.status, found ${describe(first)}`,
      );
    }
    if (entity === 'attribute') {
      key = ATTRIBUTE_ALIASES[key] ?? key;
      if (!NUMERIC_ATTRIBUTES.has(key) && !STRING_ATTRIBUTES.has(key)) {
        syntaxError(
          this.source,
          pos,
          `unknown attribute '${key}'; valid ones are ${[...STRING_ATTRIBUTES, ...NUMERIC_ATTRIBUTES].join(', ')}`,
          bareKeyHint(key),
        );
      }
    }
    if (entity === 'dataset' && !DATASET_KEYS.has(key)) {
      syntaxError(
        this.source,
        pos,
        `unknown dataset key '${key}'; valid ones are name, digest, context`,
      );
    }
    return { entity, key, pos };
  }

  private parseComparator(): Comparator {
    const token = this.next();
    if (token.kind === 'op') return token.text as Comparator;
    if (token.kind === 'word') {
      const word = token.text.toUpperCase();
      if (word === 'LIKE' || word === 'ILIKE' || word === 'IN') return word;
      if (word === 'NOT' && this.isWord(this.peek(), 'in')) {
        this.next();
        return 'NOT IN';
      }
      if (word === 'IS') {
        if (this.isWord(this.peek(), 'null')) {
          this.next();
          return 'IS NULL';
        }
        if (this.isWord(this.peek(), 'not') && this.isWord(this.peek(1), 'null')) {
          this.next();
          this.next();
          return 'IS NOT NULL';
        }
      }
    }
    this.fail(
      token,
      `expected a comparison operator (= != > >= < <= LIKE ILIKE), found ${describe(token)}`,
    );
  }

  private parseString(what: string): string {
    const token = this.next();
    if (token.kind === 'quoted' && token.quote !== '`') return token.text;
    this.fail(
      token,
      `expected a quoted string for ${what} (e.g. 'value'), found ${describe(token)}`,
    );
  }

  private parseNumber(what: string): number {
    const token = this.next();
    if (token.kind === 'number') return Number(token.text);
    this.fail(token, `expected a number for ${what}, found ${describe(token)}`);
  }

  private parseList(what: string): string[] {
    const open = this.next();
    if (open.kind !== 'punct' || open.text !== '(')
      this.fail(open, `expected a list like ('a', 'b') for ${what}`);
    const values: string[] = [this.parseString(what)];
    for (;;) {
      const token = this.next();
      if (token.kind === 'punct' && token.text === ')') return values;
      if (token.kind !== 'punct' || token.text !== ',')
        this.fail(token, `expected ',' or ')' in the list, found ${describe(token)}`);
      values.push(this.parseString(what));
    }
  }

  private parseComparison(): Comparison {
    const { entity, key, pos } = this.parseIdentifier();
    const comparatorToken = this.peek();
    const comparator = this.parseComparator();
    const what = entity === 'attribute' ? `attribute ${key}` : `${entity} ${key}`;
    const allow = (allowed: readonly Comparator[]): void => {
      if (!allowed.includes(comparator)) {
        this.fail(
          comparatorToken,
          `operator ${comparator} is not allowed for ${what}; use one of ${allowed.join(' ')}`,
        );
      }
    };
    if (entity === 'metric' || (entity === 'attribute' && NUMERIC_ATTRIBUTES.has(key))) {
      allow(NUMERIC_COMPARATORS);
      return { entity, key, comparator, value: this.parseNumber(what), position: pos };
    }
    if (entity === 'param' || entity === 'tag') {
      allow([...STRING_COMPARATORS, ...NULL_COMPARATORS]);
      const value = NULL_COMPARATORS.includes(comparator) ? null : this.parseString(what);
      return { entity, key, comparator, value, position: pos };
    }
    const listKeys = entity === 'dataset' || key === 'run_id';
    allow(listKeys ? [...STRING_COMPARATORS, 'IN', 'NOT IN'] : STRING_COMPARATORS);
    const value =
      comparator === 'IN' || comparator === 'NOT IN'
        ? this.parseList(what)
        : this.parseString(what);
    return { entity, key, comparator, value, position: pos };
  }

  parseOrderBy(): OrderBy {
    const { entity, key, pos } = this.parseIdentifier();
    if (entity === 'dataset')
      syntaxError(this.source, pos, 'runs cannot be ordered by a dataset key');
    let ascending = true;
    const direction = this.next();
    if (
      direction.kind === 'word' &&
      (direction.text.toLowerCase() === 'asc' || direction.text.toLowerCase() === 'desc')
    ) {
      ascending = direction.text.toLowerCase() === 'asc';
    } else if (direction.kind !== 'end') {
      this.fail(
        direction,
        `expected ASC, DESC or nothing after the key, found ${describe(direction)}`,
      );
    }
    if (direction.kind !== 'end') {
      const rest = this.next();
      if (rest.kind !== 'end') this.fail(rest, `unexpected ${describe(rest)} after the direction`);
    }
    return { entity, key, ascending };
  }
}

/** Parses an MLflow run filter; an empty or blank filter matches every run. */
export function parseFilter(source: string | undefined): Filter {
  if (source === undefined || source.trim() === '') return { clauses: [] };
  return new Parser(source, tokenize(source)).parseFilter();
}

/** Parses one orderBy entry such as `metrics.accuracy DESC` or `attributes.start_time`. */
export function parseOrderBy(source: string): OrderBy {
  if (source.trim() === '')
    throw new InvalidParameterError(
      'invalid order-by: it is empty (expected e.g. "metrics.accuracy DESC")',
    );
  try {
    return new Parser(source, tokenize(source)).parseOrderBy();
  } catch (error) {
    if (error instanceof InvalidParameterError) {
      throw new InvalidParameterError(
        error.message.replace(/^invalid filter/, 'invalid order-by'),
        error.hint === undefined ? {} : { hint: error.hint },
      );
    }
    throw error;
  }
}

export { matchesFilter, sortRuns } from './filter-match.js';
