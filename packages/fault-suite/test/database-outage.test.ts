import { createFakeLlmServer } from "@usagepilot/testing";
import OpenAI from "openai";
import { BufferFullError, StorageError } from "usagepilot";
import { PostgresStorage } from "usagepilot/postgres";
import { describe, expect, it } from "vitest";
import { callHeaders, createFaultPilot } from "./create-fault-pilot";
import { serverUrl, useFaultDatabase } from "./fault-database";
import { expectStoredAsServed } from "./expect-stored-as-served";
import { createTcpProxy } from "./tcp-proxy";

// PostgreSQL unreachable for 30 s while traffic continues. The outage is a TCP proxy between PostgresStorage
// and the server, taken down (open connections destroyed, new ones reset) and brought back, rather than the
// cluster stopped: the machine's one cluster serves every other test file running in parallel (and other
// people's runs), which a real stop would break. For the client the two look the same: queries fail
// mid-flight, connecting fails, then it comes back.

const database = useFaultDatabase();
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function waitFor(condition: () => boolean, what: () => string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what()}`);
    await sleep(20);
  }
}

const outageMs = 30_000;
const batchSize = 8;
const maxBufferSize = 24;
const tenants = ["acme", "globex", "initech", "umbrella"];

describe("PostgreSQL unreachable for 30 s while traffic continues", () => {
  it("events buffer up to the bound, calls wait for room instead of anything being dropped, then everything drains", async () => {
    const server = await createFakeLlmServer();
    const target = new URL(serverUrl);
    const proxy = await createTcpProxy({ target: { host: target.hostname, port: Number(target.port || 5432) } });
    const proxied = new URL(database.url);
    proxied.hostname = "127.0.0.1";
    proxied.port = String(proxy.port);
    const storage = new PostgresStorage({ connectionString: proxied.toString(), maxConnections: 2 });

    // The buffer's high-water mark, read after each event is added (adds within one turn only ever raise it).
    let peakPending = 0;
    const { usage, fetch, errors } = createFaultPilot({
      server,
      storage,
      pilot: {
        batchSize,
        flushInterval: 20,
        maxBufferSize,
        onEvent: () => queueMicrotask(() => (peakPending = Math.max(peakPending, usage.stats().pending))),
      },
    });
    const openai = new OpenAI({ apiKey: "sk-test", baseURL: server.baseURL, fetch, maxRetries: 0 });

    type Phase = "before" | "outage" | "after";
    let phase: Phase = "before";
    let stopped = false;
    const completed: Record<Phase, number> = { before: 0, outage: 0, after: 0 };
    const failures: unknown[] = [];
    const worker = async (tenant: string) => {
      for (let index = 0; !stopped; index += 1) {
        server.enqueue({ kind: "chat", usage: { prompt_tokens: 10 + (index % 13), completion_tokens: 1 + ((index * 7) % 31), cached_tokens: index % 5 }, chunks: 3 });
        const body = { model: "gpt-4o-mini", messages: [{ role: "user" as const, content: `Call ${index} for ${tenant}` }] };
        const headers = callHeaders(tenant, `${tenant}-${index}`);
        try {
          if (index % 2 === 0) await openai.chat.completions.create(body, { headers });
          else for await (const _chunk of await openai.chat.completions.create({ ...body, stream: true }, { headers })) void _chunk;
        } catch (error) {
          failures.push(error);
        }
        completed[phase] += 1;
      }
    };
    const traffic = Promise.all(tenants.map((tenant) => worker(tenant)));
    try {
      const state = () => JSON.stringify({ stats: usage.stats(), completed, forwarded: proxy.forwarded, refused: proxy.refused, lastError: String(errors.at(-1)) });
      await waitFor(() => usage.stats().written >= 3 * batchSize, () => `events stored before the outage: ${state()}`, 30_000);

      proxy.down();
      phase = "outage";
      // A write whose answer was already on its way when the connection broke may still complete: let it land first.
      await sleep(1_000);
      const writtenAtDown = usage.stats().written;
      await sleep(outageMs - 1_000);
      const during = usage.stats();
      // Nothing reached the database, the buffer filled, and callers were made to wait rather than anything dropped.
      expect(during.written).toBe(writtenAtDown);
      expect(during.failedWrites).toBeGreaterThan(0);
      expect(during.backpressureWaits).toBeGreaterThan(0);
      expect(during.pending).toBeGreaterThanOrEqual(maxBufferSize);
      expect(completed.outage).toBeGreaterThan(0);
      // The storage kept trying to reconnect, and was turned away.
      expect(proxy.refused).toBeGreaterThan(0);

      proxy.up();
      phase = "after";
      // Traffic flows again only once the buffer drains; the writer's backoff may wait up to 30 s to retry.
      await waitFor(() => completed.after >= 40, () => `traffic to resume after the outage: ${state()}`, 75_000);
      stopped = true;
      await traffic;
      await usage.shutdown({ timeoutMs: 60_000 });
    } catch (error) {
      // Workers waiting for room are only let go by a shutdown.
      stopped = true;
      await usage.shutdown({ timeoutMs: 1000 }).catch(() => {});
      await traffic;
      throw error;
    } finally {
      await proxy.close();
      await server.close();
    }

    expect(failures).toEqual([]);
    const stats = usage.stats();
    expect(stats).toMatchObject({ captured: server.requests.length, written: server.requests.length, rejected: 0, spilled: 0, invalid: 0, pending: 0 });
    // Read straight from the server, not through the proxy.
    const served = await expectStoredAsServed({ url: database.url, server });
    expect(Object.keys(served).sort()).toEqual(tenants);

    // Bounded memory. A call checks for room before it is sent and its event is added after its answer ends
    // (recording is deferred to the next turn), so past `maxBufferSize` the buffer only takes the events of
    // calls that had passed the check already: per worker, the call under way and the previous one whose
    // event was still being recorded when the next call checked. Beyond that, every call waits.
    expect(peakPending).toBeGreaterThanOrEqual(maxBufferSize);
    expect(peakPending).toBeLessThanOrEqual(maxBufferSize - 1 + 2 * tenants.length);
    // Every background report was a retryable write failure or the one-time "buffer full" notice.
    expect(errors.filter((error) => !(StorageError.isInstance(error) && error.isRetryable) && !BufferFullError.isInstance(error))).toEqual([]);
    expect(errors.some((error) => BufferFullError.isInstance(error))).toBe(true);
  }, 150_000);
});
