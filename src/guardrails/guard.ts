/**
 * `cloudmend guard`: the guardrail's rule families over any change between two revisions of a
 * repository — a person's pull request, another tool's, a coding agent's or cloudmend's own. The
 * changed files are grouped the way Terraform and CloudFormation read them: a Terraform module is
 * the files of one directory (all of them, changed or not: a variable default in one file changes
 * what another declares), a CloudFormation template is one file. Other files are listed as not
 * judged. Without a located resource there is no contract to hold the change to, and no size limit:
 * a person's change may be large.
 */
import { parseAllDocuments } from 'yaml';
import { checkPatch } from './index.js';
import { violation } from './facts.js';
import { NEEDS_APPROVAL, type GuardrailViolation, type PatchedFile } from './types.js';

/** One side of the change: the files of a revision, read on demand. */
export interface RevisionFiles {
  readonly paths: readonly string[];
  read(path: string): Promise<string>;
}

export interface GuardUnit {
  readonly kind: 'terraform' | 'cloudformation';
  /** The module's directory (`''` at the top) or the template's path. */
  readonly name: string;
  readonly files: readonly string[];
}

export interface GuardReport {
  readonly passed: boolean;
  readonly units: readonly GuardUnit[];
  /** Changed files that are neither part of a Terraform module nor a CloudFormation template. */
  readonly notJudged: readonly string[];
  readonly violations: readonly (GuardrailViolation & { readonly needsApproval: boolean })[];
}

const TERRAFORM = /(\.tf|\.tf\.json|\.tfvars|\.tfvars\.json|(^|\/)\.terraform\.lock\.hcl)$/;
const TEMPLATE = /\.(ya?ml|json|template)$/i;

const dirOf = (path: string): string => (path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '');

/** True for text that is a CloudFormation template: YAML or JSON with a `Resources` map. */
function isTemplate(text: string | undefined): boolean {
  if (text === undefined || !/Resources/.test(text)) return false;
  try {
    return parseAllDocuments(text).some((doc) => {
      const value = doc.toJS({ maxAliasCount: 0 }) as unknown;
      return value !== null && typeof value === 'object' && !Array.isArray(value) && 'Resources' in value;
    });
  } catch {
    // A file that was a template on one side and does not parse on the other is judged, and refused there.
    return /^\s*"?Resources"?\s*:/m.test(text);
  }
}

async function readOr(side: RevisionFiles, path: string): Promise<string | undefined> {
  return side.paths.includes(path) ? side.read(path) : undefined;
}

/** The modules and templates a change touches, and the changed files that are neither. */
export async function unitsOf(
  changed: readonly string[],
  base: RevisionFiles,
  head: RevisionFiles,
): Promise<{ units: GuardUnit[]; notJudged: string[] }> {
  const units: GuardUnit[] = [];
  const notJudged: string[] = [];
  const modules = new Set<string>();
  // Read together: a revision serves the reads asked for at once in one git process.
  const candidates = changed.filter((path) => !TERRAFORM.test(path) && TEMPLATE.test(path));
  const sides = new Map(
    await Promise.all(candidates.map(async (path) => [path, await Promise.all([readOr(base, path), readOr(head, path)])] as const)),
  );
  for (const path of changed) {
    if (TERRAFORM.test(path)) {
      modules.add(dirOf(path));
      continue;
    }
    const [before, after] = sides.get(path) ?? [];
    if (TEMPLATE.test(path) && (isTemplate(before) || isTemplate(after))) units.push({ kind: 'cloudformation', name: path, files: [path] });
    else notJudged.push(path);
  }
  for (const dir of [...modules].sort()) {
    const files = [...new Set([...base.paths, ...head.paths])].filter((p) => dirOf(p) === dir && TERRAFORM.test(p)).sort();
    units.unshift({ kind: 'terraform', name: dir, files });
  }
  return { units, notJudged };
}

async function judge(unit: GuardUnit, base: RevisionFiles, head: RevisionFiles): Promise<GuardrailViolation[]> {
  const files: PatchedFile[] = await Promise.all(
    unit.files.map(async (path) => {
      const [before, after] = await Promise.all([readOr(base, path), readOr(head, path)]);
      return { path, before, after: after ?? '' };
    }),
  );
  if (unit.kind === 'cloudformation' && !head.paths.includes(unit.name)) {
    // A deleted template is the deletion of its stack's resources.
    return [violation('removed-resource', unit.name, 'the template is deleted: the stack it deploys loses every resource it declares')];
  }
  const limits = { maxChangedLines: Infinity, maxFileGrowthBytes: Infinity, maxChangedFiles: Infinity };
  return checkPatch({
    kind: unit.kind,
    allowedFiles: unit.files,
    files: files.filter((f) => f.before !== undefined || head.paths.includes(f.path)),
    limits,
  });
}

/**
 * Judges the change from `base` to `head` (the paths that differ are `changed`). It passes when
 * no rule objects; a replacement alone passes only with `allowReplacement`.
 */
export async function guardChange(
  changed: readonly string[],
  base: RevisionFiles,
  head: RevisionFiles,
  options: { allowReplacement?: boolean } = {},
): Promise<GuardReport> {
  const { units, notJudged } = await unitsOf(changed, base, head);
  const found = (await Promise.all(units.map((u) => judge(u, base, head)))).flat();
  const violations = found.map((v) => ({ ...v, needsApproval: NEEDS_APPROVAL.has(v.rule) }));
  const passed = violations.every((v) => v.needsApproval && options.allowReplacement === true);
  return { passed, units, notJudged, violations };
}
