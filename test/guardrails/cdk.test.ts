/**
 * The guardrail on a CDK app's patch: the TypeScript held to its allow-list (the located
 * constructs' props, aws-cdk-lib imports, override statements), and the synthesized templates
 * judged by every rule family. Real TypeScript texts and hand-written templates: no synthesis.
 */
import { describe, expect, it } from 'vitest';
import { checkCdkPatch, templatePath, type CdkConstructSite, type CdkTemplate } from '../../src/guardrails/cdk.js';
import type { GuardrailRule, PatchedFile } from '../../src/guardrails/index.js';
import { edit, expectPlaced } from './judge.js';

const STACK = `// Storage for the acme app.
import { Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { aws_kms as kms } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as cdk from 'aws-cdk-lib';
import type { Construct } from 'constructs';

function stageName(stage: string): string {
  return \`acme-\${stage}\`;
}

export class StorageStack extends Stack {
  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);

    // Uploads from the web app; kept when the stack goes.
    const uploads = new s3.Bucket(this, 'Uploads', {
      bucketName: 'acme-uploads',
      removalPolicy: RemovalPolicy.RETAIN,
      blockPublicAccess: new s3.BlockPublicAccess({ blockPublicAcls: false, blockPublicPolicy: false, ignorePublicAcls: false, restrictPublicBuckets: false }),
    });

    new kms.Key(this, 'DataKey', { alias: 'alias/acme-data' });

    new sqs.Queue(this, 'Jobs');

    const fn = new lambda.Function(this, 'Handler', {
      runtime: lambda.Runtime.NODEJS_22_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline('exports.handler = async () => ({ ok: true });'),
      timeout: Duration.seconds(10),
    });
    fn.addFunctionUrl();
    void uploads;
    void stageName;
  }
}

export class SecureBucket extends s3.Bucket {
  constructor(scope: Construct, id: string, props: s3.BucketProps) {
    super(scope, id, props);
  }
}
`;

const TABLES = `import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type { Construct } from 'constructs';

/** The orders table, shared by the API and the workers. */
export function ordersTable(scope: Construct, id: string): dynamodb.Table {
  return new dynamodb.Table(scope, id, {
    tableName: 'acme-orders',
    partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
  });
}
`;

/** Where `needle` (at its `at`-th character) starts in `text`, as a stack frame names it. */
function site(file: string, text: string, needle: string, at = 0): CdkConstructSite {
  const offset = text.indexOf(needle);
  if (offset < 0) throw new Error(`fixture does not contain ${needle}`);
  const lines = text.slice(0, offset + at).split('\n');
  return { file, line: lines.length, column: (lines.at(-1)?.length ?? 0) + 1 };
}

const LOCATED: readonly CdkConstructSite[] = [
  site('lib/stack.ts', STACK, "new s3.Bucket(this, 'Uploads'"),
  site('lib/stack.ts', STACK, "new kms.Key(this, 'DataKey'"),
  site('lib/stack.ts', STACK, "new sqs.Queue(this, 'Jobs')"),
  // V8 names a method call by its name.
  site('lib/stack.ts', STACK, 'fn.addFunctionUrl()', 3),
  site('lib/stack.ts', STACK, 'super(scope, id, props);\n  }\n}\n'),
  site('lib/tables.ts', TABLES, 'new dynamodb.Table'),
];

/** The verdict on the app's files (changed ones after the patch), with no template change. */
async function rules(after: Readonly<Record<string, string>>, constructs = LOCATED): Promise<[GuardrailRule, string][]> {
  const before: Record<string, string> = {
    'lib/stack.ts': STACK,
    'lib/tables.ts': TABLES,
    'cdk.json': '{ "app": "npx ts-node bin/app.ts" }',
  };
  const files: PatchedFile[] = Object.entries(after).map(([path, text]) => ({ path, before: before[path], after: text }));
  const found = await checkCdkPatch({ files, constructs, templates: [] });
  found.forEach(expectPlaced);
  return found.map((v) => [v.rule, v.message]);
}

const stack = (...edits: [string, string][]): Record<string, string> => ({
  'lib/stack.ts': edits.reduce((text, [from, to]) => edit(text, from, to), STACK),
});

/** The end of the located bucket's props (their trailing comma). */
const UPLOADS_END = ',\n    });\n\n    new kms.Key';
const BPA_LITERAL =
  'new s3.BlockPublicAccess({ blockPublicAcls: false, blockPublicPolicy: false, ignorePublicAcls: false, restrictPublicBuckets: false })';

