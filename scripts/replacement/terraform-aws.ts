/**
 * Replacement-forcing attributes of the AWS provider's resources, read from its Go source:
 * - SDKv2 resources: `ForceNew: true` in `schema.Schema` literals, nested through `Elem: &schema.Resource`;
 * - Plugin Framework resources: `RequiresReplace()` / `RequiresReplaceIfConfigured()` plan modifiers.
 * Conditional replacement (the value decides) is kept apart: `customdiff.ForceNewIf*` and
 * `d.ForceNew(...)` reachable from `CustomizeDiff`, `RequiresReplaceIf*` modifiers other than
 * `...IfConfigured`, `resp.RequiresReplace` in `ModifyPlan`, and a `ForceNew` that is not a literal.
 * An attribute name this reading cannot work out is counted, never guessed.
 */
import { GoEvaluator, entries, fields, statementEnd } from './go-eval.js';
import type { Composite } from './go-eval.js';
import { closing, splitTopLevel, tokensOf } from './go-source.js';
import type { GoPackage, Span } from './go-source.js';

export interface ResourceReplacement {
  /** Dotted attribute paths whose change forces replacement. */
  readonly replace: Set<string>;
  readonly conditional: Set<string>;
  /** Every attribute path the reading found, replacement or not. */
  readonly seen: Set<string>;
  /** Conditional replacement whose attribute the reading could not name (e.g. `d.ForceNew(k)` in a loop). */
  dynamic: number;
  /** Attributes or schemas the reading could not follow, as `path: source text`. */
  readonly unresolved: string[];
  readonly framework: boolean;
}

const MAX_PATH_DEPTH = 12;
const MAX_FOLLOW = 4;

/** Every resource type registered in the packages, with what forces its replacement. */
export function extractTerraform(packages: ReadonlyMap<string, GoPackage>): Map<string, ResourceReplacement> {
  const go = new GoEvaluator(packages);
  const out = new Map<string, ResourceReplacement>();
  for (const pkg of packages.values()) {
    for (const [method, framework] of [
      ['SDKResources', false],
      ['FrameworkResources', true],
    ] as const) {
      const body = pkg.methods.get(`servicePackage.${method}`);
      if (!body) continue;
      for (const { factory, typeName } of registrations(body)) {
        const result: ResourceReplacement = {
          replace: new Set(),
          conditional: new Set(),
          seen: new Set(),
          dynamic: 0,
          unresolved: [],
          framework,
        };
        const factoryBody = pkg.funcs.get(factory);
        const struct = framework && factoryBody ? resourceStruct(pkg, factoryBody) : undefined;
        const name = typeName ?? (struct && metadataTypeName(pkg, struct));
        if (name === undefined) {
          console.warn(`${pkg.dir}: no type name for factory ${factory}`);
          continue;
        }
        if (!factoryBody) result.unresolved.push(`factory ${factory}`);
        else if (framework) readFrameworkResource(go, pkg, struct, result);
        else readSdkResource(go, factoryBody, result);
        out.set(name, result);
      }
    }
  }
  return out;
}

/**
 * `{Factory: f, TypeName: "aws_x", ...}` elements of a service package's registration method
 * (older framework registrations have no TypeName: the resource's Metadata method sets it).
 */
function registrations(body: Span): Array<{ factory: string; typeName: string | undefined }> {
  const found: Array<{ factory: string; typeName: string | undefined }> = [];
  const { tokens } = body.file;
  for (let i = body.from; i < body.to; i++) {
    if (tokens[i]!.text !== 'Factory' || tokens[i + 1]?.text !== ':') continue;
    const factory = tokens[i + 2]!.text;
    let typeName: string | undefined;
    for (let j = i + 3; j < body.to && tokens[j]!.text !== 'Factory' && typeName === undefined; j++) {
      const named = tokens[j]!.text === 'TypeName' && tokens[j + 1]?.text === ':' && tokens[j + 2]?.kind === 'string';
      if (named) typeName = tokens[j + 2]!.text;
    }
    found.push({ factory, typeName });
  }
  return found;
}

/** `resp.TypeName = "aws_x"` in a framework resource's Metadata method. */
function metadataTypeName(pkg: GoPackage, struct: string): string | undefined {
  const body = method(pkg, struct, 'Metadata');
  const tokens = body ? tokensOf(body) : [];
  const at = tokens.findIndex((t, i) => t.text === 'TypeName' && tokens[i + 1]?.text === '=' && tokens[i + 2]?.kind === 'string');
  return at < 0 ? undefined : tokens[at + 2]!.text;
}

