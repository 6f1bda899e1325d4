/** `cloudmend demo`: the five-minute tour, offline. */
import type { Command } from 'commander';
import { clipped, printable } from '../printable.js';
import type { Io } from './io.js';
import { plural } from '../plural.js';

export function registerDemo(program: Command, io: Io, setExitCode: (code: number) => void): void {
  program
    .command('demo')
    .description(
      'copy the example repositories to a temp dir, run the example events through the local workflow, show the branches and diffs',
    )
    .action(async () => {
      const { runDemo } = await import('../local/demo.js');
      const started = Date.now();
      const { root, report, branches } = await runDemo(io);
      const opened = Object.values(branches).reduce((n, list) => n + list.length, 0);
      const rows = report.results.map(
        (r) => `  ${r.fingerprint.slice(0, 8)}  ${(r.controlId ?? '-').padEnd(12)} ${r.status.padEnd(16)} ${clipped(r.reason, 90)}`,
      );
      const state = `${root}/state`;
      const again = Object.keys(branches)
        .map((name) => `--repo ${name}=${root}/repos/${name}`)
        .join(' ');
      const needModel = report.results.filter((r) => r.status === 'needs_model').length;
      const agentHint =
        needModel > 0
          ? [
              `${plural(needModel, 'finding')} no skill covers ${needModel === 1 ? 'needs' : 'need'} the model agent; with AWS credentials and Bedrock model access, add --model bedrock:<model id> to the run below.`,
              '',
            ]
          : [];
      io.stdout(
        printable(
          [
            '',
            `3. Summary: ${plural(report.results.length, 'finding')}, ${plural(opened, 'pull-request branch', 'pull-request branches')}, ${plural(report.rejected.length, 'rejected event')}, in ${((Date.now() - started) / 1000).toFixed(1)} s`,
            '',
            ...rows,
            '',
            ...agentHint,
            'Look closer:',
            `  npx cloudmend status --state ${state}`,
            `  npx cloudmend show <fingerprint> --state ${state}     # history, pull request body and diff`,
            `  git -C ${root}/repos/infra-live log --all --oneline`,
            `  npx cloudmend run examples/events --config examples/cloudmend.config.yaml --state ${state} ${again}   # again: every finding is a duplicate`,
            '',
          ].join('\n'),
        ),
      );
      setExitCode(report.results.some((r) => r.status === 'failed') || opened === 0 ? 1 : 0);
    });
}
