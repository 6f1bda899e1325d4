import type { z } from 'zod';

/** `['detail', 'findings', 0, 'Id']` → `detail.findings[0].Id`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out === '' ? '(root)' : out;
}

/** One line per problem, each naming the path: `detail.findings[0].Resources: Invalid input: expected array`. */
export function describeIssues(issues: readonly z.core.$ZodIssue[], prefix: readonly PropertyKey[] = []): string[] {
  return issues.map((issue) => `${formatPath([...prefix, ...issue.path])}: ${issue.message}`);
}
