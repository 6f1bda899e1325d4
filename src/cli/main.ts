/** The `cloudmend` command line: parses arguments, runs a command, turns user mistakes into messages. */
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { isUserFacing } from '../errors.js';
import { registerDemo } from './demo-command.js';
import { registerDrift } from './drift-command.js';
import { registerEval } from './eval-command.js';
import { registerExplain } from './explain-command.js';
import { registerGuard } from './guard-command.js';
import { registerLedgerCommands } from './ledger-commands.js';
import { registerRetry } from './retry-command.js';
import { registerRun } from './run-command.js';
import { registerServe } from './serve-command.js';
import { registerSkills } from './skills-command.js';
import { registerSmoke } from './smoke-command.js';
import { processIo, type Io } from './io.js';

/** The version `--version` prints: the package's own, read where the package is installed. */
function packageVersion(): string {
  const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string };
  return manifest.version ?? 'unknown';
}

/** Exit status for usage errors and rejected input, as `explain` documents. */
export const EXIT_USAGE = 2;

function program(io: Io, setExitCode: (code: number) => void): Command {
  const cli = new Command('cloudmend')
    .description('Turns AWS Config and Security Hub findings into reviewed infrastructure-as-code pull requests.')
    .version(packageVersion(), '-V, --version', 'print the version of cloudmend and exit')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .showHelpAfterError('(run with --help for usage)');
  registerExplain(cli, io, setExitCode);
  registerDemo(cli, io, setExitCode);
  registerRun(cli, io, setExitCode);
  registerServe(cli, io);
  registerLedgerCommands(cli, io, setExitCode);
  registerRetry(cli, io, setExitCode);
  registerSkills(cli, io, setExitCode);
  registerEval(cli, io, setExitCode);
  registerDrift(cli, io, setExitCode);
  registerGuard(cli, io, setExitCode);
  registerSmoke(cli, io, setExitCode);
  return cli;
}

/** Runs the CLI with `argv` (without node and script) and returns the exit code. */
export async function main(argv: readonly string[], io: Io = processIo): Promise<number> {
  let exitCode = 0;
  try {
    await program(io, (code) => (exitCode = code)).parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : EXIT_USAGE;
    if (isUserFacing(error)) {
      io.stderr(`cloudmend: ${error.message}\n`);
      return EXIT_USAGE;
    }
    throw error;
  }
}
