/** A bandit snapshot that cannot be trusted (malformed, wrong hash, wrong dimensions, non-finite state). */
export class BanditSnapshotError extends Error {
  override readonly name = "BanditSnapshotError";
}
