import type { Config } from '../config/schema.js';
import type { SkillOptions } from './types.js';

/** Skill options from the config's `skills` section. */
export function skillOptionsOf(config: Pick<Config, 'skills'>): SkillOptions {
  return {
    allowedIngressCidrs: config.skills.allowedIngressCidrs,
    allowedIngressIpv6Cidrs: config.skills.allowedIngressIpv6Cidrs,
    cloudTrailKmsKeyId: config.skills.cloudTrailKmsKeyId,
  };
}
