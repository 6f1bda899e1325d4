/** CloudTrail.5 without a configured log group: a suggestion naming the config keys, never a guessed group. */
import { describe, expect, it } from 'vitest';
import { parseSource } from '../../src/iac/source.js';
import { detect, fix } from '../../src/skills/engine.js';
import { loadSkills } from '../../src/skills/registry.js';
import { DEFAULT_SKILL_OPTIONS, formatMessage } from '../../src/skills/types.js';

const skill = (await loadSkills()).find((s) => s.meta.id === 'cloudtrail-cloudwatch-logs')!;
const TRAIL = 'resource "aws_cloudtrail" "audit" {\n  name           = "acme-audit"\n  s3_bucket_name = "acme-audit-trail"\n}\n';

describe('cloudtrail-cloudwatch-logs without skills.cloudTrailLogGroupArn', () => {
  it('reports the trail for a person, saying what to set, and edits nothing', async () => {
    const files = [{ path: 'main.tf', text: TRAIL }];
    const violations = detect(skill, await parseSource('terraform', files), DEFAULT_SKILL_OPTIONS).flatMap((d) => d.violations);
    expect(violations.map((v) => [v.fixable, v.messageId])).toEqual([[false, 'noLogGroupConfigured']]);
    expect(formatMessage(skill.meta, violations[0]!)).toContain('set skills.cloudTrailLogGroupArn');
    const result = await fix(skill, 'terraform', files, DEFAULT_SKILL_OPTIONS);
    expect(result.files.get('main.tf') ?? TRAIL).toBe(TRAIL);
  });

  it('needs the role too: a group without a role is not enough to fix', async () => {
    const options = { ...DEFAULT_SKILL_OPTIONS, cloudTrailLogGroupArn: 'arn:aws:logs:us-east-1:111122223333:log-group:trail:*' };
    const source = await parseSource('terraform', [{ path: 'main.tf', text: TRAIL }]);
    expect(detect(skill, source, options).flatMap((d) => d.violations.map((v) => v.fixable))).toEqual([false]);
  });
});
