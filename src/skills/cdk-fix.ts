/**
 * Fixing a construct of a CDK app: the CloudFormation form of each skill detects on the synthesized
 * resource; the fix is written in the app's TypeScript as props of the construct that made it (the
 * skill's CDK form for an L2; the CloudFormation properties themselves for an L1 `Cfn*`), or, where
 * no prop expresses the setting, as `addPropertyOverride` on the construct's resource, which the
 * pull request says. Nothing here runs the app: `src/iac/cdk/remediate.ts` synthesizes and verifies.
 */
import ts from 'typescript';
import type { TextEdit } from '../iac/edits.js';
import type { Assembly } from '../iac/cdk/assembly.js';
import { propsOf, type ConstructSite } from '../iac/cdk/construct.js';
import { referenceTo } from '../iac/cdk/imports.js';
import type { CdkLocation } from '../iac/cdk/locate.js';
import { renderLiteral, setProps, type CdkProp, type CdkValue } from '../iac/cdk/props.js';
import { valueOf, type CfnValue } from '../iac/cloudformation/template.js';
import { parseSource } from '../iac/source.js';
import { detect, fix } from './engine.js';
import { formatMessage, type Skill, type SkillOptions } from './types.js';

/** What one skill does to one located construct. */
export type ConstructFix =
  /** Nothing the skill can fix: compliant (`suggestions` empty) or only a person's call. */
  | { readonly status: 'unfixed'; readonly suggestions: readonly string[] }
  | {
      readonly status: 'fixed';
      readonly edits: readonly TextEdit[];
      readonly messages: readonly string[];
      readonly notes: readonly string[];
    };

const L1 = /\.Cfn[A-Z]\w*$/;
const isIntrinsic = (v: CfnValue): boolean =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).some((k) => k === 'Ref' || k.startsWith('Fn::'));

function hasIntrinsic(v: CfnValue): boolean {
  if (isIntrinsic(v)) return true;
  if (Array.isArray(v)) return v.some(hasIntrinsic);
  return typeof v === 'object' && v !== null && Object.values(v).some(hasIntrinsic);
}

/** `SSEAlgorithm` → `sseAlgorithm`, `KMSMasterKeyID` → `kmsMasterKeyId`: how aws-cdk-lib names L1 props. */
export function l1PropName(name: string): string {
  const words = name.match(/[A-Z]+(?=[A-Z][a-z]|\d|$)|[A-Z]?[a-z]+|\d+|[A-Z]+/g) ?? [name];
  return words.map((w, i) => (i === 0 ? w.toLowerCase() : w[0]!.toUpperCase() + w.slice(1).toLowerCase())).join('');
}

/** A CloudFormation property value as an L1 prop value: nested property types' keys in camel case. */
function l1Value(v: CfnValue): CdkValue {
  if (Array.isArray(v)) return v.map(l1Value);
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [l1PropName(k), l1Value(x)]));
  return v ?? '';
}

/** The resource's top-level properties the CloudFormation form's fix changes, with their new values. */
async function cfnChanges(
  skill: Skill,
  template: { path: string; text: string },
  logicalId: string,
  options: SkillOptions,
): Promise<Map<string, CfnValue> | string> {
  const result = await fix(skill, 'cloudformation', [template], options, logicalId);
  const after = result.files.get(template.path);
  if (after === undefined) return 'the CloudFormation fix changes nothing';
  const properties = async (text: string): Promise<Record<string, CfnValue>> => {
    const source = await parseSource('cloudformation', [{ path: template.path, text }]);
    const r = source.kind === 'cloudformation' ? source.template.resources.find((x) => x.logicalId === logicalId) : undefined;
    const value = r ? valueOf(r.node.get('Properties', true)) : {};
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? value : {};
  };
  const [b, a] = [await properties(template.text), await properties(after)];
  const changed = new Map<string, CfnValue>();
  for (const key of new Set([...Object.keys(b), ...Object.keys(a)])) {
    if (JSON.stringify(b[key]) === JSON.stringify(a[key])) continue;
    if (!(key in a)) return `the CloudFormation fix removes ${key}, which a prop cannot express`;
    if (hasIntrinsic(a[key]!)) return `the CloudFormation fix writes ${key} with a reference to another resource`;
    changed.set(key, a[key]!);
  }
  return changed.size === 0 ? 'the CloudFormation fix changes no property of the resource' : changed;
}

