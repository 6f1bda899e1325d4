/** Severity labels in Security Hub's order, lowest first. */
export const SEVERITY_LABELS = ['INFORMATIONAL', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'] as const;
export type SeverityLabel = (typeof SEVERITY_LABELS)[number];

/**
 * Where a finding's severity came from: the finding itself, the control catalogue (Config events
 * carry none), or nowhere (then it is INFORMATIONAL so that severity floors never act on a guess).
 */
export type SeverityOrigin = 'finding' | 'control' | 'unknown';

export interface Severity {
  readonly label: SeverityLabel;
  /** 0-100, Security Hub's normalized scale. */
  readonly score: number;
  readonly origin: SeverityOrigin;
}

// BatchImportFindings fills Normalized from Label with these values when only a label is given.
const SCORE_OF_LABEL: Record<SeverityLabel, number> = { INFORMATIONAL: 0, LOW: 1, MEDIUM: 40, HIGH: 70, CRITICAL: 90 };

export function isSeverityLabel(value: unknown): value is SeverityLabel {
  return typeof value === 'string' && (SEVERITY_LABELS as readonly string[]).includes(value);
}

/** Security Hub's documented ranges: 0 informational, 1-39 low, 40-69 medium, 70-89 high, 90-100 critical. */
export function labelOfScore(score: number): SeverityLabel {
  if (score >= 90) return 'CRITICAL';
  if (score >= 70) return 'HIGH';
  if (score >= 40) return 'MEDIUM';
  if (score >= 1) return 'LOW';
  return 'INFORMATIONAL';
}

export function severityOf(label: SeverityLabel, origin: SeverityOrigin, score = SCORE_OF_LABEL[label]): Severity {
  return { label, score, origin };
}

/** A label given in any case (`High`, `high`), as the control documentation writes them. */
export function parseSeverityLabel(value: string): SeverityLabel | undefined {
  const upper = value.toUpperCase();
  return isSeverityLabel(upper) ? upper : undefined;
}

/** True when `label` is at or above `floor`. */
export function atLeast(label: SeverityLabel, floor: SeverityLabel): boolean {
  return SEVERITY_LABELS.indexOf(label) >= SEVERITY_LABELS.indexOf(floor);
}

export const UNKNOWN_SEVERITY: Severity = severityOf('INFORMATIONAL', 'unknown');
