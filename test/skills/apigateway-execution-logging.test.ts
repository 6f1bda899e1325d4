/**
 * APIGateway.1: without skills.apiGatewayLoggingLevel a suggestion naming the key, never a guessed
 * level; with it, the fix held to its contract for the located stage, method settings included.
 */
import { describe, expect, it } from 'vitest';
import { checkPatch } from '../../src/guardrails/index.js';
import { parseSource } from '../../src/iac/source.js';
import { detect, fix } from '../../src/skills/engine.js';
import { loadSkills } from '../../src/skills/registry.js';
import { DEFAULT_SKILL_OPTIONS, formatMessage } from '../../src/skills/types.js';
import { CASE_OPTIONS, caseFiles } from './case-files.js';

const skill = (await loadSkills()).find((s) => s.meta.id === 'apigateway-execution-logging')!;
const cases = caseFiles(skill.meta.id);
const input = (file: string) => cases.find((c) => c.file === file)!;

describe('apigateway-execution-logging without skills.apiGatewayLoggingLevel', () => {
  it.each(['rest-stage.input.tf', 'method-settings.input.tf', 'websocket.input.yaml', 'stage.input.yaml'])(
    'reports %s for a person, saying what to set, and edits nothing',
    async (file) => {
      const c = input(file);
      const files = [{ path: c.file, text: c.text }];
      const violations = detect(skill, await parseSource(c.kind, files), DEFAULT_SKILL_OPTIONS).flatMap((d) => d.violations);
      expect(violations.length).toBeGreaterThan(0);
      for (const v of violations) {
        expect(v.fixable).toBe(false);
        expect(formatMessage(skill.meta, v)).toContain('set skills.apiGatewayLoggingLevel in the config to ERROR or INFO');
      }
      const result = await fix(skill, c.kind, files, DEFAULT_SKILL_OPTIONS);
      expect(result.files.get(c.file) ?? c.text).toBe(c.text);
    },
  );
});

describe('apigateway-execution-logging fixes held to the contract of the located stage', () => {
  it.each([
    ['rest-stage.input.tf', 'aws_api_gateway_stage.prod'],
    ['method-settings.input.tf', 'aws_api_gateway_stage.live'],
    ['settings-without-level.input.tf', 'aws_api_gateway_stage.v1'],
  ])('%s: adding or editing the stage method settings stays within APIGateway.1 on %s', async (file, address) => {
    const c = input(file);
    const result = await fix(skill, c.kind, [{ path: c.file, text: c.text }], CASE_OPTIONS, address);
    const after = result.files.get(c.file);
    expect(after).toBeDefined();
    const violations = await checkPatch({
      kind: c.kind,
      allowedFiles: [c.file],
      files: [{ path: c.file, before: c.text, after: after! }],
      contract: { address, controlId: 'APIGateway.1' },
    });
    expect(violations).toEqual([]);
  });

  it("refuses editing another stage's method settings", async () => {
    const c = input('method-settings.input.tf');
    const other = `${c.text}\nresource "aws_api_gateway_stage" "beta" {\n  rest_api_id   = aws_api_gateway_rest_api.shop.id\n  deployment_id = aws_api_gateway_deployment.shop.id\n  stage_name    = "beta"\n}\n`;
    const after = other.replace('logging_level          = "OFF"', 'logging_level          = "ERROR"');
    const violations = await checkPatch({
      kind: 'terraform',
      allowedFiles: [c.file],
      files: [{ path: c.file, before: other, after }],
      contract: { address: 'aws_api_gateway_stage.beta', controlId: 'APIGateway.1' },
    });
    expect(violations.map((v) => [v.rule, v.message])).toEqual([
      [
        'outside-contract',
        expect.stringContaining(
          'aws_api_gateway_method_settings.checkout changes, but a fix for APIGateway.1 on aws_api_gateway_stage.beta',
        ),
      ],
    ]);
  });
});