function readSdkResource(go: GoEvaluator, factoryBody: Span, result: ResourceReplacement): void {
  const resource = go.returned(factoryBody) ?? firstLiteral(factoryBody, 'Resource');
  if (!resource) {
    result.unresolved.push('schema.Resource');
    return;
  }
  readSdkSchema(go, resource, '', result);
  const customizeDiff = fields(resource.body).get('CustomizeDiff');
  if (customizeDiff) scanForceNewCalls(go, customizeDiff, resource.scope, result, new Set(), 0);
}

/** The `Schema` / `SchemaFunc` map of a `schema.Resource` literal, walked for `ForceNew`. */
function readSdkSchema(go: GoEvaluator, resource: Composite, prefix: string, result: ResourceReplacement): void {
  const f = fields(resource.body);
  const schemaExpr = f.get('Schema') ?? f.get('SchemaFunc');
  if (!schemaExpr) return;
  const map = go.composite(schemaExpr, resource.scope);
  if (!map) {
    result.unresolved.push(`${prefix}*: ${text(schemaExpr)}`);
    return;
  }
  for (const [keyExpr, valueExpr] of entries(map.body)) {
    const key = go.string(keyExpr, map.scope);
    const attribute = go.composite(valueExpr, map.scope);
    if (key === undefined || !attribute) {
      result.unresolved.push(`${prefix}${key ?? text(keyExpr)}: ${text(valueExpr)}`);
      continue;
    }
    const path = prefix + key;
    result.seen.add(path);
    const af = fields(attribute.body);
    const forceNew =
      af.get('ForceNew') &&
      tokensOf(af.get('ForceNew')!)
        .map((t) => t.text)
        .join('');
    if (forceNew === 'true') result.replace.add(path);
    else if (forceNew && forceNew !== 'false') result.conditional.add(path);
    const elem = af.get('Elem');
    const nested = elem && go.composite(elem, attribute.scope);
    if (nested && /(^|\.)Resource$/.test(nested.type) && path.split('.').length < MAX_PATH_DEPTH) {
      readSdkSchema(go, nested, `${path}.`, result);
    }
  }
}

/**
 * Attributes named in `customdiff.ForceNewIf*(key, ...)` and `d.ForceNew(key)` calls in an
 * expression and in the functions of the provider it names, a few calls deep.
 */
function scanForceNewCalls(
  go: GoEvaluator,
  span: Span,
  scope: Span | undefined,
  result: ResourceReplacement,
  seen: Set<Span>,
  depth: number,
): void {
  const { tokens } = span.file;
  for (let i = span.from; i < span.to; i++) {
    const t = tokens[i]!;
    if (t.kind !== 'ident') continue;
    if (/^ForceNew(If|IfChange)?$/.test(t.text) && tokens[i - 1]?.text === '.' && tokens[i + 1]?.text === '(') {
      const args = splitTopLevel({ file: span.file, from: i + 2, to: closing(tokens, i + 1) });
      const key = args[0] && go.string(args[0], scope ?? span);
      if (key === undefined) result.dynamic++;
      else result.conditional.add(attributePath(key));
      continue;
    }
    if (depth >= MAX_FOLLOW) continue;
    const qualified = tokens[i + 1]?.text === '.' && tokens[i + 2]?.kind === 'ident';
    if (tokens[i - 1]?.text === '.') continue;
    const { func } = qualified ? go.resolve(span.file, t.text, tokens[i + 2]!.text) : go.resolve(span.file, undefined, t.text);
    if (func && !seen.has(func)) {
      seen.add(func);
      scanForceNewCalls(go, func, func, result, seen, depth + 1);
    }
  }
}

function readFrameworkResource(go: GoEvaluator, pkg: GoPackage, typeName: string | undefined, result: ResourceReplacement): void {
  const schemaBody = typeName && method(pkg, typeName, 'Schema');
  if (!typeName || !schemaBody) {
    result.unresolved.push(`Schema method of ${typeName ?? 'an unknown type'}`);
    return;
  }
  const schema = assignedSchema(go, schemaBody);
  if (!schema) {
    result.unresolved.push(`resp.Schema of ${typeName}`);
    return;
  }
  readFrameworkObject(go, schema, '', result);
  const modifyPlan = method(pkg, typeName, 'ModifyPlan');
  if (modifyPlan) readModifyPlan(go, modifyPlan, result);
}

/** The struct type a framework factory builds: `fooResource{...}` whose type has a Schema method. */
function resourceStruct(pkg: GoPackage, body: Span): string | undefined {
  const { tokens } = body.file;
  for (let i = body.from; i < body.to - 1; i++) {
    const name = tokens[i]!.text;
    if (tokens[i + 1]!.text === '{' && method(pkg, name, 'Schema')) return name;
  }
  return undefined;
}

