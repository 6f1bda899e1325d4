/**
 * IAM policy documents read from evaluated values (`values.ts`), wherever IaC writes them: JSON
 * text (heredoc, `jsonencode`, a CloudFormation string), a CloudFormation map, or the arguments of
 * a Terraform `aws_iam_policy_document`. Statements keep what cannot be read as `?` entries, never
 * dropping them: a statement is only as readable as its least readable part.
 *
 * Also here: what IAM wildcards mean. `*` matches any run of characters (colons and slashes
 * included), `?` any one character, so `s3:**`, `s3:?*` and `arn:*` are as wide as `s3:*` and `*`.
 */
import { Either, isList, isObject, optionsOf, Ref, REF_MARK, refText, replaceRefs, UNKNOWN_MARK, Unknown, type Val } from './values.js';

export interface PolicyStatement {
  readonly sid?: string | undefined;
  /** `?` when the effect cannot be read: it counts as an Allow. */
  readonly effect: 'Allow' | 'Deny' | '?';
  /** `*` for anyone, `<type>:<id>` (`AWS:arn:...`, `Service:lambda.amazonaws.com`); empty for an identity policy. */
  readonly principals: readonly string[];
  /** `NotPrincipal`: everyone but `principals`. */
  readonly notPrincipal: boolean;
  readonly actions: readonly string[];
  readonly notActions: readonly string[];
  readonly resources: readonly string[];
  readonly notResources: readonly string[];
  /** The condition as canonical JSON; empty when there is none. */
  readonly condition: string;
}

/** An entry cloudmend could not read (an unknown value, an object where a string belongs). */
export const UNREAD = '?';

function strings(v: Val | undefined): string[] {
  if (v === undefined || v === null) return [];
  return optionsOf(v).flatMap((o): string[] => {
    if (typeof o === 'string') return [o.includes(UNKNOWN_MARK) ? UNREAD : o];
    if (o instanceof Ref) return [refText(o.name)];
    if (isList(o)) return o.flatMap((x) => strings(x));
    return [UNREAD];
  });
}

