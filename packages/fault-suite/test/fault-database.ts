import { existsSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PostgresStorage } from "usagepilot/postgres";
import { afterAll, beforeAll, beforeEach } from "vitest";
import { withClient } from "../../postgres/test/stored-totals";

/**
 * The machine's PostgreSQL, as `pnpm test` sets it. Without a server every scenario fails at `beforeAll`:
 * a fault suite that skips when the database is missing would look green while proving nothing.
 */
export const serverUrl = process.env.USAGEPILOT_TEST_POSTGRES_URL || "postgres://postgres@127.0.0.1:5432/postgres";

// The postgres package's restart suite restarts the whole cluster under this lock (packages/postgres/test/
// exclusive-server.ts); a database is only made while nobody holds it, and it counts as a user it waits for.
const restartLock = join(tmpdir(), "usagepilot-pg-restart.lock");

function restartInProgress(): boolean {
  if (!existsSync(restartLock)) return false;
  const pid = Number(readFileSync(restartLock, "utf8").trim());
  if (!Number.isInteger(pid) || pid <= 0) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** The database of one test file: `url` to connect, `name` for admin queries. */
export interface FaultDatabase {
  readonly url: string;
  readonly name: string;
}

/**
 * A fresh, migrated database on the test server for one test file, emptied before each test and
 * dropped after the file. Its name carries this pid (`usagepilot_test_<pid>_…`), which is how the restart
 * suite tells a live user from a leftover. Read `.url` inside tests and hooks, not at import time.
 */
export function useFaultDatabase(): FaultDatabase {
  let made: FaultDatabase | undefined;
  beforeAll(async () => {
    const deadline = Date.now() + 120_000;
    while (restartInProgress()) {
      if (Date.now() > deadline) throw new Error(`The PostgreSQL restart lock ${restartLock} is still held after 120 s`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const name = `usagepilot_test_${process.pid}_faults_${Math.random().toString(36).slice(2, 10)}`;
    await withClient(serverUrl, (client) => client.query(`CREATE DATABASE ${name}`));
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    made = { url: url.toString(), name };
    const storage = new PostgresStorage({ connectionString: made.url });
    await storage.migrate();
    await storage.close();
  }, 150_000);
  afterAll(async () => {
    if (made) await withClient(serverUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${made!.name} WITH (FORCE)`));
  });
  beforeEach(async () => {
    if (made) await withClient(made.url, (client) => client.query("TRUNCATE usagepilot.events, usagepilot.rollups_hourly, usagepilot.rollup_units_hourly"));
  });
  const database = () => {
    if (!made) throw new Error("the fault database is made in beforeAll; read it inside a test");
    return made;
  };
  return {
    get url() {
      return database().url;
    },
    get name() {
      return database().name;
    },
  };
}
