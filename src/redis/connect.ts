/** Creates the ioredis client for a store: commands registered, no module-level singletons. */
import { Command, Redis } from "ioredis";
import { defineCommands } from "./commands.js";

/**
 * A command Redis has not answered within this long fails, so a Redis that stalls without closing the
 * connection (paused, frozen, a network that drops packets) makes ingest and rewards answer 503 and
 * /readyz 503 instead of never. A blocking read (XREADGROUP BLOCK n) gets its block time on top.
 */
export const REDIS_COMMAND_TIMEOUT_MS = 5_000;

/** `onError` hears connection errors (ioredis reconnects by itself); without it they are dropped. */
export function connectRedis(url: string, onError: (err: Error) => void = () => {}): Redis {
  const redis = new Redis(url, {
    // Callers must answer within their budget when Redis is away: fail a command after one retry.
    maxRetriesPerRequest: 1,
    connectTimeout: 2_000,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
  });
  // A database the server refuses (REDIS_URL ending /99 on a server with 16): ioredis reports the
  // failed SELECT and carries on in database 0, among whatever else lives there. Refuse every command.
  let refused: Error | undefined;
  redis.on("error", (err: Error & { command?: { name?: string } }) => {
    if (refused === undefined && err.command?.name === "select") {
      refused = new Error(`Redis refused the database REDIS_URL selects (${err.message}); nothing is sent`);
      redis.disconnect();
      onError(refused);
      return;
    }
    onError(err);
  });
  const send = redis.sendCommand.bind(redis);
  redis.sendCommand = (command, stream) => {
    if (refused) {
      command.reject(refused);
      return command.promise;
    }
    const block = Command.checkFlag("BLOCKING_COMMANDS", command.name)
      ? command.extractBlockingTimeout()
      : null;
    // BLOCK 0 waits for ever by request: no timeout then.
    if (block !== 0) command.setTimeout(REDIS_COMMAND_TIMEOUT_MS + (block ?? 0));
    return send(command, stream);
  };
  defineCommands(redis);
  return redis;
}
