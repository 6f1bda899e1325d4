/**
 * Setting props in a CDK app's TypeScript without running it: where the construct expression is,
 * how its class and the values a fix writes resolve through the file's imports, and the edits in
 * the layout of the props object (no synth here: see test/skills/cdk-forms.test.ts for the app).
 */
import fc from 'fast-check';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { propsOf, siteAt, type ConstructSite } from '../../src/iac/cdk/construct.js';
import { renderLiteral, setProps, type CdkProp } from '../../src/iac/cdk/props.js';
import { applyEdits } from '../../src/iac/edits.js';

const S3 = "import * as s3 from 'aws-cdk-lib/aws-s3';\n";
const BLOCK_ALL = { $ref: 'aws-cdk-lib.aws_s3.BlockPublicAccess.BLOCK_ALL' };

function site(text: string, marker = 'new '): ConstructSite {
  const found = siteAt('lib/stack.ts', text, text.indexOf(marker));
  if (typeof found === 'string') throw new Error(found);
  return found;
}

/** The file after setting `props` on the construct at `marker`, or the reason it was not. */
function set(text: string, props: readonly CdkProp[], marker?: string): string {
  const result = setProps(site(text, marker), props);
  return result.reason ?? applyEdits(text, result.edits);
}

const syntaxErrors = (text: string): string[] =>
  (ts.transpileModule(text, { reportDiagnostics: true, fileName: 'x.ts' }).diagnostics ?? []).map((d) =>
    ts.flattenDiagnosticMessageText(d.messageText, '\n'),
  );

describe('the construct expression at a stack frame', () => {
  it('reads the class through a namespace, a named import or the aws-cdk-lib root', () => {
    const text = [
      "import * as cdk from 'aws-cdk-lib';",
      "import { Bucket as B } from 'aws-cdk-lib/aws-s3';",
      S3,
      "new s3.Bucket(this, 'A', {});",
      "new B(this, 'B');",
      "new cdk.aws_s3.Bucket(this, 'C', props);",
    ].join('\n');
    const sites = ['new s3', 'new B', 'new cdk'].map((m) => site(text, m));
    expect(sites.map((s) => [s.className, s.fqn, s.id])).toEqual([
      ['s3.Bucket', 'aws-cdk-lib.aws_s3.Bucket', 'A'],
      ['B', 'aws-cdk-lib.aws_s3.Bucket', 'B'],
      ['cdk.aws_s3.Bucket', 'aws-cdk-lib.aws_s3.Bucket', 'C'],
    ]);
    expect(sites[1]!.props).toBe('absent');
    expect(ts.isIdentifier(sites[2]!.props as ts.Node)).toBe(true);
  });

  it('takes the class of a super call from the extends clause, and says what is not a construct expression', () => {
    const text = `${S3}class Archive extends s3.Bucket {\n  constructor(scope: any, id: string) {\n    super(scope, id, { versioned: false });\n  }\n}\nconst x = f();\n`;
    expect(site(text, 'super(').fqn).toBe('aws-cdk-lib.aws_s3.Bucket');
    expect(siteAt('lib/stack.ts', text, text.indexOf('f()'))).toMatch(
      /lib\/stack.ts:7:11 is not a `new` expression, a `super` call or a known factory method \(addFunctionUrl\)/,
    );
  });
});

describe('a factory method that creates a construct from its options', () => {
  const LAMBDA = "import * as lambda from 'aws-cdk-lib/aws-lambda';\n";
  const AWS_IAM = { $ref: 'aws-cdk-lib.aws_lambda.FunctionUrlAuthType.AWS_IAM' };

  it('is a site where V8 points, at the method name, with its options as props', () => {
    const text = `${LAMBDA}fn.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.NONE });\n`;
    const found = site(text, 'addFunctionUrl');
    expect([found.className, found.fqn, found.id, found.propsIndex]).toEqual([
      'fn.addFunctionUrl',
      'aws-cdk-lib.aws_lambda.FunctionUrl',
      'FunctionUrl',
      0,
    ]);
    expect(set(text, [{ name: 'authType', value: AWS_IAM }], 'addFunctionUrl')).toBe(
      `${LAMBDA}fn.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.AWS_IAM });\n`,
    );
    expect(set(`${LAMBDA}fn.addFunctionUrl();`, [{ name: 'authType', value: AWS_IAM }], 'addFunctionUrl')).toBe(
      `${LAMBDA}fn.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.AWS_IAM });`,
    );
  });

  it('is only one of the allow-list, named at its method', () => {
    const text = `${LAMBDA}fn.addEventSource(source);\nfn.addFunctionUrl();\n`;
    expect(siteAt('lib/stack.ts', text, text.indexOf('addEventSource'))).toMatch(/is not a `new` expression/);
    expect(siteAt('lib/stack.ts', text, text.indexOf('fn.addFunctionUrl'))).toMatch(/is not a `new` expression/);
  });
});

