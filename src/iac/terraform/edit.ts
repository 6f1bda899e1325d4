/**
 * Edits on Terraform source as byte-range splices: set or add an attribute, add a nested block,
 * add a sibling resource after a block. New lines take the indentation of their neighbours and
 * align `=` with an aligned group, as `terraform fmt` would.
 */
import type { TextEdit } from '../edits.js';
import { indentAt, indentLines, lineStart } from '../text.js';
import type { HclAttribute, HclBlock } from './hcl-structure.js';
import type { TfFile } from './module.js';

/** Indentation for a new item in `block`'s body: that of its items, else the block's plus two spaces. */
export function bodyIndent(file: TfFile, block: HclBlock): string {
  const first = block.body.items[0];
  if (first && lineStart(file.text, first.span.start) > block.open) return indentAt(file.text, first.span.start);
  return `${indentAt(file.text, block.span.start)}  `;
}

/** Inserts `lines` (each without indentation) at the end of `block`'s body. */
export function appendToBody(file: TfFile, block: HclBlock, lines: readonly string[]): TextEdit {
  const indent = bodyIndent(file, block);
  const text = file.text;
  const closeLine = lineStart(text, block.close);
  const closeOnOwnLine = text.slice(closeLine, block.close).trim() === '';
  const body = lines.map((l) => indentLines(l, indent, true)).join('\n');
  if (closeOnOwnLine) return { file: file.path, start: closeLine, end: closeLine, text: `${body}\n` };
  // `{ a = 1 }` on one line, or `{}`: open it up.
  const inner = text.slice(block.open + 1, block.close).trim();
  const outer = indentAt(text, block.span.start);
  const existing = inner === '' ? '' : `${indent}${inner}\n`;
  return { file: file.path, start: block.open + 1, end: block.close, text: `\n${existing}${body}\n${outer}` };
}

/**
 * Adds `line` (`name = value`) after the attributes that open the block (else after its last
 * attribute), so that a new setting sits with the others rather than after nested blocks.
 */
function addAttributeLine(file: TfFile, block: HclBlock, line: string): TextEdit {
  const items = block.body.items;
  const firstBlock = items.findIndex((i) => i.kind === 'block');
  const leading = firstBlock < 0 ? items : items.slice(0, firstBlock);
  const isAttribute = (i: (typeof items)[number]): i is HclAttribute => i.kind === 'attribute';
  const last = leading.filter(isAttribute).at(-1) ?? items.filter(isAttribute).at(-1);
  const nl = last ? file.text.indexOf('\n', last.span.end) : -1;
  if (!last || nl < 0 || nl > block.close || lineStart(file.text, last.span.start) <= block.open) return appendToBody(file, block, [line]);
  return { file: file.path, start: nl, end: nl, text: `\n${bodyIndent(file, block)}${line}` };
}

/**
 * Sets attribute `name` of `block` to `value` (HCL text): replaces its expression, or adds the
 * line next to the other attributes. The engine aligns `=` afterwards, as terraform fmt would.
 */
export function setAttribute(file: TfFile, block: HclBlock, name: string, value: string): TextEdit {
  const existing = block.body.items.find((i): i is HclAttribute => i.kind === 'attribute' && i.name === name);
  if (existing) return { file: file.path, start: existing.exprSpan.start, end: existing.exprSpan.end, text: value };
  return addAttributeLine(file, block, `${name} = ${value}`);
}

/** Removes an attribute's whole line(s), comments on them included. */
export function removeAttribute(file: TfFile, attr: HclAttribute): TextEdit {
  const start = lineStart(file.text, attr.span.start);
  const nl = file.text.indexOf('\n', attr.span.end);
  return { file: file.path, start, end: nl < 0 ? file.text.length : nl + 1, text: '' };
}

/** Adds `text` (a whole block, unindented) as a sibling right after `block`, separated by a blank line. */
export function insertAfter(file: TfFile, block: HclBlock, text: string): TextEdit {
  const indent = indentAt(file.text, block.span.start);
  return { file: file.path, start: block.span.end, end: block.span.end, text: `\n\n${indentLines(text, indent, true)}` };
}

/** Removes a nested block's whole lines (comments on its lines included). */
export function removeBlock(file: TfFile, block: HclBlock): TextEdit {
  const start = lineStart(file.text, block.span.start);
  const nl = file.text.indexOf('\n', block.span.end);
  return { file: file.path, start, end: nl < 0 ? file.text.length : nl + 1, text: '' };
}
