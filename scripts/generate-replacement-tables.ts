/**
 * Writes src/iac/replacement/replacement-terraform-aws.json and replacement-cloudformation.json: per resource type, the
 * attributes whose change replaces the resource, read from the authoritative sources. Not run by
 * npm test; needs no network. Sources are local paths (see src/iac/replacement/README.md):
 *
 *   npx tsx scripts/generate-replacement-tables.ts \
 *     --terraform-source 'LABEL=DIR[,DIR...]' [...]  (provider Go source, closest version first)
 *     --terraform-schema 'LABEL=schema.json'   (terraform providers schema -json of the pinned provider)
 *     --cloudformation-schemas 'LABEL=DIR'     (cfn-lint's cfnlint/data/schemas)
 *     --cloudformation-spec 'LABEL=FILE'       (legacy CloudFormationResourceSpecification JSON)
 *     [--out DIR]
 *
 * Each Terraform attribute takes the verdict of the first source that declares it, so a later
 * (older) source only fills types and attributes the first one lacks. Every attribute kept must
 * exist in the provider schema of the pinned version; the others are dropped and counted.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { readLegacySpecification, readProviderSchemas } from './replacement/cloudformation.js';
import { readPackages } from './replacement/go-source.js';
import { extractTerraform } from './replacement/terraform-aws.js';
import { readProviderSchema } from './replacement/terraform-schema.js';

const PROVIDER = 'registry.terraform.io/hashicorp/aws';

interface Labelled {
  readonly label: string;
  readonly path: string;
}

function labelled(value: string): Labelled {
  const at = value.lastIndexOf('=');
  if (at <= 0) throw new Error(`expected LABEL=PATH, got ${value}`);
  return { label: value.slice(0, at), path: value.slice(at + 1) };
}

const { values } = parseArgs({
  options: {
    'terraform-source': { type: 'string', multiple: true },
    'terraform-schema': { type: 'string' },
    'cloudformation-schemas': { type: 'string' },
    'cloudformation-spec': { type: 'string' },
    out: { type: 'string', default: 'src/iac/replacement' },
  },
});
const sources = (values['terraform-source'] ?? []).map(labelled);
const schemaArg = values['terraform-schema'];
const cfnSchemasArg = values['cloudformation-schemas'];
const cfnSpecArg = values['cloudformation-spec'];
if (sources.length === 0 || !schemaArg || !cfnSchemasArg || !cfnSpecArg) {
  console.error('usage: see the header of scripts/generate-replacement-tables.ts');
  process.exit(2);
}
mkdirSync(values.out, { recursive: true });

interface Table {
  readonly source: string;
  readonly replace: Map<string, Set<string>>;
  readonly conditional: Map<string, Set<string>>;
}

/**
 * JSON without spaces, one resource type a line (diffs of a regeneration stay readable; esbuild
 * drops the line breaks), keys and values sorted so that the same sources give the same file.
 * A path at or below a replacement path is left out of the lists below it (the reader treats it
 * as replacement already). Returns the number of types, paths and conditional paths written.
 */
