/**
 * How the local sandbox is cut off from the network: a new, empty network namespace, by `unshare`
 * (util-linux) or `bwrap` (bubblewrap), whichever the OS allows an unprivileged user to use. Where
 * neither works the agent runs without that wall, and cloudmend says so loudly.
 */
import { spawnSync } from 'node:child_process';

export type Isolation =
  | { readonly kind: 'unshare' | 'bwrap'; wrap(command: readonly string[]): string[] }
  | { readonly kind: 'none'; readonly reason: string; wrap(command: readonly string[]): string[] };

const works = (command: string, args: readonly string[]): boolean => {
  const run = spawnSync(command, args, { stdio: 'ignore', timeout: 5_000 });
  return run.status === 0;
};

let detected: Isolation | undefined;

/** The first isolation that works here; probed once per process. */
export function detectIsolation(): Isolation {
  detected ??= probe();
  return detected;
}

function probe(): Isolation {
  if (works('unshare', ['-rn', 'true'])) return { kind: 'unshare', wrap: (command) => ['unshare', '-rn', '--', ...command] };
  const bwrap = ['--unshare-net', '--die-with-parent', '--ro-bind', '/', '/', '--dev', '/dev', '--proc', '/proc', '--tmpfs', '/tmp'];
  if (works('bwrap', [...bwrap, 'true'])) return { kind: 'bwrap', wrap: (command) => ['bwrap', ...bwrap, '--', ...command] };
  return {
    kind: 'none',
    reason:
      'neither `unshare -rn` nor `bwrap --unshare-net` is permitted here (install util-linux or bubblewrap, or allow unprivileged user namespaces)',
    wrap: (command) => [...command],
  };
}
