import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cfnLintValidator } from '../../src/iac/validators/cfn-lint.js';
import { resolveExecutable, toolJail, type JailProbe, type ToolJail } from '../../src/iac/validators/jail.js';
import { nonLocalModules } from '../../src/iac/validators/module-sources.js';
import { readsOutsideModule } from '../../src/iac/validators/report.js';
import type { Validator } from '../../src/iac/validators/result.js';
import { terraformValidator } from '../../src/iac/validators/terraform.js';
import { startRecordingServer, type RecordingServer } from '../support/recording-server.js';

const PLUGIN_DIR = process.env.CLOUDMEND_TERRAFORM_PLUGIN_DIR ?? (existsSync('/opt/tf-plugins') ? '/opt/tf-plugins' : undefined);
const TERRAFORM = resolveExecutable('terraform', process.env);
const { jail, reason: noJail } = await toolJail(process.env);
const cfnLint = await cfnLintValidator({ mode: 'auto' });
const CLEAN_TEMPLATE = 'Resources:\n  B:\n    Type: AWS::S3::Bucket\n';
const clean = await cfnLint.validate([{ path: 't.yaml', text: CLEAN_TEMPLATE }]);
const cfnLintSkip = clean.status === 'skipped' ? clean.detail : undefined;
const terraformSkip = !TERRAFORM
  ? 'terraform is not installed'
  : PLUGIN_DIR === undefined
    ? 'no provider mirror (set CLOUDMEND_TERRAFORM_PLUGIN_DIR)'
    : noJail;
if (terraformSkip) console.log(`skipping terraform validate tests: ${terraformSkip}`);
if (cfnLintSkip) console.log(`skipping cfn-lint tests: ${cfnLintSkip}`);

/** A jail that runs nothing: it records each command and answers each `terraform validate` with the next of `answers` (the last again). */
function recordingJail(...answers: string[]): { probe: JailProbe; commands: string[][] } {
  const commands: string[][] = [];
  const jail: ToolJail = {
    kind: 'container',
    workdir: (copy) => copy,
    run: (command) => {
      commands.push([...command]);
      const said = command.includes('validate') ? ((answers.length > 1 ? answers.shift() : answers[0]) ?? '{"diagnostics":[]}') : '';
      return Promise.resolve({ code: 0, stdout: said, stderr: '', missing: false, timedOut: false });
    },
  };
  return { probe: { jail }, commands };
}

let scratch: string;
beforeAll(() => void (scratch = mkdtempSync(join(tmpdir(), 'cloudmend-validators-'))));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Any executable stands in for terraform where the jail is a recording. */
const fakeTerraform = (jail: JailProbe) => terraformValidator({ mode: 'auto', binary: process.execPath, pluginDir: scratch, jail });
const fileOf = (text: string) => ({ path: text.startsWith('{') ? 'main.tf.json' : 'main.tf', text });

const MODULES: [string, string][] = [
  ['quoted label, git', 'module "m" {\n  source = "git::https://example.com/m.git"\n}\n'],
  ['unquoted label', 'module m {\n  source = "git::https://example.com/m.git"\n}\n'],
  ['one line', 'module m { source = "git::https://x" }\n'],
  ['GitHub shorthand', 'module "m" {\n  source = "github.com/x/y"\n}\n'],
  ['S3', 'module "m" {\n  source = "s3::https://s3.amazonaws.com/bucket/m.zip"\n}\n'],
  ['HTTPS archive', 'module "m" {\n  source = "https://example.com/m.zip"\n}\n'],
  ['registry', 'module "m" {\n  source  = "hashicorp/consul/aws"\n  version = "0.1.0"\n}\n'],
  ['an expression', 'module "m" {\n  source = "${var.where}"\n}\n'],
  ['no source', 'module "m" {}\n'],
  ['JSON syntax', '{"module": {"m": {"source": "git::https://x"}}}'],
];

