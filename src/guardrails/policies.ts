/**
 * Every policy document of a side, as grants per resource, for `widened-iam`. Read leniently, so
 * that one reference cloudmend cannot follow does not hide the rest, but each reference keeps its
 * name (`${aws_iam_role.ci.arn}`), so that trusting another role is a change. What cannot be read
 * is a fact of its own: a policy set to an expression cloudmend cannot evaluate (`file(...)`, a
 * parameter, another data source's text), or statements that are there but unreadable (an `Effect`
 * from a variable, a `dynamic` principal), because a patch must not widen access where the
 * guardrail cannot look. `aws_iam_policy_document` data sources are read whole: `dynamic`
 * statements, `not_principals` (everyone but those named) and source / override documents.
 */
import { readHclValue, staticValue } from '../iac/terraform/hcl-expr.js';
import { attribute, blocks, type HclBlock } from '../iac/terraform/hcl-structure.js';
import type { TfModule, TfResource } from '../iac/terraform/module.js';
import { dataSourceStatements, labelOf, statementsOf, tfStatements, type Located } from '../skills/iam-no-admin-policy/statements.js';
import { lenientResolver, OPAQUE } from '../skills/policy-document.js';
import { cfnEntries, squash, tfEntries, type Fact } from './facts.js';
import { grantsOf, type Grant } from './grants.js';
import { tfHolder, type Holder, type Side } from './side.js';
import { isRecord } from '../triggers/event-pattern-operators.js';

/** The grants of one statement and where it is written. */
export interface Granted {
  readonly holder: Holder;
  /** ` of assume_role_policy`, ` of Policies[0].PolicyDocument`. */
  readonly where: string;
  readonly label: string;
  readonly grants: readonly Grant[];
}

export interface Policies {
  readonly granted: readonly Granted[];
  /** Policies, or statements of them, that cloudmend cannot read. */
  readonly unreadable: readonly Fact[];
}

function granted(holder: Holder, where: string, located: readonly Located[]): Granted[] {
  return located.map((l) => ({ holder, where: where === '' ? '' : ` of ${where}`, label: labelOf(l), grants: grantsOf(l.statement) }));
}

function short(text: string): string {
  return text.length > 80 ? `${text.slice(0, 79)}…` : text;
}

function unreadable(holder: Holder, where: string, text: string, what: string): Fact {
  return { holder, key: `unreadable ${where} ${squash(text)}`, message: `${holder.id} has ${what} in ${where}: cloudmend cannot read it, so it cannot rule out a widening` };
}

/** Statements a JSON policy (value or text) has, readable or not; undefined when it is not a policy. */
function statementCount(doc: unknown): number | undefined {
  let value = doc;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      return undefined;
    }
  }
  const raw = value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as { Statement?: unknown }).Statement : undefined;
  return raw === undefined ? undefined : Array.isArray(raw) ? raw.length : 1;
}

/** References keep their names: `\0unresolved\0aws_iam_role.ci.arn\0unresolved\0`. */
function reading(module: TfModule): TfModule {
  return { ...module, resolve: lenientResolver(module, (path) => (/^(var|local)\./.test(path) ? undefined : `${OPAQUE}${path}${OPAQUE}`)) };
}

const DATA_JSON = new RegExp(`^${OPAQUE}(data\\.aws_iam_policy_document\\.[\\w-]+)\\.(?:minified_)?json${OPAQUE}$`);

/** A statement of a data source with `not_principals`, or principals it cannot list, is read as for everyone. */
function widened(l: Located, block: HclBlock | undefined): Located {
  const hidden = block && (blocks(block.body, 'not_principals').length > 0 || blocks(block.body, 'dynamic').some((d) => /^(not_)?principals$/.test(d.labels[0] ?? '')));
  return hidden ? { ...l, statement: { ...l.statement, principal: '*', notPrincipal: true } } : l;
}

function fromData(module: TfModule, data: TfResource, holder: Holder, where: string, depth = 0): Policies {
  const body = data.block.body;
  const dynamic = blocks(body, 'dynamic').filter((d) => d.labels[0] === 'statement').flatMap((d) => blocks(d.body, 'content'));
  const statements = [...blocks(body, 'statement'), ...dynamic].map((b) => ({ ...b, type: 'statement' }));
  const whole = { ...data, block: { ...data.block, body: { items: statements } } };
  const located = dataSourceStatements(module, whole).map((l) => widened(l, statements[l.index]));
  const out: Granted[] = granted(holder, where, located);
  const facts: Fact[] = located.length < statements.length ? [unreadable(holder, where, data.file.text.slice(data.block.span.start, data.block.span.end), 'a statement whose effect is not static')] : [];
  for (const name of ['source_policy_documents', 'override_policy_documents', 'source_json', 'override_json']) {
    const attr = attribute(body, name);
    if (!attr) continue;
    const value = staticValue(readHclValue(attr.expr), module.resolve);
    const docs = Array.isArray(value) ? value : [value];
    docs.forEach((doc, i) => {
      const at = `${where === '' ? '' : `${where} `}${name}${Array.isArray(value) ? `[${i}]` : ''}`;
      const other = typeof doc === 'string' ? DATA_JSON.exec(doc)?.[1] : undefined;
      const source = other === undefined ? undefined : module.resources.find((r) => r.address === other);
      if (source && depth < 5) {
        const nested = fromData(module, source, holder, `${at} (from ${source.address})`, depth + 1);
        out.push(...nested.granted);
        facts.push(...nested.unreadable);
        return;
      }
      const read = statementsOf(doc);
      out.push(...granted(holder, at, read));
      if (read.length < (statementCount(doc) ?? Infinity)) facts.push(unreadable(holder, at, attr.expr, 'a policy document'));
    });
  }
  return { granted: out, unreadable: facts };
}

