/** A Redis URL as it may be printed: any password replaced by `***` (a URL that does not parse is shown as given). */
export function printableRedisUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return url;
  }
}
