/**
 * Small helpers shared by skills: the state of a boolean setting in Terraform or CloudFormation,
 * and remedies (a violation with the edit that fixes it) for settings a control needs on or off.
 */
import { setPropertyAt, UnsupportedEditError } from '../iac/cloudformation/edit.js';
import { cfnResolver } from '../iac/cloudformation/resolve.js';
import { nodeAt, propertyAt, type CfnResource, type CfnTemplate } from '../iac/cloudformation/template.js';
import type { TextEdit } from '../iac/edits.js';
import { setAttribute } from '../iac/terraform/edit.js';
import { readHclValue, staticValue } from '../iac/terraform/hcl-expr.js';
import { attribute, type HclBlock, type HclBody } from '../iac/terraform/hcl-structure.js';
import type { TfModule, TfResource } from '../iac/terraform/module.js';
import { optionsOf, truth } from '../iac/values.js';
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
 * A boolean setting a control needs at `required`. `whenMissing` says what leaving it out means:
 * `comply` (the default is the required value), `violation` (the default is insecure) or
 * `unpinned` (secure today only through an AWS default the code does not state).
 */
export interface BooleanRule {
  readonly required: boolean;
  readonly whenMissing: 'comply' | 'violation' | 'unpinned';
  /** Pull-request note for the fix; defaults to "Set <setting> to <required> in <resource>." */
  readonly note?: string | undefined;
}

interface BooleanSite {
  /** The setting as messages name it (`point_in_time_recovery.enabled`, `Replicas[1]...`). */
  readonly setting: string;
  readonly resource: string;
  readonly offset: number;
  /** The expression as written, for `settingUnknown`. */
  readonly expr: string;
  readonly edit: () => TextEdit;
  /**
   * Set when the value comes from outside the resource (a parameter's default): what it comes
   * through. A wrong value is then reported, never overwritten: only a person can change it.
   */
  readonly through?: string | undefined;
}

/** The edit, or nothing when the layout cannot be edited safely (a flow-style YAML map...): a person fixes it. */
export function editOrNothing(edit: () => TextEdit): TextEdit | undefined {
  try {
    return edit();
  } catch (error) {
    if (error instanceof UnsupportedEditError) return undefined;
    throw error;
  }
}

/**
 * The remedy, if any, for a boolean setting in `state`, with message ids `settingWrong` (set to
 * the opposite; data `setting`, `value`), `settingMissing` / `settingUnpinned` (absent; `setting`)
 * and `settingUnknown` (an expression cloudmend cannot evaluate, never overwritten; `setting`,
 * `expr`). Skills that use it declare those messages.
 */
export function booleanRemedy(state: Setting, rule: BooleanRule, site: BooleanSite): Remedy[] {
  const wanted = rule.required ? 'on' : 'off';
  if (state === wanted || (state === 'missing' && rule.whenMissing === 'comply')) return [];
  const base = { resource: site.resource, offset: site.offset };
  if (state === 'unknown') {
    return [
      {
        violation: {
          ...base,
          messageId: 'settingUnknown',
          data: { setting: site.setting, expr: site.expr },
          fixable: false,
          kind: 'violation',
        },
      },
    ];
  }
  const missing = state === 'missing';
  const edit = site.through === undefined ? editOrNothing(site.edit) : undefined;
  const value = site.through === undefined ? String(!rule.required) : `${String(!rule.required)} (${site.through})`;
  const violation: Violation = {
    ...base,
    messageId: missing ? (rule.whenMissing === 'unpinned' ? 'settingUnpinned' : 'settingMissing') : 'settingWrong',
    data: missing ? { setting: site.setting } : { setting: site.setting, value },
    fixable: edit !== undefined,
    kind: missing && rule.whenMissing === 'unpinned' ? 'unpinned' : 'violation',
  };
  if (!edit) return [{ violation }];
  return [{ violation, edits: [edit], note: rule.note ?? `Set ${site.setting} to ${String(rule.required)} in ${site.resource}.` }];
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
  const attr = attribute(block.body, name);
  return booleanRemedy(tfSetting(module, block.body, name), rule, {
    setting,
    resource: resource.address,
    offset: attr?.span.start ?? block.span.start,
    expr: attr?.expr ?? '',
    edit: () => setAttribute(resource.file, block, name, String(rule.required)),
  });
}

function isIntrinsic(value: object): boolean {
  const keys = Object.keys(value);
  return keys.length === 1 && (keys[0] === 'Ref' || keys[0] === 'Condition' || (keys[0]?.startsWith('Fn::') ?? false));
}

/**
 * `booleanRemedy` for the property at `path` (list indexes allowed). A value on the way that is not
 * a plain map or list (an `!If`, a `!Ref`, a scalar) hides the setting: it is `unknown`, never
 * overwritten.
 */
export function cfnBooleanRemedy(
  template: CfnTemplate,
  resource: CfnResource,
  path: readonly (string | number)[],
  rule: BooleanRule,
): Remedy[] {
  const values = path.map((_, i) => propertyAt(resource, path.slice(0, i + 1)));
  const hidden = values.slice(0, -1).findIndex((v, i) => {
    if (v === undefined || v === null) return false;
    const list = typeof path[i + 1] === 'number';
    return typeof v !== 'object' || Array.isArray(v) !== list || (!list && isIntrinsic(v));
  });
  const deepest = values.findLastIndex((v) => v !== undefined && v !== null);
  const leaf = values[path.length - 1];
  let state = hidden >= 0 ? 'unknown' : cfnSetting(resource, path);
  let expr = JSON.stringify(values[hidden >= 0 ? hidden : path.length - 1]) ?? '';
  let through: string | undefined;
  if (state === 'unknown' && hidden < 0 && leaf && typeof leaf === 'object' && isIntrinsic(leaf)) {
    // Evaluated over parameter defaults: a wrong default is a violation a person fixes; a right one can still be overridden.
    const resolved = cfnResolver(template).resolve(leaf);
    const truths = resolved === undefined ? [] : optionsOf(resolved).map(truth);
    const all = (value: boolean): boolean => truths.length > 0 && truths.every((t) => t === value);
    if (all(!rule.required)) {
      state = rule.required ? 'off' : 'on';
      through = `through ${expr} as the stack deploys without overriding its parameters: only a person can change it`;
    } else if (all(rule.required)) expr = `${expr}, ${String(rule.required)} unless overridden at deploy`;
    else if (truths.includes(!rule.required)) expr = `${expr}, ${String(!rule.required)} under some conditions`;
  }
  return booleanRemedy(state, rule, {
    setting: path
      .slice(1)
      .map((k) => (typeof k === 'number' ? `[${k}]` : `.${k}`))
      .join('')
      .slice(1),
    resource: resource.logicalId,
    offset: (deepest >= 0 ? nodeAt(resource, path.slice(0, deepest + 1))?.range?.[0] : undefined) ?? resource.span.start,
    expr,
    edit: () => setPropertyAt(template, resource, path, rule.required),
    through,
  });
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
