/** `1 finding`, `2 findings`, `0 findings`: a count and its noun, as a person writes them. */
export function plural(count: number, noun: string, nouns = `${noun}s`): string {
  return `${count} ${count === 1 ? noun : nouns}`;
}
