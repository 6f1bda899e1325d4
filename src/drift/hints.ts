/**
 * What a reference to another resource in the same code evaluates to, where its own declaration
 * says enough: `aws_iam_role.app.arn` is some ARN ending in `:role/app-prod` when the role is
 * named `app-prod`. Precise hints let a changed role or a swapped managed policy show up as drift
 * instead of disappearing into "unknown".
 */
import { Unknown, type Partial } from './partial.js';

type Form = 'name' | 'role-arn' | 'policy-arn' | 'bucket-arn';

interface Hint {
  /** The attribute or property holding the physical name, and the IAM path if any. */
  readonly name: string;
  readonly path?: string;
  /** Referenced attribute (Terraform) or `Ref` / `GetAtt` attribute (CloudFormation) → form. */
  readonly forms: Readonly<Record<string, Form>>;
}

const HINTS: Readonly<Record<string, Hint>> = {
  aws_iam_role: { name: 'name', path: 'path', forms: { arn: 'role-arn', name: 'name', id: 'name' } },
  aws_iam_policy: { name: 'name', path: 'path', forms: { arn: 'policy-arn', id: 'policy-arn', name: 'name' } },
  aws_s3_bucket: { name: 'bucket', forms: { id: 'name', bucket: 'name', arn: 'bucket-arn' } },
  'AWS::IAM::Role': { name: 'RoleName', path: 'Path', forms: { Ref: 'name', Arn: 'role-arn' } },
  'AWS::IAM::ManagedPolicy': { name: 'ManagedPolicyName', path: 'Path', forms: { Ref: 'policy-arn', PolicyArn: 'policy-arn' } },
  'AWS::S3::Bucket': { name: 'BucketName', forms: { Ref: 'name', Arn: 'bucket-arn' } },
};

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** An IAM path part of an ARN: exact when declared, `/` when not (the default), any path when unknown. */
function iamPath(path: Partial | undefined): string {
  if (path === undefined || path === null) return '/';
  return typeof path === 'string' ? escape(path) : '/(?:.*/)?';
}

/**
 * The value of `attribute` of a resource of `type` whose declared properties are read by `prop`;
 * undefined when nothing useful is known (the caller then uses a plain unknown).
 */
export function hintFor(type: string, attribute: string, prop: (name: string) => Partial | undefined, source: string): Partial | undefined {
  const hint = HINTS[type];
  const form = hint?.forms[attribute];
  if (!hint || !form) return undefined;
  const name = prop(hint.name);
  if (typeof name !== 'string') return undefined;
  const path = hint.path === undefined ? undefined : prop(hint.path);
  switch (form) {
    case 'name':
      return name;
    case 'role-arn':
      return new Unknown(source, new RegExp(`^arn:[^:]+:iam::\\d{12}:role${iamPath(path)}${escape(name)}$`));
    case 'policy-arn':
      return new Unknown(source, new RegExp(`^arn:[^:]+:iam::\\d{12}:policy${iamPath(path)}${escape(name)}$`));
    case 'bucket-arn':
      return new Unknown(source, new RegExp(`^arn:[^:]+:s3:::${escape(name)}$`));
  }
}
