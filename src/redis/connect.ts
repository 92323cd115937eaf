/** Creates the ioredis client for a store: commands registered, no module-level singletons. */
import { Redis } from "ioredis";
import { defineCommands } from "./commands.js";

export function connectRedis(url: string): Redis {
  const redis = new Redis(url, {
    // Decisions must answer within their budget when Redis is away: fail commands instead of queueing.
    enableOfflineQueue: true,
    maxRetriesPerRequest: 1,
    connectTimeout: 2_000,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
  });
  defineCommands(redis);
  return redis;
}
