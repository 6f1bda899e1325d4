/**
 * A CDK app's findings, fixed and verified: the app is synthesized (in the jail, by `synth`), each
 * finding is located to the construct expression that made its resource, the skills covering its
 * control write props there, and the patched app is synthesized again. The fix stands only if
 * the patched app synthesizes; each skill's CloudFormation detector finds nothing fixable left on
 * the resource; no skill finds anything new anywhere in the app's stacks; the templates change
 * only in resources under the fixed constructs (and nothing outside Resources); and fixing again
 * changes nothing. Edits are confined to the construct's arguments, the file's imports and, for
 * an override, the line after the construct's declaration.
 */
import ts from 'typescript';
import type { Finding } from '../findings/finding.js';
import type { AppFile, CdkApp } from '../iac/cdk/app.js';
import type { Assembly, SynthesizedStack } from '../iac/cdk/assembly.js';
import { offsetOf, siteAt, type ConstructSite } from '../iac/cdk/construct.js';
import { locateConstruct, type CdkLocation } from '../iac/cdk/locate.js';
import type { SynthResult } from '../iac/cdk/synth.js';
import { applyEdits, assertConfined, type AllowedRange, type TextEdit } from '../iac/edits.js';
import { parseSource } from '../iac/source.js';
import { fixConstruct } from './cdk-fix.js';
import { detect } from './engine.js';
import type { Skill, SkillOptions } from './types.js';
import type { Check } from './verify.js';

export interface CdkFinding {
  /** The caller's key for the finding (its fingerprint). */
  readonly key: string;
  readonly finding: Finding;
  /** The skills covering its control, CloudFormation form required. */
  readonly skills: readonly Skill[];
}

export type CdkOutcome =
  | { readonly key: string; readonly outcome: 'fixed'; readonly location: CdkLocation; readonly skills: readonly string[] }
  | { readonly key: string; readonly outcome: 'no_target'; readonly reason: string }
  /** Only a person can fix it (`reason` says what), or the app cannot be synthesized here. */
  | { readonly key: string; readonly outcome: 'recommended'; readonly reason: string; readonly location?: CdkLocation | undefined }
  /** The code already satisfies the control: the deployed resource differs from it. */
  | { readonly key: string; readonly outcome: 'no_fix'; readonly reason: string; readonly location: CdkLocation };

export interface CdkRemediation {
  readonly outcomes: readonly CdkOutcome[];
  /** Path → patched text of the files the fix changed (the app's TypeScript only). */
  readonly changed: ReadonlyMap<string, string>;
  readonly checks: readonly Check[];
  /** The synthesized templates of the stacks whose template changed, before and after, for the guardrail. */
  readonly templates: readonly { readonly stack: string; readonly before: string; readonly after: string }[];
  readonly notes: readonly string[];
  readonly messages: readonly string[];
  /** Set when a check failed: the fix is a bug, never a pull request. */
  readonly failed?: string | undefined;
}

export interface CdkRemediateInput {
  readonly app: CdkApp;
  readonly files: readonly AppFile[];
  readonly findings: readonly CdkFinding[];
  readonly options: SkillOptions;
  /** Every skill with a CloudFormation form: none may find anything new in the patched stacks. */
  readonly allSkills: readonly Skill[];
  readonly synth: (files: readonly AppFile[]) => Promise<SynthResult>;
}

/** Offsets of the original text carried through the edits applied since, batch by batch. */
class Texts {
  private readonly current = new Map<string, string>();
  private readonly applied = new Map<string, TextEdit[][]>();

  constructor(private readonly original: ReadonlyMap<string, string>) {}

  text(file: string): string | undefined {
    return this.current.get(file) ?? this.original.get(file);
  }

  originalText(file: string): string | undefined {
    return this.original.get(file);
  }

  /** Where `offset` of the original text is now. */
  moved(file: string, offset: number): number {
    let at = offset;
    for (const batch of this.applied.get(file) ?? []) {
      const before = at;
      for (const e of batch) if (e.end <= before) at += e.text.length - (e.end - e.start);
    }
    return at;
  }

  apply(file: string, edits: readonly TextEdit[]): void {
    this.current.set(file, applyEdits(this.text(file)!, edits));
    this.applied.set(file, [...(this.applied.get(file) ?? []), [...edits]]);
  }

  changed(): Map<string, string> {
    return new Map([...this.current].filter(([path, text]) => this.original.get(path) !== text));
  }
}

/** Where a fix of `site` may write: its arguments, the file's imports, and the line after its declaration. */
function allowedRanges(site: ConstructSite): AllowedRange[] {
  const { source, call, file } = site;
  const ranges: AllowedRange[] = [{ file, start: call.getStart(source), end: call.end, why: `the construct expression ${site.className}` }];
  const imports = site.imports.declarations;
  ranges.push(
    imports.length === 0
      ? { file, start: 0, end: 0, why: 'a new import' }
      : { file, start: imports[0]!.getStart(source), end: imports[imports.length - 1]!.end, why: 'the imports' },
  );
  let statement: ts.Node = call;
  while (statement.parent && !ts.isVariableStatement(statement) && !ts.isSourceFile(statement.parent)) statement = statement.parent;
  if (ts.isVariableStatement(statement)) ranges.push({ file, start: statement.end, end: statement.end, why: 'after the declaration' });
  return ranges;
}

