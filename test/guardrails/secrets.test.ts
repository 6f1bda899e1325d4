/** `secret-in-diff`: credentials on added lines, reported by file and line and never shown. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkPatch } from '../../src/guardrails/index.js';
import { secretsIn } from '../../src/guardrails/secrets.js';
import { edit, expectVerdict, type Row } from './judge.js';

// Built from parts so that this file holds no credential-shaped literal itself.
const KEY_ID = ['AKIA', 'Q3ZT7XW2LR5MNB4K'].join('');
const SESSION_KEY_ID = ['ASIA', 'Q3ZT7XW2LR5MNB4K'].join('');
const SECRET_KEY = ['kT9vQ2mX7pL4', 'rN8sW1yZ5bC3dF6gH0jK', '2aE4uI7o'].join('');
const GITHUB = ['ghp', '_', 'a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8'].join('');
const GITHUB_PAT = ['github', '_pat_', '11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ012345'].join('');
const SLACK = ['xoxb', '-', '1234567890-0987654321-AbCdEfGhIjKlMnOpQrStUvWx'].join('');
const PEM = ['-----BEGIN RSA ', 'PRIVATE KEY-----'].join('');

const shapes: { line: string; hcl: boolean; found: readonly (readonly [string, string])[] }[] = [
  { line: `  access_key = "${KEY_ID}"`, hcl: true, found: [['an AWS access key id', 'AKIA…']] },
  { line: `AWS_ACCESS_KEY_ID=${SESSION_KEY_ID}`, hcl: false, found: [['an AWS access key id', 'ASIA…']] },
  {
    line: `  secret_key = "${SECRET_KEY}"`,
    hcl: true,
    found: [
      ['an AWS secret access key', '****'],
      ['a literal credential', 'secret_key = "****"'],
    ],
  },
  { line: `      SecretAccessKey: ${SECRET_KEY}`, hcl: false, found: [['an AWS secret access key', '****']] },
  { line: PEM, hcl: false, found: [['a private key', '-----BEGIN RSA PRIVATE KEY-----']] },
  { line: `  token = "${GITHUB}"`, hcl: true, found: [['a GitHub token', 'ghp_…']] },
  { line: `  value = "${GITHUB_PAT}"`, hcl: true, found: [['a GitHub token', 'github_pat_…']] },
  { line: `  webhook_token = "${SLACK}"`, hcl: true, found: [['a Slack token', 'xoxb-…']] },
  { line: '  master_password = "Sup3r-S3cret!"', hcl: true, found: [['a literal credential', 'master_password = "****"']] },
  { line: '      MasterUserPassword: hunter2hunter2', hcl: false, found: [['a literal credential', 'MasterUserPassword = "****"']] },
  { line: '    "DBPassword": "correct horse battery staple",', hcl: false, found: [['a literal credential', 'DBPassword = "****"']] },
  { line: '  password = "\\u0068unter2"', hcl: true, found: [['a literal credential', 'password = "****"']] },
  // Benign: references, dynamic references, placeholders, examples, settings about passwords.
  { line: '  master_password = var.db_password', hcl: true, found: [] },
  { line: '  password = "${random_password.db.result}"', hcl: true, found: [] },
  { line: "      MasterUserPassword: '{{resolve:secretsmanager:prod/db:SecretString:password}}'", hcl: false, found: [] },
  { line: '      MasterUserPassword: !Ref DbPassword', hcl: false, found: [] },
  { line: '  password = "<password>"', hcl: true, found: [] },
  { line: '  password = "CHANGE_ME"', hcl: true, found: [] },
  { line: '  minimum_password_length = 14', hcl: true, found: [] },
  { line: '  manage_master_user_password = true', hcl: true, found: [] },
  { line: '  access_key = "AKIAIOSFODNN7EXAMPLE"', hcl: true, found: [] },
  { line: '  source = "git::https://example.com/x.git?ref=4f1d2c3b5a6e7f8091a2b3c4d5e6f708192a3b4c" # secret', hcl: true, found: [] },
  { line: '  secret_arn = "arn:aws:secretsmanager:us-east-1:111122223333:secret:prod/db"', hcl: true, found: [] },
];

const TF =
  'resource "aws_db_instance" "orders" {\n  identifier     = "orders"\n  engine         = "postgres"\n  instance_class = "db.t3.micro"\n  username       = "app"\n  password       = var.db_password\n}\n';
const CFN =
  'Resources:\n  Db:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      Engine: postgres\n      MasterUsername: app\n      MasterUserPassword: !Ref DbPassword\n';

const rows: Row[] = [
  {
    name: 'a literal password replaces a variable',
    kind: 'terraform',
    before: TF,
    after: edit(TF, 'var.db_password', '"hunter2-but-longer"'),
    expected: [['secret-in-diff', 'main.tf: line 6 adds a literal credential (password = "****"): credentials never belong in code']],
  },
  {
    name: 'a provider block gets access keys',
    kind: 'terraform',
    before: TF,
    after: `provider "aws" {\n  access_key = "${KEY_ID}"\n  secret_key = "${SECRET_KEY}"\n}\n\n${TF}`,
    expected: [
      ['secret-in-diff', 'line 2 adds an AWS access key id (AKIA…)'],
      ['secret-in-diff', 'line 3 adds an AWS secret access key (****)'],
      ['secret-in-diff', 'line 3 adds a literal credential (secret_key = "****")'],
      ['backend-or-provider', 'adds the provider "aws" block'],
    ],
  },
  {
    name: 'a template (YAML) gets a literal password',
    kind: 'cloudformation',
    before: CFN,
    after: edit(CFN, '!Ref DbPassword', 'hunter2hunter2'),
    expected: [['secret-in-diff', 'template.yaml: line 7 adds a literal credential (MasterUserPassword = "****")']],
  },
  {
    name: 'a template (YAML) gets a private key in a tag',
    kind: 'cloudformation',
    before: CFN,
    after: `${CFN}      Tags:\n        - Key: k\n          Value: |\n            ${PEM}\n            MIIEow\n`,
    expected: [['secret-in-diff', 'line 11 adds a private key (-----BEGIN RSA PRIVATE KEY-----)']],
  },
  {
    name: 'a password that was already there moves',
    kind: 'terraform',
    before: edit(TF, 'var.db_password', '"hunter2-legacy"'),
    after: edit(
      edit(TF, 'var.db_password', '"hunter2-legacy"'),
      '  username       = "app"\n',
      '  port           = 5432\n  username       = "app"\n',
    ),
    expected: [],
  },
  {
    name: 'a dynamic reference (YAML) replaces a parameter',
    kind: 'cloudformation',
    before: CFN,
    after: edit(CFN, '!Ref DbPassword', "'{{resolve:secretsmanager:prod/db:SecretString:password}}'"),
    expected: [],
  },
];

const PARAMETER = 'resource "aws_ssm_parameter" "token" {\n  name  = "/app/token"\n  type  = "SecureString"\n  value = var.token\n}\n';
const FUNCTION =
  'resource "aws_lambda_function" "api" {\n  function_name = "api"\n  role          = "arn:aws:iam::111122223333:role/api"\n  s3_bucket     = "acme-artifacts"\n  s3_key        = "api.zip"\n\n  environment {\n    variables = {\n      REGION = "us-east-1"\n    }\n  }\n}\n';
const base64 = (text: string): string => Buffer.from(text).toString('base64');

/** Credentials the line scan cannot see: made by evaluation, or given to a setting not named like one. */
const evaluated: Row[] = [
  {
    name: 'a password comes from a local',
    kind: 'terraform',
    before: TF,
    after: `locals {\n  pw = "Tr0ub4dor-and-3"\n}\n\n${edit(TF, 'var.db_password', 'local.pw')}`,
    expected: [['secret-in-diff', 'aws_db_instance.orders sets password to a credential written in the code']],
  },
  {
    name: 'a password is joined from pieces',
    kind: 'terraform',
    before: TF,
    after: edit(TF, 'var.db_password', 'join("", ["Tr0ub", "4dor-and-3"])'),
    expected: [['secret-in-diff', 'aws_db_instance.orders sets password to a credential written in the code']],
  },
  {
    name: 'an access key is decoded into an environment variable',
    kind: 'terraform',
    before: FUNCTION,
    after: edit(FUNCTION, 'REGION = "us-east-1"', `REGION = "us-east-1"\n      KEY    = base64decode("${base64(KEY_ID)}")`),
    expected: [
      ['secret-in-diff', 'aws_lambda_function.api sets environment.variables.KEY to an AWS access key id (AKIA…) written in the code'],
    ],
  },
  {
    name: 'a SecureString parameter gets a literal value',
    kind: 'terraform',
    before: PARAMETER,
    after: edit(PARAMETER, 'var.token', '"tok-live-51H8xkLkdfjs"'),
    expected: [['secret-in-diff', 'aws_ssm_parameter.token sets value to an SSM SecureString value written in the code']],
  },
  {
    name: 'a template (YAML) joins a password',
    kind: 'cloudformation',
    before: CFN,
    after: edit(CFN, '!Ref DbPassword', "!Join ['', [Tr0ub, 4dor-and-3]]"),
    expected: [['secret-in-diff', 'Db sets MasterUserPassword to a credential written in the code']],
  },
];

