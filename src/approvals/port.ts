/** The approval notifier port: how approvers are asked (Slack in AWS; the terminal locally). */

export interface ApprovalRequest {
  readonly approvalId: string;
  readonly fingerprint: string;
  readonly controlId?: string | undefined;
  readonly title: string;
  readonly severity: string;
  readonly resource: string;
  readonly account?: string | undefined;
  readonly region?: string | undefined;
  readonly repository: string;
  readonly skill?: string | undefined;
  /** The model that wrote the patch, when no skill did. */
  readonly model?: string | undefined;
  readonly diff: string;
  readonly validation: string;
  readonly expiresAt: Date;
  /** A drift decision (codify, revert or ignore) rather than a plain approval. */
  readonly drift?: DriftApproval | undefined;
}

/** What a drift approval shows besides the codify diff. */
export interface DriftApproval {
  /** One line per difference, as the comparison worded it (untrusted values inside). */
  readonly differences: readonly string[];
  /** Codifying would write a security weakening into the code. */
  readonly weakens: boolean;
  /** False when cloudmend cannot write the live values into the code: only revert and ignore are offered. */
  readonly codify?: boolean | undefined;
  /** How long Ignore suppresses drift on the resource. */
  readonly ignoreDays: number;
}

/** Tells approvers a decision is waiting (Slack in AWS; the terminal locally). */
export interface ApprovalNotifier {
  requestApproval(request: ApprovalRequest): Promise<{ readonly channel?: string | undefined; readonly messageTs?: string | undefined }>;
}
