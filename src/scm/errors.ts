import { CloudmendError } from '../errors.js';

/**
 * A git operation on a configured repository failed. `userFacing` when the user must act: the
 * repository or branch is missing, the path is not a repository, a file path or branch name is
 * refused, the change is empty, a push was rejected. The message names the repository.
 */
export class ScmError extends CloudmendError {
  override name = 'ScmError';
  override readonly userFacing: boolean;

  constructor(message: string, options: { cause?: unknown; userFacing?: boolean } = {}) {
    super(message, options.cause === undefined ? {} : { cause: options.cause });
    this.userFacing = options.userFacing ?? false;
  }
}

/**
 * A failure worth retrying as is: another git process holds a lock file in the repository, or a
 * concurrent writer moved the branch twice while cloudmend was updating it. The name is what retry
 * policies (Step Functions `ErrorEquals`, the CLI) match on.
 */
export class TransientScmError extends ScmError {
  override name = 'cloudmend.Transient';
}

/**
 * An existing branch that cloudmend must not move: its last commit names another finding or batch
 * as its owner, or names none (cloudmend did not write it). Retrying changes nothing; a person
 * decides what happens to that branch.
 */
export class BranchOwnershipError extends ScmError {
  override name = 'BranchOwnershipError';
}