describe('checkCdkPatch: the TypeScript patches a fix writes pass', () => {
  it.each<[string, Record<string, string>]>([
    [
      'a prop added to a multiline props object (trailing comma) and a value replaced by an aws-cdk-lib member',
      stack([BPA_LITERAL, 's3.BlockPublicAccess.BLOCK_ALL'], [UPLOADS_END, `,\n      enforceSSL: true${UPLOADS_END}`]),
    ],
    [
      'a prop added to an inline props object',
      stack(["alias: 'alias/acme-data' }", "alias: 'alias/acme-data', enableKeyRotation: true }"]),
    ],
    [
      'props where there were none, with a new aws-cdk-lib import',
      stack(
        ["new sqs.Queue(this, 'Jobs')", "new sqs.Queue(this, 'Jobs', { encryption: QueueEncryption.KMS_MANAGED, enforceSSL: true })"],
        [
          "import type { Construct } from 'constructs';\n",
          "import type { Construct } from 'constructs';\nimport { QueueEncryption } from 'aws-cdk-lib/aws-sqs';\n",
        ],
      ),
    ],
    [
      'the props variable of a super call wrapped with a setting',
      stack(['super(scope, id, props);\n  }\n}', 'super(scope, id, { ...props, enforceSSL: true });\n  }\n}']),
    ],
    [
      'options given to a located method call',
      stack(['fn.addFunctionUrl()', 'fn.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.AWS_IAM })']),
    ],
    [
      'values built from literals, aws-cdk-lib members and value builders, nested',
      stack([
        BPA_LITERAL,
        's3.BlockPublicAccess.BLOCK_ALL,\n' +
          "      lifecycleRules: [{ id: 'expire', expiration: Duration.days(365), noncurrentVersionsToRetain: -1, prefix: null }]",
      ]),
    ],
    ['a value through the aws-cdk-lib namespace', stack([BPA_LITERAL, 'cdk.aws_s3.BlockPublicAccess.BLOCK_ALL'])],
    [
      'an override statement after the construct, with a name added to an existing aws-cdk-lib import',
      stack(
        [
          'import { Duration, RemovalPolicy, Stack, type StackProps }',
          'import { Duration, RemovalPolicy, Stack, type StackProps, CfnResource }',
        ],
        [
          '    });\n\n    new kms.Key',
          '    });\n    (uploads.node.defaultChild as CfnResource).addPropertyOverride(\'VersioningConfiguration\', {"Status":"Enabled"});\n' +
            "    (uploads.node.defaultChild as CfnResource).addPropertyOverride('ObjectLockEnabled', false);\n\n    new kms.Key",
        ],
      ),
    ],
    [
      'a new import of a name the file uses only as a member name',
      stack([
        "import * as sqs from 'aws-cdk-lib/aws-sqs';\n",
        "import * as sqs from 'aws-cdk-lib/aws-sqs';\nimport { Token as handler } from 'aws-cdk-lib';\n",
      ]),
    ],
    [
      'a new import as the first line of a file that starts with a comment',
      stack(['// Storage for the acme app.\n', "import { CfnResource } from 'aws-cdk-lib';\n// Storage for the acme app.\n"]),
    ],
  ])('%s', async (_, after) => {
    expect(await rules(after)).toEqual([]);
  });

  it('a construct in a helper function of another file gains a prop', async () => {
    const after = edit(
      TABLES,
      'type: dynamodb.AttributeType.STRING },\n  });',
      'type: dynamodb.AttributeType.STRING },\n    pointInTimeRecovery: true,\n  });',
    );
    expect(await rules({ 'lib/tables.ts': after })).toEqual([]);
  });

  it.each([
    ['\n', 'LF'],
    ['\r\n', 'CRLF'],
  ])('an override after a declaration with a trailing comment, in a file with %j line ends', async (eol) => {
    const lines = (...l: string[]): string => l.join(eol);
    const file = 'lib/s.ts';
    const fn = lines(
      "import { CfnResource } from 'aws-cdk-lib';",
      'export function f(app: any) {',
      "  const b = new CfnResource(app, 'B', { type: 'X' }); // the resource",
      '}',
      '',
    );
    const override = fn.replace(
      '; // the resource',
      `;${eol}  (b.node.defaultChild as CfnResource).addPropertyOverride('A.B', [1, "two", null]); // the resource`,
    );
    const judged = await checkCdkPatch({
      files: [{ path: file, before: fn, after: override }],
      constructs: [site(file, fn, 'new CfnResource')],
      templates: [],
    });
    expect(judged).toEqual([]);
  });

  it('unchanged files and the located constructs of files the patch leaves alone are not judged', async () => {
    expect(await rules({ 'lib/stack.ts': STACK })).toEqual([]);
  });
});

