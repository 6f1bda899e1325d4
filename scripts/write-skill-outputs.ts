/**
 * Writes each `<case>.output.<ext>` of a skill from what its fix produces today, for review:
 * `npx tsx scripts/write-skill-outputs.ts <skill-id>`. The outputs are the skill's spec: read
 * every diff (`git diff src/skills/<id>/cases`) before committing it.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fix } from '../src/skills/engine.js';
import { loadSkills, skillDir } from '../src/skills/registry.js';
import { CASE_OPTIONS, kindOfExtension } from '../test/skills/case-files.js';

const id = process.argv[2];
const skill = (await loadSkills()).find((s) => s.meta.id === id);
if (!skill) {
  console.error(`usage: npx tsx scripts/write-skill-outputs.ts <skill-id>; no skill ${id ?? '(none given)'} in src/skills`);
  process.exit(2);
}
const dir = join(skillDir(skill.meta.id), 'cases');
for (const file of readdirSync(dir).filter((f) => f.includes('.input.'))) {
  const text = readFileSync(join(dir, file), 'utf8');
  const result = await fix(skill, kindOfExtension(file.split('.').pop() ?? ''), [{ path: file, text }], CASE_OPTIONS);
  writeFileSync(join(dir, file.replace('.input.', '.output.')), result.files.get(file) ?? text);
  console.log(`wrote ${file.replace('.input.', '.output.')}`);
}