function siteOf(location: CdkLocation, texts: Texts): ConstructSite | string {
  const { file, line, column } = location.site;
  const original = texts.originalText(file);
  const offset = original === undefined ? undefined : offsetOf(original, line, column);
  if (offset === undefined) return `${file}:${line}:${column} is not in the app`;
  return siteAt(file, texts.text(file)!, texts.moved(file, offset));
}

const stackOf = (assembly: Assembly, id: string): SynthesizedStack | undefined => assembly.stacks.find((s) => s.id === id);

interface Fixed {
  readonly key: string;
  readonly location: CdkLocation;
  readonly skills: Skill[];
}

/** Every violation any skill finds in the assembly, keyed by stack, construct path, skill and message. */
async function violations(assembly: Assembly, skills: readonly Skill[], options: SkillOptions): Promise<Set<string>> {
  const out = new Set<string>();
  for (const stack of assembly.stacks) {
    const source = await parseSource('cloudformation', [{ path: `${stack.id}.template.json`, text: stack.template }]);
    const paths = new Map(stack.resources.map((r) => [r.logicalId, r.path]));
    for (const skill of skills)
      for (const d of detect(skill, source, options))
        for (const v of d.violations) out.add(`${stack.id} ${paths.get(v.resource) ?? v.resource} ${skill.meta.id}:${v.messageId}`);
  }
  return out;
}

type Template = { Resources?: Record<string, unknown> } & Record<string, unknown>;

/** Resources that changed outside the fixed constructs, and template sections that changed at all. */
function outsideScope(before: Assembly, after: Assembly, scope: readonly string[]): string[] {
  const inScope = (path: string | undefined): boolean => path !== undefined && scope.some((p) => path === p || path.startsWith(`${p}/`));
  const problems: string[] = [];
  const ids = new Set([...before.stacks.map((s) => s.id), ...after.stacks.map((s) => s.id)]);
  for (const id of ids) {
    const [b, a] = [stackOf(before, id), stackOf(after, id)];
    if (!b || !a) {
      problems.push(`stack ${id} ${b ? 'disappeared' : 'appeared'}`);
      continue;
    }
    const [tb, ta] = [JSON.parse(b.template) as Template, JSON.parse(a.template) as Template];
    for (const section of new Set([...Object.keys(tb), ...Object.keys(ta)]))
      if (section !== 'Resources' && JSON.stringify(tb[section]) !== JSON.stringify(ta[section]))
        problems.push(`${id}: ${section} changed`);
    const [rb, ra] = [tb.Resources ?? {}, ta.Resources ?? {}];
    const pathOf = (stack: SynthesizedStack, logicalId: string) => stack.resources.find((r) => r.logicalId === logicalId)?.path;
    for (const logicalId of new Set([...Object.keys(rb), ...Object.keys(ra)])) {
      if (JSON.stringify(rb[logicalId]) === JSON.stringify(ra[logicalId])) continue;
      const path = pathOf(a, logicalId) ?? pathOf(b, logicalId);
      if (!inScope(path)) problems.push(`${id}: ${logicalId} (${path ?? 'no construct path'}) changed`);
    }
  }
  return problems;
}

