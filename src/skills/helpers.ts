/**
 * Small helpers shared by skills: the state of a boolean setting in Terraform or CloudFormation,
 * and remedies (a violation with the edit that fixes it) for settings a control needs on or off.
 */
import { setPropertyAt, UnsupportedEditError } from '../iac/cloudformation/edit.js';
import { cfnResolver } from '../iac/cloudformation/resolve.js';
import { nodeAt, propertyAt, type CfnResource, type CfnTemplate } from '../iac/cloudformation/template.js';
import type { TextEdit } from '../iac/edits.js';
import { appendToBody, setAttribute } from '../iac/terraform/edit.js';
import { readHclValue, staticValue, type Json } from '../iac/terraform/hcl-expr.js';
import { hclString } from '../iac/terraform/render.js';
import { attribute, blocks, type HclBlock, type HclBody } from '../iac/terraform/hcl-structure.js';
import type { TfModule, TfResource } from '../iac/terraform/module.js';
import { Either, optionsOf, Ref, truth, Unknown } from '../iac/values.js';
import type { IacRule, Violation } from './types.js';

/** A setting is on, off, absent, or set to something cloudmend cannot evaluate (a variable without default...). */
export type Setting = 'on' | 'off' | 'missing' | 'unknown';

function fromValue(value: unknown): Setting {
  if (value === true || value === 'true') return 'on';
  if (value === false || value === 'false') return 'off';
  return 'unknown';
}

/** A Terraform boolean attribute, with variables and locals resolved. */
export function tfSetting(module: TfModule, body: HclBody, name: string): Setting {
  const attr = attribute(body, name);
  if (!attr) return 'missing';
  return fromValue(staticValue(readHclValue(attr.expr), module.resolve));
}

/** A CloudFormation boolean property; `"true"` strings count, intrinsics are `unknown`. */
export function cfnSetting(resource: CfnResource, path: readonly (string | number)[]): Setting {
  const value = propertyAt(resource, path);
  if (value === undefined || value === null) return 'missing';
  return fromValue(value);
}

/** The string value of a Terraform attribute when static. */
export function tfString(module: TfModule, body: HclBody, name: string): string | undefined {
  const attr = attribute(body, name);
  const value = attr ? staticValue(readHclValue(attr.expr), module.resolve) : undefined;
  return typeof value === 'string' ? value : undefined;
}

/** A finding and, when it is fixable, the edit that fixes it: `detect` and `fix` read the same list. */
export interface Remedy {
  readonly violation: Violation;
  /** Present exactly when the violation is fixable. */
  readonly edits?: readonly TextEdit[] | undefined;
  /** A sentence for the pull request when the edit is applied. */
  readonly note?: string | undefined;
}

function remedyKey(v: Violation): string {
  return `${v.resource}|${v.messageId}|${v.offset}|${JSON.stringify(v.data ?? {})}`;
}

/**
 * A rule's `detect` and `fix` from one function listing a target's remedies: `fix` applies the
 * edits of the violations it is given, so what is reported and what is fixed cannot drift apart.
 */
export function remedyRule<Target>(remedies: (target: Target) => readonly Remedy[]): Pick<IacRule<Target>, 'detect' | 'fix'> {
  return {
    detect: (target) => remedies(target).map((r) => r.violation),
    fix(target, violations) {
      const wanted = new Set(violations.map(remedyKey));
      const chosen = remedies(target).filter((r) => r.edits?.length && wanted.has(remedyKey(r.violation)));
      return {
        edits: chosen.flatMap((r) => r.edits ?? []),
        notes: [...new Set(chosen.flatMap((r) => (r.note ? [r.note] : [])))],
      };
    },
  };
}

/**
 * A value a control needs of one setting. `whenMissing` says what leaving it out means: `comply`
 * (the default is the required value), `violation` (the default is insecure) or `unpinned` (secure
 * today only through an AWS default the code does not state).
 */
export interface SettingRule {
  /** The value a fix writes. */
  readonly value: string | number | boolean;
  /** Whether a value the code states complies; defaults to "equals `value`" (`"true"` counts as true). */
  readonly accepts?: ((value: Json) => boolean) | undefined;
  readonly whenMissing: 'comply' | 'violation' | 'unpinned';
  /** Pull-request note for the fix; defaults to "Set <setting> to <value> in <resource>." */
  readonly note?: string | undefined;
}

/** A boolean setting a control needs at `required`. */
export interface BooleanRule extends Omit<SettingRule, 'value' | 'accepts'> {
  readonly required: boolean;
}

function settingRule(rule: BooleanRule): SettingRule {
  return { ...rule, value: rule.required };
}

/** A setting's state: a value the code states, absent, or something cloudmend cannot evaluate (a variable without default...). */
export type SettingState = { readonly value: Json } | 'missing' | 'unknown';

/** Whether `rule` accepts a value the code states. */
export function accepted(rule: SettingRule, value: Json): boolean {
  if (rule.accepts) return rule.accepts(value);
  return typeof rule.value === 'boolean' ? truth(value) === rule.value : value === rule.value;
}

