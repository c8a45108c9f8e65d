// DNS names (zones, TSIG key names, and the algorithm names that are DNS names too, RFC 8945) compare
// without regard to ASCII case (RFC 4343), with the trailing dot of the absolute form optional:
// Cloudflare writes `xfr.example.` and `hmac-sha256.`, BIND and most users neither.

/** The name as it is compared: lower case, without the trailing dot. */
export function bareName(name: string): string {
  return name.toLowerCase().replace(/\.$/, '');
}

/** `a.example.` and `A.Example` are one name; so are `hmac-sha256` and `HMAC-SHA256.`. */
export function sameName(a: string, b: string): boolean {
  return bareName(a) === bareName(b);
}
