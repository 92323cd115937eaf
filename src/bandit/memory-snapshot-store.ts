/** The embedded snapshot store: one process, shared by reference between the learner and readers. */
import type { EncodedSnapshot } from "./bandit-snapshot.js";
import { type PublishResult, type SnapshotStore, versionCounter } from "./snapshot-store.js";

export class MemorySnapshotStore implements SnapshotStore {
  readonly kind = "memory";
  private current: { version: string; text: string } | undefined;

  async publish(snapshot: EncodedSnapshot): Promise<PublishResult> {
    if (this.current && versionCounter(this.current.version) >= snapshot.counter)
      return { published: false, current: this.current.version };
    this.current = { version: snapshot.version, text: snapshot.text };
    return { published: true, version: snapshot.version };
  }

  async latestVersion(): Promise<string | undefined> {
    return this.current?.version;
  }

  async latest(): Promise<{ version: string; text: string } | undefined> {
    return this.current;
  }

  /** Test hook: stores raw text under a version, bypassing every check (e.g. a corrupt snapshot). */
  putRaw(version: string, text: string): void {
    this.current = { version, text };
  }

  async close(): Promise<void> {}
}
