// What a URL may show of itself in a log line or error: never a user name or password.

/**
 * The URL text with everything before its last `@` (the user name and password, which may hold `/`,
 * `?`, `#` or `@` unencoded) replaced by `***`; works on text that is not a valid URL too. Text without
 * an `@` is unchanged.
 */
export function redactUrl(text: string): string {
  return text.replace(/^((?:[a-z][a-z0-9+.-]*:)?\/\/)?[^\s]*@/i, (_match, scheme = '') => `${scheme}***@`);
}

/** Free text (an error message) with the credentials of every URL in it replaced by `***`. */
export function redactUrls(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/)[^\s@]*@/gi, '$1***@');
}

/** The password of a URL's user info (`scheme://user:password@host`), up to the last `@`, for masking. */
export function urlPassword(text: string | undefined): string | undefined {
  return text ? /^[a-z][a-z0-9+.-]*:\/\/[^:/?#@\s]*:(\S+)@/i.exec(text)?.[1] : undefined;
}
