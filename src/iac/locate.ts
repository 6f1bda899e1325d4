/**
 * Finding → the resource in a repository checkout that declares it. Strategies, in order: the
 * `cloudmend:source` tag (`<path>#<address or logical id>`), CloudFormation stack tags with the
 * configured stack → template map, provenance tags the finding carries (`yor_trace`, `git_file`), physical name match in Terraform (`terraform/names.ts`) or CloudFormation, and for
 * account-level controls the one resource that carries the setting. Never a guess: no match or
 * several matches end in `no_target` with everything that was tried.
 */
import { dirname } from 'node:path';
import { isUserFacing } from '../errors.js';
import type { Finding } from '../findings/finding.js';
import { evaluateString } from './cloudformation/evaluate.js';
import { propertyAt } from './cloudformation/template.js';
import { ACCOUNT_LEVEL, KMS_ALIAS, RESOURCE_MAP, type NamedType } from './resource-map.js';
import { confinePath, listRepoFiles, readRepoFile } from './repo-files.js';
import { addressOf, parseSource, resourcesOf, typeOf, type IacKind, type Source, type SourceResource } from './source.js';
import { isAutoVars, readTerraformConfig, type TfConfig } from './terraform/config.js';
import { readHclValue, type HclValue } from './terraform/hcl-expr.js';
import { attribute } from './terraform/hcl-structure.js';
import { refersTo, attrExpr } from './terraform/module.js';
import { declaredName } from './terraform/names.js';

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
  readonly strategy: 'tag' | 'stack' | 'provenance' | 'name' | 'account';
}

export type LocateResult =
  | { readonly found: true; readonly target: Target; readonly tried: readonly string[] }
  | { readonly found: false; readonly tried: readonly string[] };

interface Unit {
  readonly files: readonly string[];
  readonly source: Source;
  /** A Terraform module as Terraform evaluates it, for the names it declares. */
  readonly config?: TfConfig;
}

/** How many skipped files are named, and how long one thing tried may be: finding content lands in the reasons. */
const MAX_SKIPPED_SHOWN = 10;
const MAX_TRIED_CHARS = 500;

const isTf = (name: string): boolean => name.endsWith('.tf');
const isTemplate = (name: string): boolean => /\.(ya?ml|json|template)$/i.test(name);

/** Every parsable Terraform module (one per directory) or CloudFormation template in the checkout. */
async function units(repo: LocateRepository, kind: IacKind, tried: string[]): Promise<Unit[]> {
  // Terraform's automatically loaded variable files give variables their values, as they do where Terraform runs.
  const { files, skipped } = listRepoFiles(repo.root, kind === 'terraform' ? (n) => isTf(n) || isAutoVars(n) : isTemplate);
  for (const s of skipped.slice(0, MAX_SKIPPED_SHOWN)) tried.push(`skipped ${s}`);
  if (skipped.length > MAX_SKIPPED_SHOWN) tried.push(`skipped ${skipped.length - MAX_SKIPPED_SHOWN} more files`);
  const groups = new Map<string, { path: string; text: string }[]>();
  for (const f of files) {
    const key = kind === 'terraform' ? dirname(f.path) : f.path;
    groups.set(key, [...(groups.get(key) ?? []), f]);
  }
  const out: Unit[] = [];
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
              all.filter((f) => !isTf(f.path)),
            )
          : undefined;
      out.push({ files: group.map((f) => f.path), source, ...(config ? { config } : {}) });
    } catch (error) {
      if (!isUserFacing(error)) throw error;
      // Non-template YAML/JSON (CI config, package.json...) is not an error, just not IaC.
      if (kind === 'terraform') tried.push(`skipped the module in ${key === '.' ? 'the repository root' : key}: ${error.message}`);
      else if (!/not a CloudFormation template/.test(error.message)) tried.push(`skipped ${key}: ${error.message}`);
    }
  }
  return out;
}

function fileOf(unit: Unit, r: SourceResource): string {
  return r.kind === 'terraform' ? r.resource.file.path : (unit.files[0] ?? '');
}

