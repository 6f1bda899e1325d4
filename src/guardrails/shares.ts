/**
 * `widened-iam`, continued: access that resources grant in their arguments rather than in a
 * policy document. Each row of the table names, by path inside the resource:
 * - `who`: the principals, accounts or policies that get access. A value the resource did not have
 *   before is new access, unless the resource already let anyone in; a value that means anyone
 *   (`*`, `all`) is public, and one cloudmend cannot evaluate may be anyone.
 * - `targets`: the identities a policy is attached to; a new one is new access, for resources
 *   that existed before (a new inline policy is judged by its statements).
 * - `scopes`: what narrows the access or says which role a resource runs as (a source ARN, an
 *   organization, an execution role, a permissions boundary). Changing or dropping one widens the
 *   access or swaps the role.
 * AWS managed policies that give full access (`AdministratorAccess`, `*FullAccess`) are reported
 * wherever they are attached. VPC peering is judged the same way, as `widened-network`.
 */
import { isList, keyOf, optionsOf, Ref, refText, replaceRefs, shownVal, Unknown, type Val } from '../iac/values.js';
import { violation } from './facts.js';
import type { Resource, Side } from './side.js';
import type { GuardrailRule, GuardrailViolation } from './types.js';
import { byKey, entries, shownPath } from './walk.js';

interface Share {
  readonly types: RegExp;
  /** @default 'widened-iam' */
  readonly rule?: GuardrailRule;
  readonly who?: RegExp;
  readonly targets?: RegExp;
  readonly scopes?: RegExp;
  /** `lets X invoke the function`: what a `who` value gets. @default - `attaches X` */
  readonly says?: (who: string) => string;
}

const PRINCIPAL = /^[Pp]rincipal$/;

const SHARES: readonly Share[] = [
  {
    types: /^(aws_lambda_permission|AWS::Lambda::Permission)$/,
    who: PRINCIPAL,
    scopes:
      /^(source_arn|source_account|principal_org_id|event_source_token|function_url_auth_type|SourceArn|SourceAccount|PrincipalOrgID|EventSourceToken|FunctionUrlAuthType)$/,
    says: (who) => `lets ${who} invoke the function`,
  },
  {
    types: /^(aws_lambda_layer_version_permission|AWS::Lambda::LayerVersionPermission)$/,
    who: PRINCIPAL,
    scopes: /^(organization_id|OrganizationId)$/,
    says: (who) => `lets ${who} use the layer`,
  },
  {
    types: /^aws_ami_launch_permission$/,
    who: /^(account_id|group|organization_arn|organizational_unit_arn)$/,
    says: (who) => `lets ${who} launch the AMI`,
  },
  { types: /^aws_snapshot_create_volume_permission$/, who: /^account_id$/, says: (who) => `lets ${who} create volumes from the snapshot` },
  { types: /^(aws_db_snapshot|aws_db_cluster_snapshot)$/, who: /^shared_accounts$/, says: (who) => `lets ${who} restore the snapshot` },
  {
    types: /^(aws_ram_principal_association|AWS::RAM::ResourceShare)$/,
    who: /^(principal|Principals)$/,
    says: (who) => `shares resources with ${who}`,
  },
  {
    types: /^(aws_cloudwatch_event_permission|AWS::Events::EventBusPolicy)$/,
    who: PRINCIPAL,
    scopes: /^[Cc]ondition/,
    says: (who) => `lets ${who} put events on the bus`,
  },
  {
    types: /^(aws_vpc_endpoint_service_allowed_principal|aws_vpc_endpoint_service|AWS::EC2::VPCEndpointServicePermissions)$/,
    who: /^(principal_arn|allowed_principals|AllowedPrincipals)$/,
    says: (who) => `lets ${who} connect to the endpoint service`,
  },
  {
    types: /^(aws_vpc_peering_connection|AWS::EC2::VPCPeeringConnection)$/,
    rule: 'widened-network',
    who: /^(peer_owner_id|peer_vpc_id|PeerOwnerId|PeerVpcId|PeerRoleArn)$/,
    says: (who) => `peers the VPC with ${who}`,
  },
  { types: /^aws_kms_grant$/, who: /^(grantee_principal|retiring_principal)$/, says: (who) => `lets ${who} use the KMS key` },
  { types: /^aws_iam_((role|user|group)_)?policy_attachment$/, who: /^policy_arn$/, targets: /^(role|user|group|roles|users|groups)$/ },
  {
    types: /^(aws_iam_role|aws_iam_(role|user|group)_policy_attachments_exclusive|AWS::IAM::(Role|User|Group))$/,
    who: /^(managed_policy_arns|policy_arns|ManagedPolicyArns)$/,
  },
  {
    types: /^(aws_iam_user_group_membership|AWS::IAM::User)$/,
    who: /^(groups|Groups)$/,
    targets: /^user$/,
    says: (who) => `adds the user to ${who}`,
  },
  {
    types: /^(aws_iam_group_membership|AWS::IAM::UserToGroupAddition)$/,
    who: /^(users|Users)$/,
    targets: /^(group|GroupName)$/,
    says: (who) => `adds ${who} to the group`,
  },
  {
    types:
      /^(aws_iam_access_key|aws_iam_user_login_profile|aws_iam_service_specific_credential|aws_iam_user_ssh_key|aws_iam_signing_certificate|AWS::IAM::AccessKey)$/,
    who: /^(user|user_name|UserName)$/,
    says: (who) => `creates credentials for ${who}`,
  },
  {
    types:
      /^(aws_iam_(role|user|group)_policy|aws_iam_instance_profile|AWS::IAM::(Policy|ManagedPolicy|RolePolicy|UserPolicy|GroupPolicy|InstanceProfile))$/,
    targets: /^(role|user|group|Roles|Users|Groups|RoleName|UserName|GroupName)$/,
  },
  {
    // Which role a resource runs as, and the boundary of a role: another one, or none, is other permissions.
    types: /./,
    scopes:
      /^(permissions_boundary|PermissionsBoundary|role|role_arn|task_role_arn|execution_role_arn|service_role|iam_instance_profile(\.(name|arn))?|Role|RoleArn|TaskRoleArn|ExecutionRoleArn|ServiceRole|IamInstanceProfile(\.(Name|Arn))?|LaunchTemplateData\.IamInstanceProfile\.(Name|Arn))$/,
  },
];

