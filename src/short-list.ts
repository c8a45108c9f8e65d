// Messages stay short however many zones a run has: a log line or an error names at most 10 items and
// says how many more there are, and no message is longer than 4,000 characters. The job summary is
// where every item is listed.

/** The most items a message names. */
export const MAX_LISTED = 10;
/** The longest message, in characters. */
export const MAX_MESSAGE = 4_000;

/**
 * The items joined by `separator`, at most `max` of them: "a, b, c" or "a, …, j, and 290 more (see the
 * job summary)".
 */
export function shortList(items: readonly string[], separator = ', ', max = MAX_LISTED): string {
  if (items.length <= max) return items.join(separator);
  return [...items.slice(0, max), `and ${items.length - max} more (see the job summary)`].join(separator);
}

/** The message as it is when it fits in `max` characters; else cut (at a line end when one is near) with a note. */
export function capMessage(message: string, max = MAX_MESSAGE): string {
  if (message.length <= max) return message;
  // Room for the note, which names how much was cut: its length depends on that number, so allow for it.
  const note = (cut: number) => `… (${cut} more characters: see the job summary)`;
  let end = max - note(message.length).length;
  const lineEnd = message.lastIndexOf('\n', end);
  if (lineEnd >= 0 && lineEnd > end - 200) end = lineEnd + 1;
  // Never split a character made of two UTF-16 units.
  if (/[\uD800-\uDBFF]/.test(message.charAt(end - 1))) end--;
  return `${message.slice(0, end)}${note(message.length - end)}`;
}

/** An error whose message lists a few items, and whose `detail` lists them all (for the job summary). */
export class DetailedError extends Error {
  readonly detail: string;

  constructor(message: string, detail: string, options?: { cause?: unknown }) {
    super(message, options);
    this.detail = detail;
  }
}

/** The whole text of an error for the job summary: its detail, or its cause's, when it has one. */
export function detailOf(error: unknown): string | undefined {
  for (let each: unknown = error; each instanceof Error; each = each.cause) {
    if (each instanceof DetailedError) return each.detail;
  }
  return undefined;
}
