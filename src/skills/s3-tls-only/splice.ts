/**
 * Adds a statement to a policy written in Terraform as `jsonencode({...})` or as a JSON heredoc,
 * by splicing one item into its `Statement` list: every other byte (comments, key order, other
 * statements, interpolations) stays as written. New HCL is rendered as `terraform fmt` writes it.
 */
import type { TextEdit } from '../../iac/edits.js';
import { indentAt, lineStart } from '../../iac/text.js';
import { IacSyntaxError } from '../../iac/errors.js';
import { Cursor, skipQuoted, skipTrivia } from '../../iac/terraform/hcl-lexer.js';
import type { HclAttribute } from '../../iac/terraform/hcl-structure.js';
import type { TfFile } from '../../iac/terraform/module.js';
import { renderHcl, type Renderable } from '../../iac/terraform/render.js';

interface Token {
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

/** Tokens of `text[start, end)`: strings (with interpolations), brackets, words, punctuation; comments skipped. */
function tokenize(text: string, start: number, end: number): Token[] | undefined {
  const c = new Cursor(text.slice(0, end), '');
  c.pos = start;
  const tokens: Token[] = [];
  try {
    for (skipTrivia(c); !c.done; skipTrivia(c)) {
      const from = c.pos;
      if (c.peek() === '"') skipQuoted(c);
      else if (c.startsWith('<<')) return undefined;
      else if (/[A-Za-z0-9_.-]/.test(c.peek())) while (/[A-Za-z0-9_.-]/.test(c.peek())) c.pos++;
      else c.pos++;
      tokens.push({ text: c.text.slice(from, c.pos), start: from, end: c.pos });
    }
  } catch (error) {
    if (error instanceof IacSyntaxError) return undefined;
    throw error;
  }
  return tokens;
}

const OPENS = new Set(['{', '[', '(']);
const CLOSES = new Set(['}', ']', ')']);

/** Index of the bracket closing the one at `open`. */
function closing(tokens: readonly Token[], open: number): number | undefined {
  let depth = 0;
  for (let i = open; i < tokens.length; i++) {
    const t = tokens[i]?.text ?? '';
    if (OPENS.has(t)) depth++;
    else if (CLOSES.has(t) && --depth === 0) return i;
  }
  return undefined;
}

/** The `[` and `]` of the top-level object's `Statement` list, and where its last item starts. */
function statementList(tokens: readonly Token[]): { open: number; close: number; lastItem: number } | undefined {
  const top = tokens.findIndex((t) => t.text === '{');
  const end = top < 0 ? undefined : closing(tokens, top);
  for (let i = top + 1, depth = 0; end !== undefined && i < end; i++) {
    const t = tokens[i]?.text ?? '';
    if (OPENS.has(t)) depth++;
    else if (CLOSES.has(t)) depth--;
    else if (
      depth === 0 &&
      t.replace(/^"|"$/g, '') === 'Statement' &&
      /^[=:]$/.test(tokens[i + 1]?.text ?? '') &&
      tokens[i + 2]?.text === '['
    ) {
      const close = closing(tokens, i + 2);
      if (close === undefined || close === i + 3) return undefined;
      let lastItem = i + 3;
      for (let j = i + 3, d = 0; j < close; j++) {
        const tj = tokens[j]?.text ?? '';
        if (OPENS.has(tj)) d++;
        else if (CLOSES.has(tj)) d--;
        else if (d === 0 && tj === ',' && j + 1 < close) lastItem = j + 1;
      }
      return { open: i + 2, close, lastItem };
    }
  }
  return undefined;
}

/** Where the policy text to splice lies: the argument of `jsonencode(...)`, or a heredoc's body. */
function region(file: TfFile, attr: HclAttribute): { start: number; end: number; json: boolean } | undefined {
  const { start, end } = attr.exprSpan;
  if (/^jsonencode\s*\(/.test(attr.expr)) return { start, end, json: false };
  const header = /^<<-?([A-Za-z_][A-Za-z0-9_-]*)[ \t]*\r?\n/.exec(attr.expr);
  if (!header?.[1]) return undefined;
  const close = lineStart(file.text, end);
  return { start: start + header[0].length, end: close, json: true };
}

/**
 * Edits adding `statement` to the `Statement` list of the policy in `attr` (jsonencode or JSON
 * heredoc); undefined when the policy is written some other way (a plain string, a variable, a
 * single statement object, an empty list...).
 */
export function appendStatement(
  file: TfFile,
  attr: HclAttribute,
  statement: { readonly json: unknown; readonly hcl: Renderable },
): TextEdit[] | undefined {
  const where = region(file, attr);
  const tokens = where ? tokenize(file.text, where.start, where.end) : undefined;
  const list = tokens ? statementList(tokens) : undefined;
  if (!where || !tokens || !list) return undefined;
  const before = tokens[list.close - 1];
  const trailing = before?.text === ',';
  const last = trailing ? tokens[list.close - 2] : before;
  const first = tokens[list.lastItem];
  const close = tokens[list.close];
  if (!last || !first || !close) return undefined;
  const text = file.text;
  const base = indentAt(text, last.start);
  const inner = tokens[list.lastItem + 1];
  const step =
    first.text === '{' && inner && lineStart(text, inner.start) > first.start ? indentAt(text, inner.start).length - base.length : 2;
  const item = where.json
    ? JSON.stringify(statement.json, null, Math.max(step, 1)).replace(/\n/g, `\n${base}`)
    : renderHcl(statement.hcl, base);
  const at = (offset: number, insert: string): TextEdit => ({ file: file.path, start: offset, end: offset, text: insert });
  // `}]` on one line: the new item follows on that line, as `}, {`.
  if (lineStart(text, close.start) === lineStart(text, last.end)) return trailing ? undefined : [at(last.end, `, ${item}`)];
  const eol = text.indexOf('\n', trailing ? (before?.end ?? last.end) : last.end);
  const comma = trailing ? ',' : '';
  return [...(trailing ? [] : [at(last.end, ',')]), at(eol, `\n${base}${item}${comma}`)];
}
