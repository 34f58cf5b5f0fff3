import { randomUUID } from "node:crypto";
import type { Redis } from "ioredis";

/** A key prefix no other test uses, and a cleanup that deletes every key under it. */
export function redisTestPrefix(redis: Redis): { prefix: string; cleanup(): Promise<void> } {
  const prefix = `usagepilot-test:${randomUUID()}`;
  return {
    prefix,
    async cleanup() {
      // Counter keys are `{prefix:counter}:suffix`.
      let cursor = "0";
      do {
        const [next, keys] = await redis.scan(cursor, "MATCH", `{${prefix}:*`, "COUNT", 1000);
        cursor = next;
        if (keys.length > 0) await redis.del(...keys);
      } while (cursor !== "0");
    },
  };
}

/** The machine's Redis; tests fail (never skip) when it is down. */
export const redisPort = Number(process.env.USAGEPILOT_TEST_REDIS_PORT ?? 6379);
