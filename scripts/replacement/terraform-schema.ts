/**
 * The attribute paths of every resource type in `terraform providers schema -json` output: what
 * the provider binary itself says exists, to check the names read from its source against.
 */
import { readFileSync } from 'node:fs';

interface Attribute {
  readonly type?: CtyType;
  readonly nested_type?: NestedType;
}
interface Block {
  readonly attributes?: Record<string, Attribute>;
  readonly block_types?: Record<string, { readonly block: Block }>;
}
interface NestedType {
  readonly attributes?: Record<string, Attribute>;
}
/** A cty type in JSON: `"string"`, `["list", T]`, `["object", {name: T}]`, ... */
type CtyType = string | readonly [string, unknown];

interface ProvidersSchema {
  readonly format_version: string;
  readonly provider_schemas: Record<string, { readonly resource_schemas: Record<string, { readonly block: Block }> }>;
}

/** Resource type → every attribute and block path (`root_block_device.encrypted`) of one provider. */
export function readProviderSchema(path: string, provider: string): Map<string, Set<string>> {
  const json = JSON.parse(readFileSync(path, 'utf8')) as ProvidersSchema;
  const schemas = json.provider_schemas[provider]?.resource_schemas;
  if (!schemas) throw new Error(`${path} has no schema for ${provider}`);
  return new Map(Object.entries(schemas).map(([type, { block }]) => [type, paths(block, '')]));
}

function paths(block: Block | NestedType, prefix: string, out = new Set<string>()): Set<string> {
  for (const [name, attribute] of Object.entries(block.attributes ?? {})) {
    out.add(prefix + name);
    if (attribute.nested_type) paths(attribute.nested_type, `${prefix}${name}.`, out);
    if (attribute.type) typePaths(attribute.type, `${prefix}${name}.`, out);
  }
  for (const [name, nested] of Object.entries('block_types' in block ? (block.block_types ?? {}) : {})) {
    out.add(prefix + name);
    paths(nested.block, `${prefix}${name}.`, out);
  }
  return out;
}

/** Attribute names inside an object-typed attribute (SDKv2 blocks in attribute mode are such). */
function typePaths(type: CtyType, prefix: string, out: Set<string>): void {
  if (typeof type === 'string') return;
  const [kind, inner] = type;
  if (kind === 'object') {
    for (const [name, t] of Object.entries(inner as Record<string, CtyType>)) {
      out.add(prefix + name);
      typePaths(t, `${prefix}${name}.`, out);
    }
  } else if (kind === 'list' || kind === 'set' || kind === 'map') typePaths(inner as CtyType, prefix, out);
}
