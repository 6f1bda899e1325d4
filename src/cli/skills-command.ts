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
  const width = (f: (r: (typeof rows)[number]) => string): number => Math.max(...rows.map((r) => f(r).length));
  const [id, controls, iac] = [width((r) => r.id), width((r) => r.controls.join(', ')), width((r) => r.iac.join('+'))];
  for (const r of rows) {
    io.stdout(
      `${r.id.padEnd(id)}  ${r.controls.join(', ').padEnd(controls)}  ${r.iac.join('+').padEnd(iac)}  ${r.fixable === 'code' ? `fix (risk: ${r.risk})` : 'suggestion only'}\n`,
    );
    io.stdout(`${' '.repeat(id)}  ${r.title}\n`);
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
