/**
 * The terraform-aws-modules/ec2-instance module takes `metadata_options = { ... }` as an argument.
 * Its default changed across major versions, so only an explicit `http_tokens = "optional"` is
 * reported; it is fixed by replacing that one string inside the object, leaving the rest as written.
 */
import type { TextEdit } from '../../iac/edits.js';
import { attribute } from '../../iac/terraform/hcl-structure.js';
import { attrValue, type TfModule, type TfResource } from '../../iac/terraform/module.js';

/** `http_tokens = "optional"` (or `"http_tokens": "optional"`) inside an object literal. */
const OPTIONAL_ENTRY = /(^|[\s{,])"?http_tokens"?\s*[=:]\s*("optional")/g;

/** The span of the one `"optional"` string to replace, when the argument is an object literal holding exactly one. */
function optionalString(resource: TfResource): { start: number; end: number } | undefined {
  const attr = attribute(resource.block.body, 'metadata_options');
  if (!attr || !attr.expr.trimStart().startsWith('{')) return undefined;
  const matches = [...attr.expr.matchAll(OPTIONAL_ENTRY)];
  const [only] = matches;
  if (matches.length !== 1 || only?.[2] === undefined) return undefined;
  const start = attr.exprSpan.start + only.index + only[0].length - only[2].length;
  return { start, end: start + only[2].length };
}

/** Where the module sets `http_tokens` to `"optional"`, and whether cloudmend can edit it there. */
export function moduleTokens(module: TfModule, resource: TfResource): { offset: number; editable: boolean } | undefined {
  const value = attrValue(module, resource.block.body, 'metadata_options');
  if (!value || typeof value !== 'object' || Array.isArray(value) || value.http_tokens !== 'optional') return undefined;
  const attr = attribute(resource.block.body, 'metadata_options');
  return { offset: attr?.span.start ?? resource.block.span.start, editable: optionalString(resource) !== undefined };
}

/** The edit that turns the module's `"optional"` into `"required"`. */
export function moduleTokensEdit(module: TfModule, resource: TfResource): TextEdit | undefined {
  const span = moduleTokens(module, resource) ? optionalString(resource) : undefined;
  return span ? { file: resource.file.path, start: span.start, end: span.end, text: '"required"' } : undefined;
}
