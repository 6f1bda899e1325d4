/**
 * YAML and JSON text for new CloudFormation values, written the way the surrounding file is:
 * its indentation step, and short-form intrinsics (`!Ref`) where the file uses them.
 */
import { stringify } from 'yaml';
import type { CfnValue } from './template.js';

export interface RenderStyle {
  readonly format: 'yaml' | 'json';
  readonly shortForm: boolean;
  readonly indentStep: number;
}

/** A rendered value: inline (after `key: `) or a block of lines (each relative to the value's indent). */
export type Rendered = { readonly inline: string } | { readonly block: readonly string[] };

// YAML 1.1 readers (cfn-lint, PyYAML) take an unquoted 2012-10-17 for a date: quote date-like strings.
const DATE_LIKE = /^\d{4}-\d{2}-\d{2}/;

function scalar(value: string | number | boolean | null): string {
  if (typeof value === 'string' && DATE_LIKE.test(value)) return `'${value.replace(/'/g, "''")}'`;
  // No folding: a long string (a JSON policy text) folded over lines would not fit after `key: `.
  return stringify(value, { lineWidth: 0 }).trimEnd();
}

function shortIntrinsic(value: Record<string, CfnValue>, style: RenderStyle): string | undefined {
  const keys = Object.keys(value);
  const [key] = keys;
  if (!style.shortForm || keys.length !== 1 || key === undefined) return undefined;
  const arg = value[key];
  if (key === 'Ref' && typeof arg === 'string') return `!Ref ${arg}`;
  if (key === 'Fn::Sub' && typeof arg === 'string') return `!Sub ${scalar(arg)}`;
  if (key === 'Fn::GetAtt' && Array.isArray(arg) && arg.every((a) => typeof a === 'string')) return `!GetAtt ${arg.join('.')}`;
  return undefined;
}

/** YAML for `value`: scalars and short intrinsics inline, collections as blocks. */
export function renderYaml(value: CfnValue, style: RenderStyle): Rendered {
  if (value === null || typeof value !== 'object') return { inline: scalar(value) };
  const step = ' '.repeat(style.indentStep);
  if (Array.isArray(value)) {
    if (value.length === 0) return { inline: '[]' };
    return {
      block: value.flatMap((item) => {
        const r = renderYaml(item, style);
        if ('inline' in r) return [`- ${r.inline}`];
        // A map item starts on the dash line; its other keys align under the first.
        return r.block.map((line, i) => (i === 0 ? `- ${line}` : `  ${line}`));
      }),
    };
  }
  const short = shortIntrinsic(value, style);
  if (short !== undefined) return { inline: short };
  const entries = Object.entries(value);
  if (entries.length === 0) return { inline: '{}' };
  return {
    block: entries.flatMap(([key, v]) => {
      const r = renderYaml(v, style);
      const k = scalar(key);
      if ('inline' in r) return [`${k}: ${r.inline}`];
      return [`${k}:`, ...r.block.map((l) => `${step}${l}`)];
    }),
  };
}

/** JSON for `value`, continuation lines indented by `indent`. */
export function renderJson(value: CfnValue, style: RenderStyle, indent: string): string {
  return JSON.stringify(value, null, style.indentStep).replace(/\n/g, `\n${indent}`);
}
