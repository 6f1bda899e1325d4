/**
 * Terraform declarations as partial JSON: a resource body becomes an object (attributes by name,
 * nested blocks as lists, `dynamic` blocks as unknown elements), expressions become values where
 * they are static and `Unknown` where they are not.
 *
 * Variables are unknown on purpose, default or not: a `.tfvars` file or `-var` may override the
 * default, and drift must never be reported on a guess. Locals are resolved (they are code).
 */
import { readHclValue, type HclValue } from '../iac/terraform/hcl-expr.js';
import { attribute, blocks, type HclBody } from '../iac/terraform/hcl-structure.js';
import { refersTo, type TfModule, type TfResource } from '../iac/terraform/module.js';
import { hintFor } from './hints.js';
import { concat, isObject, isUnknown, stringPart, Unknown, type Partial, type PObject } from './partial.js';

/** Meta-arguments: they shape how Terraform manages the resource, not the resource itself. */
const META = new Set(['count', 'for_each', 'provider', 'depends_on']);
const MAX_DEPTH = 20;

function describe(value: HclValue): string {
  switch (value.type) {
    case 'reference':
      return value.path;
    case 'call':
      return `${value.name}(...)`;
    case 'unknown':
      return value.text.trim();
    case 'template':
      return value.parts.map((p) => (typeof p === 'string' ? p : `\${${describe(p)}}`)).join('');
    default:
      return JSON.stringify(value);
  }
}

export class TfReader {
  constructor(readonly module: TfModule) {}

  /** The partial value of an expression. */
  value(value: HclValue, depth = 0): Partial {
    if (depth > MAX_DEPTH) return new Unknown(describe(value));
    switch (value.type) {
      case 'literal':
        return value.value;
      case 'tuple':
        return value.items.map((i) => this.value(i, depth + 1));
      case 'object':
        return Object.fromEntries(value.entries.map(({ key, value: v }) => [key, this.value(v, depth + 1)]));
      case 'template':
        return this.template(value.parts, depth);
      case 'reference':
        return this.reference(value.path, depth);
      case 'call': {
        const [arg] = value.args;
        // jsonencode's argument is the document itself; comparing values beats comparing text.
        if (['jsonencode', 'tolist', 'toset', 'tostring', 'tonumber', 'tobool'].includes(value.name) && arg && value.args.length === 1)
          return this.value(arg, depth + 1);
        if (value.name === 'jsondecode' && arg && value.args.length === 1) {
          const text = this.value(arg, depth + 1);
          return typeof text === 'string' ? parseJsonOr(text, new Unknown(describe(value))) : new Unknown(describe(value));
        }
        return new Unknown(describe(value));
      }
      case 'unknown':
        return new Unknown(describe(value));
    }
  }

