/**
 * One side of a patch (before or after) as the real tools read it, reduced to what the rule
 * families judge: resources of either IaC kind with their arguments evaluated (`Val`: known,
 * referenced, one of several, or unknown), and everything else at the top level of a module or
 * template (`terraform {}`, providers, variables, locals, outputs, moved/import/removed/check
 * blocks; CloudFormation sections) as settings. Terraform is read through HashiCorp's parser and
 * only where cloudmend's structural reading agrees with it; CloudFormation as CloudFormation reads
 * YAML (1.1 scalars). A file that cannot be read so is a failure, named, never skipped.
 */
import { isMap, isScalar, visit, type Document } from 'yaml';
import { cfnResolver, callsIntrinsic, type CfnResolver } from '../iac/cloudformation/resolve.js';
import { nodeAt, parseTemplate, valueOf, type CfnResource, type CfnTemplate, type CfnValue } from '../iac/cloudformation/template.js';
import type { IacKind, SourceFile } from '../iac/source.js';
import { ParserDisagreement, readTerraformFile, type VerifiedTfFile } from '../iac/terraform/agreement.js';
import { configOf, isAutoVars, type TfBlock, type TfConfig } from '../iac/terraform/config.js';
import type { ExprNode } from '../iac/terraform/hashicorp.js';
import type { HclAttribute, HclBody } from '../iac/terraform/hcl-structure.js';
import { isList, isObject, type Val } from '../iac/values.js';

export type Props = { readonly [key: string]: Val };

/** A resource, data source, module call or ephemeral resource, as the families judge it. */
export interface Resource {
  /** Unique on a side and the same before and after: a Terraform address, or `template#LogicalId`. */
  readonly key: string;
  /** The address or logical id, for messages. */
  readonly id: string;
  readonly kind: IacKind;
  readonly mode: 'resource' | 'data' | 'module' | 'ephemeral';
  /** `aws_s3_bucket`, `AWS::S3::Bucket`; a module call's source. */
  readonly type: string;
  readonly file: string;
  readonly line: number;
  /** Arguments (Terraform, nested blocks as lists) or `Properties` (CloudFormation), evaluated; over every instance of a counted resource, as alternatives. */
  readonly props: Props;
  /** A counted Terraform resource's instances by key, each evaluated on its own, when cloudmend knows them. */
  readonly instances?: ReadonlyMap<string, Props> | undefined;
  /**
   * Terraform meta-arguments (`count`, `for_each`, `provider`, `depends_on`, `lifecycle`,
   * `provisioner`, `connection`), CloudFormation resource attributes (`Condition`,
   * `DeletionPolicy`, `UpdateReplacePolicy`, `DependsOn`, `Metadata`...), evaluated.
   */
  readonly meta: Props;
  /** The source of the resource, whitespace collapsed: what "changed" is measured on. */
  readonly text: string;
  /** Functions it calls (Terraform), intrinsic functions it uses (CloudFormation). */
  readonly calls: ReadonlySet<string>;
  /** Terraform: each call as written (`file("init.sh")`), whitespace collapsed. */
  readonly callTexts: ReadonlyMap<string, string>;
  /** Terraform: the nested blocks it holds, at any depth (`provisioner "local-exec"`, `dynamic "ingress"`). */
  readonly blocks: readonly NestedBlock[];
  /** How the resource is written, for judging expressions as written rather than as evaluated. */
  readonly written: Written;
  /** The line of a property path (`ingress.cidr_blocks`, `Properties.BucketName`), or the resource's line. */
  lineOf(path: readonly string[]): number;
}

/** A Terraform attribute as written: its path through nested blocks, text and syntax tree. */
export interface WrittenAttribute {
  /** `['versioning', 'enabled']`; a labeled block adds its labels (`['provisioner', 'local-exec', 'command']`). */
  readonly path: readonly string[];
  readonly text: string;
  readonly tree: ExprNode;
  readonly line: number;
}

export type Written =
  | { readonly kind: 'terraform'; readonly attributes: readonly WrittenAttribute[] }
  /** The resource's entry as written (`Type`, `Properties`, `Condition`...), intrinsics in long form. */
  | { readonly kind: 'cloudformation'; readonly entry: { readonly [key: string]: CfnValue } };