/** Attribute and property names that hold policies. */
const TF_POLICY = /(^|_)polic(y|ies)(_document)?$|^policy_text$/;
const CFN_POLICY = /Polic(y|ies)(Document|Text)?$/;

function tfPolicies(module: TfModule): Policies {
  const lenient = reading(module);
  const used = new Set<string>();
  const out: Granted[] = [];
  const facts: Fact[] = [];
  for (const e of tfEntries(module)) {
    if (e.resource.mode === 'data' && e.resource.type === 'aws_iam_policy_document') continue;
    const { located, data } = tfStatements(lenient, e.body, e.attr.name);
    if (data) {
      used.add(data.address);
      const read = fromData(lenient, data, e.holder, `${e.path} (from ${data.address})`);
      out.push(...read.granted);
      facts.push(...read.unreadable);
      continue;
    }
    out.push(...granted(e.holder, e.path, located));
    if (!TF_POLICY.test(e.attr.name)) continue;
    const value = staticValue(readHclValue(e.attr.expr), lenient.resolve);
    if (typeof value === 'string' && DATA_JSON.test(value)) continue;
    // Statements as written: the JSON's when it parses, else every `Effect` the expression names.
    const count = value === undefined ? (e.attr.expr.match(/\bEffect\b/gi)?.length ?? 0) : statementCount(value);
    if (located.length < (count ?? 0)) facts.push(unreadable(e.holder, e.path, e.attr.expr, 'a policy statement'));
    else if ((value === undefined && located.length === 0) || (typeof value === 'string' && value.includes(OPAQUE) && count === undefined)) {
      facts.push(unreadable(e.holder, e.path, e.attr.expr, `a policy set to ${short(squash(e.attr.expr))}`));
    }
  }
  // A document that no resource uses here is judged on its own (a module output, a future use).
  for (const r of module.resources) {
    if (r.mode !== 'data' || r.type !== 'aws_iam_policy_document' || used.has(r.address)) continue;
    const read = fromData(lenient, r, tfHolder(r), '');
    out.push(...read.granted);
    facts.push(...read.unreadable);
  }
  return { granted: out, unreadable: facts };
}


/** `Fn::Sub` text with each `${X}` as an opaque reference, when it is JSON. */
function subText(value: unknown): string | undefined {
  const sub = isRecord(value) ? value['Fn::Sub'] : undefined;
  const text = typeof sub === 'string' ? sub : Array.isArray(sub) && typeof sub[0] === 'string' ? sub[0] : undefined;
  const escaped = OPAQUE.replace(/\0/g, '\\u0000');
  return text?.replace(/\$\{([^}]*)\}/g, (_, name: string) => `${escaped}${name}${escaped}`);
}

function cfnPolicies(side: Side): Policies {
  const out: Granted[] = [];
  const facts: Fact[] = [];
  for (const e of cfnEntries(side)) {
    const named = CFN_POLICY.test(e.name);
    const text = named ? (typeof e.value === 'string' ? e.value : subText(e.value)) : undefined;
    const doc = isRecord(e.value) && 'Statement' in e.value ? e.value : text !== undefined && statementCount(text) !== undefined ? text : undefined;
    if (doc !== undefined) {
      const located = statementsOf(doc);
      out.push(...granted(e.holder, e.path, located));
      if (located.length < (statementCount(doc) ?? 0)) facts.push(unreadable(e.holder, e.path, JSON.stringify(e.value), 'a policy statement'));
      continue;
    }
    // `!Ref`, `!ImportValue`, `!Join`, a `!Sub` that is not JSON: a policy cloudmend cannot see (`Fn::If` branches are read one by one).
    const intrinsic = isRecord(e.value) && Object.keys(e.value).length === 1 && /^(Ref|Fn::(?!If$).+)$/.test(Object.keys(e.value)[0] ?? '');
    if (named && intrinsic) facts.push(unreadable(e.holder, e.path, JSON.stringify(e.value), `a policy set to ${short(JSON.stringify(e.value))}`));
  }
  return { granted: out, unreadable: facts };
}

export function policiesOf(side: Side): Policies {
  return side.kind === 'terraform' ? tfPolicies(side.module) : cfnPolicies(side);
}
