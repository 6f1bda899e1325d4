/** A skill's cases on disk: `<name>.input.<ext>` with `<name>.output.<ext>`, `<name>.valid.<ext>`, `<name>.manual.<ext>`. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseConfig } from '../../src/config/load.js';
import { skillOptionsOf } from '../../src/skills/options.js';
import { skillDir } from '../../src/skills/registry.js';
import type { IacKind, SkillOptions } from '../../src/skills/types.js';

const EVAL_CONFIG = join(import.meta.dirname, '../../eval/cloudmend.config.yaml');

export type CaseRole = 'input' | 'output' | 'valid' | 'manual';

export interface CaseFile {
  readonly name: string;
  readonly role: CaseRole;
  readonly kind: IacKind;
  readonly file: string;
  readonly path: string;
  readonly text: string;
}

const CASE = /^(.+)\.(input|output|valid|manual)\.(tf|ya?ml|json)$/;

export function kindOfExtension(ext: string): IacKind {
  return ext === 'tf' ? 'terraform' : 'cloudformation';
}

/** Every case file of a skill; a file in cases/ that does not follow the naming is an error. */
export function caseFiles(skillId: string): CaseFile[] {
  const dir = join(skillDir(skillId), 'cases');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .sort()
    .map((file) => {
      const m = CASE.exec(file);
      if (!m) throw new Error(`src/skills/${skillId}/cases/${file}: name it <case>.(input|output|valid|manual).(tf|yaml|yml|json)`);
      const [, name = '', role = '', ext = ''] = m;
      const path = join(dir, file);
      return { name, role: role as CaseRole, kind: kindOfExtension(ext), file, path, text: readFileSync(path, 'utf8') };
    });
}

/** The expected output of an input case, if written. */
export function outputFor(cases: readonly CaseFile[], input: CaseFile): CaseFile | undefined {
  return cases.find((c) => c.role === 'output' && c.name === input.name && c.kind === input.kind);
}

/**
 * Options the cases are written against, as a team would configure them: the same file
 * `cloudmend eval` runs its corpus with (eval/cloudmend.config.yaml), so the two cannot disagree.
 */
export const CASE_OPTIONS: SkillOptions = skillOptionsOf(parseConfig(readFileSync(EVAL_CONFIG, 'utf8'), EVAL_CONFIG));
