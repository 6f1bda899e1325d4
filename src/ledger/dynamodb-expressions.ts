/**
 * Builder for `UpdateExpression`s. Every attribute goes through `ExpressionAttributeNames` (`#name`,
 * value `:name`), so no attribute can collide with DynamoDB's reserved words (`status`, `url`...).
 * Conditions written next to an update reuse `#name` and pick value placeholders not named after
 * an attribute.
 */
interface UpdateParts {
  readonly UpdateExpression: string;
  readonly ExpressionAttributeNames: Record<string, string>;
  readonly ExpressionAttributeValues: Record<string, unknown>;
}

/** `set` overwrites, `setIfMissing` keeps an existing value (`if_not_exists`), `remove` drops. */
export function updateExpression(parts: {
  set: Record<string, unknown>;
  setIfMissing?: Record<string, unknown>;
  remove?: readonly string[];
}): UpdateParts {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const assignments: string[] = [];
  const assign = (attribute: string, value: unknown, keep: boolean): void => {
    names[`#${attribute}`] = attribute;
    values[`:${attribute}`] = value;
    assignments.push(keep ? `#${attribute} = if_not_exists(#${attribute}, :${attribute})` : `#${attribute} = :${attribute}`);
  };
  for (const [attribute, value] of Object.entries(parts.set)) assign(attribute, value, false);
  for (const [attribute, value] of Object.entries(parts.setIfMissing ?? {})) assign(attribute, value, true);
  const remove = parts.remove ?? [];
  for (const attribute of remove) names[`#${attribute}`] = attribute;
  return {
    UpdateExpression: `SET ${assignments.join(', ')}${remove.length > 0 ? ` REMOVE ${remove.map((a) => `#${a}`).join(', ')}` : ''}`,
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  };
}
