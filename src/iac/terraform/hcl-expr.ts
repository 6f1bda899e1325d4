/**
 * A reader for the static part of HCL expressions: literals, strings and heredoc templates,
 * tuples, objects, references and function calls. Anything else (operators, conditionals, for
 * expressions) reads as `unknown`, so callers never act on a value they did not understand.
 */
import { IacSyntaxError } from '../errors.js';
import { closesHeredoc, Cursor, readIdentifier, skipComment, skipExpression } from './hcl-lexer.js';

export type HclValue =
  | { readonly type: 'literal'; readonly value: string | number | boolean | null }
  | { readonly type: 'tuple'; readonly items: readonly HclValue[] }
  | { readonly type: 'object'; readonly entries: readonly { readonly key: string; readonly value: HclValue }[] }
  /** `var.env`, `local.name`, `aws_s3_bucket.logs.id`, `aws_s3_bucket.logs[0].arn`. */
  | { readonly type: 'reference'; readonly path: string }
  | { readonly type: 'template'; readonly parts: readonly (string | HclValue)[] }
  | { readonly type: 'call'; readonly name: string; readonly args: readonly HclValue[] }
  | { readonly type: 'unknown'; readonly text: string };

class Unsupported extends Error {}

function skipSpace(c: Cursor): void {
  for (;;) {
    const ch = c.peek();
    if (ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n') c.pos++;
    else if (!skipComment(c)) return;
  }
}

function expect(c: Cursor, ch: string): void {
  skipSpace(c);
  if (c.peek() !== ch) throw new Unsupported(`expected ${ch}`);
  c.pos++;
}

const ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\' };

/** Template text up to `end` (a quote, or end of a heredoc body), with `${}` interpolations. */
function readTemplate(c: Cursor, quoted: boolean): HclValue {
  const parts: (string | HclValue)[] = [];
  let text = '';
  for (;;) {
    const ch = c.peek();
    if (ch === '') {
      if (quoted) throw new Unsupported('unterminated string');
      break;
    }
    if (quoted && ch === '"') {
      c.pos++;
      break;
    }
    if (quoted && ch === '\\') {
      const next = c.peek(1);
      if (next === 'u' || next === 'U') {
        const len = next === 'u' ? 4 : 8;
        text += String.fromCodePoint(parseInt(c.text.slice(c.pos + 2, c.pos + 2 + len), 16));
        c.pos += 2 + len;
      } else {
        text += ESCAPES[next] ?? next;
        c.pos += 2;
      }
    } else if ((ch === '$' || ch === '%') && c.peek(1) === ch && c.peek(2) === '{') {
      text += `${ch}{`;
      c.pos += 3;
    } else if (ch === '%' && c.peek(1) === '{') {
      throw new Unsupported('template directive');
    } else if (ch === '$' && c.peek(1) === '{') {
      c.pos += 2;
      if (text) parts.push(text);
      text = '';
      parts.push(readExpr(c));
      expect(c, '}');
    } else {
      text += ch;
      c.pos++;
    }
  }
  if (text || parts.length === 0) parts.push(text);
  return parts.length === 1 && typeof parts[0] === 'string' ? { type: 'literal', value: parts[0] } : { type: 'template', parts };
}

const HEREDOC = /^<<(-?)([A-Za-z_][A-Za-z0-9_-]*)[ \t]*\r?\n/;

function readHeredoc(c: Cursor): HclValue {
  const m = HEREDOC.exec(c.text.slice(c.pos));
  if (!m) throw new Unsupported('heredoc');
  const [header, indented, marker] = m;
  c.pos += header.length;
  const lines: string[] = [];
  for (;;) {
    if (c.done) throw new Unsupported('unterminated heredoc');
    const nl = c.text.indexOf('\n', c.pos);
    const line = c.text.slice(c.pos, nl < 0 ? c.text.length : nl).replace(/\r$/, '');
    c.pos = nl < 0 ? c.text.length : nl + 1;
    if (closesHeredoc(line, marker ?? '')) {
      if (nl >= 0) c.pos = nl;
      break;
    }
    lines.push(line);
  }
  // `<<-` strips the smallest common indentation.
  const indent = indented ? Math.min(...lines.filter((l) => l.trim()).map((l) => /^[ \t]*/.exec(l)?.[0].length ?? 0)) : 0;
  const body = lines.map((l) => l.slice(Number.isFinite(indent) ? indent : 0)).join('\n') + (lines.length ? '\n' : '');
  return readTemplate(new Cursor(body, c.file), false);
}

function readTuple(c: Cursor): HclValue {
  c.pos++;
  const items: HclValue[] = [];
  for (;;) {
    skipSpace(c);
    if (c.peek() === ']') break;
    if (c.startsWith('for ') || c.startsWith('for\t')) throw new Unsupported('for expression');
    items.push(readExpr(c));
    skipSpace(c);
    if (c.peek() === ',') c.pos++;
    else if (c.peek() !== ']') throw new Unsupported('tuple separator');
  }
  c.pos++;
  return { type: 'tuple', items };
}

function readObjectKey(c: Cursor): string {
  skipSpace(c);
  if (c.peek() === '"') {
    const key = readTemplate((c.pos++, c), true);
    if (key.type !== 'literal' || typeof key.value !== 'string') throw new Unsupported('computed key');
    return key.value;
  }
  const id = readIdentifier(c);
  if (id === undefined) throw new Unsupported('object key');
  return id;
}

function readObject(c: Cursor): HclValue {
  c.pos++;
  const entries: { key: string; value: HclValue }[] = [];
  for (;;) {
    skipSpace(c);
    if (c.peek() === '}') break;
    if (c.startsWith('for ') || c.startsWith('for\t')) throw new Unsupported('for expression');
    const key = readObjectKey(c);
    skipSpace(c);
    if (c.peek() !== '=' && c.peek() !== ':') throw new Unsupported('object entry');
    c.pos++;
    entries.push({ key, value: readExpr(c) });
    skipSpace(c);
    if (c.peek() === ',') c.pos++;
  }
  c.pos++;
  return { type: 'object', entries };
}

function readTraversal(c: Cursor, root: string): HclValue {
  let path = root;
  for (;;) {
    if (c.peek() === '.' && /[A-Za-z_*]/.test(c.peek(1))) {
      c.pos++;
      path += `.${c.peek() === '*' ? (c.pos++, '*') : (readIdentifier(c) ?? '')}`;
    } else if (c.peek() === '[') {
      const start = c.pos;
      skipExpression(c, '');
      path += c.text.slice(start, c.pos);
    } else return { type: 'reference', path };
  }
}

function readPrimary(c: Cursor): HclValue {
  skipSpace(c);
  const ch = c.peek();
  if (ch === '"') return readTemplate((c.pos++, c), true);
  if (ch === '<' && c.peek(1) === '<') return readHeredoc(c);
  if (ch === '[') return readTuple(c);
  if (ch === '{') return readObject(c);
  if (ch === '(') {
    c.pos++;
    const inner = readExpr(c);
    expect(c, ')');
    return inner;
  }
  const number = /^-?\d+(\.\d+)?([eE][+-]?\d+)?/.exec(c.text.slice(c.pos, c.pos + 64));
  if (number) {
    c.pos += number[0].length;
    return { type: 'literal', value: Number(number[0]) };
  }
  const id = readIdentifier(c);
  if (id === undefined) throw new Unsupported(`unexpected ${ch}`);
  if (id === 'true' || id === 'false') return { type: 'literal', value: id === 'true' };
  if (id === 'null') return { type: 'literal', value: null };
  if (c.peek() === '(') {
    c.pos++;
    const args: HclValue[] = [];
    for (;;) {
      skipSpace(c);
      if (c.peek() === ')') break;
      args.push(readExpr(c));
      skipSpace(c);
      if (c.startsWith('...')) c.pos += 3;
      if (c.peek() === ',') c.pos++;
      else if (c.peek() !== ')') throw new Unsupported('argument separator');
    }
    c.pos++;
    return { type: 'call', name: id, args };
  }
  return readTraversal(c, id);
}

function skipInlineSpace(c: Cursor): void {
  for (;;) {
    const ch = c.peek();
    if (ch === ' ' || ch === '\t' || ch === '\r') c.pos++;
    else if (!((ch === '#' || c.startsWith('//') || c.startsWith('/*')) && skipComment(c))) return;
  }
}

function readExpr(c: Cursor): HclValue {
  const value = readPrimary(c);
  skipInlineSpace(c);
  const next = c.peek();
  // A newline ends an object entry; inside brackets the caller checks its separator.
  if (next === '\n') return value;
  // Operators and conditionals are beyond a static reader.
  if (next !== '' && !',)]}:='.includes(next)) throw new Unsupported(`operator ${next}`);
  if ((next === ':' || next === '=') && c.peek(1) === '=') throw new Unsupported('comparison');
  return value;
}

/** Reads an attribute's expression text. Never throws: what it cannot read is `unknown`. */
export function readHclValue(text: string): HclValue {
  const c = new Cursor(text, '');
  try {
    const value = readExpr(c);
    skipSpace(c);
    return c.done ? value : { type: 'unknown', text };
  } catch (error) {
    if (error instanceof Unsupported || error instanceof IacSyntaxError || error instanceof URIError || error instanceof RangeError)
      return { type: 'unknown', text };
    throw error;
  }
}

/** Resolves `var.x` / `local.x` references to their static values, when known. */
export type Resolver = (path: string) => HclValue | undefined;

export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/**
 * The JSON value of an expression when it is fully static (after resolving references with
 * `resolve`); `jsonencode(...)` yields its JSON text, as Terraform would. Undefined otherwise.
 */
export function staticValue(value: HclValue, resolve: Resolver = () => undefined, depth = 0): Json | undefined {
  if (depth > 20) return undefined;
  switch (value.type) {
    case 'literal':
      return value.value;
    case 'tuple': {
      const items = value.items.map((i) => staticValue(i, resolve, depth + 1));
      return items.every((i) => i !== undefined) ? items : undefined;
    }
    case 'object': {
      const out: Record<string, Json> = {};
      for (const { key, value: v } of value.entries) {
        const s = staticValue(v, resolve, depth + 1);
        if (s === undefined) return undefined;
        out[key] = s;
      }
      return out;
    }
    case 'template': {
      let out = '';
      for (const part of value.parts) {
        const s = typeof part === 'string' ? part : staticValue(part, resolve, depth + 1);
        if (s === undefined || (typeof s === 'object' && s !== null)) return undefined;
        out += String(s);
      }
      return out;
    }
    case 'reference': {
      const target = resolve(value.path);
      return target === undefined ? undefined : staticValue(target, resolve, depth + 1);
    }
    case 'call': {
      const [arg] = value.args;
      if (value.name !== 'jsonencode' || arg === undefined || value.args.length !== 1) return undefined;
      const s = staticValue(arg, resolve, depth + 1);
      return s === undefined ? undefined : JSON.stringify(s);
    }
    case 'unknown':
      return undefined;
  }
}
