/**
 * Which attribute changes replace a resource (destroy and create it anew) on apply or stack update.
 *
 * The tables are generated, not written by hand (scripts/generate-replacement-tables.ts; sources,
 * versions and how to regenerate: README.md beside this file):
 * - `replacement-terraform-aws.json`: `ForceNew` and `RequiresReplace` attributes of hashicorp/terraform-provider-aws
 *   (MPL-2.0), names checked against the schema of provider 5.100.0;
 * - `replacement-cloudformation.json`: `createOnlyProperties` of the CloudFormation resource provider schemas
 *   shipped by cfn-lint 1.51.0 (MIT-0), and the legacy resource specification's `Immutable`
 *   properties for the few types that have no schema.
 *
 * Each table lists, per resource type, paths that always force replacement and, apart, paths that
 * may (the provider or the service decides from the values: `CustomizeDiff`, `RequiresReplaceIf`,
 * `conditionalCreateOnlyProperties`). `*` alone in the conditional list means that the source
 * names the attribute only at plan time.
 */
import { readFileSync } from 'node:fs';

export type IacKind = 'terraform' | 'cloudformation';

/**
 * Where a change is, as the guardrail walks the resource:
 * - Terraform: from the resource block's body, attribute and nested block names, with the element
 *   index of a repeated block as a number: `['root_block_device', 0, 'encrypted']`. Indexes are
 *   ignored (the provider's paths have none).
 * - CloudFormation: from the resource's entry under `Resources`, so property paths start with
 *   `'Properties'`: `['Properties', 'StorageEncrypted']`, array items as numbers
 *   (`['Properties', 'Foo', 0, 'Bar']` matches the table's `Foo.*.Bar`). Other keys of the entry
 *   (`DeletionPolicy`, `DependsOn`, `Metadata`, ...) replace nothing; a changed `Type` is another
 *   resource, which the guardrail checks on its own.
 */
export type ChangePath = readonly (string | number)[];

interface Table {
  readonly source: string;
  readonly replace: Readonly<Record<string, readonly string[]>>;
  readonly conditional: Readonly<Record<string, readonly string[]>>;
}

/**
 * The files are read beside this module, on first use: 250 KB of JSON that only the guardrail
 * needs stays out of the Lambda bundles (each copies them next to itself, lib/bundling.ts) and out
 * of every cold start that never judges a change. A missing file throws: no table is no verdict.
 */
export const REPLACEMENT_TABLE_FILES: Readonly<Record<IacKind, string>> = {
  terraform: 'replacement-terraform-aws.json',
  cloudformation: 'replacement-cloudformation.json',
};

const tables = new Map<IacKind, Table>();

function tableOf(kind: IacKind): Table {
  let found = tables.get(kind);
  if (!found) {
    const file = new URL(`./${REPLACEMENT_TABLE_FILES[kind]}`, import.meta.url);
    try {
      found = JSON.parse(readFileSync(file, 'utf8')) as Table;
    } catch (error) {
      throw new Error(
        `the ${kind} replacement table cannot be read from ${file.pathname} (${(error as Error).message}): this installation of cloudmend is incomplete`,
      );
    }
    tables.set(kind, found);
  }
  return found;
}
const EMPTY: ReadonlySet<string> = new Set();
const sets = new Map<string, ReadonlySet<string>>();

function lookup(kind: IacKind, list: 'replace' | 'conditional', resourceType: string): ReadonlySet<string> {
  const key = `${kind} ${list} ${resourceType}`;
  let set = sets.get(key);
  if (!set) {
    const table = tableOf(kind)[list];
    const paths = Object.hasOwn(table, resourceType) ? table[resourceType] : undefined;
    set = paths ? new Set(paths) : EMPTY;
    sets.set(key, set);
  }
  return set;
}

/** Where the table of `kind` comes from (source repositories, versions, licences). */
export function replacementTableSource(kind: IacKind): string {
  return tableOf(kind).source;
}

/**
 * True when the table knows the resource type. An unknown type (a newer provider, a typo, a
 * third-party provider) has no table: callers should not take "no replacement" for it.
 */
export function isKnownResourceType(kind: IacKind, resourceType: string): boolean {
  return Object.hasOwn(tableOf(kind).replace, resourceType);
}

/**
 * Paths (dotted: `root_block_device.encrypted`, `Foo.*.Bar`) whose change always forces
 * replacement. A path below one of these forces it too and is not listed again.
 */
export function replacementAttributes(kind: IacKind, resourceType: string): ReadonlySet<string> {
  return lookup(kind, 'replace', resourceType);
}

/** Paths whose change forces replacement for some values only (see the module comment). */
export function conditionalReplacementAttributes(kind: IacKind, resourceType: string): ReadonlySet<string> {
  return lookup(kind, 'conditional', resourceType);
}

/**
 * True when a change at `path` always replaces the resource: the path is a replacement path, lies
 * below one, or lies above one (a whole block or object rewritten may change what is below it).
 */
export function forcesReplacement(kind: IacKind, resourceType: string, path: ChangePath): boolean {
  return matches(kind, replacementAttributes(kind, resourceType), path);
}

/** True when a change at `path` replaces the resource for some values (matched as in forcesReplacement). */
export function mayForceReplacement(kind: IacKind, resourceType: string, path: ChangePath): boolean {
  const conditional = conditionalReplacementAttributes(kind, resourceType);
  return conditional.has('*') || matches(kind, conditional, path);
}

function matches(kind: IacKind, paths: ReadonlySet<string>, path: ChangePath): boolean {
  const segments = normalise(kind, path);
  if (segments === undefined || paths.size === 0) return false;
  for (const listed of paths) {
    const parts = listed.split('.');
    const n = Math.min(parts.length, segments.length);
    if (parts.slice(0, n).every((part, i) => part === '*' || part === segments[i])) return true;
  }
  return false;
}

/** The path as the tables write it, or undefined when it names no attribute or property. */
function normalise(kind: IacKind, path: ChangePath): string[] | undefined {
  if (kind === 'terraform') return path.filter((s): s is string => typeof s === 'string');
  if (path[0] !== 'Properties') return undefined;
  return path.slice(1).map((s) => (typeof s === 'number' ? '*' : s));
}
