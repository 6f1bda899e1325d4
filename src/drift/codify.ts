/**
 * Codify: write the live values of a drift report into the code, where the code states them as
 * plain scalars (a literal string, number or boolean), in the drifted resource or the resources
 * bound to it (Terraform's split-out siblings, a template's bucket policy). The literal is found by
 * its value (the declared side of the difference) and preferably by its name; a value stated more
 * than once without a name to tell them apart, lists, maps, policies and values left to variables
 * or parameters are left for a person, and said so. Edits replace the literal in place: comments,
 * formatting and everything else stay as written. The caller verifies the result by comparing it
 * with the live resource again.
 */
import { isMap, isPair, isScalar, isSeq, type Node } from 'yaml';
import { replaceScalar } from '../iac/cloudformation/edit.js';
import { parseTemplate, refersToResource, valueOf, type CfnTemplate } from '../iac/cloudformation/template.js';
import { applyEdits, type TextEdit } from '../iac/edits.js';
import { readHclValue, staticValue } from '../iac/terraform/hcl-expr.js';
import type { HclAttribute, HclBody } from '../iac/terraform/hcl-structure.js';
import { attrExpr, parseTfFile, refersTo, tfModule, type TfResource } from '../iac/terraform/module.js';
import { hclString } from '../iac/terraform/render.js';
import { contentEnd } from '../iac/text.js';
import type { DeclaredInput } from './index.js';
import type { Json } from './partial.js';
import type { Difference, DriftReport } from './types.js';

export interface CodifyResult {
  /** New text of each changed file. */
  readonly files: ReadonlyMap<string, string>;
  /** The difference paths written into the code. */
  readonly written: readonly string[];
  /** The differences left for a person, and why. */
  readonly skipped: readonly { readonly path: string; readonly why: string }[];
}

type Scalar = string | number | boolean;
const isScalarJson = (v: Json): v is Scalar => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';

/** `BlockPublicAcls`, `block_public_acls` and `publicAccessBlock.blockPublicAcls` all name `blockpublicacls`. */
const nameKey = (name: string): string => (name.split('.').at(-1) ?? name).replace(/[^A-Za-z0-9]/g, '').toLowerCase();
/** Config and the code spell the same value differently (`"true"` and `true`, `7` and `"7"`). */
const sameValue = (a: unknown, b: unknown): boolean => String(a).toLowerCase() === String(b).toLowerCase();

interface Literal {
  readonly file: string;
  readonly name: string;
  /** Where it sits: the resource type and the blocks or keys around it, as `nameKey`s. */
  readonly context: readonly string[];
  readonly value: Scalar;
  /** The edit that writes `live` in the literal's place. */
  write(live: Scalar): TextEdit;
}

/**
 * Picks the one literal a difference refers to: among those holding the declared value, the best
 * by name (`blockPublicAcls` is `block_public_acls`) and by place (`versioning` is inside
 * `aws_s3_bucket_versioning`); none when two are equally good.
 */
function literalFor(d: Difference, literals: readonly Literal[]): Literal | string {
  const byValue = literals.filter((l) => sameValue(l.value, d.declared));
  if (byValue.length === 0) return 'the code does not state it as a plain value (a variable, parameter, expression or nested structure)';
  const segments = d.path.split('.').map(nameKey);
  const score = (l: Literal): number =>
    (nameKey(l.name) === nameKey(d.path) ? 2 : 0) + (segments.some((s) => l.context.some((c) => c.includes(s))) ? 1 : 0);
  const best = Math.max(...byValue.map(score));
  const top = byValue.filter((l) => score(l) === best);
  if (top.length === 1) return top[0]!;
  return `the value ${JSON.stringify(d.declared)} is stated ${top.length} times; cloudmend will not guess which one`;
}

function terraformLiterals(declared: DeclaredInput): Literal[] {
  const module = tfModule(declared.files.map((f) => parseTfFile(f.path, f.text)));
  const target = module.resources.find((r) => r.address === declared.address);
  if (!target) return [];
  // The resource and the resources that name it (aws_s3_bucket_versioning.x { bucket = aws_s3_bucket.logs.id }).
  const bound = module.resources.filter(
    (r) =>
      r !== target &&
      r.mode === 'resource' &&
      r.block.body.items.some((i) => i.kind === 'attribute' && refersTo(attrExpr(r.block.body, i.name), target.address)),
  );
  const literals: Literal[] = [];
  const walk = (resource: TfResource, body: HclBody, context: readonly string[]): void => {
    for (const item of body.items) {
      if (item.kind === 'block') {
        if (item.type !== 'lifecycle' && item.type !== 'provisioner') walk(resource, item.body, [...context, nameKey(item.type)]);
        continue;
      }
      const value = literalOf(item);
      if (value !== undefined)
        literals.push({
          file: resource.file.path,
          name: item.name,
          context,
          value,
          write: (live) => ({
            file: resource.file.path,
            start: item.exprSpan.start,
            end: item.exprSpan.end,
            text: typeof live === 'string' ? hclString(live) : String(live),
          }),
        });
    }
  };
  for (const r of [target, ...bound]) walk(r, r.block.body, [nameKey(r.type)]);
  return literals;
}