describe('checkCdkPatch: hostile TypeScript patches are refused', () => {
  const uploadsProp = (text: string): Record<string, string> => stack([UPLOADS_END, `,\n      ${text}${UPLOADS_END}`]);

  it.each<[string, Record<string, string>, GuardrailRule, string]>([
    [
      'a prop value that is an arrow function',
      uploadsProp("serverAccessLogsPrefix: (() => 'x')()"),
      'code-execution',
      "calls `(() => 'x')`, which is not one of aws-cdk-lib's value builders (Duration, Size), code that runs at synthesis",
    ],
    [
      'a prop value that is an arrow function (not called)',
      uploadsProp('autoDeleteObjects: () => true'),
      'code-execution',
      'is a function',
    ],
    [
      'a prop value that calls a local function',
      uploadsProp("serverAccessLogsPrefix: stageName('prod')"),
      'code-execution',
      "calls `stageName`, which is not one of aws-cdk-lib's value builders",
    ],
    [
      'a prop value that reads the environment',
      uploadsProp('serverAccessLogsPrefix: process.env.NAME'),
      'outside-contract',
      'process.env.NAME',
    ],
    ['a prop value that is a local variable', uploadsProp('serverAccessLogsBucket: uploads'), 'outside-contract', 'uploads'],
    [
      'a template literal with a substitution',
      uploadsProp('serverAccessLogsPrefix: `x-${1 + 1}`'),
      'outside-contract',
      'a template with substitutions',
    ],
    [
      'an aws-cdk-lib value that runs a container at synthesis',
      uploadsProp("x: cdk.DockerImage.fromRegistry('alpine')"),
      'code-execution',
      "calls `cdk.DockerImage.fromRegistry`, which is not one of aws-cdk-lib's value builders",
    ],
    [
      'an aws-cdk-lib object built with new (a constructor runs whatever its class does)',
      uploadsProp("x: new lambda.Runtime('nodejs22.x')"),
      'code-execution',
      "calls `lambda.Runtime`, which is not one of aws-cdk-lib's value builders",
    ],
    [
      'a chain of aws-cdk-lib names that reaches the Function constructor',
      uploadsProp("serverAccessLogsPrefix: new s3.Bucket.constructor('return 1')"),
      'code-execution',
      'calls `s3.Bucket.constructor`',
    ],
    ['a method in the props', uploadsProp('get versioned() { return true; }'), 'outside-contract', 'is not written as name: value'],
    [
      'an aws-cdk-lib member that runs a command at synthesis',
      uploadsProp("x: lambda.Code.fromCustomCommand('out', ['sh', '-c', 'curl evil'])"),
      'code-execution',
      'fromCustomCommand',
    ],
    [
      'an import of child_process',
      stack([
        "import type { Construct } from 'constructs';\n",
        "import type { Construct } from 'constructs';\nimport { execSync } from 'child_process';\n",
      ]),
      'code-execution',
      'imports "child_process"',
    ],
    [
      'a module imported for its side effects',
      stack([
        "import type { Construct } from 'constructs';\n",
        "import type { Construct } from 'constructs';\nimport 'aws-cdk-lib/aws-s3';\n",
      ]),
      'code-execution',
      'for its side effects',
    ],
    [
      'an import that takes a name the file uses',
      stack([
        "import type { Construct } from 'constructs';\n",
        "import type { Construct } from 'constructs';\nimport { Fn as stageName } from 'aws-cdk-lib';\n",
      ]),
      'outside-contract',
      'imports stageName, a name the file already uses',
    ],
    [
      'a new statement elsewhere',
      stack(['    void uploads;\n', "    void uploads;\n    console.log('hi');\n"]),
      'outside-contract',
      "console.log('hi');",
    ],
    [
      'a changed construct id',
      stack([
        "new kms.Key(this, 'DataKey', { alias: 'alias/acme-data' })",
        "new kms.Key(this, 'DataKey2', { alias: 'alias/acme-data', enableKeyRotation: true })",
      ]),
      'outside-contract',
      'DataKey2',
    ],
    [
      'a changed scope',
      stack(["new sqs.Queue(this, 'Jobs')", "new sqs.Queue(scope, 'Jobs', { enforceSSL: true })"]),
      'outside-contract',
      "new sqs.Queue(scope, 'Jobs'",
    ],
    [
      'a comment edited elsewhere',
      stack(['// Uploads from the web app', '// Uploads from the website']),
      'outside-contract',
      'line 18 before the patch',
    ],
    ['whitespace changed elsewhere', stack(['    void uploads;', '    void  uploads;']), 'outside-contract', 'void  uploads;'],
    [
      'an edit in another construct',
      stack(["handler: 'index.handler',", "handler: 'index.handler',\n      memorySize: 4096,"]),
      'outside-contract',
      'memorySize: 4096',
    ],
    [
      'a prop replaced by another',
      stack(["{ alias: 'alias/acme-data' }", '{ enableKeyRotation: true }']),
      'outside-contract',
      'removes the prop alias',
    ],
    ['a removed prop', stack(["      bucketName: 'acme-uploads',\n", '']), 'outside-contract', 'removes the prop bucketName'],
    [
      'an override statement with a non-literal value',
      stack([
        '    });\n\n    new kms.Key',
        "    });\n    (uploads.node.defaultChild as s3.CfnBucket).addPropertyOverride('BucketName', stageName('x'));\n\n    new kms.Key",
      ]),
      'outside-contract',
      'sets a value that is not a JSON literal',
    ],
    [
      "an override statement on another construct after a located construct's declaration",
      stack([
        '    });\n\n    new kms.Key',
        "    });\n    (fn.node.defaultChild as lambda.CfnFunction).addPropertyOverride('Timeout', 900);\n\n    new kms.Key",
      ]),
      'outside-contract',
      'does not override uploads',
    ],
    [
      'an override statement that is not after a located declaration',
      stack([
        '    fn.addFunctionUrl();\n',
        "    fn.addFunctionUrl();\n    (fn.node.defaultChild as lambda.CfnFunction).addPropertyOverride('Timeout', 900);\n",
      ]),
      'outside-contract',
      'is not right after the declaration of a located construct',
    ],
    [
      'a reference through a name shadowing an aws-cdk-lib import',
      stack(
        ['function stageName(stage: string): string {', 'function stageName(stage: string, s3: any = {}): string {'],
        [BPA_LITERAL, 's3.BlockPublicAccess.BLOCK_ALL'],
      ),
      'outside-contract',
      'not a member of aws-cdk-lib',
    ],
    [
      'a file that no longer parses',
      stack(["new kms.Key(this, 'DataKey', { alias: 'alias/acme-data' });", "new kms.Key(this, 'DataKey', { alias: 'alias/acme-data' );"]),
      'unparsable',
      'does not parse after the patch',
    ],
  ])('%s', async (_, after, rule, fragment) => {
    const found = await rules(after);
    expect(found.length, JSON.stringify(found)).toBeGreaterThan(0);
    expect(
      found.every(([r]) => r === rule || r === 'outside-contract'),
      JSON.stringify(found),
    ).toBe(true);
    expect(
      found.find(([r, m]) => r === rule && m.includes(fragment)),
      JSON.stringify(found),
    ).toBeDefined();
  });

  it.each<[string, Record<string, string>, string]>([
    ['a new .js file', { 'lib/hook.js': "require('child_process').execSync('id');\n" }, 'lib/hook.js: created'],
    ['a new .json file', { 'lib/data.json': '{}\n' }, 'lib/data.json: created'],
    ['a new .ts file', { 'lib/extra.ts': 'export {};\n' }, 'lib/extra.ts: created'],
    ['a changed package.json', { 'package.json': '{ "scripts": { "preinstall": "id" } }' }, 'package.json: created'],
    ['a changed cdk.json app command', { 'cdk.json': '{ "app": "sh -c id" }' }, 'cdk.json: changed'],
    ['a path leaving the app', { '../x.ts': 'export {};\n' }, 'leaves its directory'],
  ])('%s', async (_, after, fragment) => {
    const found = await rules(after);
    expect(found.map(([r]) => r)).toEqual(['outside-target']);
    expect(found[0]?.[1]).toContain(fragment);
  });

  it('a located construct that is not where the locator said is refused', async () => {
    const found = await rules(stack(["alias: 'alias/acme-data' }", "alias: 'alias/acme-data', enableKeyRotation: true }"]), [
      { file: 'lib/stack.ts', line: 1, column: 1 },
    ]);
    expect(found.map(([r, m]) => [r, m.includes('is not a `new`, `super` or method call')])).toContainEqual(['outside-contract', true]);
    // And without it located, the same edit is an edit elsewhere.
    expect(found.some(([, m]) => m.includes('outside the located constructs'))).toBe(true);
  });
});

