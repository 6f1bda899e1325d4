import { CloudmendError } from '../errors.js';

/**
 * A failure worth retrying (a lock held by another process, a throttled API, a network blip).
 * The state machines retry errors of this name with backoff and jitter.
 */
export class TransientError extends CloudmendError {
  override name = 'cloudmend.Transient';
}

/** The event cannot be understood: not retried, the execution ends failed with the reason. */
export class RejectedEventError extends CloudmendError {
  override name = 'cloudmend.InvalidEvent';
}

/** A patch that did not verify or that the guardrail refused to even consider: a bug to look at, not retried. */
export class PatchError extends CloudmendError {
  override name = 'cloudmend.PatchFailed';
}

/**
 * The sandbox's run failed, under a name the state machine does not retry: retrying the task that
 * collects it would only read the same failed output again. The finding fails, claimable again,
 * and the next run starts a new sandbox.
 */
export class SandboxFailedError extends CloudmendError {
  override name = 'cloudmend.SandboxFailed';

  constructor(error: { readonly name: string; readonly message: string }) {
    super(`the sandbox failed (${error.name}): ${error.message}`);
  }
}

/**
 * How a declined approval ends the wait (SendTaskFailure with the error's name): a plain
 * rejection, or the approver's drift choice to revert (re-deploy the code) or to ignore the drift.
 * The remediate ASL catches each name and Record turns it into the finding's outcome.
 */
export const DECLINED = { rejected: 'cloudmend.Rejected', revert: 'cloudmend.Revert', ignore: 'cloudmend.Ignore' } as const;

/** The error name for a declined approval with `choice` (undefined: a plain rejection). */
export function declinedErrorName(choice: string | undefined): string {
  return choice === 'revert' ? DECLINED.revert : choice === 'ignore' ? DECLINED.ignore : DECLINED.rejected;
}

/** An approver declined the change. */
export class DeclinedByApproverError extends CloudmendError {
  constructor(message: string, choice?: string) {
    super(message);
    this.name = declinedErrorName(choice);
  }
}
