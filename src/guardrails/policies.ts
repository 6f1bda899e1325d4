/**
 * Every policy document of a side, as grants per resource, for `widened-iam`: identity, trust and
 * resource policies, inline or managed, as JSON text, maps or `aws_iam_policy_document` data
 * sources (followed through `source_policy_documents` / `override_policy_documents` and the
 * `.json` references that use them). A grant is one (effect, principal, action, resource,
 * condition); a policy or statement cloudmend cannot read is a fact of its own, because a patch
 * must not widen access where the guardrail cannot look.
 */
import { documentStatements, readPolicy, UNREAD, type PolicyStatement } from '../iac/iam-policy.js';
import { isList, optionsOf, Ref, shownVal, Unknown, type Val } from '../iac/values.js';
import type { Fact, Holder } from './facts.js';
import type { Resource, Side } from './side.js';
import { dirOf, entries, holderOf, shownPath } from './walk.js';

export interface Grant {
  readonly effect: 'Allow' | 'Deny' | '?';
  /** `*` for anyone; `''` for none (an identity policy); else `<type>:<id>`. */
  readonly principal: string;
  /** An action pattern, or `NotAction:<sorted list>` for everything else. */
  readonly action: string;
  /** A resource pattern, `NotResource:<sorted list>`, or `''` when none is named (a trust policy). */
  readonly resource: string;
  readonly condition: string;
}

/** The grants of one statement and where it is written. */
export interface Granted {
  readonly holder: Holder;
  /** ` of assume_role_policy`, ` of Policies[0].PolicyDocument`. */
  readonly where: string;
  readonly label: string;
  readonly grants: readonly Grant[];
  readonly line: number;
}

export interface Policies {
  readonly granted: readonly Granted[];
  /** Policies, or statements of them, that cloudmend cannot read. */
  readonly unreadable: readonly Fact[];
}

function patterns(list: readonly string[], not: readonly string[], prefix: string, none: string): string[] {
  if (not.length > 0) return [`${prefix}:${[...not].sort().join(',')}`];
  return list.length > 0 ? [...new Set(list)] : [none];
}

/** The grants of one statement: a `NotPrincipal` Allow grants everyone but those named. */
export function grantsOf(s: PolicyStatement): Grant[] {
  const principals = s.notPrincipal ? ['*'] : s.principals.length > 0 ? [...new Set(s.principals)] : [''];
  const actions = patterns(s.actions, s.notActions, 'NotAction', UNREAD);
  const resources = patterns(s.resources, s.notResources, 'NotResource', '');
  return principals.flatMap((principal) =>
    actions.flatMap((action) => resources.map((resource) => ({ effect: s.effect, principal, action, resource, condition: s.condition }))),
  );
}

/** Attribute and property names that hold policies. */
const TF_POLICY = /(^|_)polic(y|ies)(_document)?$|^policy_text$/;
const CFN_POLICY = /Polic(y|ies)(Document|Text)?$/;
/** Names that end like a policy but hold something else (a TLS policy's name, a lifecycle rule). */
const NOT_IAM =
  /^(ssl|security|tls|retention|lifecycle|placement|scaling|routing|backup|cache|origin_request|response_headers|realtime_log|deletion|update_replace|cors|image_scanning)_polic|^(Ssl|Security|Tls|Retention|Lifecycle|Placement|Scaling|Routing|Backup|Cache|OriginRequest|ResponseHeaders|Deletion|UpdateReplace|Cors|ImageScanning)Polic/;

const DATA_JSON = /^(data\.aws_iam_policy_document\.[\w-]+)\.(?:minified_)?json$/;

function label(s: PolicyStatement, i: number): string {
  return s.sid ? JSON.stringify(s.sid) : `#${i + 1}`;
}

function unreadable(holder: Holder, where: string, what: string, line: number, key: string): Fact {
  return {
    holder,
    key: `unreadable ${where} ${key}`,
    line,
    message: `${holder.id} has ${what} in ${where}: cloudmend cannot read it, so it cannot rule out a widening`,
  };
}

class Reader {
  readonly granted: Granted[] = [];
  readonly unreadable: Fact[] = [];
  readonly used = new Set<string>();

  constructor(private readonly side: Side) {}

  statements(holder: Holder, where: string, line: number, list: readonly PolicyStatement[]): void {
    // What a statement holds that cannot be read is `?` in its grants, which the widening check refuses.
    list.forEach((s, i) =>
      this.granted.push({ holder, where: where === '' ? '' : ` of ${where}`, label: label(s, i), grants: grantsOf(s), line }),
    );
  }

  /** A policy-document data source's statements, its source and override documents followed. */
  document(holder: Holder, where: string, line: number, data: Resource, depth = 0): void {
    this.used.add(data.key);
    this.statements(holder, where, line, documentStatements(data.props));
    for (const name of ['source_policy_documents', 'override_policy_documents', 'source_json', 'override_json']) {
      const value = data.props[name];
      if (value === undefined) continue;
      const docs = optionsOf(value).flatMap((v) => (isList(v) ? v : [v]));
      docs.forEach((doc, i) =>
        this.value(holder, `${where}${where === '' ? '' : ' '}${name}[${i}]`, line, doc, dirOf(data.key), depth + 1),
      );
    }
  }

  /** A value where a policy belongs. */
  value(holder: Holder, where: string, line: number, value: Val, dir: string, depth = 0): void {
    for (const option of optionsOf(value)) {
      const ref = option instanceof Ref ? DATA_JSON.exec(option.name)?.[1] : undefined;
      const data = ref === undefined ? undefined : this.side.resources.find((r) => r.key === `${dir}${ref}`);
      if (data && depth < 5) {
        this.document(holder, `${where} (from ${data.id})`, line, data, depth);
        continue;
      }
      if (option instanceof Ref || option instanceof Unknown) {
        this.unreadable.push(unreadable(holder, where, `a policy set to ${shownVal(option)}`, line, shownVal(option, 400)));
        continue;
      }
      const read = readPolicy(option);
      if (!read) continue;
      this.statements(holder, where, line, read.statements);
      if (read.unreadable !== undefined)
        this.unreadable.push(unreadable(holder, where, `a policy (${read.unreadable})`, line, shownVal(option, 400)));
    }
  }
}

export function policiesOf(side: Side): Policies {
  const reader = new Reader(side);
  for (const r of side.resources) {
    if (r.mode === 'data' && r.type === 'aws_iam_policy_document') continue;
    for (const e of entries(r.props)) {
      const named = (r.kind === 'terraform' ? TF_POLICY.test(e.name) : CFN_POLICY.test(e.name)) && !NOT_IAM.test(e.name);
      // Only a policy-named value, or a map that is a policy document wherever it is.
      const isDoc =
        typeof e.value === 'object' &&
        e.value !== null &&
        !Array.isArray(e.value) &&
        !(e.value instanceof Ref) &&
        !(e.value instanceof Unknown) &&
        'Statement' in (e.value as object);
      if (!named && !isDoc) continue;
      if (isList(e.value)) continue;
      reader.value(holderOf(r), shownPath(e.path), r.lineOf(e.path), e.value, dirOf(r.key));
    }
  }
  // A document that nothing here uses is judged on its own (a module output, a later use).
  for (const r of side.resources) {
    if (r.mode === 'data' && r.type === 'aws_iam_policy_document' && !reader.used.has(r.key)) reader.document(holderOf(r), '', r.line, r);
  }
  return { granted: reader.granted, unreadable: reader.unreadable };
}