describe('module sources', () => {
  it.each(MODULES)('reads a non-local source (%s) with HashiCorp’s parser', async (_, text) => {
    expect(await nonLocalModules([fileOf(text)])).toEqual([expect.stringMatching(/^module "m" \(/) as unknown]);
  });

  it('takes ./ and ../ paths as local', async () => {
    const text = 'module "a" {\n  source = "./a"\n}\nmodule "b" {\n  source = "../b"\n}\n';
    expect(await nonLocalModules([fileOf(text)])).toEqual([]);
  });

  it('runs terraform only on a module whose every source is local, saying which source it refused', async () => {
    for (const [name, text] of MODULES) {
      const { probe, commands } = recordingJail();
      const result = await (await fakeTerraform(probe)).validate([fileOf(text)]);
      expect(result.status, name).toBe('skipped');
      expect(result.refused, name).toEqual([expect.stringMatching(/^module "m"/) as unknown]);
      expect(result.detail, name).toMatch(/not a local path, and the validator fetches nothing/);
      expect(
        commands.map((c) => c[1]),
        name,
      ).toEqual(['version']);
    }
    const { probe, commands } = recordingJail();
    const local = await (await fakeTerraform(probe)).validate([
      fileOf('module "m" {\n  source = "./m"\n}\n'),
      { path: 'm/main.tf', text: '' },
    ]);
    expect(local.status).toBe('passed');
    expect(commands.map((c) => c[1])).toEqual(['version', 'init', 'validate']);
    expect(commands[1]).toContain(`-plugin-dir=${scratch}`);
  });

  it('initialises again when terraform says the copy was initialised for another module', async () => {
    const stale = JSON.stringify({ diagnostics: [{ severity: 'error', summary: 'Module not installed', range: { filename: 'main.tf' } }] });
    const { probe, commands } = recordingJail(stale, '{"diagnostics":[]}');
    const v = await fakeTerraform(probe);
    expect(await v.validate([fileOf('resource "aws_s3_bucket" "b" {}\n')])).toMatchObject({ status: 'passed' });
    expect(commands.map((c) => c[1])).toEqual(['version', 'init', 'validate', 'init', 'validate']);
    expect(await v.validate([fileOf('resource "aws_s3_bucket" "b" {}\n')])).toMatchObject({ status: 'passed' });
    expect(commands.map((c) => c[1]).slice(5)).toEqual(['validate']);
  });

  it('initialises without fetching modules when there are none', async () => {
    const { probe, commands } = recordingJail();
    await (await fakeTerraform(probe)).validate([{ path: 'main.tf', text: 'resource "aws_s3_bucket" "b" {}\n' }]);
    expect(commands[1]).toEqual(expect.arrayContaining(['init', '-backend=false', '-get=false']));
  });
});

describe('what terraform says, as the model sees it', () => {
  const MARKER = 'MARKER-7f3a9c';
  const diagnostics = JSON.stringify({
    diagnostics: [
      {
        severity: 'error',
        summary: 'Invalid function argument',
        detail: `Invalid value for "v" parameter: cannot convert "${MARKER}" to number.\nsecond line ${MARKER}`,
        range: { filename: 'main.tf' },
        snippet: {
          context: 'resource "aws_instance" "x"',
          code: `count = tonumber(local.x) ${MARKER}`,
          values: [{ traversal: 'x', statement: `is "${MARKER}"` }],
        },
      },
      { severity: 'error', summary: `Unreadable file "${MARKER}"`, range: { filename: '/etc/elsewhere.tf' } },
      {
        severity: 'error',
        summary: 'Unsupported argument',
        detail: `An argument named "count2" is not expected here. Did you mean "count"? ${'x'.repeat(500)}`,
        range: { filename: 'main.tf' },
      },
    ],
  });

  it('keeps the copied files’ own diagnostics, without snippets, foreign quoted text or unbounded length', async () => {
    const { probe } = recordingJail(diagnostics);
    const result = await (await fakeTerraform(probe)).validate([
      fileOf('resource "aws_instance" "x" {\n  count2 = tonumber(local.x)\n}\n'),
    ]);
    expect(JSON.stringify(result)).not.toContain(MARKER);
    expect(result.problems.map((p) => p.message)).toEqual([
      'main.tf: Invalid function argument: Invalid value for "v" parameter: cannot convert "…" to number.',
      'Unreadable file "…" (outside the validated files)',
      expect.stringMatching(
        /^main\.tf: Unsupported argument: An argument named "count2" is not expected here\. Did you mean "count"\? x+…$/,
      ) as unknown,
    ]);
    expect(result.problems[2]!.message).toHaveLength(300);
  });

  it('leaves out every detail, quoted or not, when the files read a file that may lie outside the module', async () => {
    const cidr = JSON.stringify({
      diagnostics: [
        { severity: 'error', summary: 'Error in function call', detail: `invalid CIDR address: ${MARKER}`, range: { filename: 'main.tf' } },
      ],
    });
    const { probe } = recordingJail(cidr);
    const result = await (await fakeTerraform(probe)).validate([fileOf('locals {\n  x = cidrhost(file("/etc/hostname"), 1)\n}\n')]);
    expect(result.problems.map((p) => p.message)).toEqual([
      'main.tf: Error in function call (details withheld: the files read a file by a path that may lie outside the module)',
    ]);
  });

  it.each([
    ['an absolute path', 'file("/etc/passwd")', true],
    ['a way up', 'file("${path.module}/../secrets.json")', true],
    ['a home directory', 'filebase64("~/.ssh/id_rsa")', true],
    ['a variable', 'templatefile(var.template, {})', true],
    ['the root module', 'file("${path.root}/x")', true],
    ['a file of the module', 'file("${path.module}/policy.json")', false],
    ['a relative path below it', 'templatefile("templates/user_data.sh", {})', false],
  ])('tells a read of %s', (_, call, outside) => {
    expect(readsOutsideModule([{ text: `locals {\n  x = ${call}\n}\n` }])).toBe(outside);
  });
});

describe('terraform validator', () => {
  it('skips with the reason when terraform is not installed', async () => {
    const v = await terraformValidator({ mode: 'auto', binary: 'no-such-terraform-binary' });
    expect(await v.validate([{ path: 'main.tf', text: '' }])).toMatchObject({
      status: 'skipped',
      detail: expect.stringMatching(/terraform not found/) as unknown,
    });
  });

  it('skips, saying how to enable it, when there is no provider mirror', async () => {
    const env = { ...process.env, CLOUDMEND_TERRAFORM_PLUGIN_DIR: undefined };
    const { detail } = await (await terraformValidator({ mode: 'auto', binary: process.execPath, env })).validate([fileOf('')]);
    expect(detail).toMatch(/no provider mirror.*pluginDir.*terraform providers mirror/);
  });

  it('skips, never running unsandboxed, when there is no jail', async () => {
    const v = await fakeTerraform({ reason: 'no user namespaces here' });
    expect(await v.validate([fileOf('')])).toMatchObject({ status: 'skipped', detail: 'no user namespaces here' });
  });

  it('skips when switched off', async () => {
    expect(await (await terraformValidator({ mode: 'off' })).validate([])).toMatchObject({
      status: 'skipped',
      detail: expect.stringMatching(/off/) as unknown,
    });
  });

  describe.skipIf(terraformSkip !== undefined)('with terraform, a provider mirror and the jail', () => {
    let server: RecordingServer;
    // One copy for all: `terraform init` with the AWS provider takes seconds.
    let v: Validator;
    beforeAll(async () => {
      server = await startRecordingServer();
      v = await terraformValidator({ mode: 'auto', pluginDir: PLUGIN_DIR });
    });
    afterAll(() => server.close());

    // The module with a local module first: the copy's one init then serves the two without (`terraform validate` takes seconds).
    it('runs a local module, passes valid code and names the errors of invalid code', async () => {
      const local = await v.validate([
        { path: 'infra/main.tf', text: 'module "m" {\n  source = "./m"\n}\n' },
        { path: 'infra/m/main.tf', text: 'resource "aws_s3_bucket" "b" {\n  bucket = "x"\n}\n' },
      ]);
      expect(local).toMatchObject({ status: 'passed' });
      expect(await v.validate([{ path: 'main.tf', text: 'resource "aws_s3_bucket" "b" {\n  bucket = "x"\n}\n' }])).toMatchObject({
        status: 'passed',
      });
      const bad = await v.validate([
        { path: 'main.tf', text: 'resource "aws_s3_bucket" "b" {\n  bucket = "x"\n  not_an_argument = 1\n}\n' },
      ]);
      expect(bad).toMatchObject({
        status: 'failed',
        problems: [{ key: expect.stringMatching(/^Unsupported argument: .* in resource "aws_s3_bucket" "b"$/) as unknown }],
      });
    }, 120_000);

    it('cannot read a file outside its copy: file() finds nothing there, and the text is nowhere in the result', async () => {
      const secret = join(scratch, 'secret.txt');
      writeFileSync(secret, 'SECRET-6b1e0d');
      const text = `resource "aws_s3_bucket" "b" {\n  bucket = tonumber(file("${secret}"))\n}\n`;
      const result = await v.validate([fileOf(text)]);
      expect(result).toMatchObject({
        status: 'failed',
        problems: [{ message: expect.stringMatching(/^main\.tf: Invalid function argument \(details withheld/) as unknown }],
      });
      expect(JSON.stringify(result)).not.toContain('SECRET-6b1e0d');
      // What terraform itself said in the jail, before any filter: the file is not there.
      const copy = mkdtempSync(join(scratch, 'copy-'));
      writeFileSync(join(copy, 'main.tf'), text);
      const inJail = (args: string[]) => jail!.run([TERRAFORM!, ...args], { copy, tools: [TERRAFORM!, PLUGIN_DIR!], timeoutMs: 120_000 });
      expect((await inJail(['init', '-backend=false', `-plugin-dir=${PLUGIN_DIR}`])).code).toBe(0);
      const raw = await inJail(['validate', '-json']);
      expect(raw.stdout).toMatch(/no file exists at/);
      expect(raw.stdout).not.toContain('SECRET-6b1e0d');
    }, 120_000);

    it('fetches nothing: a module on a local server is refused, and terraform init run in the jail cannot reach it', async () => {
      const text = `module "m" {\n  source = "${server.url}/m.zip"\n}\n`;
      expect(await v.validate([fileOf(text)])).toMatchObject({ status: 'skipped', refused: [`module "m" (source "${server.url}/m.zip")`] });
      const copy = mkdtempSync(join(scratch, 'copy-'));
      writeFileSync(join(copy, 'main.tf'), `${text}module "g" {\n  source = "git::${server.url}/g.git"\n}\n`);
      const init = await jail!.run([TERRAFORM!, 'init', '-backend=false', '-input=false'], {
        copy,
        tools: [TERRAFORM!],
        timeoutMs: 60_000,
      });
      expect(init.code).not.toBe(0);
      expect(server.connections).toBe(0);
      expect(server.requests).toEqual([]);
    }, 120_000);
  });
});

describe('cfn-lint validator', () => {
  it('skips with the reason when cfn-lint is not installed', async () => {
    const v = await cfnLintValidator({ mode: 'auto', env: { ...process.env, CLOUDMEND_CFN_LINT: 'no-such-cfn-lint' } });
    expect(await v.validate([])).toMatchObject({ status: 'skipped', detail: expect.stringMatching(/cfn-lint not found/) as unknown });
  });

  it.skipIf(cfnLintSkip !== undefined)(
    'passes a clean template and reports a bad property without line numbers, in the jail',
    async () => {
      expect(clean).toMatchObject({ status: 'passed' });
      const bad = await cfnLint.validate([
        { path: 'stacks/t.yaml', text: 'Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties:\n      NotAProperty: 1\n' },
      ]);
      expect(bad.status).toBe('failed');
      expect(bad.problems).toContainEqual({
        key: 'E3002 Resources/B/Properties/NotAProperty',
        message: expect.stringMatching(/^E3002 .*NotAProperty/) as unknown,
      });
    },
    60_000,
  );
});
