/**
 * The generic setting remedies every simple skill is built on: values of any type, nested
 * Terraform blocks (present, absent, several, dynamic) and CloudFormation intrinsics evaluated
 * over parameter defaults.
 */
import { describe, expect, it } from 'vitest';
import { parseSource } from '../../src/iac/source.js';
import { detect, fix } from '../../src/skills/engine.js';
import { cfnSettingRemedy, remedyRule, tfSettingRemedy, type SettingRule } from '../../src/skills/helpers.js';
import { defineSkill, DEFAULT_SKILL_OPTIONS, type Skill } from '../../src/skills/types.js';

const MESSAGES = { settingWrong: 'w', settingMissing: 'm', settingUnpinned: 'u', settingUnknown: 'k' };

function skillOf(tfPath: readonly string[], cfnPath: readonly string[], rule: SettingRule): Skill {
  return defineSkill({
    meta: { id: 'setting', title: 't', controls: ['X.1'], configRules: [], fixable: 'code', risk: 'none', messages: MESSAGES },
    terraform: {
      resourceTypes: ['aws_thing'],
      ...remedyRule(({ module, resource }) => tfSettingRemedy(module, resource, tfPath, rule)),
    },
    cloudformation: {
      resourceTypes: ['AWS::X::Thing'],
      ...remedyRule(({ template, resource }) => cfnSettingRemedy(template, resource, ['Properties', ...cfnPath], rule)),
    },
  });
}

const TLS: SettingRule = { value: 'Policy-Min-TLS-1-2-2019-07', whenMissing: 'violation' };
const tls = skillOf(['endpoint', 'tls_policy'], ['Endpoint', 'TlsPolicy'], TLS);
const BACKUPS: SettingRule = { value: 7, accepts: (v) => typeof v === 'number' && v >= 7, whenMissing: 'violation' };
const backups = skillOf(['retention'], ['Retention'], BACKUPS);

async function run(skill: Skill, kind: 'terraform' | 'cloudformation', text: string) {
  const path = kind === 'terraform' ? 'main.tf' : 'template.yaml';
  const source = await parseSource(kind, [{ path, text }]);
  const violations = detect(skill, source, DEFAULT_SKILL_OPTIONS).flatMap((d) => d.violations);
  const fixed = await fix(skill, kind, [{ path, text }], DEFAULT_SKILL_OPTIONS);
  return { violations, after: fixed.files.get(path) ?? text };
}

describe('tfSettingRemedy', () => {
  it('adds a missing nested block with the value, as a string literal', async () => {
    const { violations, after } = await run(tls, 'terraform', 'resource "aws_thing" "a" {\n  name = "a"\n}\n');
    expect(violations.map((v) => [v.messageId, v.data, v.fixable])).toEqual([['settingMissing', { setting: 'endpoint.tls_policy' }, true]]);
    expect(after).toBe('resource "aws_thing" "a" {\n  name = "a"\n\n  endpoint {\n    tls_policy = "Policy-Min-TLS-1-2-2019-07"\n  }\n}\n');
  });

  it('sets the value in each block present, and leaves a compliant one alone', async () => {
    const text =
      'resource "aws_thing" "a" {\n  endpoint {\n    tls_policy = "old"\n  }\n  endpoint {\n    tls_policy = "Policy-Min-TLS-1-2-2019-07"\n  }\n}\n';
    const { violations, after } = await run(tls, 'terraform', text);
    expect(violations.map((v) => [v.messageId, v.data])).toEqual([['settingWrong', { setting: 'endpoint.tls_policy', value: '"old"' }]]);
    expect(after).toBe(text.replace('"old"', '"Policy-Min-TLS-1-2-2019-07"'));
  });

  it('never writes into a dynamic block, nor over a value it cannot evaluate', async () => {
    const dynamic = 'resource "aws_thing" "a" {\n  dynamic "endpoint" {\n    for_each = var.e\n    content {}\n  }\n}\n';
    const unknown = 'variable "n" {}\nresource "aws_thing" "a" {\n  retention = var.n\n}\n';
    for (const [skill, text] of [
      [tls, dynamic],
      [backups, unknown],
    ] as const) {
      const { violations, after } = await run(skill, 'terraform', text);
      expect(violations.map((v) => [v.messageId, v.fixable])).toEqual([['settingUnknown', false]]);
      expect(after).toBe(text);
    }
  });

  it('judges numbers with the rule, through variable defaults', async () => {
    const low = 'variable "n" {\n  default = 1\n}\nresource "aws_thing" "a" {\n  retention = var.n\n}\n';
    const { violations, after } = await run(backups, 'terraform', low);
    expect(violations.map((v) => [v.messageId, v.data])).toEqual([['settingWrong', { setting: 'retention', value: '1' }]]);
    expect(after).toContain('retention = 7');
    expect((await run(backups, 'terraform', low.replace('default = 1', 'default = 35'))).violations).toEqual([]);
  });
});

describe('cfnSettingRemedy', () => {
  const template = (value: string): string =>
    `Parameters:\n  Days:\n    Type: Number\n    Default: ${value}\nResources:\n  A:\n    Type: AWS::X::Thing\n    Properties:\n      Retention: !Ref Days\n`;

  it('reports a wrong parameter default for a person, never overwriting the reference', async () => {
    const { violations, after } = await run(backups, 'cloudformation', template('1'));
    expect(violations.map((v) => [v.messageId, v.fixable, v.data?.value])).toEqual([
      [
        'settingWrong',
        false,
        '1 (through {"Ref":"Days"} as the stack deploys without overriding its parameters: only a person can change it)',
      ],
    ]);
    expect(after).toBe(template('1'));
  });

  it('accepts a good default but says it can be overridden', async () => {
    const { violations } = await run(backups, 'cloudformation', template('14'));
    expect(violations.map((v) => [v.messageId, v.data?.expr])).toEqual([
      ['settingUnknown', '{"Ref":"Days"}, 14 unless overridden at deploy'],
    ]);
  });

  it('writes a missing nested property', async () => {
    const text = 'Resources:\n  A:\n    Type: AWS::X::Thing\n    Properties:\n      Name: a\n';
    const { after } = await run(tls, 'cloudformation', text);
    expect(after).toBe(`${text}      Endpoint:\n        TlsPolicy: Policy-Min-TLS-1-2-2019-07\n`);
  });
});
