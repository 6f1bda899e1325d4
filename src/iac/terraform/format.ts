/**
 * The part of `terraform fmt` that edits make necessary: `=` aligned across each run of
 * consecutive single-line attributes (a blank line, a comment, a nested block or a multi-line
 * value ends the run). Applied to the blocks a fix touched, so output passes `terraform fmt -check`
 * whether or not terraform is installed.
 */
import type { TextEdit } from '../edits.js';
import type { HclAttribute, HclBlock } from './hcl-structure.js';
import type { TfFile } from './module.js';

function lineOf(text: string, offset: number): number {
  let line = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

function alignRun(file: TfFile, run: readonly HclAttribute[]): TextEdit[] {
  const width = Math.max(...run.map((a) => a.name.length));
  return run.flatMap((a) => {
    const nameEnd = a.span.start + a.name.length;
    const want = `${' '.repeat(width - a.name.length + 1)}= `;
    return file.text.slice(nameEnd, a.exprSpan.start) === want ? [] : [{ file: file.path, start: nameEnd, end: a.exprSpan.start, text: want }];
  });
}

/** Edits that align `=` in `block` and its nested blocks as terraform fmt would. */
export function alignmentEdits(file: TfFile, block: HclBlock): TextEdit[] {
  const edits: TextEdit[] = [];
  let run: HclAttribute[] = [];
  let lastLine = -2;
  const flush = (): void => {
    if (run.length > 0) edits.push(...alignRun(file, run));
    run = [];
  };
  for (const item of block.body.items) {
    const line = lineOf(file.text, item.span.start);
    const single = item.kind === 'attribute' && !file.text.slice(item.span.start, item.span.end).includes('\n') && line > lineOf(file.text, block.open);
    if (!single || line !== lastLine + 1) flush();
    if (item.kind === 'block') edits.push(...alignmentEdits(file, item));
    else if (single) run.push(item);
    lastLine = single ? line : -2;
  }
  flush();
  return edits;
}
