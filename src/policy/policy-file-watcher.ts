/**
 * Notices changes to one policy file, debounced. It watches the file's directory, not the file: editors
 * and config tools replace a file by writing a temporary one and renaming it over the original (a new
 * inode a file watch would lose), and Kubernetes ConfigMaps swap a `..data` symlink next to it.
 */
import { type FSWatcher, watch } from "node:fs";
import { basename, dirname, resolve } from "node:path";

export interface PolicyFileWatch {
  close(): void;
}

export interface WatchOptions {
  /** Quiet period after the last event before `onChange` runs, ms. */
  readonly debounceMs: number;
  /** Called once per burst of events; it should read the file and may find it unchanged. */
  readonly onChange: () => void;
  readonly onError: (err: Error) => void;
}

export function watchPolicyFile(path: string, options: WatchOptions): PolicyFileWatch {
  const file = resolve(path);
  const name = basename(file);
  let timer: NodeJS.Timeout | undefined;
  const schedule = () => {
    clearTimeout(timer);
    timer = setTimeout(options.onChange, options.debounceMs);
  };
  const watcher: FSWatcher = watch(dirname(file), { persistent: false }, (_event, changed) => {
    // Other files in the directory are ignored; `..data` and friends are ConfigMap symlink swaps.
    if (changed === null || changed === name || changed.startsWith("..")) schedule();
  });
  watcher.on("error", options.onError);
  return {
    close: () => {
      clearTimeout(timer);
      watcher.close();
    },
  };
}
