/**
 * Reading a cloud assembly the app wrote: stacks, construct paths, creation stacks and classes, and
 * nested stages. The app is untrusted: a symlink to a host file, a path out of the assembly or a
 * lookup it wants made are refused with a reason, and nothing outside the assembly is read.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseFrame, readAssembly } from '../../../src/iac/cdk/assembly.js';

const WORK = '/cloudmend/work';
let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function write(files: Record<string, unknown>): string {
  dir = mkdtempSync(join(tmpdir(), 'cloudmend-assembly-test-'));
  const out = join(dir, 'cdk.out');
  mkdirSync(out);
  for (const [path, value] of Object.entries(files)) {
    mkdirSync(join(out, path, '..'), { recursive: true });
    writeFileSync(join(out, path), typeof value === 'string' ? value : JSON.stringify(value));
  }
  return out;
}

const template = { Resources: { Uploads4F6EB0FD: { Type: 'AWS::S3::Bucket' } } };
const metadata = {
  '/Data/Uploads/Resource': [
    { type: 'aws:cdk:logicalId', data: 'Uploads4F6EB0FD' },
    {
      type: 'aws:cdk:creationStack',
      data: [
        '...new Bucket2 in aws-cdk-lib...',
        `new DataStack (${WORK}/lib/data.ts:11:21)`,
        `<anonymous> (${WORK}/bin/app.ts:4:1)`,
        '...node internals...',
      ],
    },
  ],
};
const stack = (id: string, extra: Record<string, unknown> = {}) => ({
  type: 'aws:cloudformation:stack',
  properties: { templateFile: `${id}.template.json`, ...extra },
  additionalMetadataFile: `${id}.metadata.json`,
});
const tree = {
  tree: {
    id: 'App',
    path: '',
    children: {
      Data: {
        path: 'Data',
        constructInfo: { fqn: 'aws-cdk-lib.Stack' },
        children: { Uploads: { path: 'Data/Uploads', constructInfo: { fqn: 'aws-cdk-lib.aws_s3.Bucket' } } },
      },
    },
  },
};

describe('readAssembly', () => {
  it('reads each stack with its resources, the app frames that made them, and the construct classes', () => {
    const out = write({
      'manifest.json': {
        artifacts: { Data: stack('Data', { stackName: 'acme-data' }), Tree: { type: 'cdk:tree', properties: { file: 'tree.json' } } },
      },
      'Data.template.json': template,
      'Data.metadata.json': metadata,
      'tree.json': tree,
    });
    const { assembly } = readAssembly(out, WORK);
    expect(assembly?.stacks).toEqual([
      {
        id: 'Data',
        stackName: 'acme-data',
        template: JSON.stringify(template, null, 1),
        resources: [
          {
            logicalId: 'Uploads4F6EB0FD',
            path: 'Data/Uploads/Resource',
            trace: [
              { file: 'lib/data.ts', line: 11, column: 21 },
              { file: 'bin/app.ts', line: 4, column: 1 },
            ],
          },
        ],
      },
    ]);
    expect(assembly?.fqns).toMatchObject({ 'Data/Uploads': 'aws-cdk-lib.aws_s3.Bucket' });
  });

  it("reads a stage's nested assembly", () => {
    const out = write({
      'manifest.json': { artifacts: { 'assembly-Prod': { type: 'cdk:cloud-assembly', properties: { directoryName: 'assembly-Prod' } } } },
      'assembly-Prod/manifest.json': { artifacts: { 'Prod-Data': stack('Prod-Data') } },
      'assembly-Prod/Prod-Data.template.json': template,
      'assembly-Prod/Prod-Data.metadata.json': metadata,
    });
    expect(readAssembly(out, WORK).assembly?.stacks.map((s) => [s.id, s.stackName])).toEqual([['assembly-Prod/Prod-Data', 'Prod-Data']]);
  });

  it('refuses an app that wants values looked up from an account, saying how to synthesize offline', () => {
    const out = write({
      'manifest.json': { artifacts: {}, missing: [{ key: 'vpc-provider:account=1:filter.vpc-id=vpc-1', provider: 'vpc-provider' }] },
    });
    expect(readAssembly(out, WORK).reason).toMatch(/looks up values from an AWS account \(vpc-provider .*commit cdk.context.json/);
  });

  it('never reads a host file through a symlink the app made, or a path out of the assembly', () => {
    const secret = join(mkdtempSync(join(tmpdir(), 'cloudmend-host-')), 'credentials');
    writeFileSync(secret, '{"aws_secret_access_key": "host-secret"}');
    try {
      const linked = write({ 'manifest.json': { artifacts: { Data: stack('Data') } }, 'Data.metadata.json': metadata });
      symlinkSync(secret, join(linked, 'Data.template.json'));
      const result = readAssembly(linked, WORK);
      expect(result.reason).toMatch(/Data.template.json.*symlink/);
      expect(JSON.stringify(result)).not.toContain('host-secret');
      rmSync(dir, { recursive: true, force: true });

      const escaping = write({
        'manifest.json': { artifacts: { Data: { ...stack('Data'), properties: { templateFile: '../../credentials' } } } },
        'Data.metadata.json': metadata,
      });
      expect(readAssembly(escaping, WORK).reason).toMatch(/leaves the repository root|outside/);
      rmSync(dir, { recursive: true, force: true });

      const whole = write({});
      rmSync(whole, { recursive: true });
      symlinkSync(join(secret, '..'), whole);
      expect(readAssembly(whole, WORK).reason).toMatch(/cdk.out is missing, or not a directory/);
    } finally {
      rmSync(join(secret, '..'), { recursive: true, force: true });
    }
  });

  it('says so when the app synthesized no stack', () => {
    expect(readAssembly(write({ 'manifest.json': { artifacts: {} } }), WORK).reason).toBe('the app synthesized no stack');
  });
});

describe('parseFrame', () => {
  it.each([
    [`new DataStack (${WORK}/lib/data.ts:11:21)`, { file: 'lib/data.ts', line: 11, column: 21 }],
    [`${WORK}/lib/helpers.ts:4:10`, { file: 'lib/helpers.ts', line: 4, column: 10 }],
    [`Object.<anonymous> (${WORK}/bin/app.ts:6:1)`, { file: 'bin/app.ts', line: 6, column: 1 }],
    [`new Bucket (${WORK}/node_modules/aws-cdk-lib/aws-s3/lib/bucket.js:1:2)`, undefined],
    ['new X (/elsewhere/lib/x.ts:1:1)', undefined],
    [`f (${WORK}/../etc/x.ts:1:1)`, undefined],
    ['...node internals, tsx...', undefined],
  ])('reads %j', (frame, expected) => {
    expect(parseFrame(frame, WORK)).toEqual(expected);
  });
});
