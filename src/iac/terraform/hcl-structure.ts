/**
 * HCL structure with exact source positions: blocks (type, labels, braces) and attributes (name,
 * expression text). Edits are byte-range splices on these spans, so everything outside the spans
 * touched (formatting, comments, other resources) stays exactly as written.
 */
import { Cursor, readIdentifier, skipExpression, skipInline, skipQuoted, skipTrivia } from './hcl-lexer.js';

/** Half-open character range `[start, end)` in the file's text. */
export interface Span {
  readonly start: number;
  readonly end: number;
}

export interface HclAttribute {
  readonly kind: 'attribute';
  readonly name: string;
  /** From the name to the end of the expression. */
  readonly span: Span;
  readonly exprSpan: Span;
  readonly expr: string;
}

export interface HclBlock {
  readonly kind: 'block';
  readonly type: string;
  readonly labels: readonly string[];
  /** From the block type to the closing brace, inclusive. */
  readonly span: Span;
  /** Offset of `{` and of `}`. */
  readonly open: number;
  readonly close: number;
  readonly body: HclBody;
}

export interface HclBody {
  readonly items: readonly (HclAttribute | HclBlock)[];
}

function readLabel(c: Cursor): string | undefined {
  if (c.peek() === '"') {
    const start = c.pos;
    skipQuoted(c);
    try {
      return JSON.parse(c.text.slice(start, c.pos)) as string;
    } catch {
      // HCL's escapes are not all JSON's (`\U0001F600`, `$${`): such a label is left to HashiCorp's reading.
      return c.fail('a label cloudmend cannot read', start);
    }
  }
  return readIdentifier(c);
}

function parseBody(c: Cursor, closing: boolean): HclBody {
  const items: (HclAttribute | HclBlock)[] = [];
  for (;;) {
    skipTrivia(c);
    if (c.done) {
      if (closing) c.fail('missing } at end of file');
      return { items };
    }
    if (c.peek() === '}') {
      if (!closing) c.fail('unexpected }');
      return { items };
    }
    const start = c.pos;
    const name = readIdentifier(c);
    if (name === undefined) c.fail(`expected an attribute or block, found ${JSON.stringify(c.peek())}`);
    skipInline(c);
    if (c.peek() === '=' && c.peek(1) !== '=') {
      c.pos++;
      skipInline(c);
      const exprStart = c.pos;
      const exprEnd = skipExpression(c, '}');
      const expr = c.text.slice(exprStart, exprEnd);
      if (expr === '') c.fail(`attribute ${name} has no value`, exprStart);
      items.push({ kind: 'attribute', name, span: { start, end: exprEnd }, exprSpan: { start: exprStart, end: exprEnd }, expr });
      continue;
    }
    const labels: string[] = [];
    for (;;) {
      const label = c.peek() === '{' ? undefined : readLabel(c);
      if (label === undefined) break;
      labels.push(label);
      skipInline(c);
    }
    if (c.peek() !== '{') c.fail(`expected = or { after ${name}`);
    const open = c.pos;
    c.pos++;
    const body = parseBody(c, true);
    const close = c.pos;
    c.pos++;
    items.push({ kind: 'block', type: name, labels, span: { start, end: close + 1 }, open, close, body });
  }
}

/** Parses the structure of an HCL file; throws `IacSyntaxError` with file, line and column. */
export function parseHclStructure(text: string, file: string): HclBody {
  return parseBody(new Cursor(text, file), false);
}

/** Attributes and blocks of a body, by name. */
export function attribute(body: HclBody, name: string): HclAttribute | undefined {
  return body.items.find((i): i is HclAttribute => i.kind === 'attribute' && i.name === name);
}

export function blocks(body: HclBody, type: string): HclBlock[] {
  return body.items.filter((i): i is HclBlock => i.kind === 'block' && i.type === type);
}
