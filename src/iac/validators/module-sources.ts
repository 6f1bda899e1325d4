/**
 * The module calls of Terraform files, read with HashiCorp's parser (hcl2json; JSON syntax for
 * `.tf.json`), so that terraform runs only on modules whose every source is a local path. Any
 * other source (a registry address, git, http, s3, gcs, a `${...}` expression, none at all) would
 * make `terraform init` fetch something: refused before any tool runs.
 */
import { printableLine } from '../../printable.js';
import type { SourceFile } from '../source.js';

export interface ModuleCall {
  readonly name: string;
  /** As written; undefined when the block has no literal source. */
  readonly source: string | undefined;
  readonly file: string;
}

/** Terraform's own rule: a local path starts with `./` or `../`. */
export function isLocalSource(source: string | undefined): boolean {
  return source !== undefined && /^\.\.?\//.test(source);
}

const asList = (value: unknown): unknown[] => (Array.isArray(value) ? value : value === undefined ? [] : [value]);
const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const sourceOf = (call: unknown): string | undefined => (isObject(call) && typeof call.source === 'string' ? call.source : undefined);

/** `module` blocks of a file's JSON form (hcl2json's output, a `.tf.json` file); an unknown shape has no source. */
function callsOf(file: string, body: unknown): ModuleCall[] {
  if (!isObject(body)) return [];
  return asList(body.module).flatMap((block) => {
    if (!isObject(block)) return [{ name: '?', file, source: undefined }];
    return Object.entries(block).flatMap(([name, calls]) => asList(calls).map((call) => ({ name, file, source: sourceOf(call) })));
  });
}

/** Every module call in `files` (`.tf` and `.tf.json`); throws when a file does not parse. */
export async function moduleCalls(files: readonly SourceFile[]): Promise<ModuleCall[]> {
  const { parse } = await import('@cdktf/hcl2json');
  const calls = await Promise.all(
    files.map(async (f) => {
      if (f.path.endsWith('.tf.json')) return callsOf(f.path, JSON.parse(f.text) as unknown);
      if (f.path.endsWith('.tf')) return callsOf(f.path, await parse(f.path, f.text));
      return [];
    }),
  );
  return calls.flat();
}

/** The calls whose source is not a local path, as `module "<name>" (source "<source>")`. */
export async function nonLocalModules(files: readonly SourceFile[]): Promise<string[]> {
  return (await moduleCalls(files)).filter((c) => !isLocalSource(c.source)).map(describeCall);
}

/** A call as the model and the pull request are told: printable, bounded. */
export function describeCall(call: ModuleCall): string {
  const shown = (text: string): string => printableLine(text).slice(0, 200);
  const source = call.source === undefined ? 'no literal source' : `source "${shown(call.source)}"`;
  return `module "${shown(call.name)}" (${source})`;
}
