/**
 * Finding → the resource in a repository checkout that declares it. Strategies, in order: the
 * `cloudmend:source` tag (`<path>#<address or logical id>`); CloudFormation stack tags, with the
 * configured stack → template map or else the one template declaring the logical id; provenance
 * tags the finding carries (`yor_trace`, `git_file`); for account-level controls the one resource
 * that carries the setting; the physical name in Terraform (`terraform/names.ts`: per instance of
 * `count` / `for_each`, per call of a module of the repository, or by the shape of a name with
 * values made up at creation) or CloudFormation (or the name it generates); the tags a Terraform
 * resource declares. Never a guess: no match or several matches end in `no_target` with
 * everything that was tried, and what to add so that the next finding is located.
 */
import { dirname, posix } from 'node:path';
import { isUserFacing } from '../errors.js';
import type { Finding } from '../findings/finding.js';
import { evaluateString, evaluateStrings, type Pseudo } from './cloudformation/evaluate.js';
import { propertyAt } from './cloudformation/template.js';
import { ACCOUNT_LEVEL, KMS_ALIAS, RESOURCE_MAP, type NamedType } from './resource-map.js';
import { confinePath, listRepoFiles, readRepoFile } from './repo-files.js';
import { escapeRegExp } from './text.js';
import { addressOf, parseSource, resourcesOf, typeOf, type IacKind, type Source, type SourceResource } from './source.js';
import { isAutoVars, readTerraformConfig, type TfConfig } from './terraform/config.js';
import { isObject, type Val } from './values.js';
import { readHclValue, type HclValue } from './terraform/hcl-expr.js';
import { attribute, type HclBlock } from './terraform/hcl-structure.js';
import { refersTo, attrExpr } from './terraform/module.js';
import { declaredName, declaredShape } from './terraform/names.js';

export const SOURCE_TAG = 'cloudmend:source';

export interface LocateRepository {
  readonly name: string;
  /** Absolute path of the checkout to read. */
  readonly root: string;
  readonly iac: IacKind | 'cdk';
  /** CloudFormation stack name → template path. */
  readonly templates?: Readonly<Record<string, string>> | undefined;
}

export interface Target {
  readonly repository: string;
  readonly kind: IacKind;
  /** The file declaring the resource, repository-relative. */
  readonly file: string;
  /** The files read with it: the Terraform module's `.tf` files, or the template. */
  readonly files: readonly string[];
  readonly address: string;
  readonly resourceType: string;
  readonly strategy: 'tag' | 'stack' | 'provenance' | 'name' | 'tags' | 'account';
  /**
   * The one instance of a `count` / `for_each` resource the finding is about, as Terraform writes its
   * key (`[0]`, `["logs"]`): a fix edits the block that every one of its `instances` shares.
   */
  readonly instance?: string | undefined;
  readonly instances?: number | undefined;
  /** The module call through which the resource's name was found: where the values the module was given are set. */
  readonly caller?: { readonly file: string; readonly address: string } | undefined;
  /** The variable file whose values the name was found with (`terraform apply -var-file=…`). */
  readonly varFile?: string | undefined;
}

export type LocateResult =
  | { readonly found: true; readonly target: Target; readonly tried: readonly string[] }
  | { readonly found: false; readonly tried: readonly string[] };

/** A module call from another module of the repository, and what its module is with the inputs it passes. */
interface Call {
  readonly config: TfConfig;
  readonly file: string;
  readonly address: string;
  /** The calling module, whose data sources the inputs name. */
  readonly caller: TfConfig;
  /** The call passes its own providers: the module may live in another account or region. */
  readonly otherProviders: boolean;
}

interface Unit {
  readonly files: readonly string[];
  readonly source: Source;
  /** A Terraform module as Terraform evaluates it, for the names it declares. */
  readonly config?: TfConfig;
  /** The calls of this module from other modules of the repository, each evaluated with its inputs. */
  readonly calls?: readonly Call[];
  /** The module with each variable file of the repository meant for it (`-var-file=envs/prod.tfvars`). */
  readonly variants?: readonly { readonly config: TfConfig; readonly varFile: string }[];
}

/** Which Terraform instance of a block, and through which module call, a resource was found. */
interface Where {
  readonly instance?: string | undefined;
  readonly instances?: number | undefined;
  readonly call?: Call | undefined;
  readonly varFile?: string | undefined;
}

