/**
 * `backend-or-provider`: where state lives, which providers (and credentials) run, and how Terraform
 * manages a resource are not a finding's business. Any change inside `terraform {}` or `provider`
 * blocks, `import` and `removed` blocks (they take infrastructure into the state or drop it), a
 * touched `.terraform.lock.hcl`, a resource moved to another provider configuration (`provider =`),
 * `lifecycle { ignore_changes }` growing (Terraform would stop correcting those arguments; only tags
 * may be ignored), a changed `AWSTemplateFormatVersion` or `Transform`. And resources of providers
 * cloudmend does not judge: the rule families know the AWS provider (and `random`, `time`, which
 * reach nothing), so a new or changed resource of any other provider (`kubernetes_*`, `external`,
 * `shell_*`...) is refused as unjudged rather than passed as harmless.
 */
import { isList, keyOf, optionsOf, Ref, shownVal, type Val } from '../iac/values.js';
import { violation } from './facts.js';
import { changed } from './paths.js';
import type { Resource, Side } from './side.js';
import type { GuardrailInput, GuardrailViolation } from './types.js';
import { byKey } from './walk.js';

/** Providers whose resources the rule families judge. */
export const JUDGED_PROVIDERS: ReadonlySet<string> = new Set(['aws', 'random', 'time']);

/** Types of other providers that a family refuses for what they do (code execution, external reads): not reported twice. */
const JUDGED_ELSEWHERE =
  /^(terraform_data|terraform_remote_state|null_resource|external|http|local_file|local_sensitive_file|archive_file|tls_certificate|dns_.*)$/;

/** `.terraform.lock.hcl`, in any directory. */
export function isLockFile(path: string): boolean {
  return /(^|[/\\])\.terraform\.lock\.hcl$/.test(path);
}

/** A touched lock file pins different provider builds, whatever else the patch does. */
export function lockFileChanges(input: GuardrailInput): GuardrailViolation[] {
  return input.files
    .filter((f) => isLockFile(f.path) && changed(f))
    .map((f) =>
      violation(
        'backend-or-provider',
        f.path,
        "the dependency lock file changes: provider versions and checksums are not a fix's to change",
      ),
    );
}

const SETTINGS = new Set(['terraform', 'provider', 'import', 'removed', 'AWSTemplateFormatVersion', 'Transform']);

function settingChanges(before: Side, after: Side): GuardrailViolation[] {
  const texts = (side: Side, key: string): string =>
    JSON.stringify(
      side.settings
        .filter((s) => s.key === key)
        .map((s) => s.text)
        .sort(),
    );
  const keys = [
    ...new Set([...before.settings, ...after.settings].filter((s) => SETTINGS.has(s.kind) || SETTINGS.has(s.key)).map((s) => s.key)),
  ];
  return keys.flatMap((key) => {
    if (texts(before, key) === texts(after, key)) return [];
    const [old, now] = [before.settings.find((s) => s.key === key), after.settings.find((s) => s.key === key)];
    const s = (now ?? old)!;
    if (s.kind === s.key && s.kind !== 'terraform') {
      // A template section: what it was and what it is.
      return [
        violation(
          'backend-or-provider',
          s.file,
          `${s.key} changes from ${old?.text ?? 'none'} to ${now?.text ?? 'none'}: template processing is not a fix's to change`,
          s.line,
        ),
      ];
    }
    const change = old ? (now ? 'changes' : 'removes') : 'adds';
    const shown = `${s.kind}${s.labels.length > 0 ? ` ${s.labels.map((l) => JSON.stringify(l)).join(' ')}` : ''}`;
    const why =
      s.kind === 'import' || s.kind === 'removed'
        ? "what the state manages is not a fix's to change"
        : "backends and providers are not a fix's to change";
    return [violation('backend-or-provider', s.file, `the patch ${change} the ${shown} block: ${why}`, s.line)];
  });
}

/** The names a `lifecycle { ignore_changes = ... }` lists, `all` included. */
function ignored(r: Resource): string[] {
  const lifecycle = r.meta.lifecycle;
  const blocks = isList(lifecycle ?? null) ? (lifecycle as readonly Val[]) : [];
  return blocks.flatMap((b) => {
    const value = (b as { ignore_changes?: Val }).ignore_changes;
    if (value === undefined) return [];
    return optionsOf(value)
      .flatMap((v) => (isList(v) ? v : [v]))
      .map((v) => (v instanceof Ref ? v.name : typeof v === 'string' ? v : '?'));
  });
}

function managementChanges(before: Side, after: Side): GuardrailViolation[] {
  const was = byKey(before.resources);
  return after.resources.flatMap((a) => {
    const b = was.get(a.key);
    const out: GuardrailViolation[] = [];
    if (b && keyOf(b.meta.provider ?? null) !== keyOf(a.meta.provider ?? null)) {
      out.push(
        violation(
          'backend-or-provider',
          a.file,
          `${a.id} changes its provider configuration (${shownVal(b.meta.provider ?? 'default')} → ${shownVal(a.meta.provider ?? 'default')}): another account, region or credentials`,
          a.lineOf(['provider']),
        ),
      );
    }
    const old = b ? ignored(b) : [];
    const fresh = ignored(a).filter((n) => !old.includes(n) && !/^tags(_all)?$/.test(n));
    if (fresh.length > 0)
      out.push(
        violation(
          'backend-or-provider',
          a.file,
          `${a.id} makes Terraform ignore changes to ${fresh.join(', ')}: later fixes and drift there would go unapplied`,
          a.lineOf(['ignore_changes']),
        ),
      );
    if (a.kind === 'terraform' && a.mode !== 'module' && (!b || b.text !== a.text)) {
      const provider = a.type.split('_')[0] ?? '';
      if (!JUDGED_PROVIDERS.has(provider) && !JUDGED_ELSEWHERE.test(a.type)) {
        out.push(
          violation(
            'backend-or-provider',
            a.file,
            `${a.id} is a new or changed ${a.mode === 'resource' ? 'resource' : a.mode === 'data' ? 'data source' : 'ephemeral resource'} of the ${provider} provider, which cloudmend does not judge (it judges ${[...JUDGED_PROVIDERS].join(', ')})`,
            a.line,
          ),
        );
      }
    }
    return out;
  });
}

/** Backend, provider, state and management changes of the patch. */
export function backendOrProvider(before: Side, after: Side): GuardrailViolation[] {
  return [...settingChanges(before, after), ...managementChanges(before, after)];
}