function literalOf(attr: HclAttribute): Scalar | undefined {
  const value = readHclValue(attr.expr);
  if (value.type !== 'literal') return undefined;
  const json = staticValue(value);
  return json !== null && json !== undefined && isScalarJson(json) ? json : undefined;
}

function cloudformationLiterals(declared: DeclaredInput): Literal[] {
  const [file] = declared.files;
  if (!file || declared.files.length !== 1) return [];
  const template = parseTemplate(file.path, file.text);
  const target = template.resources.find((r) => r.logicalId === declared.address);
  if (!target) return [];
  const bound = template.resources.filter(
    (r) => r !== target && refersToResource(valueOf(r.node.get('Properties', true)), target.logicalId),
  );
  const literals: Literal[] = [];
  for (const resource of [target, ...bound])
    collectYaml(template, resource.node.get('Properties', true), '', [nameKey(resource.type)], literals);
  return literals;
}

function collectYaml(t: CfnTemplate, node: Node | undefined, name: string, context: readonly string[], out: Literal[]): void {
  if (isMap(node)) {
    for (const pair of node.items)
      if (isPair(pair) && isScalar(pair.key))
        collectYaml(t, pair.value as Node | undefined, String(pair.key.value), name ? [...context, nameKey(name)] : context, out);
  } else if (isSeq(node)) {
    for (const item of node.items) collectYaml(t, item as Node, name, context, out);
  } else if (
    isScalar(node) &&
    node.tag === undefined &&
    node.range &&
    (typeof node.value === 'string' || typeof node.value === 'number' || typeof node.value === 'boolean')
  ) {
    const range = node.range;
    out.push({
      file: t.path,
      name,
      context,
      value: node.value,
      // A string keeps the file's quoting (replaceScalar); numbers and booleans are written bare.
      write: (live) =>
        (typeof node.value === 'string' ? replaceScalar(t, node, String(live)) : undefined) ?? {
          file: t.path,
          start: range[0],
          end: contentEnd(t.text, range[1]),
          text: JSON.stringify(live),
        },
    });
  }
}

/** The code with the live values of `report` written in, where that can be done safely. */
export function codify(declared: DeclaredInput, report: DriftReport): CodifyResult {
  const literals = declared.kind === 'terraform' ? terraformLiterals(declared) : cloudformationLiterals(declared);
  const edits: TextEdit[] = [];
  const written: string[] = [];
  const skipped: { path: string; why: string }[] = [];
  const used = new Set<Literal>();
  for (const reported of report.differences) {
    // The values as written, not as compared: `Suspended` stays `Suspended`.
    const d = reported.recorded ? { ...reported, ...reported.recorded } : reported;
    if (d.declared === null) {
      skipped.push({ path: d.path, why: 'the code does not declare it: adding it is a design decision' });
      continue;
    }
    if (!isScalarJson(d.declared) || !isScalarJson(d.live)) {
      skipped.push({ path: d.path, why: 'lists, maps, policies and deletions are left for a person' });
      continue;
    }
    const found = literalFor(d, literals);
    if (typeof found === 'string' || used.has(found)) {
      skipped.push({ path: d.path, why: typeof found === 'string' ? found : 'another difference already writes this value' });
      continue;
    }
    used.add(found);
    edits.push(
      found.write(
        typeof found.value === 'number' && typeof d.live === 'string' && d.live.trim() !== '' && !Number.isNaN(Number(d.live))
          ? Number(d.live)
          : d.live,
      ),
    );
    written.push(d.path);
  }
  const files = new Map<string, string>();
  for (const file of declared.files) {
    const mine = edits.filter((e) => e.file === file.path);
    if (mine.length > 0) files.set(file.path, applyEdits(file.text, mine));
  }
  return { files, written, skipped };
}