/** Something at the top level that is not a resource: a block (`terraform`, `provider`, `variable`...) or a template section entry. */
export interface Setting {
  /** `terraform`, `provider.aws`, `var.db_password`, `local.cidr`, `output.arn`, `moved`, `Parameters.Env`, `Transform`... */
  readonly key: string;
  /** The block type or the template section. */
  readonly kind: string;
  readonly file: string;
  readonly line: number;
  readonly text: string;
  /** What it holds, evaluated: a variable's default, a local, a parameter's definition, a section's value. */
  readonly value: Val;
  readonly calls: ReadonlySet<string>;
  readonly callTexts: ReadonlyMap<string, string>;
  /** The labels of a block (`moved` has none; `provider "aws"` has `aws`). */
  readonly labels: readonly string[];
  /** Terraform: the nested blocks it holds, at any depth (a `check` block's scoped `data`). */
  readonly blocks: readonly NestedBlock[];
}

/** A nested Terraform block, by type and labels, with its text (whitespace collapsed). */
export interface NestedBlock {
  readonly type: string;
  readonly labels: readonly string[];
  readonly text: string;
  readonly line: number;
}

export interface ParseFailure {
  readonly path: string;
  readonly message: string;
  /** `parser-disagreement`: it parses, but cloudmend's reading differs from Terraform's. */
  readonly disagreement?: boolean;
  /** It parses, but Terraform refuses the module as declared (the message says why and where). */
  readonly invalidModule?: boolean;
}

export interface Side {
  readonly kind: IacKind;
  readonly resources: readonly Resource[];
  readonly settings: readonly Setting[];
}

