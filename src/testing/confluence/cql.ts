/**
 * A parser for the subset of CQL (Confluence Query Language) the emulator answers. It turns the
 * `cql` parameter of `GET /wiki/rest/api/search` into a syntax tree; search.ts evaluates the tree
 * against the world. Syntax and field names follow Atlassian's CQL reference
 * (developer.atlassian.com/cloud/confluence/advanced-searching-using-cql, cql-fields, cql-operators,
 * cql-keywords): `field op value`, `field [not] in (v, …)`, AND / OR / NOT, parentheses, and
 * `ORDER BY field [asc|desc], …`. Keywords and field names are case-insensitive; values may be bare
 * words or "double" / 'single' quoted strings in which a backslash escapes the next character.
 *
 * Anything outside the subset throws a `CqlError`, so a query the emulator cannot answer faithfully
 * is refused loudly rather than silently answered wrong.
 */

import { CqlError } from '../errors.js';
import { checkDateFunction, checkDateLiteral, DATE_FUNCTIONS } from './cql-dates.js';

export type CqlOperator = '=' | '!=' | '~' | '!~' | 'in' | 'not in' | '<' | '<=' | '>' | '>=';

/** A value as written: a literal (bare or quoted), or a function call such as `currentUser()` or `now("-30d")`. */
export type CqlValue = { kind: 'literal'; value: string } | { kind: 'function'; name: string; args: string[] };

export type CqlNode =
  /** Two or more operands: `a AND b AND c` is one node, so a long flat query is a wide tree, not a deep one. */
  | { kind: 'and' | 'or'; operands: CqlNode[] }
  | { kind: 'not'; operand: CqlNode }
  | { kind: 'clause'; field: CqlField; operator: CqlOperator; values: CqlValue[] };

export type CqlOrderField = 'lastmodified' | 'created' | 'title';

export interface CqlQuery {
  /** A query is at least one clause: a bare `ORDER BY …` is refused (the emulator's choice [Inf]). */
  where: CqlNode;
  orderBy: { field: CqlOrderField; direction: 'asc' | 'desc' }[];
}

/** Fields the emulator evaluates, with the operators each accepts (per Atlassian's CQL field reference). */
const EQUALITY: CqlOperator[] = ['=', '!=', 'in', 'not in'];
const DATE: CqlOperator[] = ['=', '!=', '<', '<=', '>', '>='];
const FIELDS = {
  type: EQUALITY,
  space: EQUALITY,
  'space.key': EQUALITY,
  label: EQUALITY,
  title: ['=', '!=', '~', '!~', 'in', 'not in'],
  text: ['~', '!~'],
  sitesearch: ['~', '!~'],
  ancestor: EQUALITY,
  parent: EQUALITY,
  id: EQUALITY,
  content: EQUALITY,
  creator: EQUALITY,
  created: DATE,
  lastmodified: DATE,
} satisfies Record<string, CqlOperator[]>;

export type CqlField = keyof typeof FIELDS;

/**
 * Real CQL fields the emulator does not evaluate. Naming one is refused as "not supported by the
 * emulator" rather than with Confluence's "No field exists" (which would be wrong about Confluence).
 */
const REAL_BUT_UNSUPPORTED = new Set([
  'attachment',
  'container',
  'contributor',
  'favourite',
  'favorite',
  'macro',
  'mention',
  'space.category',
  'space.title',
  'space.type',
  'user',
  'user.accountid',
  'user.fullname',
  'watcher',
]);

/**
 * Bounds on what a query may cost, refused as syntax errors (a 400) instead of exhausting the stack
 * or the CPU. [Inf] Confluence documents no limit. 8,192 characters: the `cql` of a GET search travels
 * in the request line, and 8 KB is the common server default for it (Tomcat's maxHttpHeaderSize,
 * nginx's large_client_header_buffers), so longer CQL is unlikely to reach Cloud at all; it still
 * fits a flat OR of 500 ids. Nesting 100 deep (parentheses and NOT together, the only things the
 * parser and evaluator recurse on) is far beyond any hand-written or generated query.
 */
export const MAX_CQL_LENGTH = 8192;
export const MAX_CQL_NESTING = 100;

const ORDER_FIELDS = new Set<CqlOrderField>(['lastmodified', 'created', 'title']);
const KEYWORDS = new Set(['and', 'or', 'not', 'in', 'order', 'by', 'asc', 'desc']);

type Token =
  | { type: 'word'; text: string; at: number }
  | { type: 'string'; text: string; at: number }
  | { type: 'op'; text: '=' | '!=' | '~' | '!~' | '<' | '<=' | '>' | '>='; at: number }
  | { type: '(' | ')' | ','; at: number }
  | { type: 'end'; at: number };

