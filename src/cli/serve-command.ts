/** `cloudmend serve`: the local workflow behind HTTP (events in, Slack approval clicks in). */
import type { Command } from 'commander';
import type { Io } from './io.js';
import type { ServeOptions } from './serve.js';

const HELP = [
  '',
  'POST /events needs Authorization: Bearer <token> and Content-Type: application/json; requests from web pages of',
  'other sites and for other Host names are refused.',
  'Slack: SLACK_SIGNING_SECRET verifies clicks; SLACK_BOT_TOKEN posts approval requests to approvals.slack.channel.',
  'Approvals wait for a click, or for cloudmend approve|reject from another terminal. Stop with Ctrl-C.',
  'GET / is a web console (findings, diffs, approvals, model usage); it asks for the same token.',
].join('\n');

export function registerServe(program: Command, io: Io): void {
  program
    .command('serve')
    .description(
      'serve the local workflow over HTTP: POST /events runs an event, POST /slack/interactions takes Slack approval clicks, GET / is a web console',
    )
    .option('--port <n>', 'port to listen on', '8787')
    .option('--host <address>', 'address to listen on; keep 127.0.0.1 and put a tunnel in front for Slack', '127.0.0.1')
    .option('--repo <[name=]path>', 'the git repository to patch (repeatable), as for cloudmend run', (v: string, all: string[] = []) => [
      ...all,
      v,
    ])
    .option('-c, --config <file>', 'config file (default: $CLOUDMEND_CONFIG, else ./cloudmend.config.yaml)')
    .option('--state <dir>', 'where the ledger and patches live (default: the ledger path of the config, .cloudmend/)')
    .option(
      '--token-file <file>',
      'file holding the bearer token of POST /events (default: $CLOUDMEND_SERVE_TOKEN, else a new one, printed)',
    )
    .option(
      '--allowed-host <name[:port]>',
      'another Host name to answer to, such as a tunnel’s (repeatable; default: $CLOUDMEND_SERVE_ALLOWED_HOSTS)',
      (v: string, all: string[] = []) => [...all, v],
    )
    .option('--push', 'push new branches to the repository’s origin (a branch there is replaced only when cloudmend wrote all of it)')
    .option('--model <provider[:id]>', 'the agent’s model where no skill fits: none, bedrock or bedrock:<model id>')
    .addHelpText('after', HELP)
    .action(async (options: ServeOptions) => {
      const { startServe } = await import('./serve.js');
      const serving = await startServe(options, io);
      io.stderr(`cloudmend serving on ${serving.url}: POST /events, POST /slack/interactions, GET /healthz, GET / (the web console)\n`);
      await new Promise<void>((resolve) => {
        for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => resolve());
      });
      io.stderr(
        'stopping: no new events; runs under way may finish for a few seconds (Ctrl-C again stops at once); a decision on an approval they waited for is carried out at the next start\n',
      );
      await serving.close();
      io.stderr('stopped\n');
    });
}