/** A method of a type, or of a type it embeds (in the same package). */
function method(pkg: GoPackage, typeName: string, name: string, depth = 0): Span | undefined {
  const own = pkg.methods.get(`${typeName}.${name}`);
  if (own || depth > 3) return own;
  for (const embedded of pkg.embeds.get(typeName) ?? []) {
    const found = method(pkg, embedded, name, depth + 1);
    if (found) return found;
  }
  return undefined;
}

/** The literal assigned to `resp.Schema` (or returned) in a Schema method. */
function assignedSchema(go: GoEvaluator, body: Span): Composite | undefined {
  const { tokens } = body.file;
  for (let i = body.from; i < body.to - 2; i++) {
    if (tokens[i]!.text === '.' && tokens[i + 1]!.text === 'Schema' && tokens[i + 2]!.text === '=') {
      return go.composite({ file: body.file, from: i + 3, to: statementEnd(body, i + 3) }, body);
    }
  }
  return firstLiteral(body, 'Schema');
}

/** Attributes and blocks of a framework schema, nested object or single nested attribute/block. */
function readFrameworkObject(go: GoEvaluator, object: Composite, prefix: string, result: ResourceReplacement): void {
  const f = fields(object.body);
  for (const member of ['Attributes', 'Blocks']) {
    const expr = f.get(member);
    if (!expr) continue;
    const map = go.composite(expr, object.scope);
    if (!map) {
      result.unresolved.push(`${prefix}*: ${text(expr)}`);
      continue;
    }
    for (const [keyExpr, valueExpr] of entries(map.body)) {
      const key = go.string(keyExpr, map.scope);
      const value = go.composite(valueExpr, map.scope);
      if (key === undefined || !value) {
        result.unresolved.push(`${prefix}${key ?? text(keyExpr)}: ${text(valueExpr)}`);
        continue;
      }
      readFrameworkMember(go, value, prefix + key, result);
    }
  }
}

function readFrameworkMember(go: GoEvaluator, member: Composite, path: string, result: ResourceReplacement): void {
  result.seen.add(path);
  const f = fields(member.body);
  const modifiers = f.get('PlanModifiers');
  for (const t of modifiers ? tokensOf(modifiers) : []) {
    if (t.text === 'RequiresReplace' || t.text === 'RequiresReplaceIfConfigured') result.replace.add(path);
    else if (t.text.startsWith('RequiresReplace')) result.conditional.add(path);
  }
  if (path.split('.').length >= MAX_PATH_DEPTH) return;
  const nestedObject = f.get('NestedObject');
  const nested = nestedObject ? go.composite(nestedObject, member.scope) : member;
  if (nested) readFrameworkObject(go, nested, `${path}.`, result);
}

/** `resp.RequiresReplace = append(..., path.Root("x"))` / `.Append(path.Root("x"))` in ModifyPlan. */
function readModifyPlan(go: GoEvaluator, body: Span, result: ResourceReplacement): void {
  const { tokens } = body.file;
  for (let i = body.from; i < body.to; i++) {
    if (tokens[i]!.text !== 'RequiresReplace' || tokens[i - 1]?.text !== '.') continue;
    const end = statementEnd(body, i);
    let named = false;
    for (let j = i; j < end; j++) {
      if (tokens[j]!.text !== 'Root' || tokens[j - 1]?.text !== '.' || tokens[j + 1]?.text !== '(') continue;
      const key = go.string({ file: body.file, from: j + 2, to: closing(tokens, j + 1) }, body);
      if (key === undefined) result.dynamic++;
      else result.conditional.add(key);
      named = true;
    }
    if (!named) result.dynamic++;
    i = end;
  }
}

/** The first `pkg.Name{...}` literal in a body. */
function firstLiteral(body: Span, name: string): Composite | undefined {
  const { tokens } = body.file;
  for (let i = body.from + 2; i < body.to; i++) {
    if (tokens[i]!.text === '{' && tokens[i - 1]!.text === name && tokens[i - 2]!.text === '.') {
      const literal = { file: body.file, from: i + 1, to: closing(tokens, i) };
      return { type: `${tokens[i - 3]?.text ?? ''}.${name}`, body: literal, scope: body };
    }
  }
  return undefined;
}

/** A short rendering of an expression, for the report. */
function text(span: Span): string {
  const shown = tokensOf(span)
    .map((t) => (t.kind === 'string' ? JSON.stringify(t.text) : t.text))
    .join(' ');
  return shown.length > 80 ? `${shown.slice(0, 77)}...` : shown;
}

/** A ResourceDiff key (`a.0.b.#`) as an attribute path (`a.b`): list indexes and counts dropped. */
function attributePath(key: string): string {
  return key
    .split('.')
    .filter((s) => !/^(\d+|#|%)$/.test(s))
    .join('.');
}
