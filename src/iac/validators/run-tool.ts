/** Running an external tool with a time limit and an empty stdin; a missing binary is an answer, not an exception. */
import { execFile } from 'node:child_process';

export interface ToolRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** The binary was not found. */
  readonly missing: boolean;
  readonly timedOut: boolean;
}

export function runTool(
  command: string,
  args: readonly string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs: number },
): Promise<ToolRun> {
  return new Promise((resolve) => {
    const child = execFile(
      command,
      [...args],
      { cwd: options.cwd, env: options.env, timeout: options.timeoutMs, maxBuffer: 32 * 1024 * 1024, killSignal: 'SIGKILL' },
      (error, stdout, stderr) => {
        const e = error as (NodeJS.ErrnoException & { killed?: boolean; code?: number | string }) | null;
        resolve({
          code: e ? (typeof e.code === 'number' ? e.code : null) : 0,
          stdout: String(stdout),
          stderr: String(stderr),
          missing: e?.code === 'ENOENT',
          timedOut: e?.killed === true,
        });
      },
    );
    // A tool waiting for input would wait for its timeout.
    child.stdin?.end();
  });
}
