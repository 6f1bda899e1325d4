/** Runs the CLI in a test world, capturing what it prints. */
import { main } from '../../src/cli/main.js';
import type { World } from '../local/fixture.js';

export async function cli(w: World, argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), cwd: w.root, env: {} });
  return { code, stdout, stderr };
}

/** The world's config and state directory, as every ledger command takes them. */
export const common = (w: World): string[] => ['--config', w.configFile, '--state', w.state];
