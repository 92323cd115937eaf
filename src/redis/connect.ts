/** Creates the ioredis client for a store: commands registered, no module-level singletons. */
import { Redis } from "ioredis";
import { defineCommands } from "./commands.js";

/** `onError` hears connection errors (ioredis reconnects by itself); without it they are dropped. */
export function connectRedis(url: string, onError: (err: Error) => void = () => {}): Redis {
  const redis = new Redis(url, {
    // Callers must answer within their budget when Redis is away: fail a command after one retry.
    maxRetriesPerRequest: 1,
    connectTimeout: 2_000,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
  });
  redis.on("error", onError);
  defineCommands(redis);
  return redis;
}