function tokenize(cql: string): Token[] {
  const tokens: Token[] = [];
  let position = 0;
  while (position < cql.length) {
    const char = cql[position]!;
    if (/\s/.test(char)) {
      position++;
    } else if (char === '(' || char === ')' || char === ',') {
      tokens.push({ type: char, at: position++ });
    } else if (char === '"' || char === "'") {
      const start = position++;
      let text = '';
      for (;;) {
        if (position >= cql.length) throw new CqlError('syntax', `Unterminated string starting at position ${start}`);
        const next = cql[position++]!;
        if (next === char) break;
        // A backslash escapes the next character (so \" and \\ stay inside the string).
        if (next === '\\') {
          if (position >= cql.length) throw new CqlError('syntax', `Unterminated string starting at position ${start}`);
          text += cql[position++];
        } else text += next;
      }
      tokens.push({ type: 'string', text, at: start });
    } else if ('=!~<>'.includes(char)) {
      const two = cql.slice(position, position + 2);
      const text = ['!=', '!~', '<=', '>='].includes(two) ? two : char;
      if (text === '!') throw new CqlError('syntax', `Unexpected '!' at position ${position}`);
      tokens.push({ type: 'op', text: text as Extract<Token, { type: 'op' }>['text'], at: position });
      position += text.length;
    } else {
      const start = position;
      while (position < cql.length && !/[\s()",'=!~<>]/.test(cql[position]!)) position++;
      tokens.push({ type: 'word', text: cql.slice(start, position), at: start });
    }
  }
  tokens.push({ type: 'end', at: cql.length });
  return tokens;
}

const describe = (token: Token) =>
  token.type === 'end'
    ? 'the end of the query'
    : token.type === 'word' || token.type === 'string' || token.type === 'op'
      ? `'${token.text}' at position ${token.at}`
      : `'${token.type}' at position ${token.at}`;

/** Parses a CQL query, or throws a `CqlError` saying what could not be parsed. */
export function parseCql(cql: string): CqlQuery {
  if (cql.length > MAX_CQL_LENGTH)
    throw new CqlError(
      'syntax',
      `The query is ${cql.length} characters long; the emulator accepts at most ${MAX_CQL_LENGTH}`,
    );
  const tokens = tokenize(cql);
  let pos = 0;
  let depth = 0; // open parentheses and NOTs around the current token
  const peek = () => tokens[pos]!;
  const isKeyword = (token: Token, ...words: string[]) =>
    token.type === 'word' && words.includes(token.text.toLowerCase());
  const fail = (expected: string): never => {
    throw new CqlError('syntax', `Expected ${expected} but found ${describe(peek())}`);
  };

  function orExpr(): CqlNode {
    const operands = [andExpr()];
    while (isKeyword(peek(), 'or')) {
      pos++;
      operands.push(andExpr());
    }
    return operands.length === 1 ? operands[0]! : { kind: 'or', operands };
  }

  function andExpr(): CqlNode {
    const operands = [notExpr()];
    while (isKeyword(peek(), 'and')) {
      pos++;
      operands.push(notExpr());
    }
    return operands.length === 1 ? operands[0]! : { kind: 'and', operands };
  }

  /** Consumes the NOT or '(' at hand and parses what it opens, refusing to go deeper than MAX_CQL_NESTING. */
  function nested<T>(parse: () => T): T {
    const opener = peek();
    if (++depth > MAX_CQL_NESTING) {
      throw new CqlError(
        'syntax',
        `Parentheses and NOT are nested more than ${MAX_CQL_NESTING} deep at position ${opener.at}`,
      );
    }
    pos++;
    const result = parse();
    depth--;
    return result;
  }

  function notExpr(): CqlNode {
    if (isKeyword(peek(), 'not')) return nested(() => ({ kind: 'not', operand: notExpr() }));
    if (peek().type === '(') {
      return nested(() => {
        const inner = orExpr();
        if (peek().type !== ')') fail("')'");
        pos++;
        return inner;
      });
    }
    return clause();
  }

  function value(): CqlValue {
    const token = peek();
    if (token.type === 'string') {
      pos++;
      return { kind: 'literal', value: token.text };
    }
    if (token.type !== 'word' || KEYWORDS.has(token.text.toLowerCase())) return fail('a value');
    pos++;
    if (peek().type === '(') {
      // A function call: currentUser() and the date functions (CQL functions reference); the clause checks which
      // fits its field.
      pos++;
      const args: string[] = [];
      while (peek().type === 'string' || peek().type === 'word') {
        args.push((tokens[pos++] as { text: string }).text);
        if (peek().type !== ',') break;
        pos++;
      }
      if (peek().type !== ')') fail("')' after the function's arguments");
      pos++;
      const name = token.text.toLowerCase();
      if (name !== 'currentuser' && !DATE_FUNCTIONS.has(name))
        throw new CqlError('unsupported', `The Confluence emulator does not support the CQL function ${token.text}()`);
      return { kind: 'function', name, args };
    }
    return { kind: 'literal', value: token.text };
  }

  function clause(): CqlNode {
    const token = peek();
    if (token.type !== 'word' || KEYWORDS.has(token.text.toLowerCase())) return fail('a field name');
    pos++;
    const name = token.text.toLowerCase();
    if (!(name in FIELDS)) {
      if (REAL_BUT_UNSUPPORTED.has(name)) {
        throw new CqlError(
          'unsupported',
          `The Confluence emulator does not support the CQL field '${token.text}' (supported: ${Object.keys(FIELDS).join(', ')})`,
        );
      }
      throw new CqlError('unknown-field', `No field exists with the name: '${token.text}'`, token.text);
    }
    const field = name as CqlField;
    let operator: CqlOperator;
    const op = peek();
    if (op.type === 'op') {
      pos++;
      operator = op.text;
    } else if (isKeyword(op, 'in')) {
      pos++;
      operator = 'in';
    } else if (isKeyword(op, 'not') && isKeyword(tokens[pos + 1]!, 'in')) {
      pos += 2;
      operator = 'not in';
    } else return fail(`an operator after '${token.text}'`);

    const allowed: readonly CqlOperator[] = FIELDS[field];
    if (!allowed.includes(operator)) {
      throw new CqlError(
        'unsupported',
        `The operator '${operator}' is not supported by the field '${token.text}' (it supports ${allowed.join(', ')})`,
      );
    }
    if (operator === 'in' || operator === 'not in') {
      if (peek().type !== '(') fail(`'(' after '${operator}'`);
      pos++;
      const values = [value()];
      while (peek().type === ',') {
        pos++;
        values.push(value());
      }
      if (peek().type !== ')') fail("',' or ')'");
      pos++;
      return checkedValues({ kind: 'clause', field, operator, values });
    }
    return checkedValues({ kind: 'clause', field, operator, values: [value()] });
  }

  /** Dates take date literals and date functions; other fields take no date function, `creator` currentUser(). */
  function checkedValues<T extends Extract<CqlNode, { kind: 'clause' }>>(node: T): T {
    const isDateField = node.field === 'created' || node.field === 'lastmodified';
    for (const value of node.values) {
      if (isDateField) {
        if (value.kind === 'literal') checkDateLiteral(value.value);
        else checkDateFunction(value.name, value.args);
      } else if (value.kind === 'function') {
        if (value.name !== 'currentuser' || node.field !== 'creator' || value.args.length > 0) {
          throw new CqlError('unsupported', `The function ${value.name}() does not apply to the field '${node.field}'`);
        }
      }
    }
    return node;
  }

  function orderBy(): CqlQuery['orderBy'] {
    const order: CqlQuery['orderBy'] = [];
    do {
      if (order.length) pos++; // the comma
      const token = peek();
      if (token.type !== 'word' && token.type !== 'string') fail('a field to order by');
      const name = (token as { text: string }).text.toLowerCase() as CqlOrderField;
      if (!ORDER_FIELDS.has(name)) {
        throw new CqlError(
          'unsupported',
          `The Confluence emulator cannot order by '${(token as { text: string }).text}' (it orders by lastmodified, created, title)`,
        );
      }
      pos++;
      let direction: 'asc' | 'desc' = 'asc'; // [Inf] CQL says "the field's own sorting order"; ascending here
      if (isKeyword(peek(), 'asc', 'desc'))
        direction = (tokens[pos++] as { text: string }).text.toLowerCase() as 'asc' | 'desc';
      order.push({ field: name, direction });
    } while (peek().type === ',');
    return order;
  }

  if (isKeyword(peek(), 'order')) fail('a clause before ORDER BY');
  if (peek().type === 'end') fail('a clause');
  const where = orExpr();
  let order: CqlQuery['orderBy'] = [];
  if (isKeyword(peek(), 'order')) {
    pos++;
    if (!isKeyword(peek(), 'by')) fail("'by' after 'order'");
    pos++;
    order = orderBy();
  }
  if (peek().type !== 'end') fail("'and', 'or', 'order by' or the end of the query");
  return { where, orderBy: order };
}