/** JSON with keys and string lists sorted, so equal conditions compare equal. */
export function canonical(value: unknown): string {
  if (value instanceof Ref) return JSON.stringify(refText(value.name));
  if (value instanceof Unknown || value instanceof Either) return '"?"';
  if (Array.isArray(value)) return `[${value.map(canonical).sort().join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** A condition as canonical text: `{ operator: { key: [values] } }`, one value written as a list of one. */
function conditionText(condition: Val): string {
  if (!isObject(condition)) return canonical(condition);
  const lists = Object.fromEntries(
    Object.entries(condition).map(([op, keys]) => [
      op,
      isObject(keys) ? Object.fromEntries(Object.entries(keys).map(([k, v]) => [k, isList(v) ? v : [v]])) : keys,
    ]),
  );
  return canonical(lists);
}

function principalsOf(v: Val | undefined): string[] {
  if (v === undefined || v === null) return [];
  return optionsOf(v).flatMap((o): string[] => {
    if (o === '*') return ['*'];
    if (isObject(o)) return Object.entries(o).flatMap(([type, ids]) => strings(ids).map((id) => (id === '*' ? '*' : `${type}:${id}`)));
    if (typeof o === 'string') return [`AWS:${o}`];
    return [UNREAD];
  });
}

function effectOf(v: Val | undefined): PolicyStatement['effect'] {
  // An effect written into JSON from a value cloudmend could not evaluate.
  if (typeof v === 'string' && v.includes(UNKNOWN_MARK)) return '?';
  const options = v === undefined ? [] : optionsOf(v);
  if (options.length === 1 && (options[0] === 'Allow' || options[0] === 'Deny')) return options[0];
  return '?';
}

function fromJsonStatement(s: Val): PolicyStatement {
  if (!isObject(s))
    return {
      effect: '?',
      principals: [UNREAD],
      notPrincipal: false,
      actions: [UNREAD],
      notActions: [],
      resources: [UNREAD],
      notResources: [],
      condition: '',
    };
  return {
    sid: typeof s.Sid === 'string' ? s.Sid : undefined,
    effect: effectOf(s.Effect),
    principals: principalsOf(s.Principal ?? s.NotPrincipal),
    notPrincipal: s.NotPrincipal !== undefined,
    actions: strings(s.Action),
    notActions: strings(s.NotAction),
    resources: strings(s.Resource),
    notResources: strings(s.NotResource),
    condition: s.Condition === undefined || s.Condition === null ? '' : conditionText(s.Condition),
  };
}

export interface ReadPolicy {
  readonly statements: readonly PolicyStatement[];
  /** Why part of the policy could not be read, if so. */
  readonly unreadable?: string | undefined;
}

/** A JSON text with references marked (`refText`), parsed with the markers kept inside strings. */
function parseJson(text: string): Val | undefined {
  try {
    // References are marked with NUL, which JSON allows only escaped inside its strings.
    return JSON.parse(text.split(REF_MARK).join('\\u0000')) as Val;
  } catch {
    return undefined;
  }
}

/**
 * A policy from its evaluated value: JSON text or a map with `Statement`. Alternatives are read
 * one by one and their statements joined (either may be deployed). Undefined when the value is
 * not a policy at all (a reference, a number).
 */
export function readPolicy(value: Val): ReadPolicy | undefined {
  const statements: PolicyStatement[] = [];
  let unreadable: string | undefined;
  let any = false;
  for (const option of optionsOf(value)) {
    if (option instanceof Unknown) {
      unreadable ??= option.why;
      continue;
    }
    const doc = typeof option === 'string' ? parseJson(option) : option;
    if (!isObject(doc ?? null) || !('Statement' in (doc as object))) {
      if (typeof option === 'string' && option.includes(UNKNOWN_MARK)) unreadable ??= 'it is built from a value cloudmend cannot evaluate';
      if (typeof option === 'string' && doc === undefined && /^\s*[{[]/.test(option)) unreadable ??= 'its text is not JSON';
      continue;
    }
    any = true;
    const raw = (doc as { Statement: Val }).Statement;
    const list = isList(raw) ? raw : [raw];
    statements.push(...list.map(fromJsonStatement));
  }
  return any || unreadable !== undefined ? { statements, unreadable } : undefined;
}

/** The statements of an `aws_iam_policy_document` data source's `statement` blocks (evaluated). */
export function documentStatements(props: { readonly [key: string]: Val }): PolicyStatement[] {
  const blocks = isList(props.statement ?? null) ? (props.statement as readonly Val[]) : [];
  return blocks.map((b) => {
    if (!isObject(b)) return fromJsonStatement(null);
    const principals = (key: string): string[] =>
      (isList(b[key] ?? null) ? (b[key] as readonly Val[]) : []).flatMap((p) => {
        if (!isObject(p)) return [UNREAD];
        const type = typeof p.type === 'string' ? p.type : UNREAD;
        return strings(p.identifiers).map((id) => (id === '*' && (type === 'AWS' || type === '*') ? '*' : `${type}:${id}`));
      });
    // Conditions as a JSON policy writes them, `{ test: { variable: values } }`, so both forms compare equal.
    const blocks = isList(b.condition ?? null) ? (b.condition as readonly Val[]) : [];
    const conditions: Record<string, Record<string, Val>> = {};
    for (const c of blocks) {
      const [test, variable] =
        isObject(c) && typeof c.test === 'string' && typeof c.variable === 'string' ? [c.test, c.variable] : [UNREAD, UNREAD];
      conditions[test] = { ...(conditions[test] ?? {}), [variable]: isObject(c) ? (c.values ?? null) : UNREAD };
    }
    const notPrincipals = principals('not_principals');
    return {
      sid: typeof b.sid === 'string' ? b.sid : undefined,
      effect: b.effect === undefined || b.effect === null ? 'Allow' : effectOf(b.effect),
      principals: notPrincipals.length > 0 ? notPrincipals : principals('principals'),
      notPrincipal: notPrincipals.length > 0,
      actions: strings(b.actions),
      notActions: strings(b.not_actions),
      resources: strings(b.resources),
      notResources: strings(b.not_resources),
      condition: blocks.length === 0 ? '' : conditionText(conditions),
    };
  });
}

const WILD = /[*?]/;

/** True for a pattern made only of wildcards (and separators): it matches any name. */
function allWild(text: string): boolean {
  return WILD.test(text) && /^[*?/:]*$/.test(text);
}

/** Why an action pattern matches every action of a service (or of every service), if it does. */
export function wideAction(action: string): boolean {
  if (action === UNREAD) return true;
  const colon = action.indexOf(':');
  if (colon < 0) return WILD.test(action);
  const [service, name] = [action.slice(0, colon), action.slice(colon + 1)];
  return WILD.test(service) || allWild(name) || name === '';
}

/**
 * True for a resource pattern that matches every resource of a kind: `*`, `arn:*`, wildcards in the
 * partition or service, an ARN cut short by a wildcard, a resource part that is only wildcards
 * (`arn:aws:s3:::?*`, `.../*`), or a typed resource with a wildcard-only name (`role/*`,
 * `secret:?*`, `table/*`). One bucket's objects (`arn:aws:s3:::bucket/*`) are not.
 */
export function wideResource(resource: string): boolean {
  if (resource === UNREAD || resource.includes(UNKNOWN_MARK)) return true;
  // A resource that starts with a reference is that resource (`${aws_s3_bucket.b.arn}/*`); a
  // reference further in is one name, never a wildcard.
  if (resource.startsWith(REF_MARK)) return false;
  const named = replaceRefs(resource, () => 'x');
  return allWild(named) || wideArn(named);
}

function wideArn(resource: string): boolean {
  if (allWild(resource)) return true;
  if (!WILD.test(resource)) return false;
  const parts = resource.split(':');
  if (parts.length < 6) return true;
  const [, partition = '', service = ''] = parts;
  if (WILD.test(partition) || WILD.test(service)) return true;
  const rest = parts.slice(5).join(':');
  if (allWild(rest)) return true;
  if (service === 's3') return allWild(rest.split('/')[0] ?? '');
  const m = /^([A-Za-z][\w-]*)([/:])(.*)$/.exec(rest);
  return m !== null && allWild(m[3] ?? '');
}

/** True when the IAM pattern `pattern` matches the name `name` (case-insensitive for actions). */
export function patternMatches(pattern: string, name: string, ignoreCase: boolean): boolean {
  const source = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '[\\s\\S]*')
    .replace(/\?/g, '[\\s\\S]');
  return new RegExp(`^${source}$`, ignoreCase ? 'i' : '').test(name);
}

