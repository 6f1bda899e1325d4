/**
 * `public-access`: what lets anyone, with or without an AWS account, reach data or call code.
 * Public canned ACLs and grants to the AllUsers / AuthenticatedUsers groups, S3 Block Public
 * Access settings that may end up off (set false, set to a value cloudmend cannot evaluate, or
 * left out of a public access block, where S3 reads them as false), the account's Block Public
 * Access for AMIs and EBS snapshots unblocked, EMR's block public access off, Cognito identity
 * pools that hand out credentials without sign-in, function URLs without authentication, and API
 * methods and routes without authorization (CORS preflight `OPTIONS` carries no credentials and is
 * left alone). Grants to anyone in resources'
 * arguments (an AMI or snapshot shared with `all`, a Lambda permission for `*`) are found by
 * `shares.ts` and reported here too.
 */
import { isList, isObject, mayBeFalse, mayBeTrue, optionsOf, shownVal, Unknown, type Val } from '../iac/values.js';
import { added, violation, type Fact } from './facts.js';
import type { Props, Resource, Side } from './side.js';
import type { GuardrailViolation } from './types.js';
import { entries, holderOf, shownPath } from './walk.js';

/** Canned ACLs that grant a public group access, in Terraform and CloudFormation spelling. */
const PUBLIC_ACLS = new Set([
  'public-read',
  'public-read-write',
  'authenticated-read',
  'PublicRead',
  'PublicReadWrite',
  'AuthenticatedRead',
]);

/** The public group a grantee URI names, if any. */
function publicGroup(uri: string): string | undefined {
  return /\/groups\/global\/(AllUsers|AuthenticatedUsers)\b/.exec(uri)?.[1];
}

function acls(r: Resource): Fact[] {
  const holder = holderOf(r);
  return entries(r.props).flatMap((e): Fact[] => {
    const facts: Fact[] = [];
    if (e.name === 'acl' || e.name === 'AccessControl') {
      const options = optionsOf(e.value);
      const open = options.filter((o) => (typeof o === 'string' && PUBLIC_ACLS.has(o)) || o instanceof Unknown);
      if (open.length > 0)
        facts.push({
          holder,
          key: `acl ${shownPath(e.path)} ${open.map((o) => shownVal(o)).join()}`,
          line: r.lineOf(e.path),
          message: `${r.id} sets ${shownPath(e.path)} to ${shownVal(e.value)}: a canned ACL that may let everyone in`,
        });
    }
    if (typeof e.value === 'string') {
      const group = publicGroup(e.value);
      if (group)
        facts.push({
          holder,
          key: `grantee ${group}`,
          line: r.lineOf(e.path),
          message: `${r.id} grants access to the ${group} group (${shownPath(e.path)})`,
        });
    }
    return facts;
  });
}

const BPA_TF = ['block_public_acls', 'block_public_policy', 'ignore_public_acls', 'restrict_public_buckets'];
const BPA_CFN = ['BlockPublicAcls', 'BlockPublicPolicy', 'IgnorePublicAcls', 'RestrictPublicBuckets'];

function blockOff(r: Resource, config: Props, names: readonly string[], where: string): Fact[] {
  return names.flatMap((n): Fact[] => {
    const v = config[n];
    if (!mayBeFalse(v)) return [];
    const how = v === undefined ? 'leaves it unset (S3 reads false)' : `sets it to ${shownVal(v)}`;
    return [
      {
        holder: holderOf(r),
        key: `off ${where}${n}`,
        line: r.lineOf([n]),
        message: `${r.id} turns off Block Public Access setting ${where}${n}: it ${how}`,
      },
    ];
  });
}

function blockPublicAccess(r: Resource): Fact[] {
  if (r.type === 'aws_s3_bucket_public_access_block' || r.type === 'aws_s3_account_public_access_block')
    return blockOff(r, r.props, BPA_TF, '');
  if (r.type === 'aws_s3_access_point' || r.type === 'aws_s3control_access_point') {
    const configs = isList(r.props.public_access_block_configuration ?? null)
      ? (r.props.public_access_block_configuration as readonly Val[])
      : [];
    return configs.flatMap((c) => (isObject(c) ? blockOff(r, c, BPA_TF, 'public_access_block_configuration.') : []));
  }
  const config = r.props.PublicAccessBlockConfiguration;
  if (r.kind === 'cloudformation' && config !== undefined) {
    return optionsOf(config).flatMap((c) =>
      isObject(c)
        ? blockOff(r, c, BPA_CFN, 'PublicAccessBlockConfiguration.')
        : blockOff(r, {}, BPA_CFN, 'PublicAccessBlockConfiguration.'),
    );
  }
  if (
    (r.type === 'aws_ec2_image_block_public_access' || r.type === 'aws_ebs_snapshot_block_public_access') &&
    optionsOf(r.props.state ?? null).some((s) => s !== 'block-all-sharing' && s !== 'block-new-sharing')
  ) {
    return [
      {
        holder: holderOf(r),
        key: 'unblocked',
        message: `${r.id} turns off the account's Block Public Access (state ${shownVal(r.props.state ?? null)})`,
      },
    ];
  }
  return [];
}

/** Block Public Access inputs a module call sets (left out, the module's own default applies). */
function moduleBlocks(r: Resource): Fact[] {
  const given = Object.fromEntries(BPA_TF.filter((n) => r.props[n] !== undefined).map((n) => [n, r.props[n] ?? null]));
  return blockOff(r, given, Object.keys(given), '');
}

