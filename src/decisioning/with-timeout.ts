/** Bounds a dependency call by the decision's time budget: late answers are ignored, not awaited. */
export class TimeoutError extends Error {}

export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError(`${what} took longer than ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** The value, or `fallback` with the reason when the call fails or times out. */
export async function orFallback<T>(
  promise: Promise<T>,
  ms: number,
  what: string,
  fallback: T,
): Promise<{ value: T; failure?: string }> {
  try {
    return { value: await withTimeout(promise, ms, what) };
  } catch (err) {
    return { value: fallback, failure: `${what}: ${err instanceof Error ? err.message : String(err)}` };
  }
}
