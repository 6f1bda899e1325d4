/**
 * Object contents through one `git cat-file --batch`: a process per call, not per object (a
 * snapshot writes every file of a tree, `cloudmend guard` reads every file of a change).
 */
import type { Readable } from 'node:stream';
import { ScmError } from './errors.js';
import type { GitRepository } from './git.js';

/** Calls `each` with the content of every object in `oids`, in order, one in memory at a time. */
export async function readObjects(
  repo: GitRepository,
  oids: readonly string[],
  each: (content: Buffer, index: number) => void | Promise<void>,
): Promise<void> {
  if (oids.length === 0) return;
  const child = await repo.spawn(['cat-file', '--batch']);
  const exited = new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', resolve);
  });
  // Awaited below unless `each` fails first; then the kill in `finally` may still reject it.
  exited.catch(() => undefined);
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  // git exiting early closes its stdin; the exit status reports that, not an EPIPE.
  child.stdin.on('error', () => undefined);
  child.stdin.end(oids.map((oid) => `${oid}\n`).join(''));
  try {
    let read = 0;
    for await (const content of batchContents(child.stdout)) {
      if (read === oids.length) throw new ScmError(`git cat-file printed more objects than asked in repository "${repo.name}"`);
      await each(content, read);
      read += 1;
    }
    const code = await exited;
    if (code !== 0 || read !== oids.length) {
      throw new ScmError(
        `git cat-file failed in repository "${repo.name}" after ${read} of ${oids.length} files (exit ${String(code)}): ${stderr.trim()}`,
      );
    }
  } finally {
    child.kill();
  }
}

/**
 * The contents of the objects `cat-file --batch` prints, in order. Each is a header line
 * `<oid> <type> <size>`, the content and a newline; any other header (`<oid> missing`) is an error.
 */
async function* batchContents(stdout: Readable): AsyncGenerator<Buffer> {
  let buffer = Buffer.alloc(0);
  let queued: Buffer[] = [];
  let queuedBytes = 0;
  // Bytes needed before parsing can go on, so that a large blob is concatenated once, not per chunk.
  let needed = 1;
  let size: number | undefined;
  for await (const chunk of stdout as AsyncIterable<Buffer>) {
    queued.push(chunk);
    queuedBytes += chunk.length;
    if (buffer.length + queuedBytes < needed) continue;
    buffer = Buffer.concat([buffer, ...queued]);
    queued = [];
    queuedBytes = 0;
    for (;;) {
      if (size === undefined) {
        const newline = buffer.indexOf(10);
        if (newline < 0) {
          needed = buffer.length + 1;
          break;
        }
        const header = buffer.subarray(0, newline).toString('utf8');
        const match = /^[0-9a-f]+ blob (\d+)$/.exec(header);
        if (match === null) throw new ScmError(`unexpected git cat-file output: ${header}`);
        size = Number(match[1]);
        buffer = buffer.subarray(newline + 1);
      }
      if (buffer.length < size + 1) {
        needed = size + 1;
        break;
      }
      yield buffer.subarray(0, size);
      buffer = buffer.subarray(size + 1);
      size = undefined;
    }
  }
}