function target(repo: LocateRepository, kind: IacKind, unit: Unit, r: SourceResource, strategy: Target['strategy']): Target {
  return {
    repository: repo.name,
    kind,
    file: fileOf(unit, r),
    files: unit.files,
    address: addressOf(r),
    resourceType: typeOf(r),
    strategy,
  };
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
  const pseudo = { account: finding.account, region: finding.region, partition: finding.partition };
  return tag && typeof tag === 'object' && !Array.isArray(tag) ? evaluateString(tag.Value, unit.source.template, pseudo) : undefined;
}

/** The physical names a resource declares, for the given name attributes. */
function declaredNames(r: SourceResource, unit: Unit, named: NamedType, finding: Finding): string[] {
  return named.names.flatMap((attr) => {
    if (attr.startsWith('=')) return [attr.slice(1)];
    if (r.kind === 'terraform' && unit.config) {
      const value = declaredName(unit.config, r.resource.block.body, attr, finding);
      return value === undefined ? [] : [value];
    }
    if (r.kind === 'cloudformation' && unit.source.kind === 'cloudformation') {
      const pseudo = { account: finding.account, region: finding.region, partition: finding.partition };
      const value = attr.startsWith('tags.')
        ? declaredTag(r, unit, attr.slice('tags.'.length), finding)
        : evaluateString(propertyAt(r.resource, ['Properties', attr]), unit.source.template, pseudo);
      return value === undefined ? [] : [value];
    }
    return [];
  });
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
  const names = [resource.name, resource.id.startsWith('arn:') ? undefined : resource.id, resource.tags.Name];
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
    if (unit && r) return target(repo, kind, unit, r, 'tag');
    tried.push(`${shown}: no ${address ? JSON.stringify(address) : 'address after #'} in ${JSON.stringify(path)}`);
  } catch (error) {
    tried.push(`${shown}: ${error instanceof Error ? error.message : String(error)}`);
  }
  return undefined;
}

async function byStack(repo: LocateRepository, finding: Finding, tried: string[]): Promise<Target | undefined> {
  const stack = finding.resource.tags['aws:cloudformation:stack-name'];
  const logicalId = finding.resource.tags['aws:cloudformation:logical-id'];
  if (stack === undefined || logicalId === undefined) return undefined;
  const path = repo.templates?.[stack];
  if (path === undefined) {
    tried.push(`stack ${stack}: no template mapped for it (repositories[].templates in the config)`);
    return undefined;
  }
  try {
    const text = readRepoFile(repo.root, path);
    const source = await parseSource('cloudformation', [{ path, text }]);
    const r = resourcesOf(source).find((x) => addressOf(x) === logicalId);
    if (r) return target(repo, 'cloudformation', { files: [path], source }, r, 'stack');
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

function unique(
  repo: LocateRepository,
  kind: IacKind,
  matches: { unit: Unit; r: SourceResource }[],
  strategy: Target['strategy'],
  what: string,
  tried: string[],
): Target | undefined {
  const [only] = matches;
  if (matches.length === 1 && only) return target(repo, kind, only.unit, only.r, strategy);
  if (matches.length > 1)
    tried.push(
      `${what}: ${matches.length} candidates (${matches.map((m) => `${fileOf(m.unit, m.r)}#${addressOf(m.r)}`).join(', ')}); tag the resource with ${SOURCE_TAG} to choose`,
    );
  else tried.push(`${what}: no match`);
  return undefined;
}

/** Finds the resource a finding is about in `repo`; what was tried is bounded, however long the finding's names and tags. */
export async function locate(finding: Finding, repo: LocateRepository): Promise<LocateResult> {
  const result = await locateIn(finding, repo);
  return { ...result, tried: result.tried.map((t) => (t.length > MAX_TRIED_CHARS ? `${t.slice(0, MAX_TRIED_CHARS - 1)}…` : t)) };
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
  const found = byTag(repo, kind, all, finding, tried) ?? (kind === 'cloudformation' ? await byStack(repo, finding, tried) : undefined);
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
  for (const name of names) {
    const matches = all.flatMap((unit) =>
      resourcesOf(unit.source)
        .filter((r) => mapping.some((m) => m.type === typeOf(r) && declaredNames(r, unit, m, finding).includes(name)))
        .map((r) => ({ unit, r })),
    );
    const t = unique(
      repo,
      kind,
      matches,
      'name',
      `name "${name}" in ${mapping.map((m) => `${m.type}.${m.names.join('|')}`).join(', ')}`,
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
  return { found: false, tried };
}
