/** HCL text for JSON-like values, in `terraform fmt` style. */
import { indentLines } from '../text.js';

type Json = string | number | boolean | null | readonly Json[] | { readonly [key: string]: Json };

/** A raw HCL expression to emit as is (a reference such as `aws_s3_bucket.logs.id`). */
export class HclRaw {
  constructor(readonly text: string) {}
}

export type Renderable = Json | HclRaw | readonly Renderable[] | { readonly [key: string]: Renderable };

const IDENT = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** An HCL string literal: JSON escapes, and `${` / `%{` escaped so nothing interpolates. */
export function hclString(value: string): string {
  return JSON.stringify(value).replace(/([$%])\{/g, (_, sigil: string) => `${sigil}${sigil}{`);
}

/** `key = value` lines with `=` aligned across each run of single-line values, as terraform fmt does. */
function alignedLines(entries: readonly (readonly [string, string])[], indent: string): string[] {
  const lines: string[] = [];
  let run: (readonly [string, string])[] = [];
  const flush = (): void => {
    const width = Math.max(0, ...run.map(([k]) => k.length));
    for (const [k, v] of run) lines.push(`${indent}${k.padEnd(width)} = ${v}`);
    run = [];
  };
  for (const [k, v] of entries) {
    if (v.includes('\n')) {
      flush();
      lines.push(`${indent}${k} = ${v}`);
    } else run.push([k, v]);
  }
  flush();
  return lines;
}

/** Renders `value` as HCL; objects span lines, indented by two spaces per level. */
export function renderHcl(value: Renderable, indent = ''): string {
  if (value instanceof HclRaw) return value.text;
  if (value === null) return 'null';
  if (typeof value === 'string') return hclString(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) {
    const items = (value as readonly Renderable[]).map((v) => renderHcl(v, `${indent}  `));
    const inline = `[${items.join(', ')}]`;
    return inline.length <= 80 && !inline.includes('\n') ? inline : `[\n${items.map((i) => `${indent}  ${i},`).join('\n')}\n${indent}]`;
  }
  const entries = Object.entries(value as Record<string, Renderable>);
  if (entries.length === 0) return '{}';
  const lines = alignedLines(
    entries.map(([k, v]) => [IDENT.test(k) ? k : hclString(k), renderHcl(v, `${indent}  `)] as const),
    `${indent}  `,
  );
  return `{\n${lines.join('\n')}\n${indent}}`;
}

/** `name = value` lines for a block body, `=` aligned as terraform fmt does. */
export function renderAttributes(attrs: Readonly<Record<string, Renderable>>): string[] {
  return alignedLines(
    Object.entries(attrs).map(([n, v]) => [n, renderHcl(v)] as const),
    '',
  );
}

/** A whole block: `type "label" "label" {` attributes `}`. */
export function renderBlock(
  type: string,
  labels: readonly string[],
  attrs: Readonly<Record<string, Renderable>>,
  nested: readonly string[] = [],
): string {
  const head = [type, ...labels.map((l) => JSON.stringify(l))].join(' ');
  const body = [...renderAttributes(attrs), ...(nested.length && Object.keys(attrs).length ? [''] : []), ...nested].map((l) =>
    indentLines(l, '  ', true),
  );
  return `${head} {\n${body.join('\n')}\n}`;
}
