/** `cloudmend drift`: output, exit codes (0 no drift, 1 drift, 2 user error) and messages. */
/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-return -- configuration items are JSON fixtures, mutated in place as Config would change them */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { FIXTURES, itemFile, liveOf } from './support.js';

const ROOT = join(import.meta.dirname, '../..');
const fixture = (path: string): string => relative(ROOT, join(FIXTURES, path));

async function run(argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), cwd: ROOT, env: {} });
  return { code, stdout, stderr };
}

describe('cloudmend drift', () => {
  let dir: string;
  let openSsh: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'cloudmend-drift-'));
    openSsh = join(dir, 'sg-open-ssh.json');
    const live = liveOf('security-group', (ci) =>
      ci.configuration.ipPermissions.push({
        fromPort: 22,
        ipProtocol: 'tcp',
        toPort: 22,
        ipv6Ranges: [],
        prefixListIds: [],
        userIdGroupPairs: [],
        ipv4Ranges: [{ cidrIp: '0.0.0.0/0' }],
      }),
    );
    writeFileSync(openSsh, JSON.stringify(live));
    writeFileSync(join(dir, 'broken.json'), '{"resourceType": ');
    writeFileSync(join(dir, 'topic.json'), JSON.stringify({ resourceType: 'AWS::SNS::Topic', resourceId: 'alerts', configuration: {} }));
    writeFileSync(join(dir, 'notes.txt'), 'not IaC');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints "no drift" and exits 0 when the live resource matches the code', async () => {
    const { code, stdout, stderr } = await run([
      'drift',
      '--template',
      fixture('terraform/security-group/main.tf'),
      '--live',
      relative(ROOT, itemFile('security-group')),
    ]);
    expect(stderr).toBe('');
    // vpc_id is a variable: every declared scalar is compared, and one that is not a literal is said to be left out.
    expect(stdout).toBe(
      'aws_security_group.web (terraform) vs AWS::EC2::SecurityGroup acme-web: no drift\n\nnot compared, unresolved in the code: vpc_id (var.vpc_id)\n',
    );
    expect(code).toBe(0);
  });

  it('prints a table of differences with their reasons and exits 1 on drift', async () => {
    const { code, stdout } = await run(['drift', '--template', fixture('cloudformation/security-group.yaml'), '--live', openSsh]);
    expect(code).toBe(1);
    expect(stdout).toBe(
      [
        'WebSecurityGroup (cloudformation) vs AWS::EC2::SecurityGroup acme-web: 1 difference (1 security, 1 weakening)',
        '',
        '  CLASS     CATEGORY  WEAKENS  PATH                       DECLARED  LIVE',
        '  security  exposure  yes      ingress[tcp 22 0.0.0.0/0]  -         present',
        '      why: ingress rule tcp 22 0.0.0.0/0: present live, absent in the code. security-relevant (exposure): it changes who can reach the resource; the live value is less secure than the code.',
        '',
        'not compared, unresolved in the code: VpcId (!Ref VpcId)',
        '',
      ].join('\n'),
    );
  });

  it('prints the report as JSON with --json', async () => {
    const { code, stdout } = await run([
      'drift',
      '-t',
      fixture('terraform/security-group'),
      '-l',
      openSsh,
      '--resource',
      'aws_security_group.web',
      '--json',
    ]);
    expect(code).toBe(1);
    const report = JSON.parse(stdout) as Record<string, unknown>;
    expect(report).toMatchObject({
      resourceType: 'AWS::EC2::SecurityGroup',
      resourceId: 'sg-0a1b2c3d4e5f60718',
      kind: 'terraform',
      address: 'aws_security_group.web',
      drifted: true,
      security: true,
      weakens: true,
    });
    expect(report.differences).toEqual([
      {
        path: 'ingress[tcp 22 0.0.0.0/0]',
        declared: null,
        live: { protocol: 'tcp', from: 22, to: 22, kind: 'cidr', peer: '0.0.0.0/0' },
        class: 'security',
        category: 'exposure',
        weakens: true,
        why: expect.stringMatching(/^ingress rule tcp 22 0\.0\.0\.0\/0: /) as unknown,
      },
    ]);
  });

  it('lists what it could not compare', async () => {
    const { code, stdout } = await run([
      'drift',
      '--template',
      fixture('cloudformation/s3-bucket.yaml'),
      '--live',
      relative(ROOT, itemFile('s3-bucket')),
    ]);
    expect(code).toBe(0);
    expect(stdout).toContain(
      'not compared, unresolved in the code: encryption.kmsMasterKeyId (!GetAtt LogsKey.Arn); tags.env (!Ref Environment)',
    );
  });

  it.each([
    ['a missing template', () => ['--template', 'nope/main.tf', '--live', openSsh], 'cloudmend: template file not found: '],
    [
      'a missing live file',
      () => ['--template', fixture('terraform/security-group'), '--live', 'nope.json'],
      'cloudmend: live configuration item file not found: ',
    ],
    [
      'a live file that is not JSON',
      () => ['--template', fixture('terraform/security-group'), '--live', join(dir, 'broken.json')],
      'is not valid JSON',
    ],
    [
      'a template of unknown kind',
      () => ['--template', join(dir, 'notes.txt'), '--live', openSsh],
      'cannot tell the IaC kind of notes.txt (.txt)',
    ],
    ['a directory without Terraform', () => ['--template', dir, '--live', openSsh], 'is a directory without .tf files'],
    [
      'an unsupported resource type',
      () => ['--template', fixture('terraform/security-group'), '--live', join(dir, 'topic.json')],
      'cloudmend: drift does not support AWS::SNS::Topic yet',
    ],
    [
      'a resource that is not declared',
      () => ['--template', fixture('terraform/security-group'), '--live', openSsh, '--resource', 'aws_security_group.db'],
      'cloudmend: no resource "aws_security_group.db" in the template',
    ],
    [
      'a resource of another type',
      () => [
        '--template',
        fixture('terraform/security-group'),
        '--live',
        openSsh,
        '--resource',
        'aws_vpc_security_group_ingress_rule.ssh_internal',
      ],
      'is aws_vpc_security_group_ingress_rule, but the configuration item describes AWS::EC2::SecurityGroup',
    ],
  ])('exits 2 with a message for %s', async (_name, argv, message) => {
    const { code, stdout, stderr } = await run(['drift', ...argv()]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain(message);
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('exits 2 for an ambiguous resource, telling to pass --resource', async () => {
    const tf = join(dir, 'main.tf');
    writeFileSync(
      tf,
      'resource "aws_security_group" "a" {\n  name = "acme-web"\n}\nresource "aws_security_group" "b" {\n  name = "acme-web"\n}\n',
    );
    const { code, stderr } = await run(['drift', '--template', tf, '--live', openSsh]);
    expect(code).toBe(2);
    expect(stderr).toBe(
      'cloudmend: 2 resources could be AWS::EC2::SecurityGroup acme-web: aws_security_group.a, aws_security_group.b; pass --resource with one of them\n',
    );
  });

  it('reads the whole module of a .tf file but prefers the resources of that file', async () => {
    const module = join(dir, 'module');
    mkdirSync(module);
    writeFileSync(join(module, 'a.tf'), 'resource "aws_security_group" "a" {\n  name = "acme-web"\n}\n');
    writeFileSync(join(module, 'b.tf'), 'resource "aws_security_group" "b" {\n  name = "acme-web"\n}\n');
    const { code, stdout } = await run(['drift', '--template', join(module, 'b.tf'), '--live', openSsh, '--json']);
    expect(code).toBe(1);
    expect(JSON.parse(stdout)).toMatchObject({ address: 'aws_security_group.b' });
  });

  it('exits 2 with the file, line and column of a template that does not parse', async () => {
    const broken = join(dir, 'broken');
    mkdirSync(broken);
    writeFileSync(join(broken, 'main.tf'), 'resource "aws_security_group" "a" {\n  name = \n');
    const { code, stderr } = await run(['drift', '--template', broken, '--live', openSsh]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/^cloudmend: .*main\.tf:\d+:\d+: /);
  });

  it('exits 2 when a required option is missing', async () => {
    const { code, stderr } = await run(['drift', '--live', openSsh]);
    expect(code).toBe(2);
    expect(stderr).toContain("required option '-t, --template <file>' not specified");
  });
});
