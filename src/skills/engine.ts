/**
 * Runs skills over parsed source: which resources each rule checks, their violations, and fixes
 * applied one target at a time (re-parsing in between, so edits never overlap) with every edit
 * confined to what that target may touch.
 */
import { assertConfined, applyFileEdits, type TextEdit } from '../iac/edits.js';
import { alignmentEdits } from '../iac/terraform/format.js';
import {
  addressOf,
  allowedRanges,
  boundTo,
  parseSource,
  resourcesOf,
  typeOf,
  type Source,
  type SourceFile,
  type SourceResource,
} from '../iac/source.js';
import type { CfnTarget, IacKind, IacRule, Skill, SkillOptions, TfTarget, Violation } from './types.js';

type AnyRule = IacRule<TfTarget> | IacRule<CfnTarget>;

export function ruleFor(skill: Skill, kind: IacKind): AnyRule | undefined {
  return kind === 'terraform' ? skill.terraform : skill.cloudformation;
}

function matchesType(rule: AnyRule, r: SourceResource): boolean {
  const type = typeOf(r);
  return rule.resourceTypes.some(
    (t) => t === type || (t.startsWith('module:') && type.startsWith('module:') && type.endsWith(t.slice('module:'.length))),
  );
}

function detectOne(rule: AnyRule, source: Source, r: SourceResource, options: SkillOptions): Violation[] {
  if (source.kind === 'terraform' && r.kind === 'terraform')
    return (rule as IacRule<TfTarget>).detect({ module: source.module, resource: r.resource, options });
  if (source.kind === 'cloudformation' && r.kind === 'cloudformation')
    return (rule as IacRule<CfnTarget>).detect({ template: source.template, resource: r.resource, options });
  return [];
}

function fixOne(rule: AnyRule, source: Source, r: SourceResource, options: SkillOptions, violations: readonly Violation[]) {
  if (source.kind === 'terraform' && r.kind === 'terraform')
    return (rule as IacRule<TfTarget>).fix({ module: source.module, resource: r.resource, options }, violations);
  if (source.kind === 'cloudformation' && r.kind === 'cloudformation')
    return (rule as IacRule<CfnTarget>).fix({ template: source.template, resource: r.resource, options }, violations);
  return { edits: [] };
}

/**
 * The resources a rule checks: with `focus` (a located resource's address), that resource and the
 * resources bound to it; without, every resource of the rule's types in the source.
 */
export function targetsOf(rule: AnyRule, source: Source, focus?: string): SourceResource[] {
  const all = resourcesOf(source);
  if (focus === undefined) return all.filter((r) => matchesType(rule, r));
  const located = all.find((r) => addressOf(r) === focus);
  if (!located) return [];
  return [located, ...boundTo(source, located)].filter((r) => matchesType(rule, r));
}

export interface Detected {
  readonly target: SourceResource;
  readonly violations: readonly Violation[];
}

export function detect(skill: Skill, source: Source, options: SkillOptions, focus?: string): Detected[] {
  const rule = ruleFor(skill, source.kind);
  if (!rule) return [];
  return targetsOf(rule, source, focus)
    .map((target) => ({ target, violations: detectOne(rule, source, target, options) }))
    .filter((d) => d.violations.length > 0);
}

export interface FixResult {
  /** Final text of every file that changed. */
  readonly files: ReadonlyMap<string, string>;
  /** Violations found before fixing. */
  readonly violations: readonly Violation[];
  readonly edits: readonly TextEdit[];
  readonly notes: readonly string[];
}

function filesOf(source: Source): Map<string, string> {
  return source.kind === 'terraform'
    ? new Map(source.module.files.map((f) => [f.path, f.text]))
    : new Map([[source.template.path, source.template.text]]);
}

/**
 * Fixes every fixable violation of `skill` in `files`, target by target. Each target's edits are
 * checked against `allowedRanges` before they are applied; anything else throws.
 */
export async function fix(
  skill: Skill,
  kind: IacKind,
  files: readonly SourceFile[],
  options: SkillOptions,
  focus?: string,
): Promise<FixResult> {
  const rule = ruleFor(skill, kind);
  let source = await parseSource(kind, files);
  const texts = filesOf(source);
  const before = detect(skill, source, options, focus);
  const edits: TextEdit[] = [];
  const notes: string[] = [];
  const changed = new Set<string>();
  for (const { target } of before) {
    if (!rule) break;
    // Re-find the target in the current source: earlier fixes moved offsets.
    const current = resourcesOf(source).find((r) => addressOf(r) === addressOf(target));
    if (!current) continue;
    const violations = detectOne(rule, source, current, options).filter((v) => v.fixable);
    if (violations.length === 0) continue;
    const result = fixOne(rule, source, current, options, violations);
    if (result.edits.length === 0) continue;
    assertConfined(result.edits, allowedRanges(source, current), skill.meta.id);
    for (const [file, text] of applyFileEdits(texts, result.edits)) {
      texts.set(file, text);
      changed.add(file);
    }
    edits.push(...result.edits);
    notes.push(...(result.notes ?? []));
    const known = new Set(resourcesOf(source).map(addressOf));
    const touched = new Set([addressOf(current), ...boundTo(source, current).map(addressOf)]);
    source = await parseSource(
      kind,
      [...texts].map(([path, text]) => ({ path, text })),
    );
    if (source.kind === 'terraform') {
      const alignment = source.module.resources
        .filter((r) => touched.has(r.address) || !known.has(r.address))
        .flatMap((r) => alignmentEdits(r.file, r.block));
      if (alignment.length > 0) {
        for (const [file, text] of applyFileEdits(texts, alignment)) texts.set(file, text);
        source = await parseSource(
          kind,
          [...texts].map(([path, text]) => ({ path, text })),
        );
      }
    }
  }
  return {
    files: new Map([...changed].map((f) => [f, texts.get(f) ?? ''])),
    violations: before.flatMap((d) => d.violations),
    edits,
    notes: [...new Set(notes)],
  };
}
