// Run by bench-memory.ts as `node --expose-gc dist/bench-memory-child.js <count>…`: meters calls while
// storage is blocked, so every event stays in the BatchWriter, and prints the heap after GC at each count.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fixturesDir } from "@usagepilot/testing";
import { createOpenAIAdapter, type UsageEvent, type UsageStorage, UsagePilot } from "usagepilot";
import type { MemoryChildOutput } from "./bench-memory";

const exposedGc = (globalThis as { gc?: () => void }).gc;
if (exposedGc === undefined) throw new Error("run with node --expose-gc");
const gc: () => void = exposedGc;
const counts = process.argv.slice(2).map(Number);
const baseURL = "https://api.openai.com/v1";

/** A storage whose writes hang while it is blocked, as a database that stopped answering. */
class GatedStorage implements UsageStorage {
  blocked = false;
  stored = 0;
  write(events: readonly UsageEvent[]): Promise<void> {
    if (this.blocked) return new Promise<void>(() => {});
    this.stored += events.length;
    return Promise.resolve();
  }
}

// The recorded answer, served without a network: the heap holds the events and nothing of a connection.
const answer = readFileSync(join(fixturesDir(), "openai/chat-nonstream-gpt-4.1-nano.json"), "utf8");
const upstream = async () => new Response(answer, { headers: { "content-type": "application/json", "x-request-id": "req_memory" } });
const storage = new GatedStorage();
const errors: string[] = [];
// The last event, to show what one holds; the buffer keeps it anyway, so this adds nothing to the heap.
let sample: UsageEvent | undefined;
const usage = new UsagePilot({
  storage,
  providers: [createOpenAIAdapter()],
  // Room for every event of the run: the bound is not what this measures.
  maxBufferSize: Math.max(...counts, 100) + 1000,
  onEvent: (event) => {
    sample = event;
  },
  onError: (error) => errors.push(error instanceof Error ? error.message : String(error)),
});
const meteredFetch = usage.createFetch((request) => ({ organization_id: request.headers.get("x-org-id"), user_id: request.headers.get("x-user-id") }), { fetch: upstream });
const body = JSON.stringify({ model: "gpt-4.1-nano", messages: [{ role: "user", content: "Invent a holiday." }] });

let made = 0;
async function call(): Promise<void> {
  made += 1;
  const response = await meteredFetch(`${baseURL}/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: "Bearer sk-memory", "x-org-id": `org-${made % 200}`, "x-user-id": `user-${made % 10_000}` },
    body,
  });
  await response.json();
}

/** Heap used after full collections; the smallest of three, so a late finaliser does not count. */
async function heapAfterGc(): Promise<number> {
  const readings: number[] = [];
  for (let index = 0; index < 3; index += 1) {
    // Let deferred metering work and timers settle before collecting.
    await new Promise((resolve) => setImmediate(resolve));
    gc();
    gc();
    readings.push(process.memoryUsage().heapUsed);
  }
  return Math.min(...readings);
}

// Warm up with storage open, so code, caches and the price book are loaded before the baseline.
const warmupCalls = 2000;
for (let index = 0; index < warmupCalls; index += 1) await call();
await usage.flush();
storage.blocked = true;

const points: MemoryChildOutput["points"] = [];
const callsBefore = made;
for (const count of counts) {
  while (made - callsBefore < count) await call();
  // Deferred metering records each event a macrotask after its response was read: wait until all are in.
  for (let tries = 0; usage.stats().pending < count && tries < 1000; tries += 1) await new Promise((resolve) => setTimeout(resolve, 1));
  points.push({ events: usage.stats().pending, heapUsed: await heapAfterGc() });
}
const output: MemoryChildOutput = { points, warmupCalls, stored: storage.stored, captured: usage.stats().captured, errors, sample: sample ?? null };
process.stdout.write(JSON.stringify(output));
process.exit(0);
