/**
 * `weakened-encryption`: encryption at rest or in transit that the patch turns off, removes or
 * makes uncertain, on any resource type, judged by the names settings have across AWS: anything
 * whose path speaks of encryption, KMS, SSE, TLS, SSL or HTTPS. A boolean that was true and may
 * now be false (written false, removed, or a value cloudmend cannot evaluate); a key, algorithm or
 * encryption configuration that was set and is now gone, empty or unknown; a value that means off
 * (`NONE`, `DISABLED`); an HTTPS-only policy opened to HTTP (`viewer_protocol_policy`, a load
 * balancer listener's protocol). On a new resource, encryption explicitly written off counts too.
 * Removing a whole encryption resource (an `aws_s3_bucket_server_side_encryption_configuration`)
 * is `removed-resource`'s; a bucket policy's `aws:SecureTransport` deny dropped is `widened-iam`'s.
 */
import { isList, isObject, keyOf, mayBeFalse, optionsOf, shownVal, truth, Unknown, type Val } from '../iac/values.js';
import { violation } from './facts.js';
import type { Resource, Side } from './side.js';
import type { GuardrailViolation } from './types.js';
import { byKey, entries, namePath, shownPath, type Entry } from './walk.js';

const ENCRYPTION =
  /[Ee]ncrypt|[Kk]ms|KMS|(^|_)(sse|ssl|tls|https)(_|$)|SSE|Sse[A-Z]|SSL|Ssl[A-Z]|TLS|Tls[A-Z]|HTTPS|Https|key_rotation|KeyRotation/;
/** Values that mean no encryption. */
const OFF = /^(none|disabled?|off|false|no_?encryption|plaintext|allow-all)$/i;
/** Settings that choose between HTTP and HTTPS, and their weak values. */
const TRANSPORT: readonly [RegExp, RegExp, RegExp][] = [
  [/./, /^(viewer_protocol_policy|ViewerProtocolPolicy)$/, /^allow-all$/],
  [/^(aws_lb_listener|aws_alb_listener|AWS::ElasticLoadBalancingV2::Listener)$/, /^(protocol|Protocol)$/, /^(HTTP|TCP|UDP|TCP_UDP)$/],
  [/^(aws_elasticsearch_domain|aws_opensearch_domain)$/, /^enforce_https$/, /^false$/],
];

/** A setting about encryption: by its path, or the on/off switch of a resource that is about encryption (`aws_ebs_encryption_by_default.enabled`). */
function isEncryption(r: Resource, e: Entry): boolean {
  return e.path.some((p) => ENCRYPTION.test(p)) || (ENCRYPTION.test(r.type) && (e.name === 'enabled' || e.name === 'Enabled'));
}

function present(v: Val | undefined): boolean {
  if (v === undefined || v === null || v === '') return false;
  if (isList(v)) return v.length > 0;
  if (isObject(v)) return Object.keys(v).length > 0;
  return true;
}

/** True when the value may mean "off": off-like text, false, nothing, or something cloudmend cannot evaluate. */
function mayBeOff(v: Val | undefined): boolean {
  if (!present(v)) return true;
  return optionsOf(v as Val).some((o) => o instanceof Unknown || !present(o) || o === false || (typeof o === 'string' && OFF.test(o)));
}

function weakTransport(r: Resource, e: Entry): boolean {
  return TRANSPORT.some(
    ([types, names, weak]) =>
      types.test(r.type) &&
      names.test(e.name) &&
      optionsOf(e.value).some((o) => o instanceof Unknown || (typeof o === 'string' && weak.test(o)) || o === false),
  );
}

function weakened(r: Resource, was: Entry, now: Val | undefined): string | undefined {
  if (keyOf(was.value) === keyOf(now ?? null)) return undefined;
  const at = shownPath(was.path);
  const to = now === undefined ? 'removed' : shownVal(now);
  if (truth(was.value) === true) return mayBeFalse(now) ? `turns ${at} off (true → ${to})` : undefined;
  if (typeof was.value === 'string' && OFF.test(was.value)) return undefined;
  if (TRANSPORT.some(([types, names]) => types.test(r.type) && names.test(was.name))) {
    return now !== undefined && weakTransport(r, { ...was, value: now }) && !weakTransport(r, was)
      ? `opens ${at} to unencrypted traffic (${shownVal(was.value)} → ${to})`
      : undefined;
  }
  if (typeof was.value === 'boolean' || !present(was.value)) return undefined;
  return mayBeOff(now) ? `removes or turns off ${at} (${shownVal(was.value)} → ${to})` : undefined;
}

function leaves(r: Resource): Entry[] {
  // Whole encryption settings (a block, a map) and their leaves, each judged; list items by their list.
  return entries(r.props).filter(
    (e) =>
      (isEncryption(r, e) || TRANSPORT.some(([types, names]) => types.test(r.type) && names.test(e.name))) &&
      !/^\d+$/.test(e.path[e.path.length - 1] ?? ''),
  );
}

/** Encryption the patch turns off, removes or makes uncertain. */
export function weakenedEncryption(before: Side, after: Side): GuardrailViolation[] {
  const was = byKey(before.resources);
  return after.resources.flatMap((a) => {
    // Module inputs too, by their names: `storage_encrypted = false` means what it says.
    if (a.mode !== 'resource' && a.mode !== 'module') return [];
    const b = was.get(a.key);
    const now = new Map(leaves(a).map((e) => [shownPath(e.path), e] as const));
    // A setting that is new (on a new resource too) counts when it writes encryption off explicitly.
    const had = new Set(b ? leaves(b).map((e) => shownPath(e.path)) : []);
    const written = [...now.values()].flatMap((e) =>
      !had.has(shownPath(e.path)) && isEncryption(a, e) && (truth(e.value) === false || (typeof e.value === 'string' && OFF.test(e.value)))
        ? [
            violation(
              'weakened-encryption',
              a.file,
              `${a.id} ${b ? 'gets' : 'is new with'} ${namePath(e.path)} = ${shownVal(e.value)}: encryption off`,
              a.lineOf(e.path),
            ),
          ]
        : [],
    );
    if (!b) return written;
    const reasons = leaves(b).flatMap((e) => {
      const why = weakened(a, e, now.get(shownPath(e.path))?.value);
      return why === undefined ? [] : [{ why, path: e.path }];
    });
    // One report per top-level setting: a removed block reports once, not once per leaf.
    const seen = new Set<string>();
    const weakenings = reasons.flatMap(({ why, path }) => {
      const top = path[0] ?? '';
      if (seen.has(top)) return [];
      seen.add(top);
      return [violation('weakened-encryption', a.file, `${a.id} ${why}`, a.lineOf(path))];
    });
    return [...written, ...weakenings];
  });
}
