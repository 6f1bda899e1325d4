/**
 * A Terraform module as Terraform reads it, for decisions that must hold: every file read by both
 * readers and shown to agree (`agreement.ts`), every attribute evaluated (`evaluate.ts`) with
 * variables taken from `terraform.tfvars` / `*.auto.tfvars` or their defaults, locals followed,
 * `count` / `for_each` / dynamic block iterators bound to every instance they may produce.
 */
import type { SourceFile } from '../source.js';
import { either, isList, isObject, optionsOf, Unknown, type Val } from '../values.js';
import { readTerraformFile, type VerifiedTfFile } from './agreement.js';
import { evaluate, prepareAll, type Prepared, type Scope } from './evaluate.js';
import type { ExprNode } from './hashicorp.js';
import { attribute, blocks, type HclAttribute, type HclBlock, type HclBody } from './hcl-structure.js';

/** A top-level block: a resource, data source, module call, variable, provider, `terraform`... */
export interface TfBlock {
  readonly file: VerifiedTfFile;
  readonly block: HclBlock;
  /** `resource`, `data`, `module`, `variable`, `locals`, `output`, `provider`, `terraform`, `moved`, `ephemeral`... */
  readonly type: string;
  readonly labels: readonly string[];
  /** `aws_s3_bucket.logs`, `data.aws_iam_policy_document.p`, `module.vpc`, `var.env`, `provider.aws.west`... */
  readonly address: string;
}

/** The nested blocks of a body, flattened: dynamic blocks appear under their label. */
export interface TfNested {
  readonly type: string;
  readonly labels: readonly string[];
  readonly block: HclBlock;
  /** Names the dynamic block's iterator binds, for its content. */
  readonly bound: ReadonlyMap<string, Val>;
}

export interface TfConfig {
  readonly files: readonly VerifiedTfFile[];
  readonly blocks: readonly TfBlock[];
  /**
   * An attribute's value; `bound` names those of the block instance it is in (`each`, `count`,
   * iterators); `made` stands in for attributes the provider makes up (`Scope.made`).
   */
  value(attr: HclAttribute, bound?: ReadonlyMap<string, Val>, made?: Scope['made']): Val;
  /** An attribute's syntax tree, as HashiCorp's parser reads it. */
  tree(attr: HclAttribute): ExprNode;
  /** A body's values: attributes by name, nested blocks as lists of bodies (dynamic ones expanded once, for every value they may take). */
  props(body: HclBody, bound?: ReadonlyMap<string, Val>): { readonly [key: string]: Val };
  /** Nested blocks of a body, dynamic ones as their content with the iterator bound. */
  nested(body: HclBody, bound?: ReadonlyMap<string, Val>): TfNested[];
  /** What `each`/`count` stand for in a block that has `for_each`/`count`: every value they may take, as alternatives. */
  instanceNames(block: HclBlock): ReadonlyMap<string, Val>;
  /** Each instance of a block with `count`/`for_each`, by key (`0`, `"prod"`), with its own names bound; undefined when not known. */
  instances(block: HclBlock): ReadonlyMap<string, ReadonlyMap<string, Val>> | undefined;
  /** Variables' values as Terraform would use them (tfvars, else default), `Unknown` without either. */
  variable(name: string): Val;
}

function addressOf(type: string, labels: readonly string[]): string {
  const [a = '', b = ''] = labels;
  if (type === 'resource') return `${a}.${b}`;
  if (type === 'data' || type === 'ephemeral') return `${type}.${a}.${b}`;
  if (type === 'module') return `module.${a}`;
  if (type === 'variable') return `var.${a}`;
  if (type === 'output') return `output.${a}`;
  if (type === 'provider') return `provider.${[a, ...labels.slice(1)].join('.')}`;
  return [type, ...labels].join('.');
}

function allAttributes(body: HclBody): HclAttribute[] {
  return body.items.flatMap((i) => (i.kind === 'attribute' ? [i] : allAttributes(i.body)));
}

/** `terraform.tfvars`, `terraform.tfvars.json` and `*.auto.tfvars(.json)`: the files Terraform loads by itself. */
export function isAutoVars(path: string): boolean {
  return /(^|\/)(terraform\.tfvars|[^/]+\.auto\.tfvars)(\.json)?$/.test(path);
}

/**
 * Reads a module. `files` are its `.tf` files; `vars` its automatically loaded variable files.
 * Throws `IacSyntaxError` or `ParserDisagreement` for a file that cannot be read as Terraform reads it.
 */
export async function readTerraformConfig(
  files: readonly SourceFile[],
  vars: readonly SourceFile[] = [],
  inputs?: ReadonlyMap<string, Val>,
): Promise<TfConfig> {
  const verified = await Promise.all(files.map((f) => readTerraformFile(f.path, f.text)));
  const hclVars = await Promise.all(vars.filter((f) => !f.path.endsWith('.json')).map((f) => readTerraformFile(f.path, f.text)));
  return configOf(
    verified,
    hclVars,
    vars.filter((f) => f.path.endsWith('.json')),
    inputs,
  );
}

