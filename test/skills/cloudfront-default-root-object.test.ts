/** CloudFront.1 without skills.cloudFrontDefaultRootObject: a suggestion naming the key, never a guessed object. */
import { describe, expect, it } from 'vitest';
import { parseSource } from '../../src/iac/source.js';
import { detect, fix } from '../../src/skills/engine.js';
import { loadSkills } from '../../src/skills/registry.js';
import { DEFAULT_SKILL_OPTIONS, formatMessage } from '../../src/skills/types.js';

const skill = (await loadSkills()).find((s) => s.meta.id === 'cloudfront-default-root-object')!;
const TEMPLATE = `Resources:
  Site:
    Type: AWS::CloudFront::Distribution
    Properties:
      DistributionConfig:
        Enabled: true
`;

describe('cloudfront-default-root-object without skills.cloudFrontDefaultRootObject', () => {
  it('reports the distribution for a person, saying what to set, and edits nothing', async () => {
    const files = [{ path: 'site.yaml', text: TEMPLATE }];
    const violations = detect(skill, await parseSource('cloudformation', files), DEFAULT_SKILL_OPTIONS).flatMap((d) => d.violations);
    expect(violations.map((v) => [v.fixable, v.messageId])).toEqual([[false, 'notConfigured']]);
    expect(formatMessage(skill.meta, violations[0]!)).toContain('set skills.cloudFrontDefaultRootObject in the config');
    const result = await fix(skill, 'cloudformation', files, DEFAULT_SKILL_OPTIONS);
    expect(result.files.get('site.yaml') ?? TEMPLATE).toBe(TEMPLATE);
  });
});