/** A synthesized template (as the CDK writes it): a bucket, a key and the function's role. */
function template(over: { publicBlock?: boolean; rotation?: boolean; action?: string; policy?: object } = {}): string {
  const block = over.publicBlock ?? false;
  return JSON.stringify(
    {
      Resources: {
        Uploads4F6EB0FD: {
          Type: 'AWS::S3::Bucket',
          Properties: {
            BucketName: 'acme-uploads',
            PublicAccessBlockConfiguration: {
              BlockPublicAcls: block,
              BlockPublicPolicy: block,
              IgnorePublicAcls: block,
              RestrictPublicBuckets: block,
            },
          },
          UpdateReplacePolicy: 'Retain',
          DeletionPolicy: 'Retain',
          Metadata: { 'aws:cdk:path': 'StorageStack/Uploads/Resource' },
        },
        ...(over.policy ? { UploadsPolicy: over.policy } : {}),
        DataKey17AFBB84: {
          Type: 'AWS::KMS::Key',
          Properties: { ...(over.rotation ? { EnableKeyRotation: true } : {}), Description: 'acme data key' },
          Metadata: { 'aws:cdk:path': 'StorageStack/DataKey/Resource' },
        },
        HandlerServiceRoleFCDC14AE: {
          Type: 'AWS::IAM::Role',
          Properties: {
            AssumeRolePolicyDocument: {
              Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' } }],
              Version: '2012-10-17',
            },
            Policies: [
              {
                PolicyName: 'read',
                PolicyDocument: {
                  Statement: [
                    { Action: over.action ?? 's3:GetObject', Effect: 'Allow', Resource: { 'Fn::GetAtt': ['Uploads4F6EB0FD', 'Arn'] } },
                  ],
                },
              },
            ],
          },
          Metadata: { 'aws:cdk:path': 'StorageStack/Handler/ServiceRole/Resource' },
        },
      },
    },
    null,
    1,
  );
}