/**
 * The module of files already read (`readTerraformFile`), with its HCL and JSON variable files; or,
 * called from another module, with `inputs`: the values its call sets, which replace those files.
 */
export async function configOf(
  verified: readonly VerifiedTfFile[],
  hclVars: readonly VerifiedTfFile[] = [],
  jsonVars: readonly SourceFile[] = [],
  inputs?: ReadonlyMap<string, Val>,
): Promise<TfConfig> {
  const attrs = [...verified, ...hclVars].flatMap((f) => allAttributes(f.body));
  const prepared = await prepareAll(attrs.map((a) => a.expr));
  const preparedOf = (a: HclAttribute): Prepared => prepared.get(a.expr) as Prepared;

  const topLevel: TfBlock[] = verified.flatMap((file) =>
    file.body.items.flatMap((item) =>
      item.kind === 'block'
        ? [{ file, block: item, type: item.type, labels: item.labels, address: addressOf(item.type, item.labels) }]
        : [],
    ),
  );
  const none: ReadonlyMap<string, Val> = new Map();
  const empty: Scope = {
    variable: () => new Unknown('a variable inside a variable'),
    local: () => new Unknown('a local inside a variable'),
    declared: () => undefined,
    bound: none,
  };

  // Variable values: auto-loaded files override defaults, later files override earlier ones.
  const given = new Map<string, Val>();
  for (const f of hclVars) for (const a of f.body.items) if (a.kind === 'attribute') given.set(a.name, evaluate(preparedOf(a), empty));
  for (const f of jsonVars) {
    try {
      const json = JSON.parse(f.text) as unknown;
      if (json && typeof json === 'object' && !Array.isArray(json)) for (const [k, v] of Object.entries(json)) given.set(k, v as Val);
    } catch {
      // An unreadable variable file: its variables stay unknown below.
      for (const b of topLevel) if (b.type === 'variable' && b.labels[0]) given.set(b.labels[0], new Unknown(`${f.path} is not JSON`));
    }
  }
  for (const [name, v] of inputs ?? []) given.set(name, v);
  const variables = new Map<string, Val>();
  for (const b of topLevel) {
    const name = b.labels[0];
    if (b.type !== 'variable' || name === undefined) continue;
    const def = attribute(b.block.body, 'default');
    variables.set(
      name,
      given.has(name)
        ? (given.get(name) ?? null)
        : def
          ? evaluate(preparedOf(def), empty)
          : new Unknown(`var.${name} has no default: its value is given where Terraform runs`),
    );
  }
  const variable = (name: string): Val => variables.get(name) ?? new Unknown(`var.${name} is not declared`);

  const localAttrs = new Map<string, HclAttribute>();
  for (const b of topLevel)
    if (b.type === 'locals') for (const a of b.block.body.items) if (a.kind === 'attribute') localAttrs.set(a.name, a);
  const declaredBlocks = new Map(topLevel.filter((b) => b.type === 'resource').map((b) => [b.address, b]));

  const memo = new Map<string, Val>();
  const busy = new Set<string>();
  const once = (key: string, compute: () => Val): Val => {
    if (memo.has(key)) return memo.get(key) ?? null;
    if (busy.has(key)) return new Unknown(`${key} refers to itself`);
    busy.add(key);
    try {
      const v = compute();
      memo.set(key, v);
      return v;
    } finally {
      busy.delete(key);
    }
  };

  const scopeWith = (bound: ReadonlyMap<string, Val>): Scope => ({
    variable,
    local: (name) =>
      once(`local.${name}`, () => {
        const a = localAttrs.get(name);
        return a ? evaluate(preparedOf(a), scopeWith(none)) : new Unknown(`local.${name} is not declared`);
      }),
    declared: (type, name) => {
      const b = declaredBlocks.get(`${type}.${name}`);
      // Instances of a resource with count or for_each may differ: their arguments are not one value.
      if (!b || attribute(b.block.body, 'count') || attribute(b.block.body, 'for_each')) return undefined;
      return once(`declared ${b.address}`, () => props(b.block.body, none));
    },
    bound,
  });

  const value = (attr: HclAttribute, bound: ReadonlyMap<string, Val> = none, made?: Scope['made']): Val => {
    const p = preparedOf(attr);
    if (made) return evaluate(p, { ...scopeWith(bound), made });
    return bound.size === 0 ? once(`attr ${p.text}`, () => evaluate(p, scopeWith(none))) : evaluate(p, scopeWith(bound));
  };

  const nested = (body: HclBody, bound: ReadonlyMap<string, Val> = none): TfNested[] =>
    body.items.flatMap((item): TfNested[] => {
      if (item.kind !== 'block') return [];
      if (item.type !== 'dynamic') return [{ type: item.type, labels: item.labels, block: item, bound }];
      const label = item.labels[0] ?? '';
      const iterator = attribute(item.body, 'iterator');
      const name = iterator ? (preparedOf(iterator).node.meta.value ?? label) : label;
      const forEach = attribute(item.body, 'for_each');
      const items = eachOf(forEach ? value(forEach, bound) : new Unknown('a dynamic block without for_each'));
      const inner = new Map(bound).set(name, items);
      return blocks(item.body, 'content').map((content) => ({ type: label, labels: [], block: content, bound: inner }));
    });

  const props = (body: HclBody, bound: ReadonlyMap<string, Val> = none): { [key: string]: Val } => {
    const out: Record<string, Val> = {};
    for (const item of body.items) if (item.kind === 'attribute') out[item.name] = value(item, bound);
    for (const n of nested(body, bound)) {
      // A new list each time: values of attributes are shared and never changed in place.
      const existing = out[n.type];
      out[n.type] = [
        ...(isList(existing ?? null) ? (existing as readonly Val[]) : existing === undefined ? [] : [existing]),
        props(n.block.body, n.bound),
      ];
    }
    return out;
  };

  const instanceNames = (block: HclBlock): ReadonlyMap<string, Val> => {
    const count = attribute(block.body, 'count');
    const forEach = attribute(block.body, 'for_each');
    if (forEach) return new Map([['each', eachOf(value(forEach))]]);
    if (!count) return none;
    const n = value(count);
    const indices = optionsOf(n).flatMap((o) => (typeof o === 'number' && o >= 0 && o <= 64 ? Array.from({ length: o }, (_, i) => i) : []));
    const known = optionsOf(n).every((o) => typeof o === 'number' && o >= 0 && o <= 64);
    return new Map([
      ['count', { index: known && indices.length > 0 ? either(indices) : new Unknown('count.index of a count cloudmend cannot evaluate') }],
    ]);
  };

  const instances = (block: HclBlock): ReadonlyMap<string, ReadonlyMap<string, Val>> | undefined => {
    const count = attribute(block.body, 'count');
    const forEach = attribute(block.body, 'for_each');
    if (forEach) {
      const [v] = optionsOf(value(forEach));
      const entries: [string, Val][] | undefined =
        optionsOf(value(forEach)).length !== 1
          ? undefined
          : isList(v ?? null)
            ? (v as readonly Val[]).map((x) => [typeof x === 'string' ? x : JSON.stringify(x), x])
            : isObject(v ?? null)
              ? Object.keys(v as object).map((k) => [k, (v as Record<string, Val>)[k] ?? null])
              : undefined;
      return entries && entries.length <= 64 ? new Map(entries.map(([k, x]) => [k, new Map([['each', { key: k, value: x }]])])) : undefined;
    }
    if (!count) return undefined;
    const [n] = optionsOf(value(count));
    if (optionsOf(value(count)).length !== 1 || typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > 64) return undefined;
    return new Map(Array.from({ length: n }, (_, i) => [String(i), new Map([['count', { index: i }]])]));
  };

  return { files: verified, blocks: topLevel, value, tree: (a) => preparedOf(a).node, props, nested, instanceNames, instances, variable };
}

