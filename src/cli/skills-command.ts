/** `cloudmend skills`: the skill catalogue. */
import type { Command } from 'commander';
import { loadSkills } from '../skills/registry.js';
import { IAC_KINDS } from '../skills/types.js';
import type { Io } from './io.js';

export async function runSkills(options: { json?: boolean }, io: Io): Promise<number> {
  const skills = await loadSkills();
  const rows = skills.map((s) => ({
    id: s.meta.id,
    title: s.meta.title,
    controls: s.meta.controls,
    iac: IAC_KINDS.filter((k) => s[k]),
    fixable: s.meta.fixable,
    risk: s.meta.risk,
    ...(s.meta.riskNote ? { riskNote: s.meta.riskNote } : {}),
  }));
  if (options.json) {
    io.stdout(`${JSON.stringify({ skills: rows }, null, 2)}\n`);
    return 0;
  }
  const width = Math.max(...rows.map((r) => r.id.length));
  for (const r of rows) {
    io.stdout(`${r.id.padEnd(width)}  ${r.controls.join(', ').padEnd(26)} ${r.iac.join('+').padEnd(25)} ${r.fixable === 'code' ? `fix (risk: ${r.risk})` : 'suggestion only'}\n`);
    io.stdout(`${' '.repeat(width)}  ${r.title}\n`);
  }
  io.stdout(`\n${rows.length} skills; details in src/skills/<id>/README.md\n`);
  return 0;
}

export function registerSkills(program: Command, io: Io, setExitCode: (code: number) => void): void {
  program
    .command('skills')
    .description('list the remediation skills: controls they fix, IaC kinds, and the risk of their fixes')
    .option('--json', 'print machine-readable JSON')
    .action(async (options: { json?: boolean }) => setExitCode(await runSkills(options, io)));
}