function write(file: string, table: Table): string {
  const types = [...table.replace.keys()].sort((a, b) => (a < b ? -1 : 1));
  const replace = types.map((t): [string, string[]] => [t, outermost(table.replace.get(t)!, new Set())]);
  const conditional = types
    .map((t): [string, string[]] => [t, outermost(table.conditional.get(t) ?? new Set(), table.replace.get(t)!)])
    .filter(([, v]) => v.length > 0);
  const lines = (m: Array<[string, string[]]>): string => m.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`).join(',\n');
  const json =
    `{"source":${JSON.stringify(table.source)},\n"replace":{\n${lines(replace)}},\n` + `"conditional":{\n${lines(conditional)}}}\n`;
  JSON.parse(json);
  writeFileSync(join(values.out, file), json);
  const paths = (m: Array<[string, string[]]>): number => m.reduce((n, [, v]) => n + v.length, 0);
  return (
    `${types.length} types, ${paths(replace)} replacement paths, ${paths(conditional)} conditional paths in ` +
    `${conditional.length} types; wrote ${join(values.out, file)}: ${json.length} bytes`
  );
}

/** Sorted paths of `paths` that are neither in `covered` nor below a path of `paths` or `covered`. */
function outermost(paths: Set<string>, covered: Set<string>): string[] {
  const under = (p: string, set: Set<string>): boolean => p.split('.').some((_, i, parts) => i > 0 && set.has(parts.slice(0, i).join('.')));
  return [...paths].filter((p) => !covered.has(p) && !under(p, paths) && !under(p, covered)).sort();
}

// Terraform
const schema = labelled(schemaArg);
const declared = readProviderSchema(schema.path, PROVIDER);
const replace = new Map<string, Set<string>>();
const conditional = new Map<string, Set<string>>();
const seen = new Map<string, Set<string>>();
const dropped: string[] = [];
const unresolved: string[] = [];
const notInSchema = new Set<string>();
for (const source of sources) {
  const extracted = extractTerraform(readPackages(source.path.split(',')));
  let filledTypes = 0;
  let filledAttributes = 0;
  for (const [type, found] of extracted) {
    const exists = declared.get(type);
    if (!exists) {
      notInSchema.add(`${type} (${source.label})`);
      continue;
    }
    const known = seen.get(type) ?? new Set<string>();
    if (!seen.has(type)) {
      filledTypes++;
      unresolved.push(...found.unresolved.map((u) => `${type} ${u}`));
    }
    const take = (path: string, into: Map<string, Set<string>>): void => {
      if (known.has(path)) return; // an earlier (closer) source decided
      if (!exists.has(path) && path !== '*') {
        dropped.push(`${type}.${path} (${source.label})`);
        return;
      }
      if (seen.has(type)) {
        filledAttributes++;
        console.log(`  filled in from ${source.label}: ${type}.${path}`);
      }
      (into.get(type) ?? into.set(type, new Set()).get(type)!).add(path);
    };
    for (const path of found.replace) take(path, replace);
    for (const path of found.conditional) if (!found.replace.has(path)) take(path, conditional);
    if (found.dynamic > 0 && !seen.has(type)) take('*', conditional);
    if (!replace.has(type)) replace.set(type, new Set());
    seen.set(type, new Set([...known, ...found.seen]));
  }
  console.log(`${source.label}: ${extracted.size} types read, ${filledTypes} taken, ` + `${filledAttributes} attributes filled in`);
}
const missing = [...declared.keys()].filter((t) => !replace.has(t));
for (const t of notInSchema) console.log(`  not in ${schema.label}: ${t}`);
for (const d of dropped) console.log(`  dropped (not in ${schema.label}): ${d}`);
for (const u of unresolved) console.log(`  unresolved: ${u}`);
console.log(
  `terraform: ${missing.length} of the schema's types missing (${missing.join(' ') || 'none'}), ` +
    `${dropped.length} attributes dropped, ${notInSchema.size} types not in the schema, ` +
    `${unresolved.length} unresolved`,
);
console.log(
  `terraform: ${write('replacement-terraform-aws.json', {
    source:
      'ForceNew/RequiresReplace of hashicorp/terraform-provider-aws (MPL-2.0) read from ' +
      `${sources.map((s) => s.label).join(', then ')}; ` +
      `names checked against ${schema.label}. scripts/generate-replacement-tables.ts`,
    replace,
    conditional,
  })}`,
);

// CloudFormation
const cfnSchemas = labelled(cfnSchemasArg);
const cfnSpec = labelled(cfnSpecArg);
const fromSchemas = readProviderSchemas(cfnSchemas.path);
const legacy = readLegacySpecification(cfnSpec.path);
const cfnReplace = new Map<string, Set<string>>();
const cfnConditional = new Map<string, Set<string>>();
for (const [type, found] of fromSchemas) {
  cfnReplace.set(type, new Set(found.replace));
  if (found.conditional.length > 0) cfnConditional.set(type, new Set(found.conditional));
}
let legacyOnly = 0;
let disagreements = 0;
for (const [type, found] of legacy.types) {
  const schemaReplace = cfnReplace.get(type);
  if (schemaReplace) {
    // the schema decides; count where the older specification said otherwise
    disagreements += found.replace.filter((p) => !p.includes('.') && !schemaReplace.has(p)).length;
    continue;
  }
  legacyOnly++;
  cfnReplace.set(type, new Set(found.replace));
  if (found.conditional.length > 0) cfnConditional.set(type, new Set(found.conditional));
}
console.log(
  `cloudformation: ${fromSchemas.size} types from schemas, ${legacyOnly} from the legacy specification ` +
    `${legacy.version}; ${disagreements} top-level properties Immutable in the specification but not createOnly in the ` +
    'schema (schema kept)',
);
console.log(
  `cloudformation: ${write('replacement-cloudformation.json', {
    source:
      'createOnlyProperties (conditionalCreateOnlyProperties) of the CloudFormation resource provider schemas in ' +
      `${cfnSchemas.label}; UpdateType Immutable (Conditional) of the legacy resource specification ${legacy.version} ` +
      `in ${cfnSpec.label} for types without ` +
      'a schema. scripts/generate-replacement-tables.ts',
    replace: cfnReplace,
    conditional: cfnConditional,
  })}`,
);
