/** Turns a failed Redis call into the 503 a client may retry, naming the store that did not answer. */
import { StoreUnavailableError } from "../errors/http-errors.js";

export function storeUnavailable(store: string): (err: unknown) => never {
  return (err) => {
    throw new StoreUnavailableError(
      `The ${store} (Redis) did not answer: ${err instanceof Error ? err.message : String(err)}`,
    );
  };
}
