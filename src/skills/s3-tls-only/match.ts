/**
 * The statement S3.5 asks for, and whether a bucket policy already has it: a `Deny` of `s3:*` (or
 * `*`) to everyone, on the bucket and its objects, when `aws:SecureTransport` is `false`.
 */
import { coversAction, isPublicPrincipal, OPAQUE, type PolicyDocument, type Statement } from '../policy-document.js';

/** Stands in for a bucket name that is not known statically (`bucket_prefix`, a variable without default). */
const UNNAMED = '\u0000bucket\u0000';

/** The bucket a policy is checked against: its name and ARN (holding `UNNAMED` when the name is not known). */
export interface BucketArn {
  readonly name: string;
  readonly arn: string;
  readonly nameKnown: boolean;
}

export function bucketArn(name: unknown): BucketArn {
  const known = typeof name === 'string';
  const text = known ? name : UNNAMED;
  return { name: text, arn: `arn:aws:s3:::${text}`, nameKnown: known };
}

/** True when the statement denies every S3 action to everyone over plain HTTP, whatever its resources. */
function deniesHttp(s: Statement): boolean {
  if (s.effect !== 'Deny' || s.notPrincipal || !isPublicPrincipal(s.principal)) return false;
  if (s.notActions.length > 0 || s.notResources.length > 0 || !coversAction(s.actions, 's3:*')) return false;
  // Any other condition would narrow the deny to some requests only.
  const tests = Object.entries(s.condition).flatMap(([operator, keys]) =>
    Object.entries(keys).map(([key, values]) => ({ operator, key, values })),
  );
  const [test] = tests;
  return (
    tests.length === 1 &&
    test !== undefined &&
    /^Bool(IfExists)?$/.test(test.operator) &&
    test.key.toLowerCase() === 'aws:securetransport' &&
    test.values.length > 0 &&
    test.values.every((v) => v.toLowerCase() === 'false')
  );
}

function mentionsSecureTransport(s: Statement): boolean {
  return Object.values(s.condition).some((keys) => Object.keys(keys).some((k) => k.toLowerCase() === 'aws:securetransport'));
}

/**
 * `compliant` when deny statements cover the bucket and `bucket/*`; `unknown` when a statement that
 * may be the deny holds something cloudmend could not read (a reference, or a literal ARN while the
 * bucket's own name is unknown); `missing` otherwise.
 */
export function tlsState(document: PolicyDocument, bucket: BucketArn): 'compliant' | 'missing' | 'unknown' {
  const denies = document.statements.filter(deniesHttp);
  const covers = (target: string): boolean => denies.some((s) => s.resources.some((r) => coversAction([r], target)));
  if (covers(bucket.arn) && covers(`${bucket.arn}/*`)) return 'compliant';
  const ambiguous = (r: string): boolean => r.includes(OPAQUE) || (!bucket.nameKnown && !r.includes(UNNAMED) && r.startsWith('arn:'));
  const doubtful = document.statements
    .filter((s) => s.effect === 'Deny' && mentionsSecureTransport(s))
    .some((s) => (deniesHttp(s) ? s.resources.some(ambiguous) : JSON.stringify({ ...s, resources: [] }).includes(OPAQUE)));
  return doubtful ? 'unknown' : 'missing';
}

/** A Sid for the new statement that no statement of the policy uses: bucket policies refuse duplicates. */
export function freeSid(document: PolicyDocument | undefined): string {
  const used = new Set(document?.statements.map((s) => s.sid));
  let sid = 'DenyInsecureTransport';
  for (let n = 2; used.has(sid); n++) sid = `DenyInsecureTransport${n}`;
  return sid;
}

export type DenyStatement<T> = {
  Sid: string;
  Effect: string;
  Principal: string;
  Action: string;
  Resource: T[];
  Condition: { Bool: { 'aws:SecureTransport': string } };
};

/** The statement, with the bucket's and its objects' ARNs in whatever form the IaC needs. */
export function denyStatement<T>(sid: string, bucket: T, objects: T): DenyStatement<T> {
  return {
    Sid: sid,
    Effect: 'Deny',
    Principal: '*',
    Action: 's3:*',
    Resource: [bucket, objects],
    Condition: { Bool: { 'aws:SecureTransport': 'false' } },
  };
}