/** `{ key, value }` for every element a `for_each` may iterate over, as alternatives. */
function eachOf(collection: Val): Val {
  const entries = optionsOf(collection).flatMap((c): [Val, Val][] | undefined[] => {
    if (isList(c)) return c.map((v) => [typeof v === 'string' ? v : JSON.stringify(v), v]);
    if (isObject(c)) return Object.keys(c).map((k) => [k, c[k] ?? null]);
    return [undefined];
  });
  if (entries.length === 0) return { key: new Unknown('an empty collection'), value: new Unknown('an empty collection') };
  if (entries.some((e) => e === undefined))
    return {
      key: new Unknown('for_each over a collection cloudmend cannot evaluate'),
      value: new Unknown('for_each over a collection cloudmend cannot evaluate'),
    };
  const pairs = entries as [Val, Val][];
  return { key: either(pairs.map(([k]) => k)), value: either(pairs.map(([, v]) => v)) };
}

/** The instance keys a `count` or `for_each` value creates, when known: `0..n-1`, set members, map keys. */
export function instanceKeys(kind: 'count' | 'for_each', value: Val | undefined): string[] | undefined {
  if (value === undefined) return kind === 'count' ? ['0'] : undefined;
  const options = optionsOf(value);
  if (options.length !== 1) return undefined;
  const [v] = options;
  if (kind === 'count')
    return typeof v === 'number' && Number.isInteger(v) && v >= 0 ? Array.from({ length: v }, (_, i) => String(i)) : undefined;
  if (isList(v ?? null) && (v as readonly Val[]).every((x) => typeof x === 'string')) return [...new Set(v as readonly string[])].sort();
  if (isObject(v ?? null)) return Object.keys(v as object).sort();
  return undefined;
}