describe('setting props', () => {
  it('adds a prop on its own line in a multi-line object, with or without a trailing comma, a comment staying with its prop', () => {
    const withComma = `${S3}new s3.Bucket(this, 'B', {\n  bucketName: 'b', // the name\n});\n`;
    expect(set(withComma, [{ name: 'versioned', value: true }])).toBe(
      `${S3}new s3.Bucket(this, 'B', {\n  bucketName: 'b', // the name\n  versioned: true,\n});\n`,
    );
    const without = `${S3}new s3.Bucket(this, 'B', {\n    bucketName: 'b' /* the name */\n});\n`;
    expect(
      set(without, [
        { name: 'versioned', value: true },
        { name: 'enforceSSL', value: true },
      ]),
    ).toBe(`${S3}new s3.Bucket(this, 'B', {\n    bucketName: 'b', /* the name */\n    versioned: true,\n    enforceSSL: true\n});\n`);
  });

  it('adds a prop inline in an inline object, writes an object where there is none or an empty one', () => {
    expect(set(`${S3}new s3.Bucket(this, 'B', { bucketName: 'b' });`, [{ name: 'versioned', value: true }])).toBe(
      `${S3}new s3.Bucket(this, 'B', { bucketName: 'b', versioned: true });`,
    );
    expect(set(`${S3}new s3.Bucket(this, 'B');`, [{ name: 'versioned', value: true }])).toBe(
      `${S3}new s3.Bucket(this, 'B', { versioned: true });`,
    );
    expect(set(`${S3}new s3.Bucket(this, 'B', {});`, [{ name: 'versioned', value: true }])).toBe(
      `${S3}new s3.Bucket(this, 'B', { versioned: true });`,
    );
  });

  it('replaces a literal or an aws-cdk-lib value, keeps a value already right, spreads props passed as a variable', () => {
    const text = `${S3}new s3.Bucket(this, 'B', { versioned: false, blockPublicAccess: s3.BlockPublicAccess.BLOCK_ACLS, enforceSSL: true });`;
    expect(
      set(text, [
        { name: 'versioned', value: true },
        { name: 'blockPublicAccess', value: BLOCK_ALL },
        { name: 'enforceSSL', value: true },
      ]),
    ).toBe(`${S3}new s3.Bucket(this, 'B', { versioned: true, blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL, enforceSSL: true });`);
    expect(setProps(site(`${S3}new s3.Bucket(this, 'B', { enforceSSL: true });`), [{ name: 'enforceSSL', value: true }])).toEqual({
      edits: [],
    });
    expect(set(`${S3}new s3.Bucket(this, 'B', props);`, [{ name: 'versioned', value: true }])).toBe(
      `${S3}new s3.Bucket(this, 'B', { ...props, versioned: true });`,
    );
  });

  it('does not overwrite a value from a variable, a shorthand or a call, nor props built by a call, and says where to set it', () => {
    expect(set(`${S3}new s3.Bucket(this, 'B', { versioned: isProd });`, [{ name: 'versioned', value: true }])).toMatch(
      /versioned is set by `isProd` in lib\/stack.ts, a value cloudmend does not change; set it to true/,
    );
    expect(set(`${S3}new s3.Bucket(this, 'B', { versioned });`, [{ name: 'versioned', value: true }])).toMatch(
      /versioned is set from the variable versioned/,
    );
    expect(set(`${S3}new s3.Bucket(this, 'B', bucketProps('b'));`, [{ name: 'versioned', value: true }])).toMatch(
      /the construct's props in lib\/stack.ts are the expression `bucketProps\('b'\)`; set them where it is built/,
    );
  });

  it('writes an aws-cdk-lib member through the imports: a namespace, a name added to a named import, a new import', () => {
    const named = "import { Bucket } from 'aws-cdk-lib/aws-s3';\nnew Bucket(this, 'B');";
    expect(set(named, [{ name: 'blockPublicAccess', value: BLOCK_ALL }])).toBe(
      "import { Bucket, BlockPublicAccess } from 'aws-cdk-lib/aws-s3';\nnew Bucket(this, 'B', { blockPublicAccess: BlockPublicAccess.BLOCK_ALL });",
    );
    const root = "import * as cdk from 'aws-cdk-lib';\nnew cdk.aws_s3.Bucket(this, 'B');";
    expect(set(root, [{ name: 'blockPublicAccess', value: BLOCK_ALL }])).toBe(
      "import * as cdk from 'aws-cdk-lib';\nnew cdk.aws_s3.Bucket(this, 'B', { blockPublicAccess: cdk.aws_s3.BlockPublicAccess.BLOCK_ALL });",
    );
    const other =
      "import * as s3 from 'aws-cdk-lib/aws-s3';\nimport { Key } from './key';\nnew s3.Bucket(this, 'B', { encryption: s3.BucketEncryption.KMS });";
    expect(set(other, [{ name: 'objectOwnership', value: { $ref: 'aws-cdk-lib.aws_sqs.QueueEncryption.SQS_MANAGED' } }])).toBe(
      "import * as s3 from 'aws-cdk-lib/aws-s3';\nimport { Key } from './key';\nimport { QueueEncryption } from 'aws-cdk-lib/aws-sqs';\n" +
        "new s3.Bucket(this, 'B', { encryption: s3.BucketEncryption.KMS, objectOwnership: QueueEncryption.SQS_MANAGED });",
    );
  });

  it('writes an escape hatch value in the quotes of the file, JSON where a value is not plain', () => {
    const double = site('import * as s3 from "aws-cdk-lib/aws-s3";\nnew s3.Bucket(this, "B");');
    expect(renderLiteral(double, { Status: 'Enabled', 'a-b': ["it's"] })).toBe('{ Status: "Enabled", "a-b": ["it\'s"] }');
    expect(renderLiteral(site(`${S3}new s3.Bucket(this, 'B');`), { Status: "it's" })).toBe("{ Status: 'it\\'s' }");
    expect(renderLiteral(double, { Key: null })).toBe('{"Key":null}');
  });

  it('refuses a name the file already uses for something else', () => {
    const taken = "import { Bucket } from 'aws-cdk-lib/aws-s3';\nconst BlockPublicAccess = 1;\nnew Bucket(this, 'B');";
    expect(set(taken, [{ name: 'blockPublicAccess', value: BLOCK_ALL }])).toMatch(/the name it needs to import is taken there/);
  });

  it('yields text that parses and sets the prop exactly once, whatever the layout of the object (property)', () => {
    const names = ['bucketName', 'versioned', 'enforceSSL', 'autoDeleteObjects', 'blockPublicAccess'];
    const entry = fc.record({
      name: fc.constantFrom(...names),
      value: fc.constantFrom("'b'", 'false', 'true', '1', 's3.BlockPublicAccess.BLOCK_ACLS', '[1, 2]', '{ a: 1 }'),
      comment: fc.constantFrom('', ' // why', ' /* why */'),
    });
    const layout = fc.record({
      entries: fc.uniqueArray(entry, { selector: (e) => e.name, maxLength: 4 }),
      multiline: fc.boolean(),
      trailingComma: fc.boolean(),
      indent: fc.constantFrom('  ', '    ', '\t'),
    });
    const prop = fc.record({
      name: fc.constantFrom(...names),
      value: fc.constantFrom<CdkProp['value']>(true, false, 7, 'x', BLOCK_ALL, { a: [1] }),
    });
    fc.assert(
      fc.property(layout, prop, ({ entries, multiline, trailingComma, indent }, { name, value }) => {
        const comma = trailingComma && entries.length > 0 ? ',' : '';
        // A line comment ends its line: inline objects get block comments only.
        const body = multiline
          ? entries.map((e, i) => `\n${indent}${e.name}: ${e.value}${i < entries.length - 1 ? ',' : comma}${e.comment}`).join('') + '\n'
          : ` ${entries.map((e, i) => `${e.name}: ${e.value}${i < entries.length - 1 ? ',' : comma}${e.comment.replace(' // why', ' /* why */')}`).join(' ')} `;
        const text = `${S3}new s3.Bucket(this, 'B', {${body}});\n`;
        const result = setProps(site(text), [{ name, value }]);
        if (result.reason !== undefined) return; // a value cloudmend does not replace: said, not written
        const out = applyEdits(text, result.edits);
        expect(syntaxErrors(out), out).toEqual([]);
        const after = site(out).props as ts.ObjectLiteralExpression;
        expect(after.properties.filter((p) => p.name?.getText() === name)).toHaveLength(1);
        expect([...propsOf(after).keys()].sort()).toEqual([...new Set([...entries.map((e) => e.name), name])].sort());
        // Each comment stays right after its property (a replaced value aside).
        for (const e of entries.filter((x) => x.comment !== '' && x.name !== name)) {
          const comment = multiline ? e.comment : e.comment.replace(' // why', ' /* why */');
          expect(out).toContain(`${e.name}: ${e.value}${out.includes(`${e.name}: ${e.value},`) ? ',' : ''}${comment}`);
        }
      }),
      { numRuns: 100 },
    );
  });
});
