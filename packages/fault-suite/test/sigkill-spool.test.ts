import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readSpoolSegment } from "@usagepilot/node";
import { createFakeLlmServer, type FakeLlmAnswer } from "@usagepilot/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useFaultDatabase } from "./fault-database";
import { expectStoredAsServed } from "./expect-stored-as-served";
import { storedCalls } from "./stored-tenant-totals";
import { startTrafficProcess } from "./start-traffic-process";

// SIGKILL mid-traffic with the spool on. A child process (the built packages, as users run them) meters
// calls into PostgresStorage with `spool: createFileSpool(...)` and a batch size it never reaches, so at the
// kill every captured event is only in its memory and its spool. A second process on the same spool
// directory recovers them and stores them. Totals in PostgreSQL must then equal what the fake provider
// served for the calls the first process had captured, plus the second process's own calls.

const database = useFaultDatabase();
let folder: string;
beforeAll(() => {
  folder = mkdtempSync(join(tmpdir(), "usagepilot-fault-spool-"));
});
afterAll(() => {
  rmSync(folder, { recursive: true, force: true });
});

const tenants = ["acme", "globex", "initech"];
const answer = (index: number): FakeLlmAnswer => ({ kind: "chat", usage: { prompt_tokens: 20 + ((index * 7) % 50), completion_tokens: 5 + ((index * 11) % 90), cached_tokens: index % 3 === 0 ? 8 : 0 }, chunks: 3 });
// The request that takes this answer (streamed or not) is still being answered when the process is killed:
// a whole completion, sent 16 bytes every 100 ms (some 10 s in all).
const slowIndex = 90;
const slowBody = JSON.stringify({
  id: "chatcmpl-slow",
  object: "chat.completion",
  created: 1_767_225_600,
  model: "gpt-4o-mini",
  choices: [{ index: 0, message: { role: "assistant", content: "slow ".repeat(300) }, finish_reason: "stop" }],
  usage: { prompt_tokens: 999, completion_tokens: 999, total_tokens: 1998 },
});
const slow: FakeLlmAnswer = { kind: "raw", headers: { "content-type": "application/json" }, body: slowBody, splitEvery: 16, delayMs: 100 };

/** The call ids of every event left in the spool's segment files. */
function spooledCallIds(directory: string): Set<string> {
  const ids = new Set<string>();
  for (const name of readdirSync(directory).filter((file) => file.endsWith(".ndjson"))) {
    for (const event of readSpoolSegment(join(directory, name)).events) ids.add(String(event.dimensions.call_id));
  }
  return ids;
}

async function storedCallIds(url: string): Promise<Set<string>> {
  return new Set((await storedCalls(url)).map((call) => call.callId));
}

const cases = [
  // Every captured event only in memory and in the spool at the kill: all of it must come back from the spool.
  { name: "no batch stored before the kill", batchSize: 5000 },
  // Batches stored before the kill sit in the spool too (settling is not written there): recovered again, stored once.
  { name: "batches of 8 stored before the kill", batchSize: 8 },
];

describe("SIGKILL mid-traffic with the spool on", () => {
  for (const { name, batchSize } of cases) {
    it(`${name}: a second process recovers the spool; stored totals equal what was served for every captured call`, async () => {
      const server = await createFakeLlmServer();
      server.enqueue(...Array.from({ length: slowIndex }, (_, index) => answer(index)), slow, ...Array.from({ length: 400 }, (_, index) => answer(slowIndex + 1 + index)));
      const spoolDirectory = join(folder, `spool-${batchSize}`);
      const job = { databaseUrl: database.url, spoolDirectory, baseURL: server.baseURL, tenants };
      try {
        const first = startTrafficProcess({ ...job, role: "first", callsPerWorker: null, batchSize });
        if (batchSize < 40) {
          const deadline = Date.now() + 60_000;
          while ((await storedCallIds(database.url)).size < batchSize) {
            if (Date.now() > deadline) throw new Error(`no batch was stored within 60 s; stderr: ${first.stderr()}`);
            await new Promise((resolve) => setTimeout(resolve, 50));
          }
        }
        // Mid-traffic: many calls durable, the slow call under way, and the other workers still calling.
        await first.until(() => first.durable.size >= 40 && server.requests.length > slowIndex + 3, "traffic with the slow call under way", 60_000);
        first.child.kill("SIGKILL");
        expect(await first.exited).toEqual({ code: null, signal: "SIGKILL" });
        expect(first.errors).toEqual([]);

        const storedBefore = await storedCallIds(database.url);
        if (batchSize > 1000) expect(storedBefore).toEqual(new Set());
        else expect(storedBefore.size).toBeGreaterThanOrEqual(batchSize);
        const spooled = spooledCallIds(spoolDirectory);
        // Every call that was durable before the kill is in the spool or already in the database.
        expect([...first.durable].filter((callId) => !spooled.has(callId) && !storedBefore.has(callId))).toEqual([]);
        // The call still being answered was never captured: its response had not been received.
        const slowCall = server.requests[slowIndex]!.headers["x-call-id"]!;
        expect(first.received.has(slowCall)).toBe(false);
        expect(spooled.has(slowCall)).toBe(false);

        const second = startTrafficProcess({ ...job, role: "second", callsPerWorker: 4, batchSize: 8 });
        const exit = await second.exited;
        expect(exit, second.stderr()).toEqual({ code: 0, signal: null });
        // A line the kill cut mid-write is reported on recovery; it was never durable, so nothing durable is lost.
        expect(second.errors.filter((message) => !message.includes("unreadable line"))).toEqual([]);
        expect(second.received.size).toBe(4 * tenants.length);

        const stored = await storedCalls(database.url);
        const storedIds = stored.map((call) => call.callId).sort();
        // Exactly the captured calls of the first process and every call of the second, each once.
        expect(storedIds).toEqual([...new Set([...storedBefore, ...spooled, ...second.received])].sort());
        expect(new Set(stored.map((call) => call.id)).size).toBe(stored.length);
        // Each call stored from the first process had its answer go out whole (its usage was on the wire).
        for (const callId of [...storedBefore, ...spooled]) {
          const index = server.requests.findIndex((request) => request.headers["x-call-id"] === callId);
          expect(server.served[index]?.usage, callId).not.toBeNull();
        }
        const served = await expectStoredAsServed({ url: database.url, server, calls: new Set(storedIds) });
        expect(Object.keys(served).sort()).toEqual(tenants);
        // The spool was reclaimed once everything was stored.
        expect(spooledCallIds(spoolDirectory)).toEqual(new Set());
      } finally {
        await server.close();
      }
    });
  }
});
