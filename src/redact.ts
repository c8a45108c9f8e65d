// What a URL may show of itself in a log line or error: never a user name or password.

/** The text with any `user:password@` before the host replaced by `***@`; works on text that is not a valid URL too. */
export function redactUrl(text: string): string {
  return text.replace(/^((?:[a-z][a-z0-9+.-]*:)?\/\/)?[^/?#\s]*@/i, (_match, scheme = '') => `${scheme}***@`);
}
