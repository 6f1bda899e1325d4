/**
 * Items of a literal HCL list (`cidr_blocks = ["0.0.0.0/0", var.office]`) with their positions, and
 * the edits that replace or drop some of them while every other item, comment and line stays as
 * written.
 */
import type { TextEdit } from '../../iac/edits.js';
import { Cursor, skipExpression, skipTrivia } from '../../iac/terraform/hcl-lexer.js';
import type { HclAttribute } from '../../iac/terraform/hcl-structure.js';
import type { TfFile } from '../../iac/terraform/module.js';
import { lineStart } from '../../iac/text.js';

/** An item's absolute position in the file and its text. */
export interface ListItem {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

/** The items of `attr` when its value is a literal list `[...]`; undefined for anything else. */
export function listItems(attr: HclAttribute): ListItem[] | undefined {
  const c = new Cursor(attr.expr, '');
  if (c.peek() !== '[') return undefined;
  c.pos++;
  const items: ListItem[] = [];
  try {
    for (;;) {
      skipTrivia(c);
      if (c.peek() === ']') break;
      const start = c.pos;
      const end = skipExpression(c, ',]');
      if (end === start) return undefined;
      items.push({ start: attr.exprSpan.start + start, end: attr.exprSpan.start + end, text: attr.expr.slice(start, end) });
      skipTrivia(c);
      if (c.peek() === ',') c.pos++;
      else if (c.peek() !== ']') return undefined;
    }
  } catch {
    return undefined;
  }
  // Anything after the closing bracket (`[...][0]`, `[...] ++`) makes it not a plain list.
  return c.pos === attr.expr.length - 1 ? items : undefined;
}

/** An item alone on its line (but for a trailing comma): it can go with its line. */
function aloneOnLine(text: string, item: ListItem): boolean {
  const before = text.slice(lineStart(text, item.start), item.start);
  const nl = text.indexOf('\n', item.end);
  const after = text.slice(item.end, nl < 0 ? text.length : nl);
  return before.trim() === '' && /^\s*,?\s*$/.test(after);
}

/**
 * Edits that put `replacement` (item texts, possibly none) in place of the first of the items at
 * `indexes` and drop the others. A one-line list is rewritten whole; in a multi-line list each
 * item is edited where it stands. Undefined when a dropped item shares its line with another.
 */
export function replaceItems(
  file: TfFile,
  attr: HclAttribute,
  items: readonly ListItem[],
  indexes: readonly number[],
  replacement: readonly string[],
): TextEdit[] | undefined {
  const [first, ...others] = indexes;
  if (first === undefined) return [];
  if (!attr.expr.includes('\n')) {
    const texts = items.flatMap((item, i) => (i === first ? replacement : indexes.includes(i) ? [] : [item.text]));
    return [{ file: file.path, start: attr.exprSpan.start, end: attr.exprSpan.end, text: `[${texts.join(', ')}]` }];
  }
  const dropped = replacement.length === 0 ? indexes : others;
  const removals = dropped.map((i) => items[i]).filter((item): item is ListItem => item !== undefined);
  if (!removals.every((item) => aloneOnLine(file.text, item))) return undefined;
  const edits = removals.map((item): TextEdit => {
    const start = lineStart(file.text, item.start);
    const nl = file.text.indexOf('\n', item.end);
    return { file: file.path, start, end: nl < 0 ? file.text.length : nl + 1, text: '' };
  });
  const target = items[first];
  if (replacement.length > 0 && target) {
    // One item per line stays one item per line.
    const indent = file.text.slice(lineStart(file.text, target.start), target.start);
    const separator = aloneOnLine(file.text, target) ? `,\n${indent}` : ', ';
    edits.push({ file: file.path, start: target.start, end: target.end, text: replacement.join(separator) });
  }
  return edits;
}
