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

/** An approver rejected the change (SendTaskFailure with this error). */
export class RejectedByApproverError extends CloudmendError {
  override name = 'cloudmend.Rejected';
}
