// A child process for sigkill-spool.test.ts: one app instance metering the official OpenAI SDK through the
// BUILT packages, with PostgresStorage and the file spool, as a user would run it. Several workers call the
// fake LLM server in a loop and report on stdout, one line each (writes to a pipe are synchronous on Linux,
// so a line printed before a SIGKILL reaches the parent):
//   received <call id>  the SDK handed the whole answer to the caller
//   durable <call id>   the call's event is in the spool and a sync completed after it
//   error <message>     a background problem reported through onError
//   done                (second role) every call finished and shutdown() completed
//
// usage: node spool-traffic.mjs <job-json>
//   job: { databaseUrl, spoolDirectory, baseURL, tenants: string[], callsPerWorker: number | null, batchSize }
import { createFileSpool } from "@usagepilot/node";
import OpenAI from "openai";
import { createOpenAIAdapter, UsagePilot } from "usagepilot";
import { PostgresStorage } from "usagepilot/postgres";

const job = JSON.parse(process.argv[2]);
const say = (line) => process.stdout.write(`${line}\n`);
const report = (error) => say(`error ${JSON.stringify(String(error?.message ?? error))}`);

const spool = createFileSpool({ directory: job.spoolDirectory, syncIntervalMs: 20, onError: report });
const usage = new UsagePilot({
  storage: new PostgresStorage({ connectionString: job.databaseUrl, maxConnections: 2 }),
  spool,
  providers: [createOpenAIAdapter({ baseURLs: [{ baseURL: job.baseURL, provider: "openai" }] })],
  batchSize: job.batchSize,
  maxBufferSize: Math.max(10_000, job.batchSize),
  // Nothing is written on a timer: only full batches (and shutdown) reach the database.
  flushInterval: 600_000,
  onError: report,
  // The spool takes the event as it is recorded; a sync that starts after this turn makes it durable.
  onEvent: (event) => setImmediate(() => void spool.sync().then(() => say(`durable ${event.dimensions.call_id}`))),
});
const fetchWithUsage = usage.createFetch((request) => ({ tenant_id: request.headers.get("x-tenant-id"), call_id: request.headers.get("x-call-id") }));
const openai = new OpenAI({ apiKey: "sk-test", baseURL: job.baseURL, fetch: fetchWithUsage, maxRetries: 0 });

async function worker(tenant) {
  for (let index = 0; job.callsPerWorker === null || index < job.callsPerWorker; index += 1) {
    const callId = `${job.role}-${tenant}-${index}`;
    const headers = { "x-tenant-id": tenant, "x-call-id": callId };
    const body = { model: "gpt-4o-mini", messages: [{ role: "user", content: `Call ${index} for ${tenant}` }] };
    if (index % 2 === 0) {
      await openai.chat.completions.create(body, { headers });
    } else {
      for await (const _chunk of await openai.chat.completions.create({ ...body, stream: true }, { headers })) void _chunk;
    }
    say(`received ${callId}`);
  }
}

await Promise.all(job.tenants.map((tenant) => worker(tenant)));
await usage.shutdown({ timeoutMs: 30_000 });
say("done");
// The process ends on its own once the spool's last files are deleted; a stray handle must not hang the test.
setTimeout(() => process.exit(0), 5_000).unref();
