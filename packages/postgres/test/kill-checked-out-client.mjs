// A child process for exactly-once.test.ts: makes PostgresStorage wait on an advisory lock while it holds
// a connection checked out of its pool (the partition transaction, or the migration lock), kills that
// backend with pg_terminate_backend, and reports what the storage did. An uncaught "Connection terminated
// unexpectedly" crashes this process, which is what the test looks for.
//
// usage: node kill-checked-out-client.mjs <database url> <"partitions" | "migrations">
import { createTestEvent } from "@usagepilot/core/test";
import pg from "pg";
import { PostgresStorage } from "../dist/index.js";

const [url, scenario] = process.argv.slice(2);
const lockSql = scenario === "migrations" ? "SELECT pg_advisory_lock(1970495847)" : "SELECT pg_advisory_lock(hashtext('usagepilot.events partitions'))";
const unlockSql = "SELECT pg_advisory_unlock_all()";

const holder = new pg.Client({ connectionString: url });
const killer = new pg.Client({ connectionString: url });
holder.on("error", () => {});
killer.on("error", () => {});
await holder.connect();
await killer.connect();
await holder.query(lockSql);

const storage = new PostgresStorage({ connectionString: url });
// A month no other write has touched, so the storage must create its partition (in a transaction).
const event = createTestEvent({ timestamp: new Date(Date.UTC(2031, 4, 5, 6)).toISOString() });
const first = (scenario === "migrations" ? storage.migrate() : storage.write([event])).then(
  () => ({ ok: true }),
  (error) => ({ ok: false, name: error?.name, message: String(error?.message), isRetryable: error?.isRetryable }),
);

// Wait until the storage's backend is blocked on the advisory lock, then kill it.
let killed = 0;
for (let round = 0; round < 500 && killed === 0; round += 1) {
  const { rows } = await killer.query(
    `SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) AS killed FROM pg_stat_activity
     WHERE datname = current_database() AND wait_event_type = 'Lock' AND wait_event = 'advisory' AND pid <> pg_backend_pid()`,
  );
  killed = Number(rows[0].killed);
  if (killed === 0) await new Promise((resolve) => setTimeout(resolve, 10));
}
const outcome = await first;
await holder.query(unlockSql);
// Give the killed connection's "end" time to surface as an uncaught error, if it does.
await new Promise((resolve) => setTimeout(resolve, 300));
// The storage recovers: the same call succeeds once the lock is free.
const second = await (scenario === "migrations" ? storage.migrate() : storage.write([event])).then(
  () => ({ ok: true }),
  (error) => ({ ok: false, message: String(error?.message) }),
);
await storage.close();
await holder.end();
await killer.end();
process.stdout.write(`${JSON.stringify({ killed, first: outcome, second })}\n`);
