/**
 * The physical name a Terraform resource declares, as the locator matches it against a finding: the
 * attribute evaluated as Terraform would (`config.ts`: variables, object locals and their
 * attributes, templates, functions), then the data sources whose value the finding itself tells put
 * in: the account, partition and region it was raised in; for one instance of a `count` / `for_each`
 * block, its `count.index` / `each`; in a called module, the values its call passes. A name with any other reference, several
 * possible values or anything unknown left in it is no name: the locator never guesses.
 */
import { hasRef, isObject, optionsOf, Ref, REF_MARK, refsIn, refText, replaceRefs, type Val } from '../values.js';
import { escapeRegExp } from '../text.js';
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

/** The name attribute's text, data sources the finding tells resolved, other references still marked; undefined if not one string. */
function declaredText(config: TfConfig, body: HclBody, path: string, place: FindingPlace, context: NameContext): string | undefined {
  const [name = '', key] = path.split('.');
  const attr = attribute(body, name);
  if (!attr) return undefined;
  const whole = config.value(attr, context.bound);
  const value: Val | undefined = key === undefined ? whole : isObject(whole) ? whole[key] : undefined;
  const options = value === undefined ? [] : optionsOf(value);
  const [only] = options;
  const text = only instanceof Ref ? refText(only.name) : only;
  return options.length === 1 && typeof text === 'string' ? withKnownData(config, body, text, place, context) : undefined;
}

/** `text` with the data sources the finding tells replaced by their values; other references stay marked. */
function withKnownData(config: TfConfig, body: HclBody, text: string, place: FindingPlace, context: NameContext): string {
  // A resource on an aliased provider may live in another account or region than its data sources say.
  const aliased = attribute(body, 'provider') !== undefined || context.otherProviders === true;
  const configs = context.caller ? [config, context.caller] : [config];
  return replaceRefs(text, (ref) => (aliased ? undefined : knownData(configs, ref, place)) ?? refText(ref));
}

/** `bucket`, or `tags.Name`: the name attribute of a resource body, as one string, or undefined. */
export function declaredName(
  config: TfConfig,
  body: HclBody,
  path: string,
  place: FindingPlace,
  context: NameContext = {},
): string | undefined {
  const text = declaredText(config, body, path, place, context);
  return text === undefined || hasRef(text) ? undefined : text;
}

/** How many characters of a shape must be spelled out in the code. */
const MIN_LITERAL = 3;

/** Values the provider makes up when it creates them: what each looks like, never what it is. */
const GENERATED: readonly { readonly ref: RegExp; readonly shape: string }[] = [
  { ref: /^random_id\.[^.]+\.hex$/, shape: '[0-9a-f]+' },
  { ref: /^random_id\.[^.]+\.dec$/, shape: '[0-9]+' },
  { ref: /^random_id\.[^.]+\.(b64_url|id)$/, shape: '[A-Za-z0-9_-]+' },
  { ref: /^random_string\.[^.]+\.(result|id)$/, shape: '[^/:]+' },
  { ref: /^random_pet\.[^.]+\.id$/, shape: '[a-z]+(?:[-_][a-z]+)*' },
  { ref: /^random_integer\.[^.]+\.(result|id)$/, shape: '[0-9]+' },
  { ref: /^random_uuid\.[^.]+\.(result|id)$/, shape: '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}' },
];

/** What a name the code does not spell out may be: a pattern, and whether fitting it tells the resource. */
export interface DeclaredShape {
  readonly pattern: RegExp;
  /**
   * Its only unknowns are values made up when the resource was created (`${name}_prefix` and the
   * unique id Terraform appends, a `random_*` result) and enough of it is spelled out: a name that
   * fits it is this resource's. Otherwise (a variable without a value, a conditional) the pattern
   * only says which names the resource may have.
   */
  readonly telling: boolean;
}

const ANYTHING: DeclaredShape = { pattern: /^[^]*$/, telling: false };