/** A value as messages show it: booleans as booleans (`"false"` too) where the rule wants a boolean, strings quoted. */
function shown(value: Json, rule?: SettingRule): string {
  const bool = typeof rule?.value === 'boolean' ? truth(value) : undefined;
  if (bool !== undefined) return String(bool);
  return typeof value === 'string' || typeof value === 'object' ? JSON.stringify(value) : String(value);
}

interface SettingSite {
  /** The setting as messages name it (`point_in_time_recovery.enabled`, `Replicas[1]...`). */
  readonly setting: string;
  readonly resource: string;
  readonly offset: number;
  /** The expression as written, for `settingUnknown`. */
  readonly expr: string;
  /** The edit that writes the rule's value; undefined when no edit can be made safely. */
  readonly edit: () => TextEdit | undefined;
  /**
   * Set when the value comes from outside the resource (a parameter's default): what it comes
   * through. A wrong value is then reported, never overwritten: only a person can change it.
   */
  readonly through?: string | undefined;
}

/** The edit, or nothing when the layout cannot be edited safely (a flow-style YAML map...): a person fixes it. */
export function editOrNothing(edit: () => TextEdit | undefined): TextEdit | undefined {
  try {
    return edit();
  } catch (error) {
    if (error instanceof UnsupportedEditError) return undefined;
    throw error;
  }
}

/**
 * The remedy, if any, for a setting in `state`, with message ids `settingWrong` (set to another
 * value; data `setting`, `value`), `settingMissing` / `settingUnpinned` (absent; `setting`) and
 * `settingUnknown` (an expression cloudmend cannot evaluate, never overwritten; `setting`, `expr`).
 * Skills that use it declare those messages.
 */
export function settingRemedy(given: SettingState, rule: SettingRule, site: SettingSite): Remedy[] {
  // A boolean setting written as something that is not one (`"yes"`, a list) is not understood: never overwritten.
  const state = typeof given === 'object' && typeof rule.value === 'boolean' && truth(given.value) === undefined ? 'unknown' : given;
  if (state === 'missing' ? rule.whenMissing === 'comply' : state !== 'unknown' && accepted(rule, state.value)) return [];
  const base = { resource: site.resource, offset: site.offset };
  if (state === 'unknown') {
    const data = { setting: site.setting, expr: site.expr };
    return [{ violation: { ...base, messageId: 'settingUnknown', data, fixable: false, kind: 'violation' } }];
  }
  const missing = state === 'missing';
  const edit = site.through === undefined ? editOrNothing(site.edit) : undefined;
  const now = missing ? '' : shown(state.value, rule);
  const value = site.through === undefined ? now : `${now} (${site.through})`;
  const violation: Violation = {
    ...base,
    messageId: missing ? (rule.whenMissing === 'unpinned' ? 'settingUnpinned' : 'settingMissing') : 'settingWrong',
    data: missing ? { setting: site.setting } : { setting: site.setting, value },
    fixable: edit !== undefined,
    kind: missing && rule.whenMissing === 'unpinned' ? 'unpinned' : 'violation',
  };
  if (!edit) return [{ violation }];
  return [{ violation, edits: [edit], note: rule.note ?? `Set ${site.setting} to ${shown(rule.value)} in ${site.resource}.` }];
}

/** `settingRemedy` for a boolean: the state as `tfSetting` / `cfnSetting` give it. */
export function booleanRemedy(state: Setting, rule: BooleanRule, site: SettingSite): Remedy[] {
  const value = state === 'on' ? { value: true } : state === 'off' ? { value: false } : state;
  return settingRemedy(value, settingRule(rule), site);
}

function hclLiteral(value: string | number | boolean): string {
  return typeof value === 'string' ? hclString(value) : String(value);
}

/** `a { b = value }` for path `['a', 'b']`, one line per item. */
function nestedLines(path: readonly string[], value: string | number | boolean): string[] {
  const [name, ...rest] = path;
  if (rest.length === 0) return [`${name} = ${hclLiteral(value)}`];
  return [`${name} {`, ...nestedLines(rest, value).map((l) => `  ${l}`), '}'];
}

/**
 * `settingRemedy` for attribute `path` of a Terraform resource: `['deletion_protection']`, or
 * through nested blocks, `['encrypt_at_rest', 'enabled']`. A missing nested block is added with
 * the value; each of several blocks of that type is checked; a `dynamic` block of that type hides
 * the setting (unknown, never overwritten).
 */
