// A child process for concurrency.test.ts: rebuilds the same deterministic event set as the test
// (conformanceEvents with the test's seed, ids from the job file), and writes one slice of it through its
// own PostgresStorage (the BUILT package) and BatchWriter. Prints its writer's counters as JSON.
//
// usage: node concurrent-writer.mjs <job.json>
//   job: { url, seed, ids: string[], start, end, order: "forward" | "reverse" | "shuffled", batchSize, startAt }
import { readFileSync } from "node:fs";
import { BatchWriter } from "@usagepilot/core";
import { conformanceEvents } from "@usagepilot/core/test";
import { PostgresStorage } from "../dist/index.js";

const job = JSON.parse(readFileSync(process.argv[2], "utf8"));
const events = conformanceEvents(job.ids.length, job.seed).map((event, index) => ({ ...event, id: job.ids[index] }));
let slice = events.slice(job.start, job.end);
if (job.order === "reverse") slice.reverse();
if (job.order === "shuffled") {
  // A seeded shuffle, so a failing run can be replayed.
  let state = job.seed;
  const next = () => (state = (state * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
  slice = slice.map((event) => ({ event, key: next() })).sort((a, b) => a.key - b.key).map(({ event }) => event);
}

const storage = new PostgresStorage({ connectionString: job.url });
const errors = [];
const writer = new BatchWriter({ storage, batchSize: job.batchSize, flushInterval: 5, retryBaseDelayMs: 10, retryMaxDelayMs: 200, onError: (error) => errors.push(String(error?.message ?? error)) });

// Every process starts writing at the same instant, so the writes really overlap.
await new Promise((resolve) => setTimeout(resolve, Math.max(0, job.startAt - Date.now())));
for (const event of slice) writer.add(event);
await writer.flush();
await storage.close();
process.stdout.write(`${JSON.stringify({ ...writer.stats, errors })}\n`);
