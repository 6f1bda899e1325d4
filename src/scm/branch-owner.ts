/**
 * Which finding or batch a branch belongs to, as written in its commits. Branch names keep 64 bits
 * of their owner's id; the full id travels in a trailer of every commit cloudmend writes, and is
 * read back from the branch tip before the branch is moved, so a second owner that lands on the
 * same name (by chance or by a forged finding) is refused instead of overwriting the first one's
 * branch and pull request.
 */
import { BranchOwnershipError, ScmError } from './errors.js';
import type { BranchOwner } from './port.js';

const TRAILER_KEYS = { finding: 'Cloudmend-Fingerprint', batch: 'Cloudmend-Batch' } as const;
// The id stands alone on the trailer line: cloudmend's own hashes, or a batch id checked to be one word.
const OWNER_ID = /^[0-9A-Za-z][0-9A-Za-z._-]{0,127}$/;
const TRAILER = /^(Cloudmend-Fingerprint|Cloudmend-Batch): (\S+)$/;

function label(owner: BranchOwner): string {
  return `${owner.kind} ${owner.id}`;
}

/**
 * `message` with the owner's trailer as its last paragraph (`Cloudmend-Fingerprint: <fp>` or
 * `Cloudmend-Batch: <id>`); an id that could not stand alone on that line is refused.
 */
export function withOwnerTrailer(message: string, owner: BranchOwner): string {
  if (!OWNER_ID.test(owner.id)) {
    const rule = 'letters, digits, ".", "_" and "-" only, at most 128';
    throw new ScmError(`refusing ${owner.kind} id ${JSON.stringify(owner.id)} as a branch owner: ${rule}`);
  }
  return `${message.trimEnd()}\n\n${TRAILER_KEYS[owner.kind]}: ${owner.id}\n`;
}

/** The owner the last paragraph of a commit message names, or undefined when it names none, or several. */
export function ownerOf(message: string): BranchOwner | undefined {
  const paragraphs = message
    .replace(/\r\n/g, '\n')
    .trimEnd()
    .split(/\n[ \t]*\n/);
  const named = (paragraphs.at(-1) ?? '').split('\n').flatMap((line): BranchOwner[] => {
    const match = TRAILER.exec(line.trim());
    if (match === null) return [];
    return [{ kind: match[1] === TRAILER_KEYS.batch ? 'batch' : 'finding', id: match[2] ?? '' }];
  });
  const [first] = named;
  return first !== undefined && named.every((o) => o.kind === first.kind && o.id === first.id) ? first : undefined;
}

/**
 * Refuses to move `branch` unless its tip `commit`, whose message is `message`, names `owner`:
 * a branch of another finding or batch, or one cloudmend did not write, is left as it is. On
 * origin (`onOrigin`) every commit beyond the base is asked in turn (`last` false but for the tip).
 */
export function checkBranchOwner(
  where: {
    readonly repository: string;
    readonly branch: string;
    readonly commit: string;
    readonly onOrigin?: boolean;
    readonly last?: boolean;
  },
  message: string,
  owner: BranchOwner,
): void {
  const found = ownerOf(message);
  if (found?.kind === owner.kind && found.id === owner.id) return;
  const branch = `branch "${where.branch}"${where.onOrigin === true ? ' on origin' : ''}`;
  const refusal = `refusing to move ${branch} of repository "${where.repository}" for ${label(owner)}`;
  const tip = `its ${where.last === false ? '' : 'last '}commit ${where.commit.slice(0, 12)}`;
  const remove = where.onOrigin === true ? `delete the branch on origin (git push origin --delete ${where.branch})` : 'delete the branch';
  const why =
    found === undefined
      ? `${tip} has no ${TRAILER_KEYS.finding} or ${TRAILER_KEYS.batch} trailer: cloudmend did not write it ` +
        `(someone may have pushed to the branch). Merge or close its pull request and ${remove}, then run again`
      : `${tip} belongs to ${label(found)}, whose branch has the same name; its pull request stays as it is. ` +
        `Close that pull request and ${remove} if it is not wanted, then run again`;
  throw new BranchOwnershipError(`${refusal}: ${why}`, { userFacing: true });
}