export function tfSettingRemedy(
  module: TfModule,
  resource: TfResource,
  path: readonly string[],
  rule: SettingRule,
  block: HclBlock = resource.block,
  setting = path.join('.'),
): Remedy[] {
  const [name, ...rest] = path;
  if (name === undefined) return [];
  const site = { setting, resource: resource.address };
  if (rest.length === 0) {
    const attr = attribute(block.body, name);
    const value = attr ? staticValue(readHclValue(attr.expr), module.resolve) : undefined;
    return settingRemedy(!attr ? 'missing' : value === undefined ? 'unknown' : { value }, rule, {
      ...site,
      offset: attr?.span.start ?? block.span.start,
      expr: attr?.expr ?? '',
      edit: () => setAttribute(resource.file, block, name, hclLiteral(rule.value)),
    });
  }
  if (blocks(block.body, 'dynamic').some((d) => d.labels[0] === name))
    return settingRemedy('unknown', rule, { ...site, offset: block.span.start, expr: `dynamic "${name}"`, edit: () => undefined });
  const nested = blocks(block.body, name);
  if (nested.length > 0) return nested.flatMap((b) => tfSettingRemedy(module, resource, rest, rule, b, setting));
  return settingRemedy('missing', rule, {
    ...site,
    offset: block.span.start,
    expr: '',
    edit: () => appendToBody(resource.file, block, [...(block.body.items.length > 0 ? [''] : []), ...nestedLines(path, rule.value)]),
  });
}

/** `booleanRemedy` for attribute `name` of `block` (the resource's block or one nested in it). */
export function tfBooleanRemedy(
  module: TfModule,
  resource: TfResource,
  block: HclBlock,
  name: string,
  rule: BooleanRule,
  setting = name,
): Remedy[] {
  return tfSettingRemedy(module, resource, [name], settingRule(rule), block, setting);
}

function isIntrinsic(value: object): boolean {
  const keys = Object.keys(value);
  return keys.length === 1 && (keys[0] === 'Ref' || keys[0] === 'Condition' || (keys[0]?.startsWith('Fn::') ?? false));
}

/**
 * `settingRemedy` for the property at `path` (list indexes allowed). A value on the way that is not
 * a plain map or list (an `!If`, a `!Ref`, a scalar) hides the setting: it is `unknown`, never
 * overwritten. An intrinsic value is evaluated over the template's parameter defaults: a wrong
 * default is a violation only a person fixes.
 */
export function cfnSettingRemedy(
  template: CfnTemplate,
  resource: CfnResource,
  path: readonly (string | number)[],
  rule: SettingRule,
): Remedy[] {
  const values = path.map((_, i) => propertyAt(resource, path.slice(0, i + 1)));
  const hidden = values.slice(0, -1).findIndex((v, i) => {
    if (v === undefined || v === null) return false;
    const list = typeof path[i + 1] === 'number';
    return typeof v !== 'object' || Array.isArray(v) !== list || (!list && isIntrinsic(v));
  });
  const deepest = values.findLastIndex((v) => v !== undefined && v !== null);
  const leaf = values[path.length - 1];
  let state: SettingState = hidden >= 0 ? 'unknown' : leaf === undefined || leaf === null ? 'missing' : { value: leaf as Json };
  let expr = JSON.stringify(values[hidden >= 0 ? hidden : path.length - 1]) ?? '';
  let through: string | undefined;
  if (hidden < 0 && leaf && typeof leaf === 'object' && !Array.isArray(leaf) && isIntrinsic(leaf)) {
    state = 'unknown';
    const resolved = cfnResolver(template).resolve(leaf);
    const options = resolved === undefined ? [] : optionsOf(resolved);
    const known = options.filter((o): o is Json => !(o instanceof Unknown) && !(o instanceof Ref) && !(o instanceof Either));
    const good = known.filter((o) => accepted(rule, o));
    if (known.length === options.length && known.length > 0 && good.length === 0) {
      state = { value: known[0]! };
      through = `through ${expr} as the stack deploys without overriding its parameters: only a person can change it`;
    } else if (known.length === options.length && good.length === known.length && known.length > 0)
      expr = `${expr}, ${shown(known[0]!, rule)} unless overridden at deploy`;
    else if (good.length < known.length) expr = `${expr}, ${shown(known.find((o) => !accepted(rule, o))!, rule)} under some conditions`;
  }
  return settingRemedy(state, rule, {
    setting: path
      .slice(1)
      .map((k) => (typeof k === 'number' ? `[${k}]` : `.${k}`))
      .join('')
      .slice(1),
    resource: resource.logicalId,
    offset: (deepest >= 0 ? nodeAt(resource, path.slice(0, deepest + 1))?.range?.[0] : undefined) ?? resource.span.start,
    expr,
    edit: () => setPropertyAt(template, resource, path, rule.value),
    through,
  });
}

/** `cfnSettingRemedy` for a boolean property. */
export function cfnBooleanRemedy(
  template: CfnTemplate,
  resource: CfnResource,
  path: readonly (string | number)[],
  rule: BooleanRule,
): Remedy[] {
  return cfnSettingRemedy(template, resource, path, settingRule(rule));
}

/**
 * The lowest major version a Terraform module version constraint admits (`~> 4.0` and `4.1.2` give
 * 4, `>= 3.2, < 6` gives 3); undefined when it has no lower bound or cannot be read.
 */
export function minimumMajor(constraint: string | undefined): number | undefined {
  const floors = (constraint ?? '').split(',').flatMap((part) => {
    const m = /^\s*(=|>=|>|~>)?\s*v?(\d+)(?:\.\d+)*\s*$/.exec(part);
    return m?.[2] === undefined ? [] : [Number(m[2])];
  });
  return floors.length > 0 ? Math.max(...floors) : undefined;
}
