import { resolve } from 'node:path';
import type { Config } from '../../config/schema.js';
import type { IacKind } from '../source.js';
import { cfnLintValidator } from './cfn-lint.js';
import type { Validator } from './result.js';
import { terraformValidator } from './terraform.js';

/**
 * The validators the config asks for, each run in the validator jail and detected (no jail or an
 * absent tool: skipped, with the reason).
 */
export async function validatorsFor(
  config: Pick<Config, 'validators'>,
  env: NodeJS.ProcessEnv,
  baseDir: string,
): Promise<Record<IacKind, Validator>> {
  const pluginDir = config.validators.terraform.pluginDir;
  const [terraform, cloudformation] = await Promise.all([
    terraformValidator({
      mode: config.validators.terraform.mode,
      pluginDir: pluginDir === undefined ? undefined : resolve(baseDir, pluginDir),
      env,
    }),
    cfnLintValidator({ mode: config.validators.cfnLint.mode, env }),
  ]);
  return { terraform, cloudformation };
}