/** Text with runs of whitespace collapsed: re-indentation and `terraform fmt` alignment are no change. */
export function squash(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function lineAt(text: string, offset: number): number {
  return text.slice(0, offset).split('\n').length;
}

const META = new Set(['count', 'for_each', 'provider', 'depends_on', 'lifecycle', 'provisioner', 'connection']);

/** The functions an expression calls: name, and each call's text (whitespace collapsed) → name. */
function functionsIn(node: ExprNode, into: Set<string>, texts: Map<string, string>): void {
  if (node.type === 'function' && typeof node.meta.name === 'string') {
    into.add(node.meta.name);
    texts.set(squash(node.meta.value ?? node.meta.name), node.meta.name);
  }
  for (const child of node.children) functionsIn(child, into, texts);
}

function attributes(body: HclBody): HclAttribute[] {
  return body.items.flatMap((i) => (i.kind === 'attribute' ? [i] : attributes(i.body)));
}

function nestedBlocks(text: string, body: HclBody): NestedBlock[] {
  return body.items.flatMap((i) =>
    i.kind === 'block'
      ? [
          { type: i.type, labels: i.labels, text: squash(text.slice(i.span.start, i.span.end)), line: lineAt(text, i.span.start) },
          ...nestedBlocks(text, i.body),
        ]
      : [],
  );
}

function written(config: TfConfig, file: VerifiedTfFile, body: HclBody, prefix: readonly string[]): WrittenAttribute[] {
  return body.items.flatMap((i) =>
    i.kind === 'attribute'
      ? [{ path: [...prefix, i.name], text: squash(i.expr), tree: config.tree(i), line: lineAt(file.text, i.span.start) }]
      : written(config, file, i.body, [...prefix, i.type, ...i.labels]),
  );
}

function callsOf(config: TfConfig, attrs: readonly HclAttribute[]): { calls: Set<string>; callTexts: Map<string, string> } {
  const calls = new Set<string>();
  const callTexts = new Map<string, string>();
  for (const a of attrs) functionsIn(config.tree(a), calls, callTexts);
  return { calls, callTexts };
}

/**
 * The line of the deepest attribute or nested block the path names (`['ingress', '1', 'cidr_blocks']`:
 * the second ingress block's `cidr_blocks`), descending into a dynamic block's content; the
 * resource's own line when the path names nothing written.
 */
function tfLineOf(b: TfBlock, path: readonly string[]): number {
  let body = b.block.body;
  let at = b.block.span.start;
  for (let i = 0; i < path.length; i++) {
    const step = path[i] ?? '';
    if (/^\d+$/.test(step)) continue;
    const index = /^\d+$/.test(path[i + 1] ?? '') ? Number(path[i + 1]) : 0;
    const attribute = body.items.find((item) => item.kind === 'attribute' && item.name === step);
    const block = body.items.filter(
      (item) => item.kind === 'block' && (item.type === step || (item.type === 'dynamic' && item.labels[0] === step)),
    )[index];
    const item = attribute ?? block;
    if (!item) break;
    at = item.span.start;
    if (item.kind === 'attribute') break;
    body =
      item.type === 'dynamic'
        ? (item.body.items.find((x): x is typeof item => x.kind === 'block' && x.type === 'content')?.body ?? item.body)
        : item.body;
  }
  return lineAt(b.file.text, at);
}

function tfSide(config: TfConfig, dir: string): Side {
  // Modules in different directories are different modules: their addresses are kept apart.
  const keyOf = (address: string): string => (dir === '' ? address : `${dir}//${address}`);
  const resources: Resource[] = [];
  const settings: Setting[] = [];
  for (const b of config.blocks) {
    const text = squash(b.file.text.slice(b.block.span.start, b.block.span.end));
    const line = lineAt(b.file.text, b.block.span.start);
    const { calls, callTexts } = callsOf(config, attributes(b.block.body));
    const nested = nestedBlocks(b.file.text, b.block.body);
    const mode = b.type === 'resource' || b.type === 'data' || b.type === 'module' || b.type === 'ephemeral' ? b.type : undefined;
    if (mode) {
      const all = config.props(b.block.body, config.instanceNames(b.block));
      const props = Object.fromEntries(
        Object.entries(all).filter(([k]) => !META.has(k) && !(mode === 'module' && (k === 'source' || k === 'version'))),
      );
      const meta = Object.fromEntries(
        Object.entries(all).filter(([k]) => META.has(k) || (mode === 'module' && (k === 'source' || k === 'version'))),
      );
      const source = mode === 'module' ? all.source : undefined;
      const bindings = config.instances(b.block);
      const instances =
        bindings &&
        new Map(
          [...bindings].map(([key, bound]) => [
            key,
            Object.fromEntries(Object.entries(config.props(b.block.body, bound)).filter(([k]) => !META.has(k))),
          ]),
        );
      const type = mode === 'module' ? (typeof source === 'string' ? source : '') : (b.labels[0] ?? '');
      resources.push({
        key: keyOf(b.address),
        id: b.address,
        kind: 'terraform',
        mode,
        type,
        file: b.file.path,
        line,
        props,
        instances,
        meta,
        text,
        calls,
        callTexts,
        blocks: nested,
        written: { kind: 'terraform', attributes: written(config, b.file, b.block.body, []) },
        lineOf: (path) => tfLineOf(b, path),
      });
      continue;
    }
    if (b.type === 'locals') {
      // Each local on its own: a changed local is a change to what refers to it.
      for (const a of b.block.body.items) {
        if (a.kind !== 'attribute') continue;
        const own = callsOf(config, [a]);
        settings.push({
          key: keyOf(`local.${a.name}`),
          kind: 'locals',
          file: b.file.path,
          line: lineAt(b.file.text, a.span.start),
          text: squash(a.expr),
          value: config.value(a),
          ...own,
          labels: [],
          blocks: [],
        });
      }
      continue;
    }
    // A variable's settings, with `default` as Terraform would use it (a tfvars value, else the default).
    const value: Val =
      b.type === 'variable' ? { ...config.props(b.block.body), default: config.variable(b.labels[0] ?? '') } : config.props(b.block.body);
    settings.push({
      key: keyOf(b.type === 'moved' || b.type === 'import' || b.type === 'removed' ? `${b.type} ${text}` : b.address),
      kind: b.type,
      file: b.file.path,
      line,
      text,
      value,
      calls,
      callTexts,
      labels: b.labels,
      blocks: nested,
    });
  }
  return { kind: 'terraform', resources, settings };
}

/** The attributes of a CloudFormation resource besides `Type` and `Properties`, as a deployment reads them. */
const CFN_META = ['Condition', 'DeletionPolicy', 'UpdateReplacePolicy', 'DependsOn', 'Metadata', 'CreationPolicy', 'UpdatePolicy'];

function intrinsicsIn(value: CfnValue, into: Set<string>): void {
  if (!value || typeof value !== 'object') return;
  if (Array.isArray(value)) return value.forEach((v) => intrinsicsIn(v, into));
  for (const [k, v] of Object.entries(value)) {
    if (k === 'Ref' || k === 'Condition' || k.startsWith('Fn::')) into.add(k);
    intrinsicsIn(v, into);
  }
}

function cfnLineOf(t: CfnTemplate, r: CfnResource, path: readonly string[]): number {
  const node = nodeAt(
    r,
    path.map((p) => (/^\d+$/.test(p) ? Number(p) : p)),
  );
  return lineAt(t.text, node?.range?.[0] ?? r.span.start);
}

function cfnResource(t: CfnTemplate, r: CfnResource, resolver: CfnResolver): Resource {
  const whole = valueOf(r.node);
  const get = (k: string): CfnValue | undefined => (whole && typeof whole === 'object' && !Array.isArray(whole) ? whole[k] : undefined);
  const props = resolver.resolve(get('Properties') ?? {});
  const meta: Record<string, Val> = {};
  for (const k of CFN_META) {
    const v = get(k);
    // A resource's Condition is the condition's truth, not its name.
    if (v !== undefined)
      meta[k] =
        k === 'Condition' && typeof v === 'string'
          ? resolver.condition(v)
          : k === 'Metadata' || k === 'DependsOn'
            ? v
            : (resolver.resolve(v) ?? null);
  }
  if (typeof get('Condition') === 'string') meta.ConditionName = get('Condition') as string;
  const calls = new Set<string>();
  intrinsicsIn(whole, calls);
  return {
    key: `${t.path}#${r.logicalId}`,
    id: r.logicalId,
    kind: 'cloudformation',
    mode: 'resource',
    type: r.type,
    file: t.path,
    line: lineAt(t.text, r.span.start),
    props: isObject(props) ? props : {},
    meta,
    text: squash(JSON.stringify(whole)),
    calls,
    callTexts: new Map(),
    blocks: [],
    written: { kind: 'cloudformation', entry: whole && typeof whole === 'object' && !Array.isArray(whole) ? whole : {} },
    lineOf: (path) => cfnLineOf(t, r, path),
  };
}

/** Top-level sections other than `Resources`, each entry a setting (`Parameters.Env`), scalars whole (`Transform`). */
function cfnSettings(t: CfnTemplate, resolver: CfnResolver): Setting[] {
  const out: Setting[] = [];
  for (const doc of t.docs) {
    if (!isMap(doc.contents)) continue;
    for (const pair of doc.contents.items) {
      const name = isScalar(pair.key) ? String(pair.key.value) : '';
      if (name === 'Resources') continue;
      const value = valueOf(pair.value);
      const line = lineAt(t.text, (pair.key as { range?: number[] } | null)?.range?.[0] ?? 0);
      const entries =
        value &&
        typeof value === 'object' &&
        !Array.isArray(value) &&
        /^(Parameters|Conditions|Mappings|Outputs|Rules|Globals|Metadata)$/.test(name)
          ? Object.entries(value)
          : [[undefined, value] as const];
      for (const [key, v] of entries) {
        const calls = new Set<string>();
        intrinsicsIn(v ?? null, calls);
        const evaluated: Val = name === 'Conditions' && key !== undefined ? resolver.condition(key) : v;
        out.push({
          key: key === undefined ? name : `${name}.${key}`,
          kind: name,
          file: t.path,
          line,
          text: squash(JSON.stringify(v ?? null)),
          value: evaluated,
          calls,
          callTexts: new Map(),
          labels: [],
          blocks: [],
        });
      }
    }
  }
  return out;
}

const SECTIONS = new Set([
  'AWSTemplateFormatVersion',
  'Description',
  'Metadata',
  'Parameters',
  'Rules',
  'Mappings',
  'Conditions',
  'Transform',
  'Resources',
  'Outputs',
  'Hooks',
  'Globals',
]);

/** Why a template is not one CloudFormation reads as cloudmend does: an unknown section, a resource without a type, an output without a value. */
function malformed(t: CfnTemplate): string | undefined {
  for (const doc of t.docs) {
    const top = valueOf(doc.contents);
    if (!top || typeof top !== 'object' || Array.isArray(top)) return 'is not a map of template sections';
    const unknown = Object.keys(top).find((k) => !SECTIONS.has(k));
    if (unknown !== undefined) return `has a section ${JSON.stringify(unknown)} that CloudFormation does not know`;
    for (const [id, r] of Object.entries((top.Resources ?? {}) as Record<string, CfnValue>)) {
      if (!r || typeof r !== 'object' || Array.isArray(r) || typeof r.Type !== 'string')
        return `has a resource ${JSON.stringify(id)} without a Type`;
    }
    for (const [id, o] of Object.entries(
      top.Outputs && typeof top.Outputs === 'object' && !Array.isArray(top.Outputs) ? top.Outputs : {},
    )) {
      if (!o || typeof o !== 'object' || Array.isArray(o) || !('Value' in o)) return `has an output ${JSON.stringify(id)} without a Value`;
    }
  }
  return undefined;
}

/** Why a template cannot be judged though it parses: YAML aliases and merge keys make one value stand for another. */
function unjudgeable(docs: readonly Document[]): string | undefined {
  let found: string | undefined;
  for (const doc of docs) {
    visit(doc, {
      Alias: (_, node) => {
        found ??= `uses the YAML alias *${node.source}, which cloudmend cannot judge (and CloudFormation refuses)`;
        return visit.BREAK;
      },
      Pair: (_, pair) => {
        if (isScalar(pair.key) && pair.key.value === '<<') {
          found ??= 'uses a YAML merge key (<<), which cloudmend cannot judge';
          return visit.BREAK;
        }
        return undefined;
      },
    });
  }
  return found;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Reads one side. Terraform: the `.tf` files form one module (per directory of `files`), with its
 * auto-loaded variable files; a file that does not parse, or that the two readers read differently,
 * is a failure. CloudFormation: each file one template.
 */
export async function readSide(kind: IacKind, files: readonly SourceFile[]): Promise<{ side: Side; failures: ParseFailure[] }> {
  if (kind === 'cloudformation') {
    const failures: ParseFailure[] = [];
    const resources: Resource[] = [];
    const settings: Setting[] = [];
    for (const f of files) {
      try {
        const t = parseTemplate(f.path, f.text);
        const why = unjudgeable(t.docs) ?? malformed(t);
        if (why) {
          failures.push({ path: f.path, message: why });
          continue;
        }
        const resolver = cfnResolver(t);
        resources.push(...t.resources.map((r) => cfnResource(t, r, resolver)));
        settings.push(...cfnSettings(t, resolver));
      } catch (error) {
        failures.push({ path: f.path, message: message(error) });
      }
    }
    return { side: { kind, resources, settings }, failures };
  }
  const dirOf = (path: string): string => (path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '');
  const failures: ParseFailure[] = [];
  // Every file is read on its own, so that each one that cannot be read is named.
  const read = async (f: SourceFile): Promise<VerifiedTfFile | undefined> => {
    try {
      return await readTerraformFile(f.path, f.text);
    } catch (error) {
      failures.push({ path: f.path, message: message(error), disagreement: error instanceof ParserDisagreement });
      return undefined;
    }
  };
  const tf = (await Promise.all(files.filter((f) => f.path.endsWith('.tf')).map(read))).filter((f) => f !== undefined);
  const vars = files.filter((f) => isAutoVars(f.path));
  const hclVars = (await Promise.all(vars.filter((v) => !v.path.endsWith('.json')).map(read))).filter((f) => f !== undefined);
  if (failures.length > 0) return { side: { kind, resources: [], settings: [] }, failures };
  const dirs = [...new Set(tf.map((f) => dirOf(f.path)))];
  const sides = await Promise.all(
    dirs.map(async (dir) => {
      const mine = <T extends { path: string }>(list: readonly T[]): T[] => list.filter((f) => dirOf(f.path) === dir);
      return tfSide(await configOf(mine(tf), mine(hclVars), mine(vars.filter((v) => v.path.endsWith('.json')))), dir);
    }),
  );
  const twice = sides.flatMap(declaredTwice);
  if (twice.length > 0) return { side: { kind, resources: [], settings: [] }, failures: twice };
  return { side: { kind, resources: sides.flatMap((s) => s.resources), settings: sides.flatMap((s) => s.settings) }, failures };
}

/** Declarations whose address another one of the module already has: Terraform refuses the module, and the rules would judge only one of them. */
function declaredTwice(side: Side): ParseFailure[] {
  const first = new Map<string, { readonly file: string; readonly line: number }>();
  const failures: ParseFailure[] = [];
  const named = [...side.resources, ...side.settings.filter((s) => s.kind === 'variable' || s.kind === 'locals' || s.kind === 'output')];
  for (const item of named) {
    const seen = first.get(item.key);
    const address = item.key.includes('//') ? item.key.slice(item.key.indexOf('//') + 2) : item.key;
    if (seen)
      failures.push({
        path: item.file,
        message: `line ${item.line} declares ${address} again (first at ${seen.file}:${seen.line}); Terraform refuses a module that declares an address twice`,
        invalidModule: true,
      });
    else first.set(item.key, item);
  }
  return failures;
}

/** A value inside props by path (`['ingress', '0', 'cidr_blocks']`); lists of nested blocks are indexed by number. */
export function at(props: Val | undefined, path: readonly (string | number)[]): Val | undefined {
  let v: Val | undefined = props;
  for (const step of path) {
    if (isList(v ?? null) && typeof step === 'number') v = (v as readonly Val[])[step];
    else if (isObject(v ?? null) && typeof step === 'string') v = (v as Props)[step];
    else return undefined;
  }
  return v;
}

export { callsIntrinsic };