const notEvaluated: Row[] = [
  {
    name: 'a password comes from a generated random password',
    kind: 'terraform',
    before: TF,
    after: `resource "random_password" "db" {\n  length = 24\n}\n\n${edit(TF, 'var.db_password', 'random_password.db.result')}`,
    expected: [],
  },
  {
    name: 'a String parameter gets a literal value',
    kind: 'terraform',
    before: edit(PARAMETER, '"SecureString"', '"String"'),
    after: edit(edit(PARAMETER, '"SecureString"', '"String"'), 'var.token', '"https://api.example.com"'),
    expected: [],
  },
  {
    name: 'a function gets a region from a local',
    kind: 'terraform',
    before: FUNCTION,
    after: `locals {\n  region = "eu-west-1"\n}\n\n${edit(FUNCTION, '"us-east-1"', 'local.region')}`,
    expected: [],
  },
];

describe('secretsIn', () => {
  it.each(shapes)('finds $found.length credential(s) in $line', ({ line, hcl, found }) => {
    expect(secretsIn(line, hcl)).toEqual(found);
  });
});

describe('checkPatch: secret-in-diff', () => {
  it.each(rows)('judges it when $name', expectVerdict);
  it.each(evaluated)('reports it when $name', expectVerdict);
  it.each(notEvaluated)('lets the patch pass when $name', expectVerdict);

  it('never shows the credential, whatever its shape', async () => {
    const secrets = [KEY_ID, SESSION_KEY_ID, SECRET_KEY, GITHUB, GITHUB_PAT, SLACK, 'hunter2-but-longer'];
    const after = `locals {\n${secrets.map((s, i) => `  key_${i}_secret = "${s}"`).join('\n')}\n}\n`;
    const violations = await checkPatch({ kind: 'terraform', allowedFiles: ['main.tf'], files: [{ path: 'main.tf', before: '', after }] });
    expect(violations.filter((v) => v.rule === 'secret-in-diff').length).toBeGreaterThanOrEqual(secrets.length);
    for (const v of violations) for (const s of secrets) expect(`${v.file} ${v.message}`).not.toContain(s.slice(5, 13));
  });

  it('never shows a generated credential in any message', async () => {
    const upper = fc.string({ unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'.split('')), minLength: 16, maxLength: 16 });
    // Never a placeholder: a letter first, a symbol last.
    const password = fc
      .string({
        unit: fc.constantFrom(...'abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789!@%^&'.split('')),
        minLength: 10,
        maxLength: 40,
      })
      .map((p) => `Q${p}!`);
    await fc.assert(
      fc.asyncProperty(upper, password, async (id, pass) => {
        const key = `AKIA${id}`;
        const after = `${TF}\nprovider "aws" {\n  access_key = "${key}"\n}\n\nlocals {\n  db_password = "${pass}"\n}\n`;
        const violations = await checkPatch({
          kind: 'terraform',
          allowedFiles: ['main.tf'],
          files: [{ path: 'main.tf', before: TF, after }],
        });
        expect(violations.filter((v) => v.rule === 'secret-in-diff')).toHaveLength(2);
        for (const v of violations) {
          expect(v.message).not.toContain(key.slice(4));
          expect(v.message).not.toContain(pass);
        }
      }),
      { numRuns: 40 },
    );
  });

  it('reports credentials in a file outside the target, by its escaped path', async () => {
    const violations = await checkPatch({
      kind: 'terraform',
      allowedFiles: ['main.tf'],
      files: [{ path: '../.env', before: undefined, after: `AWS_ACCESS_KEY_ID=${KEY_ID}\n` }],
    });
    expect(violations.map((v) => [v.rule, v.file])).toEqual([
      ['outside-target', '../.env'],
      ['secret-in-diff', '../.env'],
    ]);
  });

  it('stays fast on a hostile line', async () => {
    const line = `${'password='.repeat(20_000)}${'a'.repeat(100_000)} secret ${'A1b/'.repeat(50_000)}`;
    const started = performance.now();
    await checkPatch({
      kind: 'cloudformation',
      allowedFiles: ['t.yaml'],
      files: [{ path: 't.yaml', before: undefined, after: `# ${line}\nResources: {}\n` }],
    });
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});
