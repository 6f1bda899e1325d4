/**
 * RDS.11's minimum is the control's `backupRetentionMinimum`: 7 days unless the team customized it,
 * which it says in `skills.rdsBackupRetentionMinimum` (7 to 35). The fix writes that minimum.
 */
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.js';
import { parseConfig } from '../../src/config/load.js';
import { parseSource } from '../../src/iac/source.js';
import { detect, fix } from '../../src/skills/engine.js';
import skill from '../../src/skills/rds-backup-retention/index.js';
import { DEFAULT_SKILL_OPTIONS, type SkillOptions } from '../../src/skills/types.js';

const TF = `resource "aws_db_instance" "wiki" {
  identifier              = "wiki"
  engine                  = "mariadb"
  instance_class          = "db.t4g.medium"
  allocated_storage       = 20
  username                = "wiki"
  backup_retention_period = 7
}
`;

async function run(options: SkillOptions) {
  const files = [{ path: 'db.tf', text: TF }];
  const violations = detect(skill, await parseSource('terraform', files), options).flatMap((d) => d.violations);
  const fixed = (await fix(skill, 'terraform', files, options)).files.get('db.tf') ?? TF;
  return { violations, fixed };
}

describe('rds-backup-retention minimum', () => {
  it('takes 7 days, the control default, when the config sets none', async () => {
    const { violations, fixed } = await run(DEFAULT_SKILL_OPTIONS);
    expect(violations).toEqual([]);
    expect(fixed).toBe(TF);
  });

  it('requires and writes the configured minimum', async () => {
    const { violations, fixed } = await run({ ...DEFAULT_SKILL_OPTIONS, rdsBackupRetentionMinimum: 14 });
    expect(violations).toMatchObject([
      { messageId: 'settingWrong', data: { setting: 'backup_retention_period', value: '7' }, fixable: true },
    ]);
    expect(fixed).toContain('backup_retention_period = 14');
  });

  it('refuses a minimum RDS.11 or RDS cannot take', () => {
    expect(parseConfig('version: 1\nskills:\n  rdsBackupRetentionMinimum: 14\n', 'c.yaml').skills.rdsBackupRetentionMinimum).toBe(14);
    for (const days of [3, 36, 7.5])
      expect(() => parseConfig(`version: 1\nskills:\n  rdsBackupRetentionMinimum: ${days}\n`, 'c.yaml')).toThrow(ConfigError);
  });
});
