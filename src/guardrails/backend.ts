/**
 * `backend-or-provider`: where state lives, what it holds and which providers (and credentials)
 * run are not a finding's business. Any change inside `terraform {}` or `provider` blocks
 * (whitespace aside), `import` and `removed` blocks (they take infrastructure into the state or
 * drop it from there), a touched `.terraform.lock.hcl`, or a changed `AWSTemplateFormatVersion` or
 * `Transform`.
 */
import { isMap } from 'yaml';
import { valueOf, type CfnTemplate } from '../iac/cloudformation/template.js';
import type { HclBlock } from '../iac/terraform/hcl-structure.js';
import { squash, violation } from './facts.js';
import { changed } from './paths.js';
import type { Side } from './side.js';
import type { GuardrailInput, GuardrailViolation } from './types.js';

/** `.terraform.lock.hcl`, in any directory. */
export function isLockFile(path: string): boolean {
  return /(^|[/\\])\.terraform\.lock\.hcl$/.test(path);
}

/** A touched lock file pins different provider builds, whatever else the patch does. */
export function lockFileChanges(input: GuardrailInput): GuardrailViolation[] {
  return input.files
    .filter((f) => isLockFile(f.path) && changed(f))
    .map((f) => violation('backend-or-provider', f.path, 'the dependency lock file changes: provider versions and checksums are not a fix\'s to change'));
}

/** A top-level template section as JSON, per document, for comparison; undefined when absent. */
function section(t: CfnTemplate, key: string): string | undefined {
  const values = t.docs.flatMap((doc) => (isMap(doc.contents) && doc.contents.has(key) ? [valueOf(doc.contents.get(key, true))] : []));
  return values.length > 0 ? JSON.stringify(values.length === 1 ? values[0] : values) : undefined;
}

/** Templates whose top-level `key` differs after the patch. */
export function sectionChanges(before: Side, after: Side, key: string): { file: string; was: string | undefined; is: string | undefined }[] {
  if (before.kind !== 'cloudformation' || after.kind !== 'cloudformation') return [];
  return after.templates.flatMap((t) => {
    const old = before.templates.find((b) => b.path === t.path);
    const [was, is] = [old ? section(old, key) : undefined, section(t, key)];
    return was === is ? [] : [{ file: t.path, was, is }];
  });
}

/** `terraform`, `provider "aws"`: how messages name a block. */
function header(block: HclBlock): string {
  return [block.type, ...block.labels.map((l) => JSON.stringify(l))].join(' ');
}

/** Top-level blocks that configure Terraform rather than declare infrastructure. */
const SETTINGS = new Set(['terraform', 'provider', 'import', 'removed']);

function tfSettings(side: Side): { header: string; file: string; text: string }[] {
  if (side.kind !== 'terraform') return [];
  return side.module.files.flatMap((f) =>
    f.body.items.flatMap((item) => (item.kind === 'block' && SETTINGS.has(item.type) ? [{ header: header(item), file: f.path, text: squash(f.text.slice(item.span.start, item.span.end)) }] : [])),
  );
}

function tfChanges(before: Side, after: Side): GuardrailViolation[] {
  const [was, is] = [tfSettings(before), tfSettings(after)];
  const headers = [...new Set([...was, ...is].map((b) => b.header))];
  return headers.flatMap((h) => {
    const [old, now] = [was.filter((b) => b.header === h), is.filter((b) => b.header === h)];
    const texts = (list: typeof old): string => JSON.stringify(list.map((b) => b.text).sort());
    if (texts(old) === texts(now)) return [];
    const file = (now[0] ?? old[0])?.file ?? '';
    const change = old.length === 0 ? 'adds' : now.length === 0 ? 'removes' : 'changes';
    const why = /^(import|removed)/.test(h) ? 'what the state manages is not a fix\'s to change' : 'backends and providers are not a fix\'s to change';
    return [violation('backend-or-provider', file, `the patch ${change} the ${h} block: ${why}`)];
  });
}

/** Backend, provider and template-format changes of the patch. */
export function backendOrProvider(before: Side, after: Side): GuardrailViolation[] {
  const sections = ['AWSTemplateFormatVersion', 'Transform'].flatMap((key) =>
    sectionChanges(before, after, key).map((c) => violation('backend-or-provider', c.file, `${key} changes from ${c.was ?? 'none'} to ${c.is ?? 'none'}`)),
  );
  return [...tfChanges(before, after), ...sections];
}
