import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IacSyntaxError } from '../../src/iac/errors.js';
import { readHclValue, staticValue } from '../../src/iac/terraform/hcl-expr.js';
import { parseHclStructure, type HclBlock } from '../../src/iac/terraform/hcl-structure.js';

const SAMPLE = `# header comment
resource "aws_s3_bucket" "logs" {
  bucket = local.name # trailing comment
  tags = {
    brace = "x}" # not the end
  }
  policy = <<EOF
{"Resource": "\${aws_s3_bucket.logs.arn}/*"}
EOF
  lifecycle { prevent_destroy = true }
  str = "a \${jsonencode({ b = "}" })} c"
  /* block
     comment } */
}
locals {
  x = [1, 2,
    3]
}
`;

describe('HCL structure', () => {
  const [resource, locals] = parseHclStructure(SAMPLE, 'main.tf').items as HclBlock[];

  it('finds blocks with labels and exact spans', () => {
    expect(resource).toMatchObject({ type: 'resource', labels: ['aws_s3_bucket', 'logs'] });
    expect(SAMPLE.slice(resource?.span.start, resource?.span.end)).toMatch(/^resource "aws_s3_bucket" "logs" \{[\s\S]*\n\}$/);
    expect(locals?.type).toBe('locals');
  });

  it('reads attribute expressions without trailing comments, through strings, heredocs and nested braces', () => {
    const attrs = Object.fromEntries(resource?.body.items.filter((i) => i.kind === 'attribute').map((a) => [a.name, a.expr]) ?? []);
    expect(attrs).toEqual({
      bucket: 'local.name',
      tags: '{\n    brace = "x}" # not the end\n  }',
      policy: '<<EOF\n{"Resource": "${aws_s3_bucket.logs.arn}/*"}\nEOF',
      str: '"a ${jsonencode({ b = "}" })} c"',
    });
    const single = resource?.body.items.find((i) => i.kind === 'block');
    expect(single).toMatchObject({ type: 'lifecycle', body: { items: [{ name: 'prevent_destroy', expr: 'true' }] } });
  });

  it.each([
    ['an unclosed block', 'resource "a" "b" {\n  x = 1\n', /main\.tf:3:1: missing \}/],
    ['an unclosed list', 'locals {\n  x = [1,\n', /unclosed \[/],
    ['a stray brace', '}\n', /main\.tf:1:1: unexpected \}/],
    ['an unterminated string', 'locals {\n  x = "abc\n}\n', /main\.tf:2:7: unterminated string/],
    ['an unterminated heredoc', 'locals {\n  x = <<EOT\nabc\n}\n', /heredoc EOT has no closing EOT line/],
  ])('reports %s with file, line and column', (_, text, message) => {
    expect(() => parseHclStructure(text, 'main.tf')).toThrow(IacSyntaxError);
    expect(() => parseHclStructure(text, 'main.tf')).toThrow(message);
  });

  it('throws nothing but IacSyntaxError on arbitrary text', () => {
    const hclish = fc.stringMatching(/^[a-z "={}[\]()#/*\n$<>,.\\:0-9-]{0,80}$/);
    fc.assert(
      fc.property(fc.oneof(fc.string(), hclish), (text) => {
        try {
          parseHclStructure(text, 'x.tf');
        } catch (error) {
          if (!(error instanceof IacSyntaxError)) throw error;
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('gives spans that cover exactly each attribute', () => {
    const attr = fc.tuple(fc.constantFrom('a', 'bb', 'c_d'), fc.constantFrom('1', '"x"', '[1, 2]', '{ k = "v" }', 'var.x', 'true'));
    fc.assert(
      fc.property(fc.array(attr, { minLength: 1, maxLength: 6 }), (attrs) => {
        const text = `resource "t" "n" {\n${attrs.map(([k, v]) => `  ${k} = ${v} # c`).join('\n')}\n}\n`;
        const block = parseHclStructure(text, 'x.tf').items[0] as HclBlock;
        expect(block.body.items.map((i) => (i.kind === 'attribute' ? text.slice(i.span.start, i.span.end) : ''))).toEqual(
          attrs.map(([k, v]) => `${k} = ${v}`),
        );
      }),
    );
  });
});

describe('HCL expressions', () => {
  it.each([
    ['true', true],
    ['-1.5', -1.5],
    ['"a\\n\\"b\\""', 'a\n"b"'],
    ['"$${literal}"', '${literal}'],
    ['["0.0.0.0/0", "::/0"]', ['0.0.0.0/0', '::/0']],
    ['{ a = 1, "b c" = [true], d: null }', { a: 1, 'b c': [true], d: null }],
    ['<<-EOT\n    indented\n      more\n    EOT', 'indented\n  more\n'],
    [
      'jsonencode({\n  Version = "2012-10-17"\n  Statement = [{ Effect = "Allow", Action = "*" }]\n})',
      '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*"}]}',
    ],
    ['"${var.env}-logs"', 'prod-logs'],
  ])('reads %s statically', (text, value) => {
    expect(staticValue(readHclValue(text), (p) => (p === 'var.env' ? { type: 'literal', value: 'prod' } : undefined))).toEqual(value);
  });

  it.each([
    ['var.x ? 1 : 2'],
    ['[for x in y : x]'],
    ['a + b'],
    ['cidrsubnet(var.c, 8, 1)'],
    ['var.unknown'],
    ['aws_s3_bucket.logs.id'],
    ['"%{if x}y%{endif}"'],
  ])('has no static value for %s', (text) => {
    expect(staticValue(readHclValue(text))).toBeUndefined();
  });

  it('keeps references as references', () => {
    expect(readHclValue('aws_s3_bucket.logs[0].arn')).toEqual({ type: 'reference', path: 'aws_s3_bucket.logs[0].arn' });
  });

  it('never throws, whatever the text', () => {
    fc.assert(
      fc.property(fc.string(), (text) => void readHclValue(text)),
      { numRuns: 3000 },
    );
  });
});
