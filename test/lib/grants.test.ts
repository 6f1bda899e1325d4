/**
 * Every AWS call a deployed piece of cloudmend can make is granted to its role: each Lambda entry
 * (the SDK commands reachable through its imports), the sandbox container, and each state machine
 * (its ASL's integrations). The list of calls and the action that grants each is kept in
 * __snapshots__/grants.txt, so a new call, or a grant that changes, shows in review.
 */
import { readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../lib/project.js';
import { exampleStack } from './fixture.js';
import { aslCalls, sdkCallsFrom, type Call } from './sdk-calls.js';

type Resource = { Type: string; Properties: Record<string, unknown> };
type Template = { Resources: Record<string, Resource> };
type Statement = { Effect: string; Action: string | string[] };
interface Principal {
  readonly name: string;
  readonly role: string;
  readonly calls: readonly Call[];
}

const ENTRIES = readdirSync(join(PROJECT_ROOT, 'functions'))
  .filter((f) => f.endsWith('.ts'))
  .map((f) => f.slice(0, -3));
const callsOf = new Map(ENTRIES.map((entry) => [entry, sdkCallsFrom(join(PROJECT_ROOT, 'functions', `${entry}.ts`))]));
const SANDBOX_CALLS = sdkCallsFrom(join(PROJECT_ROOT, 'src', 'sandbox', 'main.ts'));

const getAttOf = (value: unknown): string | undefined => (value as { 'Fn::GetAtt'?: [string, string] } | undefined)?.['Fn::GetAtt']?.[0];

function ofType(template: Template, type: string): [string, Resource][] {
  return Object.entries(template.Resources).filter(([, r]) => r.Type === type);
}

/** What runs in the template and the role each runs as. */
function principals(template: Template): Principal[] {
  const functions = ofType(template, 'AWS::Lambda::Function');
  const found: Principal[] = ENTRIES.map((entry) => {
    const fn = functions.find(([, r]) => String(r.Properties.Description).startsWith(`cloudmend ${entry}: `));
    if (!fn) throw new Error(`functions/${entry}.ts has no Lambda function in the template`);
    return { name: `function ${entry}`, role: getAttOf(fn[1].Properties.Role)!, calls: callsOf.get(entry)! };
  });
  const [sandbox, ...others] = ofType(template, 'AWS::ECS::TaskDefinition');
  expect(others).toEqual([]);
  found.push({ name: 'sandbox container', role: getAttOf(sandbox![1].Properties.TaskRoleArn)!, calls: SANDBOX_CALLS });
  for (const [id, machine] of ofType(template, 'AWS::StepFunctions::StateMachine')) {
    const {
      DefinitionString: definition,
      DefinitionSubstitutions: substitutions = {},
      RoleArn: role,
    } = machine.Properties as { DefinitionString: unknown; DefinitionSubstitutions?: Record<string, unknown>; RoleArn: unknown };
    if (typeof definition !== 'string')
      throw new Error(`${id}: its definition is not plain JSON; resolve it before reading its integrations`);
    const isFunction = (placeholder: string): boolean =>
      template.Resources[getAttOf(substitutions[placeholder]) ?? '']?.Type === 'AWS::Lambda::Function';
    const name = `state machine ${id.replace(/[0-9A-F]{8}$/, '')}`;
    const calls = aslCalls(JSON.parse(definition) as Parameters<typeof aslCalls>[0], isFunction);
    found.push({ name, role: getAttOf(role)!, calls: calls.filter((c) => !c.assumed) });
    const assumed = calls.filter((c) => c.assumed);
    if (assumed.length === 0) continue;
    // Calls made as an assumed role: each role of this template the state machine may assume must allow them.
    const targets = assumableRoles(template, getAttOf(role)!);
    if (targets.length === 0) throw new Error(`${name} assumes roles but none of them is in the template`);
    for (const target of targets) found.push({ name: `${name}, as ${target.replace(/[0-9A-F]{8}$/, '')}`, role: target, calls: assumed });
  }
  return found;
}

/** The roles of the template, by name, that `role` may assume (sts:AssumeRole on `…:role/<name>`). */
function assumableRoles(template: Template, role: string): string[] {
  const arns = allowed(template, role)
    .filter((s) => [s.Action].flat().includes('sts:AssumeRole'))
    .flatMap((s) => [(s as Statement & { Resource: unknown }).Resource].flat());
  const names = new Set(arns.map((arn) => /:role\/([\w+=,.@-]+)/.exec(JSON.stringify(arn))?.[1]).filter((n) => n !== undefined));
  return ofType(template, 'AWS::IAM::Role')
    .filter(([, r]) => names.has(String(r.Properties.RoleName)))
    .map(([id]) => id);
}

/** The Allow statements of the role's inline policies and of the policies attached to it. */
function allowed(template: Template, role: string): Statement[] {
  const attached = ofType(template, 'AWS::IAM::Policy')
    .filter(([, p]) => (p.Properties.Roles as { Ref?: string }[]).some((r) => r.Ref === role))
    .map(([, p]) => p.Properties.PolicyDocument);
  const inline = ((template.Resources[role]?.Properties.Policies as { PolicyDocument: unknown }[] | undefined) ?? []).map(
    (p) => p.PolicyDocument,
  );
  return [...attached, ...inline].flatMap((d) => (d as { Statement: Statement[] }).Statement).filter((s) => s.Effect === 'Allow');
}

/** The Action pattern that allows `action` (IAM: case-insensitive, `*` and `?` wildcards), if any. */
function grantOf(action: string, statements: readonly Statement[]): string | undefined {
  const matches = (pattern: string): boolean =>
    new RegExp(
      `^${pattern
        .replace(/[.+^${}()|[\]\\]/g, '\\$&')
        .replace(/\*/g, '.*')
        .replace(/\?/g, '.')}$`,
      'i',
    ).test(action);
  return statements.flatMap((s) => [s.Action].flat()).find(matches);
}

/** Where `action` is called from, shortly: `GetCommand in dynamodb, dynamodb-findings`, `Task Claim, Task Locate`. */
function sources(calls: readonly Call[], action: string): string {
  const byWhat = new Map<string, Set<string>>();
  for (const { via } of calls.filter((c) => c.action === action)) {
    const [what, file] = via.split(' in ') as [string, string | undefined];
    const places = byWhat.get(what) ?? byWhat.set(what, new Set()).get(what)!;
    if (file) places.add(basename(file, '.ts'));
  }
  return [...byWhat]
    .map(([what, places]) => (places.size > 0 ? `${what} in ${[...places].sort().join(', ')}` : what))
    .sort()
    .join('; ');
}

/** The calls and their grants, one principal after another, and the calls no statement allows. */
function audit(template: Template): { listing: string; ungranted: string[] } {
  const lines: string[] = [];
  const ungranted: string[] = [];
  for (const p of principals(template)) {
    lines.push(`${p.name} (role ${p.role.replace(/[0-9A-F]{8}$/, '')})`);
    const statements = allowed(template, p.role);
    const actions = [...new Set(p.calls.map((c) => c.action))].sort();
    for (const action of actions) {
      const grant = grantOf(action, statements);
      if (grant === undefined) ungranted.push(`${p.name}: ${action}`);
      lines.push(
        `  ${action.padEnd(38)} ${grant === undefined ? 'NOT GRANTED' : grant === action ? 'granted' : `granted by ${grant}`}  <- ${sources(p.calls, action)}`,
      );
    }
  }
  return { listing: `${lines.join('\n')}\n`, ungranted };
}

let template: Template;
beforeAll(() => {
  template = exampleStack().template.toJSON() as Template;
}, 60_000);

describe('grants', () => {
  it('allow every call each function, the sandbox and each state machine makes, as listed in grants.txt', async () => {
    const { listing, ungranted } = audit(template);
    expect(ungranted).toEqual([]);
    // Sanity: the analysis sees the calls it must (a walker that finds nothing would pass the check above).
    expect(listing).toMatch(/^function sweep .*\n(\s+dynamodb:\w+ .*\n)*\s+dynamodb:Query +granted +<- QueryCommand in dynamodb-queries$/m);
    expect(listing).toMatch(/^state machine CloudmendRemediateStateMachine .*\n(\s+.*\n)*\s+ecs:RunTask +granted +<- Task Sandbox$/m);
    await expect(listing).toMatchFileSnapshot('__snapshots__/grants.txt');
  });

  it('finds the call whose grant is removed', () => {
    const broken = structuredClone(template);
    const backfillRole = principals(broken).find((p) => p.name === 'function backfill')!.role;
    for (const [, policy] of ofType(broken, 'AWS::IAM::Policy')) {
      if (!(policy.Properties.Roles as { Ref?: string }[]).some((r) => r.Ref === backfillRole)) continue;
      const document = policy.Properties.PolicyDocument as { Statement: Statement[] };
      document.Statement = document.Statement.filter((s) => ![s.Action].flat().includes('securityhub:GetFindings'));
    }
    expect(audit(broken).ungranted).toEqual(['function backfill: securityhub:GetFindings']);
  });

  it('refuses an integration it does not know rather than leave it unchecked', () => {
    const machine = { States: { Send: { Type: 'Task', Resource: 'arn:aws:states:::glue:startJobRun.sync' } } };
    expect(() => aslCalls(machine, () => false)).toThrow(/glue:startJobRun.sync is no integration test\/lib\/sdk-calls.ts knows/);
  });
});
