/**
 * A synthesized cloud assembly (`cdk.out`), read into plain JSON: each stack's template, which
 * construct path made each logical id, the stack trace at which the app created it (aws-cdk-lib
 * records `aws:cdk:creationStack`; tsx maps it to the TypeScript), and each construct's class from
 * the construct tree. Nested assemblies (CDK stages) are read too. The app wrote all of it, so
 * nothing here is trusted beyond being data: sizes are bounded and paths stay inside the copy.
 */
import { lstatSync } from 'node:fs';
import { posix } from 'node:path';
import { isUserFacing } from '../../errors.js';
import { readRepoFile } from '../repo-files.js';

export interface Frame {
  /** Repository-relative path of the app's source file. */
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

export interface StackResource {
  readonly logicalId: string;
  /** The construct path of the CloudFormation resource (`DataStack/Uploads/Resource`). */
  readonly path: string;
  /** The app's own frames where the resource was created, innermost first. */
  readonly trace: readonly Frame[];
}

export interface SynthesizedStack {
  /** The artifact id, with the stage's directory for a nested assembly (`assembly-Prod/Prod-Data`). */
  readonly id: string;
  /** The name CloudFormation knows the stack by. */
  readonly stackName: string;
  /** The template, as JSON text. */
  readonly template: string;
  readonly resources: readonly StackResource[];
}

export interface Assembly {
  readonly stacks: readonly SynthesizedStack[];
  /** Construct path → jsii class (`aws-cdk-lib.aws_s3.Bucket`), from the construct tree. */
  readonly fqns: Readonly<Record<string, string>>;
}

export type AssemblyResult =
  | { readonly assembly: Assembly; readonly reason?: undefined }
  | { readonly assembly?: undefined; readonly reason: string };

/** Bounds on what the app wrote: a template is at most 1 MB in CloudFormation; the rest is metadata. */
const MAX_FILE_BYTES = 16 * 1024 * 1024;
const MAX_DEPTH = 4;

interface Manifest {
  readonly artifacts?: Record<string, Artifact>;
  readonly missing?: readonly { readonly key?: string; readonly provider?: string }[];
}

interface Artifact {
  readonly type?: string;
  readonly properties?: Record<string, unknown>;
  readonly metadata?: Record<string, readonly MetadataEntry[]>;
  readonly additionalMetadataFile?: string;
}

interface MetadataEntry {
  readonly type?: string;
  readonly data?: unknown;
}

class AssemblyError extends Error {}

/** A file the app wrote, read as repository files are: inside the assembly, through no symlink (the app could make one to any host file), bounded. */
function readJson<T>(root: string, dir: string, file: string): T {
  try {
    return JSON.parse(readRepoFile(root, posix.join(dir, file), MAX_FILE_BYTES)) as T;
  } catch (error) {
    if (isUserFacing(error)) throw new AssemblyError(`the assembly's ${posix.join(dir, file)}: ${error.message}`);
    throw error;
  }
}

/** `new DataStack (/cloudmend/work/lib/data-stack.ts:11:21)` → the app's file, line and column. */
export function parseFrame(frame: string, workdir: string): Frame | undefined {
  const match = /\(?((?:\/|[A-Za-z]:)[^()]*?):(\d+):(\d+)\)?\s*$/.exec(frame);
  if (!match) return undefined;
  const [, path, line, column] = match;
  const prefix = `${workdir.replace(/\/$/, '')}/`;
  if (!path!.startsWith(prefix)) return undefined;
  const file = posix.normalize(path!.slice(prefix.length));
  if (file.startsWith('..') || file.split('/').includes('node_modules')) return undefined;
  return { file, line: Number(line), column: Number(column) };
}

function stackResources(metadata: Record<string, readonly MetadataEntry[]>, workdir: string): StackResource[] {
  const resources: StackResource[] = [];
  for (const [path, entries] of Object.entries(metadata)) {
    const logicalId = entries.find((e) => e.type === 'aws:cdk:logicalId')?.data;
    if (typeof logicalId !== 'string') continue;
    const frames = entries.find((e) => e.type === 'aws:cdk:creationStack')?.data;
    const trace = (Array.isArray(frames) ? frames : []).flatMap((f) => (typeof f === 'string' ? (parseFrame(f, workdir) ?? []) : []));
    resources.push({ logicalId, path: path.replace(/^\//, ''), trace });
  }
  return resources;
}

interface TreeNode {
  readonly path?: string;
  readonly constructInfo?: { readonly fqn?: string };
  readonly children?: Record<string, TreeNode>;
}

function collectFqns(node: TreeNode | undefined, into: Record<string, string>): void {
  if (!node || typeof node !== 'object') return;
  if (typeof node.path === 'string' && typeof node.constructInfo?.fqn === 'string') into[node.path] = node.constructInfo.fqn;
  for (const child of Object.values(node.children ?? {})) collectFqns(child, into);
}

function readLevel(
  root: string,
  dir: string,
  workdir: string,
  depth: number,
  out: { stacks: SynthesizedStack[]; fqns: Record<string, string> },
) {
  if (depth > MAX_DEPTH) throw new AssemblyError(`stages are nested more than ${MAX_DEPTH} deep`);
  const manifest = readJson<Manifest>(root, dir, 'manifest.json');
  const missing = manifest.missing ?? [];
  if (missing.length > 0) {
    const what = missing.map((m) => `${m.provider ?? 'a lookup'} ${m.key ?? ''}`.trim().slice(0, 120)).join(', ');
    throw new AssemblyError(
      `the app looks up values from an AWS account (${what}), which cloudmend never does: ` +
        'run `cdk synth` once with credentials and commit cdk.context.json, so the app synthesizes offline',
    );
  }
  for (const [id, artifact] of Object.entries(manifest.artifacts ?? {})) {
    const properties = artifact.properties ?? {};
    if (artifact.type === 'cdk:cloud-assembly' && typeof properties.directoryName === 'string') {
      readLevel(root, posix.join(dir, properties.directoryName), workdir, depth + 1, out);
    } else if (artifact.type === 'cdk:tree' && typeof properties.file === 'string') {
      collectFqns(readJson<{ tree?: TreeNode }>(root, dir, properties.file).tree, out.fqns);
    } else if (artifact.type === 'aws:cloudformation:stack' && typeof properties.templateFile === 'string') {
      const metadata = artifact.additionalMetadataFile
        ? readJson<Record<string, readonly MetadataEntry[]>>(root, dir, artifact.additionalMetadataFile)
        : (artifact.metadata ?? {});
      const template = JSON.stringify(readJson<unknown>(root, dir, properties.templateFile), null, 1);
      out.stacks.push({
        id: dir === '' ? id : `${dir}/${id}`,
        stackName: typeof properties.stackName === 'string' ? properties.stackName : id,
        template,
        resources: stackResources(metadata, workdir),
      });
    }
  }
}

/** The assembly in `dir`, written by an app that ran with its files under `workdir`. */
export function readAssembly(dir: string, workdir: string): AssemblyResult {
  const out = { stacks: [] as SynthesizedStack[], fqns: {} as Record<string, string> };
  const stat = lstatSync(dir, { throwIfNoEntry: false });
  if (!stat?.isDirectory()) return { reason: 'the app wrote no cloud assembly (cdk.out is missing, or not a directory)' };
  try {
    readLevel(dir, '', workdir, 0, out);
  } catch (error) {
    if (error instanceof AssemblyError) return { reason: error.message };
    if (error instanceof SyntaxError) return { reason: `the app wrote an assembly that is not valid JSON (${error.message})` };
    throw error;
  }
  if (out.stacks.length === 0) return { reason: 'the app synthesized no stack' };
  return { assembly: out };
}