const FIX = stack([BPA_LITERAL, 's3.BlockPublicAccess.BLOCK_ALL']);
const S3_8 = { address: 'Uploads4F6EB0FD', controlId: 'S3.8' };

async function judgeTemplates(templates: CdkTemplate[], contract = S3_8): Promise<[GuardrailRule, string][]> {
  const files = [{ path: 'lib/stack.ts', before: STACK, after: FIX['lib/stack.ts']! }];
  const found = await checkCdkPatch({ files, constructs: LOCATED, templates, contract });
  return found.map((v) => [v.rule, v.message]);
}

describe('checkCdkPatch: the synthesized templates are judged as a CloudFormation patch', () => {
  it("passes the fix's template change on the located resource", async () => {
    expect(await judgeTemplates([{ stack: 'StorageStack', before: template(), after: template({ publicBlock: true }) }])).toEqual([]);
  });

  it('refuses a template that opens the bucket to the public', async () => {
    const found = await judgeTemplates([{ stack: 'StorageStack', before: template({ publicBlock: true }), after: template() }]);
    expect(found.map(([r]) => r)).toContain('public-access');
    expect(found.find(([r]) => r === 'public-access')?.[1]).toContain(`${templatePath('StorageStack')}:`);
  });

  it('refuses a template that grants everyone access to the bucket', async () => {
    const policy = {
      Type: 'AWS::S3::BucketPolicy',
      Properties: {
        Bucket: { Ref: 'Uploads4F6EB0FD' },
        PolicyDocument: {
          Statement: [{ Action: 's3:GetObject', Effect: 'Allow', Principal: { AWS: '*' }, Resource: 'arn:aws:s3:::acme-uploads/*' }],
        },
      },
    };
    const found = await judgeTemplates([{ stack: 'StorageStack', before: template(), after: template({ publicBlock: true, policy }) }]);
    expect(found.map(([r]) => r)).toContain('widened-iam');
  });

  it('refuses a template that widens IAM', async () => {
    const found = await judgeTemplates([
      { stack: 'StorageStack', before: template(), after: template({ publicBlock: true, action: '*' }) },
    ]);
    expect(found.map(([r]) => r)).toContain('widened-iam');
  });

  it('holds the template to the contract: another resource changing is outside it', async () => {
    const found = await judgeTemplates([
      { stack: 'StorageStack', before: template(), after: template({ publicBlock: true, rotation: true }) },
    ]);
    expect(found.map(([r, m]) => [r, m.includes('DataKey17AFBB84')])).toEqual([['outside-contract', true]]);
  });

  it('judges a large synthesized template by the lines the patch changes', async () => {
    const big = (block: boolean): string =>
      edit(
        template({ publicBlock: block }),
        '"Resources": {',
        `"Resources": {\n${Array.from({ length: 400 }, (_, i) => ` "Q${i}": {"Type": "AWS::SQS::Queue"},`).join('\n')}`,
      );
    expect(await judgeTemplates([{ stack: 'StorageStack', before: big(false), after: big(true) }])).toEqual([]);
  });
});
