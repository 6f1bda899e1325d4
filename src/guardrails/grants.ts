/**
 * Policy statements as sets of grants, one per (principal, action, resource) they name, so that two
 * versions of a policy compare by what they allow rather than by how they are written: a statement
 * split in two, reordered, or narrowed grants nothing new. A grant is covered by another when the
 * other names the same or a wider principal, action and resource and no condition of its own.
 */
import { coversAction, OPAQUE, type Statement } from '../skills/policy-document.js';

export interface Grant {
  readonly effect: 'Allow' | 'Deny';
  /** `*` for anyone; `''` for none (an identity policy); else `<type>:<id>`. */
  readonly principal: string;
  /** An action pattern, or `NotAction:<sorted list>` for everything else. */
  readonly action: string;
  /** A resource pattern, `NotResource:<sorted list>`, or `''` when the statement names none (a trust policy). */
  readonly resource: string;
  /** The condition as canonical JSON; `''` when there is none. */
  readonly condition: string;
}

/** JSON with object keys and string lists sorted, so equal conditions compare equal. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).sort().join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

function principalsOf(s: Statement): string[] {
  // Allow with NotPrincipal grants everyone but the principals named.
  if (s.notPrincipal || s.principal === '*') return ['*'];
  if (s.principal === undefined) return [''];
  const ids = Object.entries(s.principal).flatMap(([type, list]) => list.map((id) => (id === '*' ? '*' : `${type}:${id}`)));
  return ids.length > 0 ? ids : ['?'];
}

function patterns(list: readonly string[], not: readonly string[], prefix: string, none: string): string[] {
  if (not.length > 0) return [`${prefix}:${[...not].sort().join(',')}`];
  return list.length > 0 ? [...new Set(list)] : [none];
}

/** The grants of one statement. */
export function grantsOf(s: Statement): Grant[] {
  const condition = Object.keys(s.condition).length > 0 ? canonical(s.condition) : '';
  const actions = patterns(s.actions, s.notActions, 'NotAction', '?');
  const resources = patterns(s.resources, s.notResources, 'NotResource', '');
  return principalsOf(s).flatMap((principal) => actions.flatMap((action) => resources.map((resource) => ({ effect: s.effect, principal, action, resource, condition }))));
}

/** What makes an Allow grant wide: a public principal, an action or resource wildcard. */
export function wideness(g: Grant): string[] {
  const reasons: string[] = [];
  if (g.principal === '*') reasons.push('principal *');
  if (g.action === '*' || /^[^:]*:\*$/.test(g.action) || g.action.startsWith('NotAction:')) reasons.push(`action ${g.action}`);
  if (g.resource === '*' || g.resource.startsWith('NotResource:')) reasons.push(`resource ${g.resource}`);
  return reasons;
}

function patternCovers(wide: string, narrow: string): boolean {
  if (wide === narrow || wide === '*') return true;
  if (/^Not(Action|Resource):/.test(wide) || /^Not(Action|Resource):/.test(narrow) || wide === '' || narrow === '') return false;
  return coversAction([wide], narrow);
}

/** True when `wide` allows (or denies) at least everything `narrow` does. */
export function covers(wide: Grant, narrow: Grant): boolean {
  return (
    wide.effect === narrow.effect &&
    (wide.principal === narrow.principal || wide.principal === '*') &&
    patternCovers(wide.action, narrow.action) &&
    patternCovers(wide.resource, narrow.resource) &&
    (wide.condition === '' || wide.condition === narrow.condition)
  );
}

/** `a, b and 3 more`, with references cloudmend could not follow shown as `${...}`. */
export function listed(items: readonly string[]): string {
  const shown = [...new Set(items)].map((i) => i.split(OPAQUE).join('${...}'));
  return shown.length <= 3 ? shown.join(', ') : `${shown.slice(0, 3).join(', ')} and ${shown.length - 3} more`;
}
