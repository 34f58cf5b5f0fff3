// Must show: Redis restarted mid-run (a second redis-server this test starts and kills), with the
// failOpen / failClosed policies stated in the error, and counters seeded again from storage after it.
import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { MemoryStorage, QuotaStoreError } from "@usagepilot/core";
import { createFakeLlmServer, type FakeLlmServer } from "@usagepilot/testing";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RedisQuotaStore } from "../src/redis-quota-store";
import { chat, createInstance, refused, refusalOf } from "./quota-harness";

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/** Starts redis-server on `port` with no persistence (a restart loses every counter) and waits until it answers. */
async function startRedis(port: number): Promise<ChildProcess> {
  const child = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], { stdio: "ignore" });
  const probe = new Redis({ port, host: "127.0.0.1", lazyConnect: true, retryStrategy: () => null });
  // Refused connections while the server starts are expected: the loop below retries.
  probe.on("error", () => {});
  for (let attempt = 0; ; attempt += 1) {
    try {
      await probe.connect();
      await probe.ping();
      probe.disconnect();
      return child;
    } catch (error) {
      if (attempt > 100) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

async function stopRedis(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGKILL");
  await exited;
}

async function ready(redis: Redis): Promise<void> {
  for (let attempt = 0; redis.status !== "ready"; attempt += 1) {
    if (attempt > 200) throw new Error(`the client did not reconnect (${redis.status})`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

let server: FakeLlmServer;
let port: number;
let redisServer: ChildProcess;
beforeAll(async () => {
  server = await createFakeLlmServer();
  port = await freePort();
  redisServer = await startRedis(port);
});
afterAll(async () => {
  if (redisServer) await stopRedis(redisServer);
  await server?.close();
});

describe("Redis restarted mid-run", () => {
  it("fails open or closed as configured, says which in the error, and seeds the month again from storage", async () => {
    // Commands fail at once while Redis is down instead of queueing; the client reconnects on its own.
    const redis = new Redis({ port, host: "127.0.0.1", enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy: () => 50 });
    // Connection errors while the server is down are expected here; the store reports its own.
    redis.on("error", () => {});
    await ready(redis);
    const store = new RedisQuotaStore({ redis, timeoutMs: 500 });
    const storage = new MemoryStorage();
    const rules = [{ name: "org", key: ["organization_id"] as const, window: "month" as const, max: { requests: 6 }, action: "block" as const }];
    const open = createInstance({ server, store, storage, limits: { rules: [...rules] } });
    const closed = createInstance({ server, store, storage, limits: { rules: [...rules], onStoreUnavailable: "failClosed" } });
    try {
      for (let index = 0; index < 3; index += 1) await chat(open.openai, "acme");
      await open.usage.flush();
      expect((await open.usage.limits.status({ organization_id: "acme" }))[0]!.metrics[0]).toMatchObject({ used: 3 });

      await stopRedis(redisServer);
      server.reset();
      // failOpen: the call goes out unchecked, and onError says so.
      await chat(open.openai, "acme");
      await open.usage.flush();
      expect(server.requests).toHaveLength(1);
      const reported = open.errors.filter(QuotaStoreError.isInstance);
      expect(reported[0]).toMatchObject({ policy: "failOpen", operation: "reserve" });
      expect(reported[0]!.message).toContain("the call was sent unchecked (onStoreUnavailable: failOpen)");
      // failClosed: refused before it leaves, with the policy in the message.
      const error = refusalOf(await chat(closed.openai, "acme").then(() => undefined, (thrown: unknown) => thrown));
      expect(QuotaStoreError.isInstance(error)).toBe(true);
      expect((error as QuotaStoreError).message).toContain("the call was refused (onStoreUnavailable: failClosed)");
      expect(server.requests).toHaveLength(1);

      // Redis comes back empty: the counter is seeded from storage (the 4 stored calls), not reset to 0.
      redisServer = await startRedis(port);
      await ready(redis);
      await chat(closed.openai, "acme");
      await chat(open.openai, "acme");
      await closed.usage.flush();
      await open.usage.flush();
      const refusal = await refused(chat(closed.openai, "acme"));
      expect(refusal).toMatchObject({ rule: "org", used: 6, limit: 6 });
      expect(server.requests).toHaveLength(3);
    } finally {
      await open.usage.shutdown();
      await closed.usage.shutdown();
      redis.disconnect();
    }
  });
});
