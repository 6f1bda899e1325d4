/** `cloudmend run`: events through the remediate workflow, locally, with real branches in real repositories. */
import type { Command } from 'commander';
import { OUTCOME_STATUSES } from '../workflow/types.js';
import { printable, printableLine } from '../printable.js';
import type { Io } from './io.js';
import type { RunOptions, RunReport } from './run-events.js';
import { plural } from '../plural.js';

function table(report: RunReport): string {
  // Cells hold event content: each is made one printable line before it is measured.
  const rows = report.results.map((r) =>
    [r.fingerprint.slice(0, 8), r.controlId ?? '-', r.status, r.branch ?? '', r.reason].map(printableLine),
  );
  const widths = [8, ...[1, 2, 3].map((i) => Math.max(0, ...rows.map((row) => (row[i] ?? '').length)))];
  const lines = rows.map((row) => row.map((c, i) => (i < 4 ? c.padEnd(widths[i] ?? 0) : c.slice(0, 120))).join('  '));
  const counts = Object.entries(report.summary)
    .filter(([k, v]) => v > 0 && k !== 'findings')
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  const rejected = report.rejected.map((r) => printableLine(`rejected ${r.file}: ${r.error}`));
  return [...lines, ...rejected, `${plural(report.summary.findings ?? 0, 'finding')}: ${counts || 'nothing to do'}`].join('\n');
}

export function registerRun(program: Command, io: Io, setExitCode: (code: number) => void): void {
  program
    .command('run')
    .description('run events through the remediate workflow locally: verified patches become branches in the owning git repositories')
    .argument('<paths...>', 'event files (JSON: one event or an array) or directories searched for *.json')
    .option(
      '--repo <[name=]path>',
      'the git repository to patch (repeatable); overrides the location of a configured repository, or stands in for one',
      (v: string, all: string[] = []) => [...all, v],
    )
    .option('-c, --config <file>', 'config file (default: $CLOUDMEND_CONFIG, else ./cloudmend.config.yaml)')
    .option('--approve <mode>', 'auto: approve every request; reject: reject them; wait: wait for cloudmend approve|reject', 'wait')
    .option('--state <dir>', 'where the ledger and patches live (default: the ledger path of the config, .cloudmend/)')
    .option('--json', 'print {"results":[…],"summary":{…}} instead of progress and a table')
    .option(
      '--push',
      'push new branches to the repository’s origin (a branch there is replaced only when cloudmend wrote all of it); without it nothing leaves the machine',
    )
    .option(
      '--batch',
      "group the findings of all the events by repository first, each resource's together: one execution per batch (redeliveries dropped)",
    )
    .option(
      '--model <provider[:id]>',
      'the agent’s model where no skill fits: none, bedrock (the config’s model id) or bedrock:<model id>; uses your AWS credentials',
    )
    .addHelpText(
      'after',
      `\nStatuses: ${OUTCOME_STATUSES.join(', ')}.\nExit status: 0 all done, 1 some finding failed, 2 an event was rejected or the arguments are wrong.`,
    )
    .action(async (paths: string[], options: RunOptions) => {
      // Loaded on use: the workflow stack is not needed by the other commands.
      const { runEvents } = await import('./run-events.js');
      const report = await runEvents(paths, options, io);
      io.stdout(options.json ? `${printable(JSON.stringify(report, null, 2))}\n` : `${table(report)}\n`);
      setExitCode(report.rejected.length > 0 ? 2 : report.results.some((r) => r.status === 'failed') ? 1 : 0);
    });
}
