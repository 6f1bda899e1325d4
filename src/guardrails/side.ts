/**
 * One side of a patch (before or after) parsed the way the skills parse it, file by file so that
 * every file that does not parse is named, and the resources of either IaC kind as "holders" that
 * facts are attached to.
 */
import { isScalar, visit } from 'yaml';
import type { CfnResource, CfnTemplate } from '../iac/cloudformation/template.js';
import { parseSource, type IacKind, type SourceFile } from '../iac/source.js';
import { tfModule, type TfFile, type TfModule, type TfResource } from '../iac/terraform/module.js';

export type Side = { readonly kind: 'terraform'; readonly module: TfModule } | { readonly kind: 'cloudformation'; readonly templates: readonly CfnTemplate[] };

export interface ParseFailure {
  readonly path: string;
  readonly message: string;
}

/**
 * Why a template cannot be judged though it parses: YAML aliases (`*name`) and merge keys (`<<`)
 * make one value stand for another, which cloudmend's reading does not follow (and CloudFormation
 * refuses aliases).
 */
function unjudgeable(template: CfnTemplate): string | undefined {
  let found: string | undefined;
  for (const doc of template.docs) {
    visit(doc, {
      Alias: (_, node) => {
        found ??= `uses the YAML alias *${node.source}, which cloudmend cannot judge (and CloudFormation refuses)`;
        return visit.BREAK;
      },
      Pair: (_, pair) => {
        if (isScalar(pair.key) && pair.key.value === '<<') {
          found ??= 'uses a YAML merge key (<<), which cloudmend cannot judge';
          return visit.BREAK;
        }
        return undefined;
      },
    });
  }
  return found;
}

/** Parses each file on its own; the side holds the files that parse. */
export async function parseSide(kind: IacKind, files: readonly SourceFile[]): Promise<{ side: Side; failures: ParseFailure[] }> {
  const results = await Promise.all(
    files.map(async (file) => {
      try {
        const source = await parseSource(kind, [file]);
        const why = source.kind === 'cloudformation' ? unjudgeable(source.template) : undefined;
        return why === undefined ? { source } : { failure: { path: file.path, message: why } };
      } catch (error) {
        // Whatever the parsers throw on hostile text is a verdict on the text, not a crash.
        return { failure: { path: file.path, message: error instanceof Error ? error.message : String(error) } };
      }
    }),
  );
  const failures = results.flatMap((r) => (r.failure ? [r.failure] : []));
  const sources = results.flatMap((r) => (r.source ? [r.source] : []));
  if (kind === 'cloudformation') return { side: { kind, templates: sources.flatMap((s) => (s.kind === 'cloudformation' ? [s.template] : [])) }, failures };
  const tfFiles = sources.flatMap((s): readonly TfFile[] => (s.kind === 'terraform' ? s.module.files : []));
  return { side: { kind, module: tfModule(tfFiles) }, failures };
}

/**
 * A resource facts are attached to. `key` is unique on a side and the same before and after:
 * Terraform addresses are module-wide (a resource may move between files), logical ids are per
 * template.
 */
export interface Holder {
  readonly key: string;
  /** The address or logical id, for messages. */
  readonly id: string;
  readonly file: string;
}

export function tfHolder(r: TfResource): Holder {
  return { key: r.address, id: r.address, file: r.file.path };
}

export function cfnHolder(t: CfnTemplate, r: CfnResource): Holder {
  return { key: `${t.path}#${r.logicalId}`, id: r.logicalId, file: t.path };
}
