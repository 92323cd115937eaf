/**
 * The bandit's Redis keys, built in one place. One hash tag, `{bandit}`, puts them in one Redis
 * Cluster slot so the publish script may write both. Layout (see docs/bandits.md):
 *   <prefix>:{bandit}:snapshot  string: the latest snapshot text (JSON with base64 data)
 *   <prefix>:{bandit}:version   string: its version id `<counter>-<hash12>`; replicas poll it
 */
export interface BanditKeys {
  readonly snapshot: string;
  readonly version: string;
}

export function banditKeys(prefix: string): BanditKeys {
  const base = `${prefix}:{bandit}`;
  return { snapshot: `${base}:snapshot`, version: `${base}:version` };
}
