/** Classification: security or benign, category, direction, live-only additions, unknowns and redaction. */
/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-return -- configuration items are JSON fixtures, mutated in place as Config would change them */
import { describe, expect, it } from 'vitest';
import { driftOf } from '../../src/drift/index.js';
import { driftFor, encodePolicy, liveOf, summary, terraformFiles, updateSupplementary, type Item } from './support.js';

/** Removes a whole `resource "type" "name" { ... }` block (top-level braces only) from Terraform text. */
function withoutResource(type: string, name: string): (text: string) => string {
  return (text) => text.replace(new RegExp(`resource "${type}" "${name}" \\{[\\s\\S]*?\\n\\}\\n`), '');
}

describe('live-only additions', () => {
  it('reports an ingress rule live only even when the code declares no ingress at all', () => {
    const noIngress = (text: string): string =>
      withoutResource('aws_vpc_security_group_ingress_rule', 'ssh_internal')(text).replace(/ {2}ingress \{[\s\S]*?\n {2}\}\n/, '');
    const report = driftFor('terraform', 'security-group', liveOf('security-group'), { edit: noIngress });
    expect(summary(report)).toEqual([
      { path: 'ingress[tcp 443 0.0.0.0/0]', class: 'security', category: 'exposure', weakens: true },
      { path: 'ingress[tcp 22 10.0.0.0/8]', class: 'security', category: 'network', weakens: true },
    ]);
    expect(report.differences[0]?.declared).toBeNull();
    expect(report.differences[0]?.why).toMatch(/not declared in the code/);
  });

  it('accepts the allow-all egress AWS adds to every group when egress is not declared, but not other egress', () => {
    const live = (extra: boolean): Item =>
      liveOf('security-group', (ci) => {
        if (extra)
          ci.configuration.ipPermissionsEgress.push({
            fromPort: 25,
            ipProtocol: 'tcp',
            toPort: 25,
            ipv6Ranges: [],
            prefixListIds: [],
            userIdGroupPairs: [],
            ipv4Ranges: [{ cidrIp: '198.51.100.0/24' }],
          });
      });
    expect(summary(driftFor('cloudformation', 'security-group', live(false)))).toEqual([]);
    expect(summary(driftFor('cloudformation', 'security-group', live(true)))).toEqual([
      { path: 'egress[tcp 25 198.51.100.0/24]', class: 'security', category: 'network', weakens: true },
    ]);
  });

  it('reports a declared rule missing live as security-relevant but not weakening', () => {
    const live = liveOf('security-group', (ci) => ci.configuration.ipPermissions.shift());
    expect(summary(driftFor('terraform', 'security-group', live))).toEqual([
      { path: 'ingress[tcp 443 0.0.0.0/0]', class: 'security', category: 'exposure', weakens: false },
    ]);
  });

  it('matches rules on a source group and on the group itself', () => {
    const live = liveOf('security-group', (ci) =>
      ci.configuration.ipPermissions.push({
        fromPort: 8080,
        ipProtocol: 'tcp',
        toPort: 8080,
        ipv4Ranges: [],
        ipv6Ranges: [],
        prefixListIds: [],
        userIdGroupPairs: [
          { groupId: 'sg-0a1b2c3d4e5f60718', userId: '111122223333' },
          { groupId: 'sg-0ffff', userId: '111122223333' },
        ],
      }),
    );
    const edit = (text: string): string =>
      text.replace(
        '  egress {',
        '  ingress {\n    from_port = 8080\n    to_port = 8080\n    protocol = "tcp"\n    self = true\n    security_groups = [aws_security_group.lb.id]\n  }\n\n  egress {',
      );
    const report = driftFor('terraform', 'security-group', live, { edit });
    expect(summary(report)).toEqual([]);
  });

  it('reports a public access block flag set to false on the bucket even when the code declares no block', () => {
    const edit = withoutResource('aws_s3_bucket_public_access_block', 'logs');
    const off = liveOf('s3-bucket', (ci) =>
      updateSupplementary(ci, 'PublicAccessBlockConfiguration', (p: object) => ({ ...p, restrictPublicBuckets: false })),
    );
    expect(summary(driftFor('terraform', 's3-bucket', off, { edit }))).toEqual([
      { path: 'publicAccessBlock.restrictPublicBuckets', class: 'security', category: 'exposure', weakens: true },
    ]);
    // No bucket-level block at all leaves the account-level block in charge: not drift of this bucket.
    const none = liveOf('s3-bucket', (ci) => delete ci.supplementaryConfiguration.PublicAccessBlockConfiguration);
    expect(summary(driftFor('terraform', 's3-bucket', none, { edit }))).toEqual([]);
  });

  it('reports a deleted public access block as four weakened flags when the code declares one', () => {
    const none = liveOf('s3-bucket', (ci) => delete ci.supplementaryConfiguration.PublicAccessBlockConfiguration);
    const report = driftFor('cloudformation', 's3-bucket', none);
    expect(report.differences.map((d) => [d.path, d.declared, d.live, d.weakens])).toEqual([
      ['publicAccessBlock.blockPublicAcls', true, null, true],
      ['publicAccessBlock.ignorePublicAcls', true, null, true],
      ['publicAccessBlock.blockPublicPolicy', true, null, true],
      ['publicAccessBlock.restrictPublicBuckets', true, null, true],
    ]);
  });

  it('reports a bucket policy statement that grants access when the code declares no policy, but not one that denies', () => {
    const edit = (text: string): string =>
      withoutResource('aws_s3_bucket_policy', 'logs')(text).replace(/data "aws_iam_policy_document"[\s\S]*?\n\}\n/, '');
    expect(summary(driftFor('terraform', 's3-bucket', liveOf('s3-bucket'), { edit }))).toEqual([]);
    const grant = liveOf('s3-bucket', (ci) =>
      updateSupplementary(ci, 'BucketPolicy', () => ({
        policyText: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::acme-prod-logs/*' }],
        }),
      })),
    );
    expect(summary(driftFor('terraform', 's3-bucket', grant, { edit }))).toEqual([
      { path: 'bucketPolicy.Statement[Allow s3:getobject for *]', class: 'security', category: 'exposure', weakens: true },
    ]);
  });

  it('reports a public DB endpoint when the code leaves publicly_accessible out', () => {
    const edit = (text: string): string => text.replace(/ {2}publicly_accessible +=.*\n/, '');
    expect(summary(driftFor('terraform', 'rds-instance', liveOf('rds-instance'), { edit }))).toEqual([]);
    const open = liveOf('rds-instance', (ci) => (ci.configuration.publiclyAccessible = true));
    expect(summary(driftFor('terraform', 'rds-instance', open, { edit }))).toEqual([
      { path: 'publiclyAccessible', class: 'security', category: 'exposure', weakens: true },
    ]);
  });

  it('reports managed policies attached live when the code attaches none', () => {
    const report = driftFor('terraform', 'iam-role', liveOf('iam-role'), {
      edit: withoutResource('aws_iam_role_policy_attachment', 'basic_execution'),
    });
    expect(summary(report)).toEqual([
      {
        path: 'managedPolicyArns[arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        class: 'security',
        category: 'iam',
        weakens: true,
      },
    ]);
  });

  it('reports an inline policy added live as one difference', () => {
    const live = liveOf('iam-role', (ci) =>
      ci.configuration.rolePolicyList.push({
        policyName: 'debug',
        policyDocument: encodePolicy({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }),
      }),
    );
    expect(summary(driftFor('cloudformation', 'iam-role', live))).toEqual([
      { path: 'inlinePolicies.debug', class: 'security', category: 'iam', weakens: true },
    ]);
  });
});

describe('changed values', () => {
  it('pairs a statement whose Sid survives into one "changed" difference, weakening when it grants more', () => {
    const live = liveOf('iam-role', (ci) => {
      ci.configuration.rolePolicyList[0].policyDocument = encodePolicy({
        Version: '2012-10-17',
        Statement: [{ Sid: 'ReadConfig', Effect: 'Allow', Action: 's3:*', Resource: 'arn:aws:s3:::acme-config/*' }],
      });
    });
    const [d, ...rest] = driftFor('terraform', 'iam-role', live).differences;
    expect(rest).toEqual([]);
    expect(d).toMatchObject({
      path: 'inlinePolicies.read-config-bucket.Statement[ReadConfig]',
      class: 'security',
      category: 'iam',
      weakens: true,
    });
    expect(d?.declared).toMatchObject({ Action: ['s3:getobject'] });
    expect(d?.live).toMatchObject({ Action: ['s3:*'] });
  });

  it('marks resilience settings benign but still says when they weaken', () => {
    const rds = liveOf('rds-instance', (ci) => {
      ci.configuration.backupRetentionPeriod = 1;
      ci.configuration.deletionProtection = false;
    });
    expect(summary(driftFor('cloudformation', 'rds-instance', rds))).toEqual([
      { path: 'backupRetentionPeriod', class: 'benign', weakens: true },
      { path: 'deletionProtection', class: 'benign', weakens: true },
    ]);
    const s3 = liveOf('s3-bucket', (ci) =>
      updateSupplementary(ci, 'BucketVersioningConfiguration', () => ({ status: 'Suspended', isMfaDeleteEnabled: null })),
    );
    expect(summary(driftFor('terraform', 's3-bucket', s3))).toEqual([{ path: 'versioning', class: 'benign', weakens: true }]);
  });

  it('explains each difference: what, where, the category and the direction', () => {
    const live = liveOf('kms-key', (ci) => (ci.supplementaryConfiguration.KeyRotationStatus = false));
    const [d] = driftFor('terraform', 'kms-key', live).differences;
    expect(d?.why).toBe(
      'KMS automatic key rotation: false live, true in the code. security-relevant (encryption): it changes how the data is encrypted; the live value is less secure than the code.',
    );
  });
});

describe('unknown and unrecorded values', () => {
  it('never reports a value the code leaves to a variable, and lists it as unknown', () => {
    const edit = (text: string): string => text.replace('memory_size   = 256', 'memory_size   = var.memory');
    const report = driftFor(
      'terraform',
      'lambda-function',
      liveOf('lambda-function', (ci) => (ci.configuration.memorySize = 1024)),
      { edit },
    );
    expect(summary(report)).toEqual([]);
    expect(report.unknown).toContain('memorySize (var.memory)');
  });

  it('still reports a value whose known shape cannot match: a role ARN naming another role', () => {
    const live = liveOf('lambda-function', (ci) => (ci.configuration.role = 'arn:aws:iam::111122223333:role/acme-admin'));
    const [d] = driftFor('terraform', 'lambda-function', live).differences;
    expect(d).toMatchObject({
      path: 'role',
      declared: '(unknown: aws_iam_role.app.arn)',
      live: 'arn:aws:iam::111122223333:role/acme-admin',
      category: 'iam',
    });
  });

  it('lists declared properties Config does not record instead of comparing them', () => {
    const live = liveOf('lambda-function', (ci) => delete ci.configuration.environment);
    const report = driftFor('cloudformation', 'lambda-function', live);
    expect(summary(report)).toEqual([]);
    expect(report.notRecorded).toEqual(['environment']);
  });

  it('ignores tags added by the stack in CloudFormation, but not tags missing from Terraform default_tags', () => {
    const live = liveOf('s3-bucket', (ci) => (ci.tags['cost-center'] = '42'));
    expect(summary(driftFor('cloudformation', 's3-bucket', live))).toEqual([]);
    expect(summary(driftFor('terraform', 's3-bucket', live))).toEqual([{ path: 'tags.cost-center', class: 'benign', weakens: false }]);
  });
});

describe('secret-looking environment values', () => {
  const edit = (text: string): string => text.replace('DB_PASSWORD  = var.db_password', 'DB_PASSWORD  = "correct-horse-battery-staple"');

  it('are compared but reported as (redacted), and never appear in the reason', () => {
    const live = liveOf('lambda-function', (ci) => {
      ci.configuration.environment.variables.API_TOKEN = 'xoxb-123456789012-abcdefghijkl';
      ci.configuration.environment.variables.LOG_LEVEL = 'debug';
    });
    const report = driftOf({ kind: 'terraform', files: terraformFiles('lambda-function', edit) }, live);
    expect(report.differences.map((d) => [d.path, d.declared, d.live])).toEqual([
      ['environment.API_TOKEN', null, '(redacted)'],
      ['environment.DB_PASSWORD', '(redacted)', '(redacted)'],
      ['environment.LOG_LEVEL', 'info', 'debug'],
    ]);
    const text = JSON.stringify(report);
    for (const secret of ['correct-horse', 'Qm9va3NBcmVHcmVhdDEyMyE=', 'xoxb-']) expect(text).not.toContain(secret);
  });

  it('redacts a literal inside a partly unknown value too', () => {
    const edit = (text: string): string =>
      text.replace(
        'LOG_LEVEL    = "info"',
        'LOG_LEVEL    = "info"\n      DATABASE_URL = "postgres://orders:pa55word@${var.db_host}/orders"',
      );
    const url = (password: string): ReturnType<typeof liveOf> =>
      liveOf(
        'lambda-function',
        (ci) => (ci.configuration.environment.variables.DATABASE_URL = `postgres://orders:${password}@db.internal/orders`),
      );
    const files = terraformFiles('lambda-function', edit);
    expect(summary(driftOf({ kind: 'terraform', files }, url('pa55word')))).toEqual([]);
    const report = driftOf({ kind: 'terraform', files }, url('rotated'));
    expect(report.differences.map((d) => [d.path, d.declared, d.live])).toEqual([['environment.DATABASE_URL', '(redacted)', '(redacted)']]);
    expect(JSON.stringify(report)).not.toMatch(/pa55word|rotated/);
  });

  it('redacts a value that looks like a key even under an innocent name', () => {
    const live = liveOf('lambda-function', (ci) => (ci.configuration.environment.variables.ORDERS_TABLE = 'AKIAIOSFODNN7EXAMPLE'));
    const [d] = driftFor('cloudformation', 'lambda-function', live).differences;
    expect(d).toMatchObject({ path: 'environment.ORDERS_TABLE', declared: '(redacted)', live: '(redacted)', class: 'benign' });
  });
});
