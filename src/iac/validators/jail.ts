/**
 * The validator jail: every run of an external tool on repository or model-written text
 * (terraform, cfn-lint) is its own process with no network (a new network namespace with only
 * `lo`), no credentials (a scrubbed environment) and a file system that holds only its copy of the
 * files (read-write, at /cloudmend/work, a path no host tool lives under) and the tools (read-only, at their own paths). Locally it is made
 * with `unshare -rnm` (util-linux) or bwrap; where neither works the validators skip and say why:
 * nothing runs unsandboxed. The Fargate sandbox, a container that is itself the sandbox (isolated
 * subnets, no repository or chat credentials, a throw-away file system), declares so with
 * CLOUDMEND_VALIDATOR_ISOLATION=container: there the tool gets the scrubbed environment and its
 * own directories, and the container is the wall.
 */
import { accessSync, constants, lstatSync, mkdtempSync, readlinkSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import { runTool, type ToolRun } from './run-tool.js';

/** Chooses the jail: `unshare`, `bwrap`, or `container` (only in a container that is itself the sandbox). */
export const ISOLATION_ENV = 'CLOUDMEND_VALIDATOR_ISOLATION';

export type JailKind = 'unshare' | 'bwrap' | 'container';

export interface JailRunOptions {
  /** The tool's copy of the files: its working directory and the only place it may write. */
  readonly copy: string;
  /** What the tool needs besides the system directories (its binary, a provider mirror, a Python), read-only. */
  readonly tools: readonly string[];
  readonly timeoutMs: number;
  /** Variables the tool needs besides the scrubbed environment (never credentials). */
  readonly env?: Readonly<Record<string, string>> | undefined;
}

export interface ToolJail {
  readonly kind: JailKind;
  /** Runs `command` (an absolute path first) in the jail, in the copy. */
  run(command: readonly string[], options: JailRunOptions): Promise<ToolRun>;
  /** Where the tool sees `copy`: the paths it prints (a stack trace) are under this directory. */
  workdir(copy: string): string;
}

/** A jail, or why there is none here. */
export type JailProbe = { readonly jail: ToolJail; readonly reason?: undefined } | { readonly jail?: undefined; readonly reason: string };

/**
 * Where the copy is inside a namespace jail, and the CLI config terraform reads there (empty). Not
 * `/work`: the copy is mounted over it, which would hide a tool (cloudmend's own node_modules) there.
 */
const WORK = '/cloudmend/work';
const TF_CONFIG = '/etc/cloudmend.tfrc';
const PATH = '/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin';
/** Where a tool is looked for when the environment has no PATH. */
const DEFAULT_PATH = '/usr/local/bin:/usr/bin:/bin';

/** The only variables a tool sees. */
export function jailEnvironment(home: string, tfConfig: string): NodeJS.ProcessEnv {
  return {
    PATH,
    HOME: home,
    TMPDIR: '/tmp',
    LANG: 'C.UTF-8',
    CHECKPOINT_DISABLE: '1',
    TF_CLI_CONFIG_FILE: tfConfig,
    TF_IN_AUTOMATION: '1',
    TF_INPUT: '0',
    PYTHONDONTWRITEBYTECODE: '1',
    PYTHONNOUSERSITE: '1',
  };
}

/** `name` as an absolute, symlink-free path: itself when it has a slash, else the first executable on PATH. */
export function resolveExecutable(name: string, env: NodeJS.ProcessEnv): string | undefined {
  const dirs = (env.PATH ?? DEFAULT_PATH).split(delimiter).filter(isAbsolute);
  const candidates = name.includes('/') ? [resolve(name)] : dirs.map((dir) => join(dir, name));
  for (const candidate of candidates) {
    try {
      accessSync(candidate, constants.X_OK);
      return realpathSync(candidate);
    } catch {
      continue;
    }
  }
  return undefined;
}

/** A host path the jail shows: a read-only bind at the same path, or a symlink (`/bin -> usr/bin`). */
type Entry = { readonly kind: 'ro'; readonly path: string } | { readonly kind: 'link'; readonly path: string; readonly target: string };

const SYSTEM = ['/usr', '/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32'];

/** What the tools see besides the copy: the system directories as the host has them, then tool paths not under one. */
function plan(tools: readonly string[]): Entry[] {
  const entries: Entry[] = [];
  for (const path of SYSTEM) {
    try {
      const stat = lstatSync(path);
      entries.push(stat.isSymbolicLink() ? { kind: 'link', path, target: readlinkSync(path) } : { kind: 'ro', path });
    } catch {
      continue;
    }
  }
  const covered = (path: string): boolean => entries.some((e) => e.kind === 'ro' && (path === e.path || path.startsWith(`${e.path}/`)));
  const real = tools.flatMap((t) => {
    try {
      return [realpathSync(t)];
    } catch {
      return [];
    }
  });
  for (const tool of [...new Set(real)].sort((a, b) => a.length - b.length)) {
    if (!covered(tool)) entries.push({ kind: 'ro', path: tool });
  }
  return entries;
}

/**
 * Run by `sh` inside the new user, mount, network, PID, UTS and IPC namespaces: a tmpfs root with
 * the plan's binds, the copy at /work, four device nodes and a /proc of the new PID namespace;
 * then pivot_root (the host's tree is unmounted, not merely hidden) and every capability dropped.
 */
const SETUP = `set -eu
root=$1 copy=$2; shift 2
mount -t tmpfs -o mode=0755,size=256m cloudmend-jail "$root"
while [ "$1" != -- ]; do
  case $1 in
    link) mkdir -p "$(dirname "$root$2")"; ln -s "$3" "$root$2"; shift 3 ;;
    ro) if [ -d "$2" ]; then mkdir -p "$root$2"
        else mkdir -p "$(dirname "$root$2")"; : > "$root$2"; fi
        mount --bind "$2" "$root$2"
        mount -o remount,bind,ro,nosuid,nodev "$root$2"; shift 2 ;;
    *) echo "cloudmend jail: unknown plan entry $1" >&2; exit 125 ;;
  esac
done
shift
mkdir -p "$root${WORK}" "$root/tmp" "$root/home" "$root/etc" "$root/dev" "$root/proc" "$root/.host"
chmod 1777 "$root/tmp"
: > "$root${TF_CONFIG}"
mount --bind "$copy" "$root${WORK}"
for node in null zero random urandom; do
  : > "$root/dev/$node"; mount --bind "/dev/$node" "$root/dev/$node"
done
mount -t proc -o nosuid,nodev,noexec proc "$root/proc" 2>/dev/null || true
ip link set lo up 2>/dev/null || true
cd "$root"
pivot_root . .host
umount -l /.host
rmdir /.host
cd ${WORK}
unset OLDPWD
exec setpriv --bounding-set=-all --inh-caps=-all --no-new-privs -- "$@"
`;

const UNSHARE = ['--user', '--map-root-user', '--net', '--mount', '--pid', '--fork', '--kill-child', '--uts', '--ipc'];

function unshareArgs(root: string, entries: readonly Entry[], copy: string, command: readonly string[]): string[] {
  const planArgs = entries.flatMap((e) => (e.kind === 'ro' ? ['ro', e.path] : ['link', e.path, e.target]));
  const setup = ['/bin/sh', '-c', SETUP, 'cloudmend-jail', root, copy, ...planArgs, '--'];
  return [...UNSHARE, '--propagation', 'private', '--', ...setup, ...command];
}

/** The same view through bubblewrap, which also brings up `lo` in its network namespace. */
function bwrapArgs(entries: readonly Entry[], copy: string, command: readonly string[]): string[] {
  const binds = entries.flatMap((e) => (e.kind === 'ro' ? ['--ro-bind', e.path, e.path] : ['--symlink', e.target, e.path]));
  return [
    ...['--unshare-all', '--die-with-parent', '--new-session', '--cap-drop', 'ALL'],
    ...binds,
    ...['--bind', copy, WORK, '--dev', '/dev', '--proc', '/proc', '--tmpfs', '/tmp', '--dir', '/home', '--dir', '/etc'],
    ...['--ro-bind', '/dev/null', TF_CONFIG, '--chdir', WORK, '--', ...command],
  ];
}

function namespaceJail(kind: 'unshare' | 'bwrap'): ToolJail {
  return {
    kind,
    workdir: () => WORK,
    async run(command, options) {
      const entries = plan([...options.tools, ...command.filter(isAbsolute).slice(0, 1)]);
      const { timeoutMs } = options;
      const env = { ...options.env, ...jailEnvironment('/home', TF_CONFIG) };
      if (kind === 'bwrap') return runTool('bwrap', bwrapArgs(entries, options.copy, command), { env, timeoutMs });
      // An empty directory the new root is mounted on; in the host's mount namespace it stays empty.
      const mountPoint = mkdtempSync(join(tmpdir(), 'cloudmend-jail-'));
      try {
        return await runTool('unshare', unshareArgs(mountPoint, entries, options.copy, command), { env, timeoutMs });
      } finally {
        rmSync(mountPoint, { recursive: true, force: true });
      }
    },
  };
}

/** In a container that is itself the sandbox: the scrubbed environment and a home of its own, in the copy. */
function containerJail(): ToolJail {
  return {
    kind: 'container',
    workdir: (copy) => copy,
    async run(command, options) {
      const home = mkdtempSync(join(tmpdir(), 'cloudmend-tool-home-'));
      try {
        const tfConfig = join(home, 'cloudmend.tfrc');
        writeFileSync(tfConfig, '');
        const [binary, ...args] = command;
        const env = { ...options.env, ...jailEnvironment(home, tfConfig), TMPDIR: home };
        return await runTool(binary!, args, { cwd: options.copy, env, timeoutMs: options.timeoutMs });
      } finally {
        rmSync(home, { recursive: true, force: true });
      }
    },
  };
}

/** Why `command` (a tool asked for its version) does not run in the jail; undefined when it does. */
export async function failsInJail(jail: ToolJail, command: readonly string[], tools: readonly string[]): Promise<string | undefined> {
  const copy = mkdtempSync(join(tmpdir(), 'cloudmend-tool-probe-'));
  try {
    const run = await jail.run(command, { copy, tools, timeoutMs: 30_000 });
    if (run.code === 0) return undefined;
    const said = (run.stderr || run.stdout).replace(/\s+/g, ' ').trim().slice(0, 300);
    return `${command.join(' ')} does not run in the validator jail: ${said || `exit ${run.code}`}`;
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
}

/** The jail works: a shell inside it starts, finds the copy, and cannot see the host's /etc. */
async function probe(jail: ToolJail): Promise<string | undefined> {
  const copy = mkdtempSync(join(tmpdir(), 'cloudmend-jail-probe-'));
  try {
    const check = `test -d ${WORK} && test ! -e /etc/passwd && : > probe`;
    const run = await jail.run(['/bin/sh', '-c', check], { copy, tools: [], timeoutMs: 10_000 });
    if (run.missing) return `${jail.kind} is not installed`;
    const last = run.stderr.trim().split('\n').slice(-1)[0];
    if (run.code !== 0) return `${jail.kind} failed: ${last || `exit ${run.code}`}`.slice(0, 300);
    return undefined;
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
}

const NONE = [
  'the validators need a sandbox to run terraform and cfn-lint in, and none works here:',
  'unprivileged user namespaces (`unshare -rnm`, util-linux) or bubblewrap (`bwrap`); they are skipped.',
  'On macOS, or in a container without user namespaces, validation runs in the sandbox of a deployed stack',
].join(' ');

const probes = new Map<string, Promise<JailProbe>>();

/**
 * The jail this machine allows, probed once per process: CLOUDMEND_VALIDATOR_ISOLATION names one
 * (`container` is taken as declared, for the sandbox image only); otherwise unshare, then bwrap.
 */
export function toolJail(env: NodeJS.ProcessEnv): Promise<JailProbe> {
  const wanted = env[ISOLATION_ENV] ?? 'auto';
  let found = probes.get(wanted);
  if (!found) {
    found = detect(wanted);
    probes.set(wanted, found);
  }
  return found;
}

async function detect(wanted: string): Promise<JailProbe> {
  if (wanted === 'container') return { jail: containerJail() };
  if (!['auto', 'unshare', 'bwrap'].includes(wanted)) {
    const known = 'is not a jail cloudmend knows (unshare, bwrap or container); the validators are skipped';
    return { reason: `${ISOLATION_ENV}=${wanted.slice(0, 40)} ${known}` };
  }
  const kinds = wanted === 'auto' ? (['unshare', 'bwrap'] as const) : [wanted as 'unshare' | 'bwrap'];
  const failures: string[] = [];
  for (const kind of kinds) {
    const jail = namespaceJail(kind);
    const failure = await probe(jail);
    if (failure === undefined) return { jail };
    failures.push(failure);
  }
  return { reason: `${NONE} (${failures.join('; ')})` };
}