/** True when the setting may be `value` (or cannot be evaluated). */
function mayBe(v: Val | undefined, value: string, absentIs?: string): boolean {
  if (v === undefined) return absentIs === value;
  return optionsOf(v).some((o) => o === value || o instanceof Unknown);
}

const OPEN_CALLS: Readonly<Record<string, { readonly auth: string; readonly method: string; readonly absent?: string }>> = {
  aws_api_gateway_method: { auth: 'authorization', method: 'http_method' },
  aws_apigatewayv2_route: { auth: 'authorization_type', method: 'route_key', absent: 'NONE' },
  'AWS::ApiGateway::Method': { auth: 'AuthorizationType', method: 'HttpMethod', absent: 'NONE' },
  'AWS::ApiGatewayV2::Route': { auth: 'AuthorizationType', method: 'RouteKey', absent: 'NONE' },
  aws_lambda_function_url: { auth: 'authorization_type', method: '' },
  'AWS::Lambda::Url': { auth: 'AuthType', method: '' },
};

function openCalls(r: Resource): Fact[] {
  const names = OPEN_CALLS[r.type];
  if (!names) return [];
  const method = names.method === '' ? undefined : r.props[names.method];
  if (typeof method === 'string' && /^OPTIONS\b/i.test(method)) return [];
  const auth = r.props[names.auth];
  if (!mayBe(auth, 'NONE', names.absent)) return [];
  const what = names.method === '' ? 'the function URL' : typeof method === 'string' ? method : 'its method';
  const how = auth === undefined ? `no ${names.auth}, which defaults to NONE` : `${names.auth} ${shownVal(auth)}`;
  return [{ holder: holderOf(r), key: `open ${what}`, message: `${r.id} lets anyone call ${what} without authorization (${how})` }];
}

/** Switches that let anyone in when true: `[types, setting, what anyone gets]`. */
const OPEN_WHEN_TRUE: readonly (readonly [RegExp, string, string])[] = [
  [
    /^(aws_cognito_identity_pool|AWS::Cognito::IdentityPool)$/,
    'allow_unauthenticated_identities|AllowUnauthenticatedIdentities',
    'gives AWS credentials of its unauthenticated role to anyone who asks',
  ],
  [
    /^(aws_cognito_identity_pool|AWS::Cognito::IdentityPool)$/,
    'allow_classic_flow|AllowClassicFlow',
    'lets anyone take the basic (classic) authentication flow',
  ],
];

/** Switches that keep the public out when true: off, or left out where the service defaults to off. */
const CLOSED_WHEN_TRUE: readonly (readonly [RegExp, string, string])[] = [
  [/^aws_emr_block_public_access_configuration$/, 'block_public_security_group_rules', 'EMR clusters may open ports to the internet'],
];

function switches(r: Resource): Fact[] {
  const holder = holderOf(r);
  const open = OPEN_WHEN_TRUE.filter(([types]) => types.test(r.type)).flatMap(([, names, what]): Fact[] => {
    const name = names.split('|').find((n) => r.props[n] !== undefined);
    const v = name === undefined ? undefined : r.props[name];
    return name !== undefined && v !== undefined && mayBeTrue(v)
      ? [{ holder, key: `open ${name}`, line: r.lineOf([name]), message: `${r.id} sets ${name} to ${shownVal(v)}: it ${what}` }]
      : [];
  });
  const closed = CLOSED_WHEN_TRUE.filter(([types]) => types.test(r.type)).flatMap(([, name, what]): Fact[] =>
    mayBeFalse(r.props[name])
      ? [
          {
            holder,
            key: `unblocked ${name}`,
            line: r.lineOf([name]),
            message: `${r.id} ${r.props[name] === undefined ? `leaves ${name} out` : `sets ${name} to ${shownVal(r.props[name] ?? null)}`}: ${what}`,
          },
        ]
      : [],
  );
  return [...open, ...closed];
}

function facts(side: Side): Fact[] {
  // A module call's inputs are judged by their names, as the module's resources would be.
  return side.resources.flatMap((r) =>
    r.mode === 'resource'
      ? [...acls(r), ...blockPublicAccess(r), ...openCalls(r), ...switches(r)]
      : r.mode === 'module'
        ? [...acls(r), ...moduleBlocks(r)]
        : [],
  );
}

/**
 * A bucket whose template drops its `PublicAccessBlockConfiguration`: CloudFormation then deletes
 * the bucket's public access block (a new bucket without one gets S3's defaults, an existing one does not).
 */
function blockRemoved(before: Side, after: Side): GuardrailViolation[] {
  const now = new Map(after.resources.map((r) => [r.key, r]));
  return before.resources.flatMap((b) => {
    const a = now.get(b.key);
    if (
      !a ||
      b.kind !== 'cloudformation' ||
      b.props.PublicAccessBlockConfiguration === undefined ||
      a.props.PublicAccessBlockConfiguration !== undefined
    )
      return [];
    return [
      violation(
        'public-access',
        a.file,
        `${a.id} drops its PublicAccessBlockConfiguration: updating the stack deletes the bucket's Block Public Access settings`,
        a.line,
      ),
    ];
  });
}

/** Public access the patch opens. */
export function publicAccess(before: Side, after: Side): GuardrailViolation[] {
  return [...added('public-access', facts(before), facts(after)), ...blockRemoved(before, after)];
}
