/** Text helpers shared by the Terraform and CloudFormation editors and the locator. */

/** Offset of the start of the line containing `offset`. */
export function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** Leading whitespace of the line containing `offset`. */
export function indentAt(text: string, offset: number): string {
  return /^[ \t]*/.exec(text.slice(lineStart(text, offset)))?.[0] ?? '';
}

/** Prefixes every non-empty line of `text` with `indent` (the first line too, when `first`). */
export function indentLines(text: string, indent: string, first: boolean): string {
  return text
    .split('\n')
    .map((line, i) => (line === '' || (i === 0 && !first) ? line : `${indent}${line}`))
    .join('\n');
}

/** `offset` moved back over trailing whitespace: YAML block ranges end after their last newline. */
export function contentEnd(text: string, offset: number): number {
  let end = offset;
  while (end > 0 && /\s/.test(text[end - 1] ?? '')) end--;
  return end;
}

/** `text` matched literally inside a regular expression. */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