/** A name a resource declares, and where. */
interface Named extends Where {
  /** The name, or the shape of a name the code does not spell out. */
  readonly value: string | RegExp;
  /** False for a shape that only says which names the resource may have (`DeclaredShape`). */
  readonly telling?: boolean | undefined;
}

interface Match {
  readonly unit: Unit;
  readonly r: SourceResource;
  readonly named?: Where | Named | undefined;
}

const nameIn = (m: Match): Named | undefined => (m.named && 'value' in m.named ? m.named : undefined);

/** How many skipped files are named, and how long one thing tried may be: finding content lands in the reasons. */
const MAX_SKIPPED_SHOWN = 10;
const MAX_TRIED_CHARS = 500;

const isTf = (name: string): boolean => name.endsWith('.tf');
const isVarFile = (name: string): boolean => /\.tfvars(\.json)?$/.test(name);
/** Variable files tried per module, each one more evaluation of it. */
const MAX_VARIANTS = 8;
const isTemplate = (name: string): boolean => /\.(ya?ml|json|template)$/i.test(name);

/** Every parsable Terraform module (one per directory) or CloudFormation template in the checkout. */
async function units(repo: LocateRepository, kind: IacKind, tried: string[]): Promise<Unit[]> {
  // Terraform's automatically loaded variable files give variables their values, as they do where Terraform runs.
  const { files, skipped } = listRepoFiles(repo.root, kind === 'terraform' ? (n) => isTf(n) || isVarFile(n) : isTemplate);
  for (const s of skipped.slice(0, MAX_SKIPPED_SHOWN)) tried.push(`skipped ${s}`);
  if (skipped.length > MAX_SKIPPED_SHOWN) tried.push(`skipped ${skipped.length - MAX_SKIPPED_SHOWN} more files`);
  const groups = new Map<string, { path: string; text: string }[]>();
  for (const f of files) {
    const key = kind === 'terraform' ? dirname(f.path) : f.path;
    groups.set(key, [...(groups.get(key) ?? []), f]);
  }
  const out: Unit[] = [];
  const texts = new Map<string, { path: string; text: string }[]>();
  for (const [key, all] of groups) {
    const group = all.filter((f) => kind !== 'terraform' || isTf(f.path));
    if (group.length === 0) continue;
    try {
      const source = await parseSource(kind, group);
      // The .tf files are read once: readTerraformFile answers parseSource's reading from its cache.
      const config =
        kind === 'terraform'
          ? await readTerraformConfig(
              group,
              all.filter((f) => isAutoVars(f.path)),
            )
          : undefined;
      const variants = config ? await variantsOf(key, group, all, files, tried) : [];
      out.push({ files: group.map((f) => f.path), source, ...(config ? { config } : {}), ...(variants.length > 0 ? { variants } : {}) });
      texts.set(key, group);
    } catch (error) {
      if (!isUserFacing(error)) throw error;
      // Non-template YAML/JSON (CI config, package.json...) is not an error, just not IaC.
      if (kind === 'terraform') tried.push(`skipped the module in ${key === '.' ? 'the repository root' : key}: ${error.message}`);
      else if (!/not a CloudFormation template/.test(error.message)) tried.push(`skipped ${key}: ${error.message}`);
    }
  }
  return kind === 'terraform' ? withCalls(out, texts) : out;
}

/**
 * The module in `dir` evaluated with each variable file meant for it, over the ones Terraform
 * loads by itself: its own other `.tfvars`, and those in directories below it that hold no module
 * (`envs/prod.tfvars`).
 */
async function variantsOf(
  dir: string,
  group: readonly { path: string; text: string }[],
  own: readonly { path: string; text: string }[],
  files: readonly { path: string; text: string }[],
  tried: string[],
): Promise<{ config: TfConfig; varFile: string }[]> {
  const modules = new Set(files.filter((f) => isTf(f.path)).map((f) => dirname(f.path)));
  const below = (d: string): boolean => d !== dir && (dir === '.' || d.startsWith(`${dir}/`));
  // The module nearest above a directory without one is the one its variable files are for.
  const owner = (d: string): string => (modules.has(d) || d === '.' ? d : owner(dirname(d)));
  const varFiles = files.filter(
    (f) => isVarFile(f.path) && (dirname(f.path) === dir ? !isAutoVars(f.path) : below(dirname(f.path)) && owner(dirname(f.path)) === dir),
  );
  const auto = own.filter((f) => isAutoVars(f.path));
  const variants: { config: TfConfig; varFile: string }[] = [];
  for (const f of varFiles.slice(0, MAX_VARIANTS))
    try {
      variants.push({ config: await readTerraformConfig(group, [...auto, f]), varFile: f.path });
    } catch (error) {
      if (!isUserFacing(error)) throw error;
      tried.push(`skipped ${f.path}: ${error.message}`);
    }
  return variants;
}

