/**
 * `replacement`: a change to an argument or property that Terraform or CloudFormation can only
 * apply by destroying the resource and creating it again (`ForceNew` in the AWS provider,
 * `createOnlyProperties` in CloudFormation's resource schemas; tables in `src/iac/replacement`).
 * Named in the verdict, never silent: `cloudmend guard` refuses it, and cloudmend's own patch that
 * does it needs an approver. A value cloudmend cannot evaluate on either side, where the text
 * changed, counts as changed.
 */
import { replacementAttributes } from '../iac/replacement/index.js';
import { isList, isObject, keyOf, shownVal, type Val } from '../iac/values.js';
import { violation } from './facts.js';
import type { Props, Side } from './side.js';
import type { GuardrailViolation } from './types.js';
import { byKey } from './walk.js';

/**
 * Resources that hold no data and no identity others depend on: replacing one re-creates a rule,
 * an association or a configuration as written, which the other families judge on its new values.
 */
const RECREATED = new Set([
  'aws_security_group_rule',
  'aws_vpc_security_group_ingress_rule',
  'aws_vpc_security_group_egress_rule',
  'aws_network_acl_rule',
  'aws_lambda_permission',
  'aws_launch_configuration',
  'aws_iam_role_policy_attachment',
  'aws_iam_user_policy_attachment',
  'aws_iam_group_policy_attachment',
  'aws_iam_policy_attachment',
  'aws_route',
  'aws_route_table_association',
  'aws_kms_alias',
  'aws_s3_bucket_public_access_block',
  'aws_s3_bucket_policy',
  'aws_s3_bucket_server_side_encryption_configuration',
  'aws_s3_bucket_versioning',
  'aws_s3_bucket_logging',
  'aws_s3_bucket_acl',
  'aws_s3_bucket_ownership_controls',
  'AWS::EC2::SecurityGroupIngress',
  'AWS::EC2::SecurityGroupEgress',
  'AWS::EC2::NetworkAclEntry',
  'AWS::Lambda::Permission',
  'AWS::AutoScaling::LaunchConfiguration',
  'AWS::EC2::Route',
  'AWS::EC2::SubnetRouteTableAssociation',
  'AWS::KMS::Alias',
  'AWS::S3::BucketPolicy',
  'AWS::SQS::QueuePolicy',
  'AWS::SNS::TopicPolicy',
  // A task definition is versioned: a change registers a new revision.
  'aws_ecs_task_definition',
  'AWS::ECS::TaskDefinition',
  // Grants and inline policies: a new one replaces the old, whose access the other families judge.
  'aws_ami_launch_permission',
  'aws_snapshot_create_volume_permission',
  'aws_iam_role_policy',
  'aws_iam_user_policy',
  'aws_iam_group_policy',
  'aws_iam_policy',
  'aws_lambda_layer_version_permission',
  'AWS::IAM::Policy',
  'AWS::IAM::ManagedPolicy',
  'AWS::IAM::RolePolicy',
]);

/**
 * Changes the tables count as in place (or only sometimes replacing) that still swap what clients
 * reach: a database renamed changes its endpoint; a database moved to another engine is rebuilt.
 * They are held to an approver too.
 */
const IDENTITY_CHANGES: Readonly<Record<string, readonly string[]>> = {
  aws_db_instance: ['identifier'],
  aws_rds_cluster: ['cluster_identifier'],
  'AWS::RDS::DBInstance': ['Engine'],
  'AWS::RDS::DBCluster': ['Engine'],
};

/** Every value at a dotted path, descending through lists of nested blocks. */
function valuesAt(props: Props, path: readonly string[]): Val[] {
  let level: Val[] = [props];
  for (const step of path) {
    // `*` stands for every item of a list, which the next step descends into anyway.
    if (step === '*') continue;
    level = level.flatMap((v) => (isList(v) ? v : [v])).flatMap((v) => (isObject(v) && Object.hasOwn(v, step) ? [v[step] ?? null] : []));
  }
  return level;
}

/** Arguments of resources kept by the patch whose change replaces them. */
export function replacements(before: Side, after: Side): GuardrailViolation[] {
  const was = byKey(before.resources);
  return after.resources.flatMap((a) => {
    const b = was.get(a.key);
    // Values, not text: a changed variable default replaces what it names.
    if (!b || b.mode !== 'resource' || a.type !== b.type || RECREATED.has(a.type)) return [];
    // Instance by instance where both sides' instances are known: a new instance replaces nothing.
    const pairs: [Props, Props][] =
      b.instances && a.instances
        ? [...b.instances].flatMap(([k, p]) => (a.instances?.has(k) ? [[p, a.instances.get(k) as Props] as [Props, Props]] : []))
        : [[b.props, a.props]];
    return [...replacementAttributes(a.kind, a.type), ...(IDENTITY_CHANGES[a.type] ?? [])].flatMap((attribute) => {
      const path = attribute.split('.');
      const changed = pairs.find(([x, y]) => keyOf(valuesAt(x, path)) !== keyOf(valuesAt(y, path)));
      if (!changed) return [];
      const [old, now] = [valuesAt(changed[0], path), valuesAt(changed[1], path)];
      const shown = (vs: Val[]): string => (vs.length === 0 ? 'unset' : vs.length === 1 ? shownVal(vs[0] ?? null, 60) : shownVal(vs, 60));
      return [
        violation(
          'replacement',
          a.file,
          `${a.id} changes ${attribute} (${shown(old)} → ${shown(now)}), which replaces the resource: it is destroyed and created again`,
          a.lineOf(path),
        ),
      ];
    });
  });
}
