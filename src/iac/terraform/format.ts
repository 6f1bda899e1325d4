/**
 * The part of `terraform fmt` that edits make necessary: `=` aligned across each run of
 * consecutive single-line attributes (a blank line, a comment, a nested block or a multi-line
 * value ends the run; a heredoc does not: fmt aligns it with its neighbours). Applied to the blocks a fix touched, so output passes `terraform fmt -check`
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
    return file.text.slice(nameEnd, a.exprSpan.start) === want
      ? []
      : [{ file: file.path, start: nameEnd, end: a.exprSpan.start, text: want }];
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
    const alignable =
      item.kind === 'attribute' && (!item.expr.includes('\n') || item.expr.startsWith('<<')) && line > lineOf(file.text, block.open);
    if (!alignable || line !== lastLine + 1) flush();
    if (item.kind === 'block') edits.push(...alignmentEdits(file, item));
    else if (alignable) run.push(item);
    lastLine = alignable ? lineOf(file.text, item.span.end) : -2;
  }
  flush();
  return edits;
}
