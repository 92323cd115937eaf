/**
 * Notices changes to models/registry.json: an fs.watch on its folder (not on the file: the registry is
 * replaced by rename, a new inode a file watch would lose), debounced, plus a slow poll as the fallback
 * for file systems where watches miss events (network mounts, some container volumes) or when the
 * folder does not exist yet. `onChange` may run when nothing changed; it compares the content itself.
 */
import { type FSWatcher, watch } from "node:fs";
import { basename, dirname } from "node:path";

export interface RegistryWatch {
  close(): void;
}

export interface RegistryWatchOptions {
  /** Quiet period after the last file event before `onChange` runs, ms. */
  readonly debounceMs: number;
  /** Interval of the poll that calls `onChange` regardless of events, ms. */
  readonly pollIntervalMs: number;
  readonly onChange: () => void;
  readonly onError: (err: Error) => void;
}

export function watchRegistryFile(file: string, options: RegistryWatchOptions): RegistryWatch {
  const name = basename(file);
  let timer: NodeJS.Timeout | undefined;
  let watcher: FSWatcher | undefined;
  let closed = false;
  const schedule = () => {
    clearTimeout(timer);
    timer = setTimeout(options.onChange, options.debounceMs);
    timer.unref();
  };
  const startWatch = () => {
    if (watcher !== undefined || closed) return;
    try {
      watcher = watch(dirname(file), { persistent: false }, (_event, changed) => {
        if (changed === null || changed === name) schedule();
      });
    } catch {
      return; // no folder yet: the poll keeps trying
    }
    watcher.on("error", (err) => {
      watcher?.close();
      watcher = undefined; // the folder was removed or replaced: re-watch from the next poll
      options.onError(err);
    });
  };
  startWatch();
  const poller = setInterval(() => {
    startWatch();
    options.onChange();
  }, options.pollIntervalMs);
  poller.unref();
  return {
    close: () => {
      closed = true;
      clearTimeout(timer);
      clearInterval(poller);
      watcher?.close();
    },
  };
}