/** Arguments of a module call that are not inputs of the module. */
const META = new Set(['source', 'version', 'providers', 'count', 'for_each', 'depends_on']);

/**
 * Each module of the repository with the calls other modules make of it (`source = "./modules/x"`):
 * the module evaluated once per call (per instance of a call with `count` / `for_each`), its
 * variables set to what the call passes. A call over instances cloudmend cannot tell is left out.
 */
async function withCalls(units: readonly Unit[], texts: ReadonlyMap<string, { path: string; text: string }[]>): Promise<Unit[]> {
  const calls = new Map<string, Call[]>();
  for (const unit of units) {
    const parent = unit.config;
    const [first] = unit.files;
    if (!parent || first === undefined) continue;
    for (const b of parent.blocks) {
      const source = b.type === 'module' ? attribute(b.block.body, 'source') : undefined;
      const path = source ? parent.value(source) : undefined;
      if (typeof path !== 'string' || !/^\.\.?\//.test(path)) continue;
      const dir = posix.normalize(posix.join(dirname(first), path)).replace(/\/$/, '');
      const files = texts.get(dir);
      const repeated = attribute(b.block.body, 'count') !== undefined || attribute(b.block.body, 'for_each') !== undefined;
      if (!files || (repeated && !parent.instances(b.block))) continue;
      for (const { bound, instance } of instancesOf(parent, b.block)) {
        const inputs = new Map<string, Val>(
          b.block.body.items.flatMap((i) =>
            i.kind === 'attribute' && !META.has(i.name) ? [[i.name, parent.value(i, bound)] as const] : [],
          ),
        );
        const call = {
          config: await readTerraformConfig(files, [], inputs),
          file: b.file.path,
          address: `${b.address}${instance ?? ''}`,
          caller: parent,
          otherProviders: attribute(b.block.body, 'providers') !== undefined,
        };
        calls.set(dir, [...(calls.get(dir) ?? []), call]);
      }
    }
  }
  return units.map((u) => {
    const found = calls.get(u.files[0] === undefined ? '' : dirname(u.files[0]));
    return found ? { ...u, calls: found } : u;
  });
}

function fileOf(unit: Unit, r: SourceResource): string {
  return r.kind === 'terraform' ? r.resource.file.path : (unit.files[0] ?? '');
}

function target(repo: LocateRepository, kind: IacKind, { unit, r, named }: Match, strategy: Target['strategy']): Target {
  return {
    repository: repo.name,
    kind,
    file: fileOf(unit, r),
    files: unit.files,
    address: addressOf(r),
    resourceType: typeOf(r),
    strategy,
    ...(named?.instance === undefined ? {} : { instance: named.instance }),
    ...(named?.instances === undefined ? {} : { instances: named.instances }),
    ...(named?.call ? { caller: { file: named.call.file, address: named.call.address } } : {}),
    ...(named?.varFile === undefined ? {} : { varFile: named.varFile }),
  };
}

const STACK_NAME = 'aws:cloudformation:stack-name';
const LOGICAL_ID = 'aws:cloudformation:logical-id';

/** What a CloudFormation template's pseudo parameters are where the finding's resource lives. */
function pseudoOf(finding: Finding): Pseudo {
  return { account: finding.account, region: finding.region, partition: finding.partition, stackName: finding.resource.tags[STACK_NAME] };
}

/** A literal tag value in a Terraform tags expression: `{ k = "v" }`, or the last such object in `merge(...)` (later wins). */
function literalTag(value: HclValue, key: string): string | undefined {
  if (value.type === 'object') {
    const entry = value.entries.find((e) => e.key === key);
    return entry?.value.type === 'literal' && typeof entry.value.value === 'string' ? entry.value.value : undefined;
  }
  if (value.type === 'call' && value.name === 'merge') return value.args.map((a) => literalTag(a, key)).findLast((v) => v !== undefined);
  return undefined;
}

/** The value of tag `key` a resource declares: evaluated, or else literal inside a merge with values unknown here. */
function declaredTag(r: SourceResource, unit: Unit, key: string, finding: Finding): string | undefined {
  if (r.kind === 'terraform') {
    const body = r.resource.block.body;
    const evaluated = unit.config ? declaredName(unit.config, body, `tags.${key}`, finding) : undefined;
    const tags = attribute(body, 'tags');
    return evaluated ?? (tags ? literalTag(readHclValue(tags.expr), key) : undefined);
  }
  if (unit.source.kind !== 'cloudformation') return undefined;
  const tags = propertyAt(r.resource, ['Properties', 'Tags']);
  const tag = Array.isArray(tags) ? tags.find((t) => t && typeof t === 'object' && !Array.isArray(t) && t.Key === key) : undefined;
  return tag && typeof tag === 'object' && !Array.isArray(tag)
    ? evaluateString(tag.Value, unit.source.template, pseudoOf(finding))
    : undefined;
}

/** Each instance of a `count` / `for_each` block with what its `count` / `each` stand for, or the block itself. */
function instancesOf(config: TfConfig, block: HclBlock): { bound?: ReadonlyMap<string, Val>; instance?: string; instances?: number }[] {
  const instances = config.instances(block);
  const counted = attribute(block.body, 'count') !== undefined;
  return instances
    ? [...instances].map(([key, bound]) => ({
        bound,
        instance: counted ? `[${key}]` : `[${JSON.stringify(key)}]`,
        instances: instances.size,
      }))
    : [{}];
}

/** A module as it is deployed: through each call of it from the repository, else on its own. */
function contextsOf(unit: Unit): { config: TfConfig; call?: Call; varFile?: string }[] {
  if (unit.calls) return unit.calls.map((call) => ({ config: call.config, call }));
  return unit.config ? [{ config: unit.config }, ...(unit.variants ?? [])] : [];
}

/** The names one Terraform block declares in attribute `attr`, in each context and instance. */
function tfNames(unit: Unit, block: HclBlock, attr: string, named: NamedType, finding: Finding): Named[] {
  return contextsOf(unit).flatMap(({ config, call, varFile }) =>
    instancesOf(config, block).flatMap(({ bound, instance, instances }): Named[] => {
      const context = { bound, caller: call?.caller, otherProviders: call?.otherProviders };
      const where = { instance, instances, call, varFile };
      const value = declaredName(config, block.body, attr, finding, context);
      const { prefixed } = named;
      const unless = prefixed && attribute(block.body, prefixed.unless);
      if (value !== undefined && prefixed && (!unless || config.value(unless, bound) !== false))
        return [{ value: new RegExp(`^${escapeRegExp(`${value}${prefixed.separator}`)}\\d{26}$`), ...where }];
      if (value !== undefined) return [{ value, ...where }];
      const shape = declaredShape(config, block.body, attr, finding, context);
      return shape ? [{ value: shape.pattern, telling: shape.telling, ...where }] : [];
    }),
  );
}

/**
 * The one Terraform resource of the finding's types whose declared tags, each evaluated, are all
 * among the finding's (which may carry more: the provider's default tags). A resource whose tags
 * cannot be evaluated may carry them too, and then none is chosen. A resource that declares no
 * tags is never chosen by them.
 */
function byTags(
  repo: LocateRepository,
  all: readonly Unit[],
  mapping: readonly NamedType[],
  finding: Finding,
  tried: string[],
): Target | undefined {
  const given = finding.resource.tags;
  if (!Object.keys(given).some((k) => !k.startsWith('aws:'))) return undefined;
  const fits: Match[] = [];
  const unsure: Match[] = [];
  for (const unit of all)
    for (const r of resourcesOf(unit.source)) {
      if (r.kind !== 'terraform' || !mapping.some((m) => isOf(r, m))) continue;
      const { body } = r.resource.block;
      const tags = attribute(body, 'tags');
      if (!tags) continue;
      for (const { config, call, varFile } of contextsOf(unit))
        for (const { bound, instance, instances } of instancesOf(config, r.resource.block)) {
          const context = { bound, caller: call?.caller, otherProviders: call?.otherProviders };
          const whole = config.value(tags, bound);
          const keys = isObject(whole) ? Object.keys(whole) : undefined;
          const values = keys?.map((k) => [k, declaredName(config, body, `tags.${k}`, finding, context)] as const);
          const match = { unit, r, named: { instance, instances, call, varFile } };
          if (!values || values.some(([, v]) => v === undefined)) unsure.push(match);
          else if (values.length > 0 && values.every(([k, v]) => given[k] === v)) fits.push(match);
        }
    }
  if (fits.length === 0) return undefined;
  const what = `tags ${JSON.stringify(Object.fromEntries(Object.entries(given).filter(([k]) => !k.startsWith('aws:'))))}`;
  const others = unsure.filter((u) => !fits.some((f) => f.r === u.r));
  if (others.length > 0) {
    tried.push(
      `${what} fit ${fits.map(shownMatch).join(', ')}, but ${others.map(shownMatch).join(', ')} may carry them: their tags cannot be evaluated`,
    );
    return undefined;
  }
  // Every instance of one block carrying the same tags is that block: its fix is theirs.
  const [first] = fits;
  const block = first && fits.every((f) => f.r === first.r && f.named?.call === first.named?.call) && fits.length > 1;
  const chosen = block && first ? [{ ...first, named: { instances: first.named?.instances, call: first.named?.call } }] : fits;
  return unique(repo, 'terraform', chosen, 'tags', what, tried);
}

/** True when `r` is of the mapped type: a registry module's submodules (`…/aws//modules/web`) are the module. */
const isOf = (r: SourceResource, m: NamedType): boolean =>
  typeOf(r) === m.type || (m.type.startsWith('module:') && typeOf(r).startsWith(`${m.type}//`));

/** True when `n` is the name `name`, or has its shape. */
const nameOf = (n: Named, name: string): boolean => (typeof n.value === 'string' ? n.value === name : n.value.test(name));

/**
 * The physical names a resource declares, for the given name attributes: for Terraform, with the
 * module's own variables and with those of each call of it, for every instance of the block.
 */
function declaredNames(r: SourceResource, unit: Unit, named: NamedType, finding: Finding): Named[] {
  const generated = generatedPattern(r, named, finding);
  const declared = named.names.flatMap((attr): Named[] => {
    if (attr.startsWith('=')) return [{ value: attr.slice(1) }];
    if (r.kind === 'terraform') return tfNames(unit, r.resource.block, attr, named, finding);
    if (r.kind === 'cloudformation' && unit.source.kind === 'cloudformation') {
      if (attr.startsWith('tags.')) {
        const tag = declaredTag(r, unit, attr.slice('tags.'.length), finding);
        return tag === undefined ? [] : [{ value: tag }];
      }
      const property = propertyAt(r.resource, ['Properties', attr]);
      const values = evaluateStrings(property, unit.source.template, pseudoOf(finding));
      // A name cloudmend cannot evaluate (a parameter without a default) may be any name.
      return values ? values.map((value) => ({ value })) : property === undefined ? [] : [{ value: /^[^]*$/, telling: false }];
    }
    return [];
  });
  return generated ? [...declared, { value: generated }] : declared;
}

/**
 * The shape of the name CloudFormation generates for a resource that declares none of its name
 * properties: `<stack>-<LogicalId>-<suffix>` (lower case for S3), the stack the finding's own tag names if it has one.
 */
function generatedPattern(r: SourceResource, named: NamedType, finding: Finding): RegExp | undefined {
  if (r.kind !== 'cloudformation') return undefined;
  const props = named.names.filter((n) => !n.startsWith('=') && !n.startsWith('tags.'));
  if (props.length === 0 || props.some((p) => propertyAt(r.resource, ['Properties', p]) !== undefined)) return undefined;
  const stack = pseudoOf(finding).stackName;
  return new RegExp(`^${stack === undefined ? '.+' : escapeRegExp(stack)}-${escapeRegExp(r.resource.logicalId)}-[a-z0-9]{6,}$`, 'i');
}

/** KMS keys named by an alias that points at them (`alias/x` → the key its alias targets). */
function aliasedKeys(unit: Unit, alias: string, finding: Finding): SourceResource[] {
  const all = resourcesOf(unit.source);
  return all.flatMap((r) => {
    if (r.kind === 'terraform' && r.resource.type === KMS_ALIAS.terraform.type && unit.config) {
      if (declaredName(unit.config, r.resource.block.body, KMS_ALIAS.terraform.name, finding) !== alias) return [];
      const target = attrExpr(r.resource.block.body, KMS_ALIAS.terraform.target);
      return all.filter((k) => k.kind === 'terraform' && k.resource.type === 'aws_kms_key' && refersTo(target, k.resource.address));
    }
    if (r.kind === 'cloudformation' && r.resource.type === KMS_ALIAS.cloudformation.type) {
      if (propertyAt(r.resource, ['Properties', KMS_ALIAS.cloudformation.name]) !== alias) return [];
      const ref = propertyAt(r.resource, ['Properties', KMS_ALIAS.cloudformation.target]);
      return all.filter(
        (k) =>
          k.kind === 'cloudformation' && ref !== null && typeof ref === 'object' && !Array.isArray(ref) && ref.Ref === k.resource.logicalId,
      );
    }
    return [];
  });
}

function candidateNames(finding: Finding): string[] {
  const { resource } = finding;
  const names = [resource.name, resource.id.startsWith('arn:') ? undefined : resource.id, resource.tags.Name, resource.description];
  return [...new Set(names.filter((n): n is string => typeof n === 'string' && n !== ''))];
}

function byTag(repo: LocateRepository, kind: IacKind, all: readonly Unit[], finding: Finding, tried: string[]): Target | undefined {
  const tag = finding.resource.tags[SOURCE_TAG];
  if (tag === undefined) return undefined;
  const hash = tag.lastIndexOf('#');
  const [path, address] = hash > 0 ? [tag.slice(0, hash), tag.slice(hash + 1)] : [tag, ''];
  // The tag is untrusted: quoted, so that what it holds cannot pass for the rest of the message.
  const shown = `tag ${SOURCE_TAG}=${JSON.stringify(tag)}`;
  try {
    readRepoFile(repo.root, path);
    const unit = all.find((u) => u.files.includes(path));
    const r = unit && resourcesOf(unit.source).find((x) => addressOf(x) === address && fileOf(unit, x) === path);
    if (unit && r) return target(repo, kind, { unit, r }, 'tag');
    tried.push(`${shown}: no ${address ? JSON.stringify(address) : 'address after #'} in ${JSON.stringify(path)}`);
  } catch (error) {
    tried.push(`${shown}: ${error instanceof Error ? error.message : String(error)}`);
  }
  return undefined;
}

/**
 * The resource CloudFormation's own tags name: its logical id in the template mapped to the stack,
 * or, with no template mapped, the one template that declares that logical id with the finding's
 * type (among several, the ones whose declared name is not another).
 */
async function byStack(repo: LocateRepository, all: readonly Unit[], finding: Finding, tried: string[]): Promise<Target | undefined> {
  const stack = finding.resource.tags[STACK_NAME];
  const logicalId = finding.resource.tags[LOGICAL_ID];
  if (stack === undefined || logicalId === undefined) return undefined;
  const path = repo.templates?.[stack];
  if (path === undefined) {
    const mapping = RESOURCE_MAP[finding.resource.type]?.cloudformation ?? [];
    const types = [finding.resource.type, ...mapping.map((m) => m.type)];
    const declared = all.flatMap((unit) =>
      resourcesOf(unit.source)
        .filter((r) => addressOf(r) === logicalId && types.includes(typeOf(r)))
        .map((r) => ({ unit, r })),
    );
    const names = candidateNames(finding);
    const agreeing = declared.filter(({ unit, r }) =>
      mapping.every((m) => !isOf(r, m) || declaredNames(r, unit, m, finding).every((n) => names.some((name) => nameOf(n, name)))),
    );
    return unique(
      repo,
      'cloudformation',
      agreeing.length > 0 ? agreeing : declared,
      'stack',
      `stack ${stack}, logical id ${logicalId}`,
      tried,
      [`map the stack to its template under repositories[].templates`],
    );
  }
  try {
    const text = readRepoFile(repo.root, path);
    const source = await parseSource('cloudformation', [{ path, text }]);
    const r = resourcesOf(source).find((x) => addressOf(x) === logicalId);
    if (r) return target(repo, 'cloudformation', { unit: { files: [path], source }, r }, 'stack');
    tried.push(`stack ${stack}: ${path} has no resource ${logicalId}`);
  } catch (error) {
    tried.push(`stack ${stack}: ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
  return undefined;
}

/** Provenance tags (bridgecrew yor's and the like) that name a resource or its file; they only choose among declared resources. */
const YOR_TRACE = 'yor_trace';
const GIT_FILE = 'git_file';
const GIT_REPO = 'git_repo';

/** The one resource whose code carries the finding's `yor_trace` value; `null` when several do (never a guess). */
function byTrace(
  repo: LocateRepository,
  kind: IacKind,
  all: readonly Unit[],
  finding: Finding,
  tried: string[],
): Target | null | undefined {
  const trace = finding.resource.tags[YOR_TRACE];
  if (trace === undefined || trace === '') return undefined;
  const matches = all.flatMap((unit) =>
    resourcesOf(unit.source)
      .filter((r) => declaredTag(r, unit, YOR_TRACE, finding) === trace)
      .map((r) => ({ unit, r })),
  );
  return (
    unique(repo, kind, matches, 'provenance', `tag ${YOR_TRACE}=${JSON.stringify(trace)}`, tried) ?? (matches.length > 1 ? null : undefined)
  );
}

/** The one resource of the finding's type in the file its `git_file` tag names, inside this repository only. */
function byGitFile(
  repo: LocateRepository,
  kind: IacKind,
  all: readonly Unit[],
  finding: Finding,
  types: readonly string[],
  tried: string[],
): Target | undefined {
  const { [GIT_FILE]: file, [GIT_REPO]: gitRepo } = finding.resource.tags;
  if (file === undefined) return undefined;
  const shown = `tag ${GIT_FILE}=${JSON.stringify(file)}`;
  if (gitRepo !== undefined && gitRepo !== repo.name) {
    tried.push(`${shown}: its ${GIT_REPO}=${JSON.stringify(gitRepo)} is not the repository ${JSON.stringify(repo.name)}`);
    return undefined;
  }
  let path: string;
  try {
    path = confinePath(repo.root, file.replace(/^\.\//, ''));
  } catch (error) {
    tried.push(`${shown}: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  }
  const matches = all.flatMap((unit) =>
    resourcesOf(unit.source)
      .filter((r) => fileOf(unit, r) === path && types.includes(typeOf(r)))
      .map((r) => ({ unit, r })),
  );
  return unique(repo, kind, matches, 'provenance', `${shown}: ${types.join(' or ')}`, tried);
}

const shownMatch = (m: Match): string =>
  `${fileOf(m.unit, m.r)}#${addressOf(m.r)}${m.named?.instance ?? ''}${m.named?.call ? ` (through ${m.named.call.address} in ${m.named.call.file})` : ''}`;

/** The one match, else nothing, with the candidates or `advice` on what would tell it in `tried`. */
function unique(
  repo: LocateRepository,
  kind: IacKind,
  found: readonly Match[],
  strategy: Target['strategy'],
  what: string,
  tried: string[],
  advice: readonly string[] = [],
): Target | undefined {
  // One resource instance found several ways (its own variables and a call that passes the same values) is one match.
  const matches = [...new Map(found.map((m) => [`${fileOf(m.unit, m.r)}#${addressOf(m.r)}${m.named?.instance ?? ''}`, m])).values()];
  const [only] = matches;
  if (matches.length === 1 && only) return target(repo, kind, only, strategy);
  if (matches.length > 1)
    tried.push(
      `${what}: ${matches.length} candidates (${matches.map(shownMatch).join(', ')}); tag the resource with ${SOURCE_TAG} to choose`,
    );
  else tried.push([`${what}: no match`, ...advice].join('; '));
  return undefined;
}

/** Finds the resource a finding is about in `repo`; what was tried is bounded, however long the finding's names and tags. */
/** What a person adds so that the next finding on the resource is located: the tag the locator reads first. */
export const SOURCE_TAG_ADVICE =
  `to have it located, add the tag ${SOURCE_TAG} = "<file>#<address>" to the resource in its code and deploy it ` +
  `(Terraform: "modules/data/s3.tf#aws_s3_bucket.logs", CloudFormation: "templates/app.yaml#LogsBucket"), then retry the finding`;

export async function locate(finding: Finding, repo: LocateRepository): Promise<LocateResult> {
  const result = await locateIn(finding, repo);
  const tried = result.tried.map((t) => (t.length > MAX_TRIED_CHARS ? `${t.slice(0, MAX_TRIED_CHARS - 1)}…` : t));
  return result.found ? { ...result, tried } : { ...result, tried: [...tried, SOURCE_TAG_ADVICE] };
}

async function locateIn(finding: Finding, repo: LocateRepository): Promise<LocateResult> {
  const tried: string[] = [];
  if (repo.iac === 'cdk')
    return {
      found: false,
      tried: [
        'CDK repositories are located through their synthesized templates: map the stack to a template under repositories[].templates',
      ],
    };
  const kind = repo.iac;
  const all = await units(repo, kind, tried);
  const found =
    byTag(repo, kind, all, finding, tried) ?? (kind === 'cloudformation' ? await byStack(repo, all, finding, tried) : undefined);
  if (found) return { found: true, target: found, tried };
  const traced = byTrace(repo, kind, all, finding, tried);
  if (traced) return { found: true, target: traced, tried };
  if (traced === null) return { found: false, tried };

  if (finding.resource.type === 'AWS::::Account') {
    const types = finding.controlId === undefined ? undefined : ACCOUNT_LEVEL[finding.controlId]?.[kind];
    if (!types)
      return {
        found: false,
        tried: [...tried, `account-level finding for ${finding.controlId ?? 'no control'}: no ${kind} resource type carries this setting`],
      };
    const matches = all.flatMap((unit) =>
      resourcesOf(unit.source)
        .filter((r) => types.includes(typeOf(r)))
        .map((r) => ({ unit, r })),
    );
    const t = unique(repo, kind, matches, 'account', `account-level ${finding.controlId}: ${types.join(' or ')}`, tried);
    return t ? { found: true, target: t, tried } : { found: false, tried };
  }

  const mapping = RESOURCE_MAP[finding.resource.type]?.[kind];
  if (!mapping) return { found: false, tried: [...tried, `no ${kind} mapping for resource type ${finding.resource.type}`] };
  const filed = byGitFile(
    repo,
    kind,
    all,
    finding,
    mapping.map((m) => m.type),
    tried,
  );
  if (filed) return { found: true, target: filed, tried };
  const names = candidateNames(finding);
  // Registry modules are named only where the repository calls them.
  const declared = all.flatMap((u) => resourcesOf(u.source));
  const shownTypes = mapping.filter((m) => !m.type.startsWith('module:') || declared.some((r) => isOf(r, m)));
  for (const name of names) {
    const found = all.flatMap((unit) =>
      resourcesOf(unit.source).flatMap((r) =>
        mapping
          .filter((m) => isOf(r, m))
          .flatMap((m) =>
            declaredNames(r, unit, m, finding)
              .filter((n) => nameOf(n, name))
              .map((named) => ({ unit, r, named })),
          ),
      ),
    );
    // A name the code spells out outweighs names of the same shape (a random suffix, a prefix, a generated name);
    // a shape only tells when no resource whose name cloudmend cannot evaluate may have that name too.
    const exact = found.filter((m) => typeof nameIn(m)?.value === 'string');
    const shaped = found.filter((m) => typeof nameIn(m)?.value !== 'string' && nameIn(m)?.telling !== false);
    const loose = found.filter((m) => nameIn(m)?.telling === false && !shaped.some((s) => s.r === m.r));
    if (exact.length === 0 && loose.length > 0) {
      const also = `${loose.map(shownMatch).join(', ')} may have it: their names cannot be evaluated`;
      tried.push(
        shaped.length > 0 ? `name "${name}" has the shape of ${shaped.map(shownMatch).join(', ')}, but ${also}` : `name "${name}": ${also}`,
      );
      if (shaped.length > 0) continue;
    }
    const matches = exact.length > 0 ? exact : shaped;
    const t = unique(
      repo,
      kind,
      matches,
      'name',
      `name "${name}" in ${shownTypes.map((m) => `${m.type}.${m.names.join('|')}`).join(', ')}`,
      tried,
    );
    if (t) return { found: true, target: t, tried };
    if (matches.length > 1) return { found: false, tried };
    if (finding.resource.type === 'AWS::KMS::Key' && name.startsWith('alias/')) {
      const keys = all.flatMap((unit) => aliasedKeys(unit, name, finding).map((r) => ({ unit, r })));
      const k = unique(repo, kind, keys, 'name', `KMS alias ${name}`, tried);
      if (k) return { found: true, target: k, tried };
    }
  }
  if (names.length === 0) tried.push('the finding names no resource name to match');
  const tagged = kind === 'terraform' ? byTags(repo, all, mapping, finding, tried) : undefined;
  if (tagged) return { found: true, target: tagged, tried };
  if (finding.resource.type === 'AWS::KMS::Key') {
    // A key is known by its id alone: never the only key of the repository by default, which may be another account's or a new one.
    const keys = all.flatMap((unit) =>
      resourcesOf(unit.source)
        .filter((r) => mapping.some((m) => isOf(r, m)))
        .map((r) => ({ unit, r })),
    );
    if (keys.length > 0) tried.push(`KMS keys declared: ${keys.map(shownMatch).join(', ')}; none has the finding's description or alias`);
  }
  return { found: false, tried };
}
