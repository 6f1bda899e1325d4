/**
 * S3.5 in CloudFormation: the `AWS::S3::BucketPolicy` of a bucket must deny plain-HTTP requests.
 * A bucket without a policy gets one right after it; a bound policy gets the statement appended.
 */
import { editOrNothing, type Remedy } from '../helpers.js';
import { appendSeqItem, insertResource, setProperty } from '../../iac/cloudformation/edit.js';
import { propertyAt, refersToResource, type CfnResource, type CfnTemplate, type CfnValue } from '../../iac/cloudformation/template.js';
import type { TextEdit } from '../../iac/edits.js';
import { OPAQUE, parsePolicy } from '../policy-document.js';
import type { Violation } from '../types.js';
import { bucketArn, denyStatement, freeSid, tlsState, type BucketArn } from './match.js';

const STATEMENT = ['Properties', 'PolicyDocument', 'Statement'];

function isMap(value: CfnValue | undefined): value is Record<string, CfnValue> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function isIntrinsic(value: Record<string, CfnValue>): boolean {
  const keys = Object.keys(value);
  return keys.length === 1 && (keys[0] === 'Ref' || (keys[0]?.startsWith('Fn::') ?? false));
}

/** A string an intrinsic yields, with the bucket's name and ARN filled in and anything else `OPAQUE`. */
function stringOf(value: CfnValue, id: string, arn: BucketArn): string {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (!isMap(value)) return OPAQUE;
  const pseudo = (name: string): string =>
    name === id ? arn.name : name === `${id}.Arn` ? arn.arn : name === 'AWS::Partition' ? 'aws' : OPAQUE;
  if (typeof value.Ref === 'string') return pseudo(value.Ref);
  const getAtt = value['Fn::GetAtt'];
  if (Array.isArray(getAtt)) return getAtt.every((p) => typeof p === 'string') ? pseudo(getAtt.join('.')) : OPAQUE;
  const sub = value['Fn::Sub'];
  if (typeof sub === 'string') return sub.replace(/\$\{([^}!][^}]*)\}/g, (_, name: string) => pseudo(name));
  const join = value['Fn::Join'];
  if (Array.isArray(join) && typeof join[0] === 'string' && Array.isArray(join[1]))
    return join[1].map((p) => stringOf(p, id, arn)).join(join[0]);
  return OPAQUE;
}

/** The policy document with intrinsics turned into the strings they yield for this bucket. */
function flatten(value: CfnValue, id: string, arn: BucketArn): CfnValue {
  if (Array.isArray(value)) return value.map((v) => flatten(v, id, arn));
  if (!isMap(value)) return value;
  if (isIntrinsic(value)) return stringOf(value, id, arn);
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, flatten(v, id, arn)]));
}

type Binding = 'bound' | 'by-name' | 'other' | 'maybe';

function binding(template: CfnTemplate, policy: CfnResource, id: string, arn: BucketArn): Binding {
  const bucket = propertyAt(policy, ['Properties', 'Bucket']);
  if (refersToResource(bucket, id)) return 'bound';
  if (typeof bucket === 'string') return arn.nameKnown ? (bucket === arn.name ? 'by-name' : 'other') : 'maybe';
  const ref = isMap(bucket) ? bucket.Ref : undefined;
  return template.resources.some((r) => r.logicalId === ref) ? 'other' : 'maybe';
}

function statementFor(id: string, sid: string) {
  return denyStatement<CfnValue>(sid, { 'Fn::GetAtt': [id, 'Arn'] }, { 'Fn::Sub': `\${${id}.Arn}/*` });
}

function newPolicy(template: CfnTemplate, bucket: CfnResource): TextEdit | undefined {
  const id = bucket.logicalId;
  const taken = (name: string): boolean =>
    template.resources.some((r) => r.logicalId === name) || template.docs.some((d) => d.hasIn(['Parameters', name]));
  const name = [`${id}Policy`, `${id}TlsPolicy`].find((n) => !taken(n));
  if (name === undefined || id.includes('#')) return undefined;
  // A conditional bucket needs the same condition on its policy, or the policy names nothing.
  const condition = propertyAt(bucket, ['Condition']);
  const policy: CfnValue = {
    Type: 'AWS::S3::BucketPolicy',
    ...(typeof condition === 'string' ? { Condition: condition } : {}),
    Properties: { Bucket: { Ref: id }, PolicyDocument: { Version: '2012-10-17', Statement: [statementFor(id, 'DenyInsecureTransport')] } },
  };
  return editOrNothing(() => insertResource(template, bucket, name, policy));
}

/** TLS findings for one `AWS::S3::Bucket`. */
export function cfnFindings(template: CfnTemplate, bucket: CfnResource): Remedy[] {
  const id = bucket.logicalId;
  const arn = bucketArn(propertyAt(bucket, ['Properties', 'BucketName']));
  const policies = template.resources
    .filter((r) => r.type === 'AWS::S3::BucketPolicy')
    .map((p) => ({ policy: p, binding: binding(template, p, id, arn) }));
  const read = policies
    .filter((p) => p.binding === 'bound' || p.binding === 'by-name')
    .map((p) => {
      const raw = propertyAt(p.policy, ['Properties', 'PolicyDocument']);
      const document = raw === undefined ? undefined : parsePolicy(flatten(raw, id, arn));
      return { ...p, document, state: document ? tlsState(document, arn) : 'unknown' };
    });
  if (read.some((r) => r.state === 'compliant')) return [];
  const violation = (messageId: string, fixable: boolean, data: Record<string, string> = {}): Violation => ({
    messageId,
    data: { bucket: id, ...data },
    resource: id,
    offset: bucket.span.start,
    fixable,
    kind: 'violation',
  });
  const [only, ...more] = read;
  if (!only) {
    const maybe = policies.find((p) => p.binding === 'maybe');
    if (maybe) return [{ violation: violation('policyUnclear', false, { policy: maybe.policy.logicalId }) }];
    const edit = newPolicy(template, bucket);
    if (!edit) return [{ violation: violation('noPolicy', false) }];
    return [
      {
        violation: violation('noPolicy', true),
        edits: [edit],
        note: `Added a bucket policy to ${id} that denies requests not sent over HTTPS.`,
      },
    ];
  }
  if (more.length > 0)
    return [{ violation: violation('severalPolicies', false, { policy: read.map((r) => r.policy.logicalId).join(', ') }) }];
  const policy = only.policy.logicalId;
  if (only.state === 'unknown') return [{ violation: violation('policyUnknown', false, { policy }) }];
  const statements = propertyAt(only.policy, STATEMENT);
  const statement = statementFor(id, freeSid(only.document));
  // A single statement written as a map becomes a list of it and the new one.
  const edit =
    only.binding !== 'bound'
      ? undefined
      : Array.isArray(statements)
        ? editOrNothing(() => appendSeqItem(template, only.policy, STATEMENT, statement))
        : isMap(statements)
          ? editOrNothing(() => setProperty(template, only.policy, STATEMENT, [statements, statement]))
          : undefined;
  if (!edit) return [{ violation: violation('missingDeny', false, { policy }) }];
  return [
    {
      violation: violation('missingDeny', true, { policy }),
      edits: [edit],
      note: `Added a statement denying requests not sent over HTTPS to ${policy}.`,
    },
  ];
}
