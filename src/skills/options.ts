import type { Config } from '../config/schema.js';
import type { SkillOptions } from './types.js';

/** Skill options from the config's `skills` section. */
export function skillOptionsOf(config: Pick<Config, 'skills'>): SkillOptions {
  return config.skills;
}
