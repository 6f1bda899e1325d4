/**
 * The physical name a Terraform resource declares, as the locator matches it against a finding: the
 * attribute evaluated as Terraform would (`config.ts`: variables, object locals and their
 * attributes, templates, functions), then the data sources whose value the finding itself tells put
 * in: the account, partition and region it was raised in; for one instance of a `count` / `for_each`
 * block, its `count.index` / `each`; in a called module, the values its call passes. A name with any other reference, several
 * possible values or anything unknown left in it is no name: the locator never guesses.
 */
import { hasRef, isObject, optionsOf, Ref, refText, replaceRefs, type Val } from '../values.js';
import type { TfConfig } from './config.js';
import { attribute, type HclBody } from './hcl-structure.js';

/** What the finding says about where its resource lives. */
export interface FindingPlace {
  readonly account: string;
  readonly partition: string;
  readonly region: string;
}

/** Data source attributes whose value is the finding's own, by the finding field that holds it. */
const KNOWN: readonly { readonly data: string; readonly attrs: readonly string[]; readonly field: keyof FindingPlace }[] = [
  { data: 'aws_caller_identity', attrs: ['account_id'], field: 'account' },
  { data: 'aws_partition', attrs: ['partition'], field: 'partition' },
  { data: 'aws_region', attrs: ['name', 'region'], field: 'region' },
];

/**
 * The finding's value for `data.<type>.<name>.<attr>`, when that data source is one it tells and is
 * read through the default provider (an aliased provider may be another account or region).
 */
function knownData(configs: readonly TfConfig[], ref: string, place: FindingPlace): string | undefined {
  const [root, type, name, attr, ...rest] = ref.split('.');
  const known = KNOWN.find((k) => k.data === type && attr !== undefined && k.attrs.includes(attr));
  if (root !== 'data' || !known || rest.length > 0) return undefined;
  const found = configs.map((c) => c.blocks.find((b) => b.address === `data.${type}.${name}`)).filter((b) => b !== undefined);
  return found.length > 0 && found.every((b) => !attribute(b.block.body, 'provider')) ? place[known.field] : undefined;
}

/** Where a name is evaluated beyond the module itself. */
export interface NameContext {
  /** What `each` / `count` stand for in one instance of a block with `for_each` / `count`. */
  readonly bound?: ReadonlyMap<string, Val> | undefined;
  /** The calling module, when the module is evaluated with the inputs of one call: the data sources those values name. */
  readonly caller?: TfConfig | undefined;
  /** The call passes the module other providers: its account or region may not be the finding's. */
  readonly otherProviders?: boolean | undefined;
}

/** `bucket`, or `tags.Name`: the name attribute of a resource body, as one string, or undefined. */
export function declaredName(
  config: TfConfig,
  body: HclBody,
  path: string,
  place: FindingPlace,
  context: NameContext = {},
): string | undefined {
  const [name = '', key] = path.split('.');
  const attr = attribute(body, name);
  if (!attr) return undefined;
  const whole = config.value(attr, context.bound);
  const value: Val | undefined = key === undefined ? whole : isObject(whole) ? whole[key] : undefined;
  const options = value === undefined ? [] : optionsOf(value);
  const [only] = options;
  const text = only instanceof Ref ? refText(only.name) : only;
  if (options.length !== 1 || typeof text !== 'string') return undefined;
  // A resource on an aliased provider may live in another account or region than its data sources say.
  const aliased = attribute(body, 'provider') !== undefined || context.otherProviders === true;
  const configs = context.caller ? [config, context.caller] : [config];
  const resolved = replaceRefs(text, (ref) => (aliased ? undefined : knownData(configs, ref, place)) ?? refText(ref));
  return hasRef(resolved) ? undefined : resolved;
}
