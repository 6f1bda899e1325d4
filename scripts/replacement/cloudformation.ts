/**
 * Replacement-forcing properties of CloudFormation resource types:
 * - resource provider schemas (as cfn-lint ships them): `createOnlyProperties` force replacement,
 *   `conditionalCreateOnlyProperties` may;
 * - the legacy resource specification, for types that have no schema: `UpdateType: Immutable`
 *   forces replacement, `UpdateType: Conditional` may.
 * Paths are dotted property names below `Properties`, `*` standing for any array item.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface TypeReplacement {
  readonly replace: string[];
  readonly conditional: string[];
}

interface ProviderSchema {
  readonly typeName: string;
  readonly createOnlyProperties?: readonly string[];
  readonly conditionalCreateOnlyProperties?: readonly string[];
}

/**
 * Resource type → replacement properties from cfn-lint's `data/schemas` folder: the schema of each
 * type as published in `region` (another region's where that one lacks the type).
 */
export function readProviderSchemas(schemasDir: string, region = 'us_east_1'): Map<string, TypeReplacement> {
  const providers = join(schemasDir, 'providers');
  const regions = readdirSync(providers)
    .filter((f) => f.endsWith('.py'))
    .sort((a, b) => Number(b === `${region}.py`) - Number(a === `${region}.py`) || a.localeCompare(b));
  const hashes = new Map<string, string>();
  for (const file of regions) {
    // Each region file is a Python dict literal of "Type": "hash" lines.
    const text = readFileSync(join(providers, file), 'utf8');
    for (const [, type, hash] of text.matchAll(/^\s*"([^"]+)": "([0-9a-f]+)",$/gm)) {
      if (!hashes.has(type!)) hashes.set(type!, hash!);
    }
  }
  const out = new Map<string, TypeReplacement>();
  for (const [type, hash] of hashes) {
    if (!type.includes('::')) continue; // "Module" is no resource type
    const schema = JSON.parse(readFileSync(join(schemasDir, 'resources', `${hash}.json`), 'utf8')) as ProviderSchema;
    out.set(type, {
      replace: (schema.createOnlyProperties ?? []).map(pointerPath),
      conditional: (schema.conditionalCreateOnlyProperties ?? []).map(pointerPath),
    });
  }
  return out;
}

/** `/properties/Foo/*\/Bar` → `Foo.*.Bar`. */
export function pointerPath(pointer: string): string {
  const parts = pointer
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (parts[0] !== 'properties' || parts.length < 2) throw new Error(`not a property pointer: ${pointer}`);
  return parts.slice(1).join('.');
}

interface SpecProperty {
  readonly UpdateType?: string;
  readonly Type?: string;
  readonly ItemType?: string;
}
interface Specification {
  readonly ResourceSpecificationVersion: string;
  readonly ResourceTypes: Record<string, { readonly Properties?: Record<string, SpecProperty> }>;
  readonly PropertyTypes: Record<string, { readonly Properties?: Record<string, SpecProperty> }>;
}

const MAX_NESTING = 8;

/** Resource type → Immutable / Conditional property paths of the legacy resource specification. */
export function readLegacySpecification(path: string): { version: string; types: Map<string, TypeReplacement> } {
  const spec = JSON.parse(readFileSync(path, 'utf8')) as Specification;
  const types = new Map<string, TypeReplacement>();
  for (const [type, { Properties }] of Object.entries(spec.ResourceTypes)) {
    const found: TypeReplacement = { replace: [], conditional: [] };
    walkSpec(spec, type, Properties ?? {}, '', found, 0);
    types.set(type, found);
  }
  return { version: spec.ResourceSpecificationVersion, types };
}

function walkSpec(
  spec: Specification,
  resourceType: string,
  properties: Record<string, SpecProperty>,
  prefix: string,
  found: TypeReplacement,
  depth: number,
): void {
  for (const [name, property] of Object.entries(properties)) {
    const path = prefix + name;
    if (property.UpdateType === 'Immutable') found.replace.push(path);
    else if (property.UpdateType === 'Conditional') found.conditional.push(path);
    const isList = property.Type === 'List' || property.Type === 'Map';
    const itemType = isList ? property.ItemType : property.Type;
    const nested = itemType && spec.PropertyTypes[`${resourceType}.${itemType}`];
    if (nested && depth < MAX_NESTING) {
      walkSpec(spec, resourceType, nested.Properties ?? {}, `${path}.${isList ? '*.' : ''}`, found, depth + 1);
    }
  }
}