/**
 * The shape of a name attribute whose value is not one known string; undefined when the resource
 * has no such name at all (no such tag). A missing name with no `${name}_prefix` is Terraform's
 * own `terraform-<unique id>`.
 */
export function declaredShape(
  config: TfConfig,
  body: HclBody,
  path: string,
  place: FindingPlace,
  context: NameContext = {},
): DeclaredShape | undefined {
  const [name = '', key] = path.split('.');
  const attr = attribute(body, name);
  if (key !== undefined) {
    // A tag the resource does not set is no name of it.
    const whole = attr ? config.value(attr, context.bound) : undefined;
    if (!attr || (isObject(whole) && !Object.hasOwn(whole, key))) return undefined;
  }
  if (!attr) {
    if (!attribute(body, `${path}_prefix`)) return { pattern: /^terraform-\d{26}$/, telling: true };
    const prefix = declaredName(config, body, `${path}_prefix`, place, context);
    return prefix === undefined ? ANYTHING : { pattern: new RegExp(`^${escapeRegExp(prefix)}\\d{26}$`), telling: true };
  }
  const text = declaredText(config, body, path, place, context);
  if (text === undefined) return madeShape(config, body, path, place, context) ?? ANYTHING;
  const shapes = refsIn(text).map((ref) => GENERATED.find((g) => g.ref.test(ref))?.shape);
  // Literal text and reference names alternate between the marks.
  const split = text.split(REF_MARK);
  const literal = split.filter((_, i) => i % 2 === 0).join('').length;
  const parts = split.map((p, i) => (i % 2 === 0 ? escapeRegExp(p) : (shapes[(i - 1) / 2] ?? '[^]+')));
  return { pattern: new RegExp(`^${parts.join('')}$`), telling: shapes.every((s) => s !== undefined) && literal >= MIN_LITERAL };
}

/** How long the value a `random_*` attribute makes up is, where its arguments say (`length`, `byte_length`). */
function madeLength(config: TfConfig, ref: string): number {
  const [type = '', name = '', attr = ''] = ref.split('.');
  const block = config.blocks.find((b) => b.address === `${type}.${name}`);
  const props = block ? config.props(block.block.body) : {};
  if (type === 'random_string' && typeof props.length === 'number') return props.length;
  if (type === 'random_id' && attr === 'hex' && typeof props.byte_length === 'number') return props.byte_length * 2;
  return 8;
}

/**
 * The shape of a name that runs made-up values through functions (`substr(replace(join("-", ["lb",
 * random_string.x.result, …])…))`): evaluated with a stand-in of the same length for each, made
 * of letters and digits that such functions keep; the stand-ins found intact, once each, are
 * where the made-up values are.
 */
function madeShape(config: TfConfig, body: HclBody, path: string, place: FindingPlace, context: NameContext): DeclaredShape | undefined {
  const [name = '', key] = path.split('.');
  const attr = attribute(body, name);
  if (!attr) return undefined;
  const used = new Map<string, { readonly token: string; readonly shape: string }>();
  const made = (ref: string): Val | undefined => {
    const generated = GENERATED.find((g) => g.ref.test(ref));
    if (!generated) return undefined;
    const token = used.get(ref)?.token ?? `q${used.size}`.padEnd(madeLength(config, ref), 'z');
    used.set(ref, { token, shape: generated.shape });
    return token;
  };
  const whole = config.value(attr, context.bound, made);
  const value = key === undefined ? whole : isObject(whole) ? whole[key] : undefined;
  const [option, ...more] = value === undefined ? [] : optionsOf(value);
  const only = typeof option === 'string' && more.length === 0 ? withKnownData(config, body, option, place, context) : undefined;
  if (only === undefined || hasRef(only) || used.size === 0) return undefined;
  let pattern = escapeRegExp(only);
  let literal = only.length;
  for (const { token, shape } of used.values()) {
    if (only.split(token).length !== 2) return undefined;
    pattern = pattern.replace(token, shape);
    literal -= token.length;
  }
  return literal >= MIN_LITERAL ? { pattern: new RegExp(`^${pattern}$`), telling: true } : undefined;
}
