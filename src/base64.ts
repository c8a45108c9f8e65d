// TSIG secrets are base64, as BIND's tsig-keygen prints them. Two spellings of one secret (padding,
// line breaks) are one secret: it is the decoded bytes that sign a transfer.

// Standard alphabet only (tsig-keygen never writes the URL-safe one); padding optional.
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}(?:==)?|[A-Za-z0-9+/]{3}=?)?$/;

/** The secret in its canonical, padded form; undefined when it is not base64 or decodes to nothing. */
export function canonicalBase64(text: string): string | undefined {
  const compact = text.replace(/\s+/g, '');
  if (!BASE64.test(compact)) return undefined;
  const bytes = Buffer.from(compact, 'base64');
  return bytes.length > 0 ? bytes.toString('base64') : undefined;
}

/** True when both are base64 for the same bytes (or, not being base64, are the same text). */
export function sameSecret(a: string, b: string): boolean {
  if (a === b) return true;
  const left = canonicalBase64(a);
  return left !== undefined && left === canonicalBase64(b);
}
