/**
 * Secret-looking values never leave the comparator: environment variables named like credentials,
 * or whose value looks like a key or token, are compared but reported as `(redacted)`. Drift
 * reports end up in pull requests, Slack and logs.
 */

export const REDACTED = '(redacted)';

const SECRET_NAME =
  /(secret|passw(or)?d|passwd|pwd|token|api[_-]?key|apikey|private[_-]?key|credential|auth|session|signing|access[_-]?key|client[_-]?secret|conn(ection)?[_-]?str|dsn|webhook|salt|cookie)/i;

const SECRET_VALUE: readonly RegExp[] = [
  /\b(AKIA|ASIA)[0-9A-Z]{16}\b/, // AWS access key id
  /^[A-Za-z0-9/+=]{40}$/, // AWS secret access key
  /^eyJ[\w-]+\.[\w-]+\.[\w-]*$/, // JWT
  /-----BEGIN [A-Z ]*PRIVATE KEY-----/,
  /^(ghp|gho|ghu|ghs|ghr|github_pat)_[A-Za-z0-9_]{20,}$/, // GitHub tokens
  /^xox[abposr]-[A-Za-z0-9-]{10,}$/, // Slack tokens
  /^sk_(live|test)_[A-Za-z0-9]{16,}$/, // Stripe
  /:\/\/[^/\s:@]+:[^/\s@]+@/, // credentials in a URL
];

/** True when a long string has the character mix of generated secrets rather than of words. */
function highEntropy(value: string): boolean {
  // ARNs and URLs are long and mixed too, and are what a reviewer needs to see.
  if (value.length < 24 || /\s/.test(value) || /^(arn:|https?:\/\/)/.test(value)) return false;
  const classes = [/[a-z]/, /[A-Z]/, /\d/, /[^A-Za-z\d]/].filter((re) => re.test(value)).length;
  const counts = new Map<string, number>();
  for (const ch of value) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let entropy = 0;
  for (const n of counts.values()) entropy -= (n / value.length) * Math.log2(n / value.length);
  return classes >= 3 && entropy > 4;
}

/** True when a variable's name or value suggests its value is a secret. */
export function looksSecret(name: string, value: unknown): boolean {
  if (SECRET_NAME.test(name)) return true;
  if (typeof value !== 'string') return false;
  return SECRET_VALUE.some((re) => re.test(value)) || highEntropy(value);
}
