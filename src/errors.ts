/**
 * The root of every error cloudmend raises on purpose. Anything else that escapes is a bug.
 *
 * `userFacing` errors are mistakes in input or configuration: the CLI prints their message (which
 * says what to do) without a stack trace and exits non-zero.
 */
export class CloudmendError extends Error {
  override name = 'CloudmendError';
  readonly userFacing: boolean = false;
  readonly fingerprint: string | undefined;
  readonly skillId: string | undefined;

  constructor(message: string, options: { cause?: unknown; fingerprint?: string; skillId?: string } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.fingerprint = options.fingerprint;
    this.skillId = options.skillId;
  }
}

/** An event that cloudmend cannot understand: not JSON, not an envelope, an unsupported kind, a missing field. */
export class InvalidEventError extends CloudmendError {
  override name = 'InvalidEventError';
  override readonly userFacing = true;
}

/** A configuration file that is missing, unparsable or fails validation. */
export class ConfigError extends CloudmendError {
  override name = 'ConfigError';
  override readonly userFacing = true;
}

/** A command-line usage mistake: a missing file, a bad option value. */
export class UsageError extends CloudmendError {
  override name = 'UsageError';
  override readonly userFacing = true;
}

/** True when `error` is a mistake the user can fix from the message alone. */
export function isUserFacing(error: unknown): error is CloudmendError {
  return error instanceof CloudmendError && error.userFacing;
}
