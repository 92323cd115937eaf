/**
 * A Redis URL as it may be printed: any password replaced by `***`. Read as text, not parsed: a
 * password holding `/`, `#` or `?` breaks URL parsing, and what does not parse must not be printed whole.
 */
export function printableRedisUrl(url: string): string {
  const scheme = url.indexOf("://");
  const at = url.lastIndexOf("@");
  if (scheme < 0 || at < scheme) return url;
  const userinfo = url.slice(scheme + 3, at);
  const colon = userinfo.indexOf(":");
  // Everything from the first ":" of the user info to the last "@" is the password.
  return colon < 0 ? url : `${url.slice(0, scheme + 3)}${userinfo.slice(0, colon)}:***${url.slice(at)}`;
}
