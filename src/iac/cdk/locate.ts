/**
 * Finding → the construct in a CDK app's TypeScript that declares its resource. The synthesized
 * templates are located like any CloudFormation repository (stack tags, names; src/iac/locate.ts),
 * which gives the stack and logical id; the assembly's metadata gives the construct path and the
 * stack trace at which the app created it; the innermost frame in the app's own code is the
 * `new X(scope, id, props)` to edit, wherever it is: a stack, a helper function, another file, a
 * construct of the app's own. Never a guess: each step that does not give one answer says why.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Finding } from '../../findings/finding.js';
import { locate, SOURCE_TAG_ADVICE } from '../locate.js';
import type { AppFile } from './app.js';
import type { Assembly, Frame, StackResource, SynthesizedStack } from './assembly.js';
import { offsetOf, siteAt } from './construct.js';

/** Classes that hold constructs but are not one a finding is about. */
const SCOPES = new Set(['aws-cdk-lib.App', 'aws-cdk-lib.Stage', 'aws-cdk-lib.Stack', 'aws-cdk-lib.NestedStack']);

export interface CdkLocation {
  /** The stack's artifact id and CloudFormation name. */
  readonly stack: { readonly id: string; readonly name: string };
  readonly logicalId: string;
  /** The construct path of the CloudFormation resource. */
  readonly resourcePath: string;
  /** The construct the source expression creates (the resource itself for an L1, its L2 otherwise). */
  readonly constructPath: string;
  readonly fqn?: string | undefined;
  /** Where the expression is: the innermost frame of the app's own code. */
  readonly site: Frame;
  /** Every construct the same expression created (a helper called twice, a loop), this one included. */
  readonly instances: readonly string[];
  /** How the resource was found in the synthesized templates. */
  readonly strategy: string;
}

export type CdkLocateResult =
  | { readonly found: true; readonly location: CdkLocation; readonly tried: readonly string[] }
  | { readonly found: false; readonly tried: readonly string[] };

export const CDK_LOCATE_ADVICE =
  'a resource CloudFormation deployed carries the tags aws:cloudformation:stack-name and aws:cloudformation:logical-id, ' +
  'which locate it in the app; a finding without them is matched by the resource name the app gives it';

const templateFile = (stack: SynthesizedStack): string => `${stack.id}.template.json`;

/** The stack and logical id of the finding's resource, found in the synthesized templates. */
async function inTemplates(finding: Finding, assembly: Assembly) {
  const dir = mkdtempSync(join(tmpdir(), 'cloudmend-cdk-templates-'));
  try {
    for (const stack of assembly.stacks) {
      mkdirSync(dirname(join(dir, templateFile(stack))), { recursive: true });
      writeFileSync(join(dir, templateFile(stack)), stack.template);
    }
    const templates = Object.fromEntries(assembly.stacks.map((s) => [s.stackName, templateFile(s)]));
    const result = await locate(finding, { name: 'app', root: dir, iac: 'cloudformation', templates });
    const tried = result.tried.filter((t) => t !== SOURCE_TAG_ADVICE);
    if (!result.found) return { tried };
    const stack = assembly.stacks.find((s) => templateFile(s) === result.target.file)!;
    return { tried, stack, logicalId: result.target.address, strategy: result.target.strategy };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Ancestors of a construct path, nearest first, the path itself included. */
function ancestors(path: string): string[] {
  const parts = path.split('/');
  return parts.map((_, i) => parts.slice(0, parts.length - i).join('/'));
}

const sameFrame = (a: Frame | undefined, b: Frame): boolean =>
  a !== undefined && a.file === b.file && a.line === b.line && a.column === b.column;

/** Which ancestor of `resource` the expression at its innermost frame created; or why none can be told. */
function constructOf(
  resource: StackResource,
  assembly: Assembly,
  files: ReadonlyMap<string, string>,
): { path: string; fqn?: string } | string {
  const frame = resource.trace[0];
  if (!frame) return `the app's stack trace for ${resource.path} has no frame in the app's own code`;
  const text = files.get(frame.file);
  if (text === undefined) return `the stack trace for ${resource.path} points at ${frame.file}, which is not a file of the repository`;
  const offset = offsetOf(text, frame.line, frame.column);
  if (offset === undefined) return `${frame.file} has no line ${frame.line} column ${frame.column}, where the stack trace points`;
  const site = siteAt(frame.file, text, offset);
  if (typeof site === 'string') return site;
  const where = `${frame.file}:${frame.line}`;
  const candidates = ancestors(resource.path).filter((p) => !SCOPES.has(assembly.fqns[p] ?? ''));
  const last = (p: string): string => p.slice(p.lastIndexOf('/') + 1);
  const simpleName = site.className.slice(site.className.lastIndexOf('.') + 1);
  const matching = candidates.filter((p) => {
    const fqn = assembly.fqns[p];
    if (site.id !== undefined && last(p) !== site.id) return false;
    if (site.fqn !== undefined && fqn !== undefined) return fqn === site.fqn;
    return site.id !== undefined || (fqn !== undefined && fqn.endsWith(`.${simpleName}`));
  });
  if (matching.length !== 1) {
    const made = `new ${site.className}(…${site.id === undefined ? '' : `, '${site.id}'`}…) at ${where}`;
    return matching.length === 0
      ? `${made} does not create ${resource.path} or a construct above it`
      : `${made} could have created any of ${matching.join(', ')}`;
  }
  const path = matching[0]!;
  return { path, ...(assembly.fqns[path] === undefined ? {} : { fqn: assembly.fqns[path] }) };
}

/** Finds the construct that declares the finding's resource in the app (`files`) that synthesized `assembly`. */
export async function locateConstruct(finding: Finding, assembly: Assembly, files: readonly AppFile[]): Promise<CdkLocateResult> {
  const found = await inTemplates(finding, assembly);
  const tried = [...found.tried];
  if (!('stack' in found) || !found.stack) return { found: false, tried: [...tried, CDK_LOCATE_ADVICE] };
  const { stack, logicalId } = found;
  const resource = stack.resources.find((r) => r.logicalId === logicalId);
  if (!resource)
    return { found: false, tried: [...tried, `${stack.stackName} ${logicalId} has no construct path in the assembly's metadata`] };
  const texts = new Map(files.map((f) => [f.path, f.text]));
  const construct = constructOf(resource, assembly, texts);
  if (typeof construct === 'string') return { found: false, tried: [...tried, `${stack.stackName} ${logicalId}: ${construct}`] };
  const site = resource.trace[0]!;
  // The same expression run more than once (a helper, a loop) made each construct whose resources it created.
  const instances = assembly.stacks.flatMap((s) =>
    s.resources
      .filter((r) => sameFrame(r.trace[0], site))
      .flatMap((r) => {
        const made = constructOf(r, assembly, texts);
        return typeof made === 'string' ? [] : [made.path];
      }),
  );
  return {
    found: true,
    tried,
    location: {
      stack: { id: stack.id, name: stack.stackName },
      logicalId,
      resourcePath: resource.path,
      constructPath: construct.path,
      fqn: construct.fqn,
      site,
      instances: [...new Set(instances)],
      strategy: found.strategy,
    },
  };
}