/** `(bucket.node.defaultChild as CfnResource).addPropertyOverride(…)` after the statement declaring `bucket`. */
function overrides(site: ConstructSite, changes: ReadonlyMap<string, CfnValue>): TextEdit[] | string {
  const declaration = site.call.parent;
  if (!ts.isVariableDeclaration(declaration) || !ts.isIdentifier(declaration.name) || declaration.initializer !== site.call)
    return 'the construct is not assigned to a variable, which an override would need';
  const statement = declaration.parent.parent;
  if (!ts.isVariableStatement(statement)) return 'the construct is not declared in a statement of its own';
  const cfnResource = referenceTo('aws-cdk-lib.CfnResource', site.source, site.imports);
  if (!cfnResource) return 'the name CfnResource is taken in the file';
  const text = site.source.text;
  const indent = /^[ \t]*/.exec(text.slice(text.lastIndexOf('\n', statement.getStart(site.source) - 1) + 1))![0];
  const name = declaration.name.text;
  const lines = [...changes].map(
    ([key, value]) =>
      `\n${indent}(${name}.node.defaultChild as ${cfnResource.text}).addPropertyOverride('${key}', ${renderLiteral(site, value)});`,
  );
  return [
    { file: site.file, start: statement.end, end: statement.end, text: lines.join('') },
    ...(cfnResource.edit ? [cfnResource.edit] : []),
  ];
}

export interface ConstructFixInput {
  readonly skill: Skill;
  readonly location: CdkLocation;
  /** The site, read from the file as the fixes before this one left it. */
  readonly site: ConstructSite;
  readonly assembly: Assembly;
  readonly options: SkillOptions;
}

/** One skill's fix of one located construct, as edits of its TypeScript. */
export async function fixConstruct(input: ConstructFixInput): Promise<ConstructFix> {
  const { skill, location, site, assembly, options } = input;
  const stack = assembly.stacks.find((s) => s.id === location.stack.id)!;
  const template = { path: `${stack.id}.template.json`, text: stack.template };
  const source = await parseSource('cloudformation', [template]);
  const found = detect(skill, source, options, location.logicalId).flatMap((d) => d.violations);
  const fixable = found.filter((v) => v.fixable);
  const fqn = location.fqn ?? site.fqn ?? '';
  // What to change in the app where no prop expresses the fix (a method call such as addIngressRule).
  const advice = skill.cdk?.constructs.includes(fqn) ? skill.cdk.advice : undefined;
  const inApp = (why: string): string => `In the CDK app (${site.file}:${location.site.line}), ${why}.`;
  const suggestions = found.filter((v) => !v.fixable).map((v) => formatMessage(skill.meta, v));
  if (fixable.length === 0)
    return { status: 'unfixed', suggestions: suggestions.length > 0 && advice ? [...suggestions, inApp(advice)] : suggestions };
  const messages = found.map((v) => formatMessage(skill.meta, v));
  const isDefaultChild = location.resourcePath === `${location.constructPath}/Resource` || location.resourcePath === location.constructPath;
  const person = (why: string): ConstructFix => ({
    status: 'unfixed',
    suggestions: [...suggestions, `${messages.join(' ')} ${inApp(why)}`],
  });
  const byProps = (props: readonly CdkProp[]): ConstructFix => {
    const result = setProps(site, props);
    if (result.reason !== undefined) return person(result.reason);
    const names = props.map((p) => p.name).join(', ');
    return { status: 'fixed', edits: result.edits, messages, notes: [`Set ${names} on ${site.className} '${location.constructPath}'.`] };
  };
  if (skill.cdk?.constructs.includes(fqn) && isDefaultChild && source.kind === 'cloudformation') {
    const resource = source.template.resources.find((r) => r.logicalId === location.logicalId)!;
    const current = ts.isObjectLiteralExpression(site.props as ts.Node) ? propsOf(site.props as ts.ObjectLiteralExpression) : new Map();
    const props = skill.cdk.fix(
      {
        fqn,
        props: new Map([...current].map(([k, v]) => [k, (v as ts.Expression).getText(site.source)])),
        template: source.template,
        resource,
        options,
      },
      fixable,
    );
    if (props.length === 0) return person(advice ?? `no prop of ${site.className} expresses this`);
    return byProps(props);
  }
  const changes = await cfnChanges(skill, template, location.logicalId, options);
  if (typeof changes === 'string') return person(changes);
  if (L1.test(fqn) && location.resourcePath === location.constructPath) {
    return byProps([...changes].map(([key, value]) => ({ name: l1PropName(key), value: l1Value(value) })));
  }
  if (!isDefaultChild) return person(`the resource is made inside ${site.className}, not as its main resource`);
  const written = overrides(site, changes);
  if (typeof written === 'string') return person(`no prop of ${site.className} that cloudmend knows sets this, and ${written}`);
  const keys = [...changes.keys()].join(', ');
  return {
    status: 'fixed',
    edits: written,
    messages,
    notes: [
      `No prop of ${site.className} that cloudmend knows expresses this: the fix overrides ${keys} on its CloudFormation resource ` +
        `(addPropertyOverride, the CDK escape hatch). Prefer a prop if your aws-cdk-lib version has one.`,
    ],
  };
}