/** Locates and fixes the findings of one app, then synthesizes the patched app and verifies it. */
export async function remediateApp(input: CdkRemediateInput): Promise<CdkRemediation> {
  const { findings, options } = input;
  const empty = { changed: new Map<string, string>(), checks: [], templates: [], notes: [], messages: [] };
  const before = await input.synth(input.files);
  if (!before.assembly)
    return {
      ...empty,
      outcomes: findings.map((f) => ({
        key: f.key,
        outcome: 'recommended',
        reason: `the CDK app cannot be synthesized here: ${before.reason}`,
      })),
    };
  const texts = new Texts(new Map(input.files.map((f) => [f.path, f.text])));
  const outcomes: CdkOutcome[] = [];
  const fixed: Fixed[] = [];
  const notes: string[] = [];
  const messages: string[] = [];
  for (const { key, finding, skills } of findings) {
    const located = await locateConstruct(finding, before.assembly, input.files);
    if (!located.found) {
      outcomes.push({ key, outcome: 'no_target', reason: located.tried.join('; ') });
      continue;
    }
    const { location } = located;
    const used: Skill[] = [];
    const suggestions: string[] = [];
    for (const skill of skills) {
      const site = siteOf(location, texts);
      if (typeof site === 'string') {
        suggestions.push(site);
        continue;
      }
      const result = await fixConstruct({ skill, location, site, assembly: before.assembly, options });
      if (result.status === 'unfixed') {
        suggestions.push(...result.suggestions);
        continue;
      }
      assertConfined(result.edits, allowedRanges(site), skill.meta.id);
      texts.apply(site.file, result.edits);
      used.push(skill);
      notes.push(...result.notes);
      messages.push(...result.messages);
    }
    if (used.length > 0) fixed.push({ key, location, skills: used });
    else if (suggestions.length > 0)
      outcomes.push({ key, outcome: 'recommended', reason: `only a person can fix this: ${suggestions.join(' ')}`, location });
    else
      outcomes.push({
        key,
        outcome: 'no_fix',
        location,
        reason: `the app already satisfies ${finding.controlId ?? 'the control'} for ${location.constructPath}: the deployed resource differs from it (drift, or the app is not deployed as committed)`,
      });
  }
  const changed = texts.changed();
  if (fixed.length === 0) return { ...empty, outcomes };
  outcomes.push(
    ...fixed.map((f) => ({ key: f.key, outcome: 'fixed' as const, location: f.location, skills: f.skills.map((s) => s.meta.id) })),
  );
  const patched = input.files.map((f) => ({ path: f.path, text: changed.get(f.path) ?? f.text }));
  const after = await input.synth(patched);
  const base = { outcomes, changed, notes: [...new Set(notes)], messages };
  if (!after.assembly) {
    const check: Check = { name: 'synthesizes', status: 'failed', detail: `the patched app does not synthesize: ${after.reason}` };
    return { ...base, checks: [check], templates: [], failed: check.detail };
  }
  const checks: Check[] = [
    { name: 'synthesizes', status: 'passed', detail: `the patched app synthesizes ${after.assembly.stacks.length} stack(s)` },
  ];
  // Each fixed resource, found again by its construct path: its skills find nothing fixable left.
  for (const f of fixed) {
    const stack = stackOf(after.assembly, f.location.stack.id);
    const resource = stack?.resources.find((r) => r.path === f.location.resourcePath);
    const ids = f.skills.map((s) => s.meta.id).join(', ');
    if (!stack || !resource) {
      checks.push({ name: 'detect-clean', status: 'failed', detail: `${f.location.resourcePath} is gone from the patched app` });
      continue;
    }
    const source = await parseSource('cloudformation', [{ path: `${stack.id}.template.json`, text: stack.template }]);
    const left = f.skills.flatMap((s) =>
      detect(s, source, options, resource.logicalId).flatMap((d) => d.violations.filter((v) => v.fixable)),
    );
    checks.push(
      left.length === 0
        ? { name: 'detect-clean', status: 'passed', detail: `${ids} finds nothing left to fix on ${f.location.constructPath}` }
        : {
            name: 'detect-clean',
            status: 'failed',
            detail: `${ids} still finds ${left.map((v) => v.messageId).join(', ')} on ${f.location.constructPath}`,
          },
    );
  }
  const [was, is] = [
    await violations(before.assembly, input.allSkills, options),
    await violations(after.assembly, input.allSkills, options),
  ];
  const added = [...is].filter((v) => !was.has(v));
  checks.push(
    added.length === 0
      ? {
          name: 'stack-clean',
          status: 'passed',
          detail: `no skill finds anything new in the app's ${after.assembly.stacks.length} stack(s)`,
        }
      : { name: 'stack-clean', status: 'failed', detail: `the patch adds: ${added.slice(0, 5).join('; ')}` },
  );
  const scope = [...new Set(fixed.flatMap((f) => f.location.instances))];
  const outside = outsideScope(before.assembly, after.assembly, scope);
  checks.push(
    outside.length === 0
      ? { name: 'template-scope', status: 'passed', detail: `the templates change only under ${scope.join(', ')}` }
      : {
          name: 'template-scope',
          status: 'failed',
          detail: `the templates change outside the fixed constructs: ${outside.slice(0, 5).join('; ')}`,
        },
  );
  // Fixing the patched app again changes nothing.
  const again = new Texts(new Map(patched.map((f) => [f.path, f.text])));
  let idempotent = true;
  for (const f of fixed) {
    // Located once per finding in the patched app; each of its skills then tries again there.
    const located = await locateConstruct(findings.find((x) => x.key === f.key)!.finding, after.assembly, patched);
    const site = located.found ? siteOf(located.location, again) : 'not located';
    if (typeof site === 'string' || !located.found) {
      idempotent = false;
      continue;
    }
    for (const skill of f.skills)
      if ((await fixConstruct({ skill, location: located.location, site, assembly: after.assembly, options })).status === 'fixed')
        idempotent = false;
  }
  checks.push(
    idempotent
      ? { name: 'idempotent', status: 'passed', detail: 'fixing the patched app again changes nothing' }
      : { name: 'idempotent', status: 'failed', detail: 'fixing the patched app again would change it' },
  );
  const templates = after.assembly.stacks.flatMap((a) => {
    const b = stackOf(before.assembly, a.id);
    return b && b.template !== a.template ? [{ stack: a.stackName, before: b.template, after: a.template }] : [];
  });
  const failed = checks.filter((c) => c.status === 'failed');
  return { ...base, checks, templates, ...(failed.length > 0 ? { failed: failed.map((c) => `${c.name}: ${c.detail}`).join('; ') } : {}) };
}