/** AWS managed policies that allow `*`, or `service:*` on `*`. */
const FULL_ACCESS = /^arn:[^:]*:iam::aws:policy\/(?:[\w+=,.@-]+\/)*(AdministratorAccess|PowerUserAccess|\w*FullAccess)$/;

/** Values that mean anyone. */
const EVERYONE = new Set(['*', 'all']);

interface Value {
  readonly resource: Resource;
  readonly row: number;
  readonly part: 'who' | 'targets' | 'scopes';
  readonly path: string;
  readonly value: string;
}

function flat(value: Val): string[] {
  return optionsOf(value).flatMap((o): string[] => {
    if (typeof o === 'string') return [o];
    if (typeof o === 'number' || typeof o === 'boolean') return [String(o)];
    if (o instanceof Ref) return [refText(o.name)];
    if (o instanceof Unknown) return ['*'];
    if (isList(o)) return o.flatMap(flat);
    return o === null ? [] : [keyOf(o)];
  });
}

function classify(type: string, path: string): { row: number; part: Value['part'] } | undefined {
  for (const [row, s] of SHARES.entries()) {
    if (!s.types.test(type)) continue;
    for (const part of ['who', 'targets', 'scopes'] as const) if (s[part]?.test(path)) return { row, part };
  }
  return undefined;
}

function valuesOf(side: Side): Value[] {
  return side.resources.flatMap((r) => {
    if (r.mode !== 'resource') return [];
    return entries(r.props).flatMap((e) => {
      // A list's items are read with the list; nested block items by their own path.
      if (/^\d+$/.test(e.path[e.path.length - 1] ?? '')) return [];
      const path = shownPath(e.path).replace(/\[\d+\]/g, '');
      const c = classify(r.type, path);
      return c ? flat(e.value).map((value) => ({ resource: r, ...c, path, value })) : [];
    });
  });
}

function shown(value: string): string {
  return replaceRefs(value, (name) => `\${${name}}`);
}

/** Principals, attachments and scopes that resources grant in their arguments after the patch and did not before. */
export function shareChanges(before: Side, after: Side): GuardrailViolation[] {
  const [was, is] = [valuesOf(before), valuesOf(after)];
  const existed = byKey(before.resources);
  const found = new Map<string, { resource: Resource; row: number; parts: string[]; rule: GuardrailRule }>();
  const report = (v: Value, part: string, anyone = false): void => {
    // Access for anyone is public access, whatever the row says.
    const rule: GuardrailRule = anyone ? 'public-access' : (SHARES[v.row]?.rule ?? 'widened-iam');
    const key = `${v.resource.key}\0${v.row}\0${rule}`;
    const entry = found.get(key) ?? { resource: v.resource, row: v.row, parts: [], rule };
    if (!entry.parts.includes(part)) entry.parts.push(part);
    found.set(key, entry);
  };
  for (const v of is) {
    if (v.part === 'scopes') continue;
    const old = was.filter((b) => b.resource.key === v.resource.key && b.row === v.row && b.part === v.part);
    if (old.some((b) => b.value === v.value)) continue;
    if (FULL_ACCESS.test(v.value)) {
      report(v, `attaches the AWS managed policy ${v.value.split('/').pop() ?? v.value} (${v.path})`);
      continue;
    }
    if (v.part === 'who' && old.some((b) => EVERYONE.has(b.value))) continue;
    if (v.part === 'targets' && !existed.has(v.resource.key)) continue;
    const says =
      v.part === 'targets' ? (who: string): string => `attaches to ${who}` : (SHARES[v.row]?.says ?? ((who: string) => `attaches ${who}`));
    const anyone = EVERYONE.has(v.value) && v.part === 'who';
    report(v, anyone ? `${says('anyone')} (${v.path} ${shownVal(v.value)})` : `${says(shown(v.value))} (${v.path}, new)`, anyone);
  }
  const now = byKey(after.resources);
  for (const b of was) {
    if (b.part !== 'scopes' || !now.has(b.resource.key)) continue;
    const current = is.filter((a) => a.resource.key === b.resource.key && a.path === b.path).map((a) => a.value);
    if (current.includes(b.value)) continue;
    const resource = now.get(b.resource.key) ?? b.resource;
    report(
      { ...b, resource },
      current.length === 0
        ? `drops ${b.path} ${shown(b.value)}`
        : `changes ${b.path} from ${shown(b.value)} to ${current.map(shown).join(', ')}`,
    );
  }
  return [...found.values()].map((f) => violation(f.rule, f.resource.file, `${f.resource.id} ${f.parts.join('; ')}`, f.resource.line));
}