  private template(parts: readonly (string | HclValue)[], depth: number): Partial {
    const values = parts.map((p) => (typeof p === 'string' ? p : this.value(p, depth + 1)));
    const pieces = values.map((v, i) => stringPart(v, describe(parts[i] as HclValue)));
    const source = describe({ type: 'template', parts });
    const joined = concat(pieces, source);
    // A heredoc policy with interpolations is still a policy: keep its structure, unknown leaves inside.
    const first = pieces[0];
    return isUnknown(joined) && typeof first === 'string' && /^\s*\{/.test(first) ? jsonTemplate(pieces, joined) : joined;
  }

  private reference(path: string, depth: number): Partial {
    if (path.startsWith('local.')) {
      const target = this.module.resolve(path.split(/[.[]/).slice(0, 2).join('.'));
      if (target && path.split('.').length === 2) return this.value(target, depth + 1);
      return new Unknown(path);
    }
    const m = /^(data\.)?([a-z0-9_]+)\.([A-Za-z0-9_-]+)(?:\[[^\]]*\])?\.([a-z_]+)$/.exec(path);
    if (!m) return new Unknown(path);
    const [, data, type = '', name, attr = ''] = m;
    const resource = this.module.resources.find((r) => r.mode === (data ? 'data' : 'resource') && r.type === type && r.name === name);
    if (!resource) return new Unknown(path);
    if (data && type === 'aws_iam_policy_document' && (attr === 'json' || attr === 'minified_json'))
      return this.policyDocument(resource, depth + 1);
    return hintFor(type, attr, (n) => this.attr(resource.block.body, n, depth + 1), path) ?? new Unknown(path);
  }

  /** One attribute of a body; undefined when absent or null. */
  attr(body: HclBody, name: string, depth = 0): Partial | undefined {
    const a = attribute(body, name);
    if (!a) return undefined;
    const v = this.value(readHclValue(a.expr), depth);
    return v === null ? undefined : v;
  }

  /** A body as an object: attributes by name, blocks as lists under their type. */
  tree(body: HclBody, depth = 0): PObject {
    const out: Record<string, Partial> = {};
    const lists: Record<string, Partial[]> = {};
    let ignored: string[] = [];
    for (const item of body.items) {
      if (item.kind === 'attribute') {
        if (META.has(item.name)) continue;
        const v = this.value(readHclValue(item.expr), depth + 1);
        if (v !== null) out[item.name] = v;
      } else if (item.type === 'lifecycle') {
        ignored = ignoredChanges(item.body);
      } else if (item.type === 'dynamic') {
        const label = item.labels[0];
        if (label !== undefined) (lists[label] ??= []).push(new Unknown(`dynamic "${label}" block`));
      } else {
        (lists[item.type] ??= []).push(this.tree(item.body, depth + 1));
      }
    }
    for (const [type, list] of Object.entries(lists)) out[type] = list;
    // `ignore_changes` is the code saying "whatever is live is fine": never drift.
    if (ignored.includes('all')) for (const key of Object.keys(out)) out[key] = new Unknown('lifecycle ignore_changes = all');
    else for (const name of ignored) out[name] = new Unknown('lifecycle ignore_changes');
    return out;
  }

  /** A `data "aws_iam_policy_document"` as the JSON document Terraform renders. */
  policyDocument(data: TfResource, depth = 0): Partial {
    const body = data.block.body;
    const merged = ['source_policy_documents', 'override_policy_documents', 'source_json', 'override_json'].some((n) => attribute(body, n));
    if (merged || depth > MAX_DEPTH) return new Unknown(`${data.address}.json`);
    const statements: Partial[] = body.items.flatMap((item): Partial[] => {
      if (item.kind !== 'block') return [];
      if (item.type === 'dynamic' && item.labels[0] === 'statement') return [new Unknown(`dynamic "statement" in ${data.address}`)];
      if (item.type !== 'statement') return [];
      const s = this.tree(item.body, depth + 1);
      const out: Record<string, Partial> = { Effect: s.effect ?? 'Allow' };
      const copy: Readonly<Record<string, string>> = {
        sid: 'Sid',
        actions: 'Action',
        not_actions: 'NotAction',
        resources: 'Resource',
        not_resources: 'NotResource',
      };
      for (const [from, to] of Object.entries(copy)) if (s[from] !== undefined) out[to] = s[from];
      const principal = principalsOf(s.principals);
      if (principal !== undefined) out.Principal = principal;
      const notPrincipal = principalsOf(s.not_principals);
      if (notPrincipal !== undefined) out.NotPrincipal = notPrincipal;
      const condition = conditionsOf(s.condition);
      if (condition !== undefined) out.Condition = condition;
      return [out];
    });
    return { Version: this.attr(body, 'version', depth + 1) ?? '2012-10-17', Statement: statements };
  }
}

function parseJsonOr(text: string, otherwise: Partial): Partial {
  try {
    return JSON.parse(text) as Partial;
  } catch {
    return otherwise;
  }
}

function ignoredChanges(lifecycle: HclBody): string[] {
  const a = attribute(lifecycle, 'ignore_changes');
  if (!a) return [];
  const value = readHclValue(a.expr);
  const refs = value.type === 'tuple' ? value.items : [value];
  return refs.flatMap((r) =>
    r.type === 'reference' ? [r.path.split(/[.[]/)[0] ?? r.path] : r.type === 'literal' && typeof r.value === 'string' ? [r.value] : [],
  );
}

function principalsOf(blocksValue: Partial | undefined): Partial | undefined {
  if (!Array.isArray(blocksValue)) return blocksValue === undefined ? undefined : new Unknown('principals');
  const out: Record<string, Partial> = {};
  for (const b of blocksValue as readonly Partial[]) {
    if (!isObject(b) || typeof b.type !== 'string') return new Unknown('principals');
    const ids = b.identifiers;
    if (b.type === '*') return '*';
    const list = out[b.type];
    out[b.type] = Array.isArray(list) && Array.isArray(ids) ? [...(list as Partial[]), ...(ids as Partial[])] : (ids ?? []);
  }
  return out;
}

function conditionsOf(blocksValue: Partial | undefined): Partial | undefined {
  if (!Array.isArray(blocksValue)) return blocksValue === undefined ? undefined : new Unknown('condition');
  const out: Record<string, Record<string, Partial>> = {};
  for (const b of blocksValue as readonly Partial[]) {
    if (!isObject(b) || typeof b.test !== 'string' || typeof b.variable !== 'string') return new Unknown('condition');
    (out[b.test] ??= {})[b.variable] = b.values ?? [];
  }
  return out;
}

const PLACEHOLDER = /__cloudmend_unknown_(\d+)__/g;

/**
 * JSON text with interpolations (a heredoc policy): each unknown part becomes a placeholder, the
 * text is parsed, and strings holding placeholders become unknown leaves with patterns.
 */
function jsonTemplate(pieces: readonly (string | Unknown)[], whole: Unknown): Partial {
  let text = '';
  let inString = false;
  const unknowns: Unknown[] = [];
  for (const piece of pieces) {
    if (typeof piece === 'string') {
      for (let i = 0; i < piece.length; i++) {
        if (piece[i] === '\\') i++;
        else if (piece[i] === '"') inString = !inString;
      }
      text += piece;
    } else {
      const token = `__cloudmend_unknown_${unknowns.push(piece) - 1}__`;
      text += inString ? token : `"${token}"`;
    }
  }
  const parsed = parseJsonOr(text, whole);
  const restore = (v: Partial): Partial => {
    if (typeof v === 'string' && v.includes('__cloudmend_unknown_')) {
      const parts = v.split(PLACEHOLDER).map((p, i) => (i % 2 === 1 ? (unknowns[Number(p)] ?? whole) : p));
      return concat(parts, parts.map((p) => (typeof p === 'string' ? p : `\${${p.source}}`)).join(''));
    }
    if (Array.isArray(v)) return (v as readonly Partial[]).map(restore);
    if (isObject(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, restore(x)]));
    return v;
  };
  return restore(parsed);
}

/**
 * Resources of `types` bound to `target` through their `link` attribute: a reference to it
 * (`bucket = aws_s3_bucket.logs.id`), the same expression as its name attribute, or a static
 * value equal to one of its physical names.
 */
export function tfSiblings(
  module: TfModule,
  target: TfResource,
  types: readonly string[],
  link: string,
  names: readonly string[],
  nameAttr?: string,
): TfResource[] {
  const nameExpr = nameAttr === undefined ? undefined : attribute(target.block.body, nameAttr)?.expr.trim();
  const reader = new TfReader(module);
  return module.resources.filter((r) => {
    if (r.mode !== 'resource' || !types.includes(r.type) || r.address === target.address) return false;
    const a = attribute(r.block.body, link);
    if (!a) return false;
    const value = readHclValue(a.expr);
    const items = value.type === 'tuple' ? value.items : [value];
    return items.some((v) => {
      if (refersTo(v, target.address)) return true;
      if (nameExpr !== undefined && a.expr.trim() === nameExpr) return true;
      const s = reader.value(v);
      return typeof s === 'string' && names.includes(s);
    });
  });
}

/** Tags the AWS provider adds to every resource (`default_tags`); `known` is false when they cannot be read. */
export function tfDefaultTags(module: TfModule, target: TfResource): { readonly tags: PObject; readonly known: boolean } {
  const reader = new TfReader(module);
  const ref = attribute(target.block.body, 'provider');
  const alias = ref ? /^aws\.([\w-]+)$/.exec(ref.expr.trim())?.[1] : undefined;
  const providers = module.files.flatMap((f) => blocks(f.body, 'provider')).filter((p) => p.labels[0] === 'aws');
  const provider = providers.find((p) => {
    const a = reader.attr(p.body, 'alias');
    return alias === undefined ? a === undefined : a === alias;
  });
  // Without the provider block (a child module), the root's default tags are out of sight.
  if (!provider) return { tags: {}, known: false };
  const [defaults] = blocks(provider.body, 'default_tags');
  if (!defaults) return { tags: {}, known: true };
  const tags = reader.attr(defaults.body, 'tags');
  return isObject(tags) ? { tags, known: true } : { tags: {}, known: tags === undefined };
}
