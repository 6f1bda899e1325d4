/**
 * One declared resource, whatever the IaC kind: its properties as partial JSON (Terraform
 * attributes and blocks, CloudFormation `Properties`) and the sibling resources that configure it
 * from outside (`aws_s3_bucket_versioning`, `AWS::EC2::SecurityGroupIngress`, ...).
 */
import type { IacKind, Source, SourceResource } from '../iac/source.js';
import { CfnReader } from './cloudformation.js';
import type { ConfigItem } from './item.js';
import type { PObject } from './partial.js';
import { TfReader, tfDefaultTags, tfSiblings } from './terraform.js';

export interface Sibling {
  readonly type: string;
  readonly address: string;
  readonly props: PObject;
}

export interface Declaration {
  readonly kind: IacKind;
  readonly address: string;
  /** `aws_s3_bucket` or `AWS::S3::Bucket`. */
  readonly type: string;
  readonly props: PObject;
  /** Resources of `types` bound to this one through their `link` attribute or property. */
  siblings(types: readonly string[], link: string): readonly Sibling[];
  /**
   * Tags added from outside the resource (Terraform provider `default_tags`); `known` is false when
   * they cannot be read, so live tags missing from the code are not drift.
   */
  readonly defaultTags: { readonly tags: PObject; readonly known: boolean };
}

/** Physical identifiers a sibling may name the resource by instead of a reference. */
function namesOf(item: ConfigItem): string[] {
  return [item.resourceId, item.resourceName, item.arn].filter((n): n is string => typeof n === 'string');
}

export function declarationOf(source: Source, resource: SourceResource, item: ConfigItem): Declaration {
  const names = namesOf(item);
  if (source.kind === 'terraform' && resource.kind === 'terraform') {
    const reader = new TfReader(source.module);
    const target = resource.resource;
    return {
      kind: 'terraform',
      address: target.address,
      type: target.type,
      props: reader.tree(target.block.body),
      siblings: (types, link) =>
        tfSiblings(source.module, target, types, link, names, NAME_ATTRS[target.type]).map((r) => ({
          type: r.type,
          address: r.address,
          props: reader.tree(r.block.body),
        })),
      defaultTags: tfDefaultTags(source.module, target),
    };
  }
  if (source.kind === 'cloudformation' && resource.kind === 'cloudformation') {
    const reader = new CfnReader(source.template, { account: item.accountId, region: item.region, partition: item.partition });
    const target = resource.resource;
    return {
      kind: 'cloudformation',
      address: target.logicalId,
      type: target.type,
      props: reader.props(target),
      siblings: (types, link) =>
        reader.siblings(target, types, link, names).map((r) => ({ type: r.type, address: r.logicalId, props: reader.props(r) })),
      // Stack tags propagate to resources and are not in the template.
      defaultTags: { tags: {}, known: false },
    };
  }
  throw new Error('resource and source are of different IaC kinds');
}

/** The attribute holding a Terraform resource's physical name: siblings may repeat its expression. */
const NAME_ATTRS: Readonly<Record<string, string>> = {
  aws_s3_bucket: 'bucket',
  aws_iam_role: 'name',
  aws_iam_policy: 'name',
  aws_lambda_function: 'function_name',
  aws_db_instance: 'identifier',
  aws_dynamodb_table: 'name',
};
