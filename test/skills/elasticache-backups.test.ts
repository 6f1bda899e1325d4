/** elasticache-backups without a configured retention: a suggestion naming the setting, never a guessed number of days. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSource } from '../../src/iac/source.js';
import { detect, fix } from '../../src/skills/engine.js';
import skill from '../../src/skills/elasticache-backups/index.js';
import { skillDir } from '../../src/skills/registry.js';
import { DEFAULT_SKILL_OPTIONS, formatMessage, type SkillOptions } from '../../src/skills/types.js';

const file = 'replication-group-no-backups.input.tf';
const text = readFileSync(join(skillDir('elasticache-backups'), 'cases', file), 'utf8');

async function violations(options: SkillOptions) {
  const source = await parseSource('terraform', [{ path: file, text }]);
  return detect(skill, source, options).flatMap((d) => d.violations);
}

describe('elasticache-backups', () => {
  it('reports a missing retention for a person, naming skills.elastiCacheSnapshotRetentionDays, when it is not configured', async () => {
    const found = await violations(DEFAULT_SKILL_OPTIONS);
    expect(found.map((v) => [v.messageId, v.fixable])).toEqual([['retentionNotConfigured', false]]);
    expect(formatMessage(skill.meta, found[0]!)).toMatch(/set skills\.elastiCacheSnapshotRetentionDays in the config/);
    const fixed = await fix(skill, 'terraform', [{ path: file, text }], DEFAULT_SKILL_OPTIONS);
    expect(fixed.files.size).toBe(0);
  });

  it('holds code to the configured retention when it is longer than the control minimum', async () => {
    const seven = text.replace('transit_encryption_enabled = true', 'transit_encryption_enabled = true\n  snapshot_retention_limit   = 7');
    const source = await parseSource('terraform', [{ path: file, text: seven }]);
    const found = detect(skill, source, { ...DEFAULT_SKILL_OPTIONS, elastiCacheSnapshotRetentionDays: 14 }).flatMap((d) => d.violations);
    expect(found.map((v) => [v.messageId, v.data?.value, v.fixable])).toEqual([['settingWrong', '7', true]]);
  });
});