/**
 * True when pattern `wide` matches at least everything pattern `narrow` does: equal, `*`, or `narrow`
 * written out (wildcards taken as literal characters) being matched by `wide`. Conservative: it may
 * say false for a pattern that does cover, never true for one that does not.
 */
export function patternCovers(wide: string, narrow: string, ignoreCase: boolean): boolean {
  if (wide === narrow || wide === '*') return true;
  if (wide === UNREAD || narrow === UNREAD) return false;
  // A narrow pattern's wildcards must be matched by wildcards of `wide`: `*` in `wide` covers them.
  if (WILD.test(narrow) && !patternMatches(wide.replace(/\?/g, '\u0001'), narrow.replace(/\?/g, '\u0001'), ignoreCase)) return false;
  return patternMatches(wide, narrow, ignoreCase);
}

/** IAM actions that let their holder grant itself more: any policy, any role's trust, new credentials. */
export const ESCALATION: readonly string[] = [
  'iam:PutUserPolicy',
  'iam:PutRolePolicy',
  'iam:PutGroupPolicy',
  'iam:AttachUserPolicy',
  'iam:AttachRolePolicy',
  'iam:AttachGroupPolicy',
  'iam:CreatePolicyVersion',
  'iam:SetDefaultPolicyVersion',
  'iam:UpdateAssumeRolePolicy',
  'iam:CreateAccessKey',
  'iam:CreateLoginProfile',
  'iam:UpdateLoginProfile',
  'iam:AddUserToGroup',
  'iam:DeleteRolePermissionsBoundary',
  'iam:DeleteUserPermissionsBoundary',
  'iam:PutRolePermissionsBoundary',
  'iam:PutUserPermissionsBoundary',
];
