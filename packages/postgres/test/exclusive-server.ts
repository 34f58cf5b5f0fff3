import { execFile } from "node:child_process";
import { closeSync, openSync, readdirSync, readFileSync, rmSync, statSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { sleep } from "./stored-totals";
import { createTestDatabase, serverUrl } from "./test-database";

/**
 * Restarting the whole PostgreSQL cluster would break any other suite using the server at that moment (vitest
 * runs files in parallel where it has the cores; other people's runs share the machine). A restart therefore
 * happens under a lock file, and only once no other live test database or session is on the server. Suites
 * that create their database with `createGuardedTestDatabase` never start one while the lock is held.
 */
const lockPath = join(tmpdir(), "usagepilot-pg-restart.lock");

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** The pid holding the restart lock, or undefined when it is free (a lock left by a dead process is removed). */
function lockHolder(): number | undefined {
  let text: string;
  try {
    text = readFileSync(lockPath, "utf8");
  } catch {
    return undefined;
  }
  const pid = Number(text.trim());
  if (Number.isInteger(pid) && pid > 0 && isAlive(pid)) return pid;
  // Empty: being written this instant; give it a few seconds before calling it stale.
  if (text.trim() === "" && Date.now() - (statSync(lockPath, { throwIfNoEntry: false })?.mtimeMs ?? 0) < 5000) return -1;
  rmSync(lockPath, { force: true });
  return undefined;
}

async function waitForNoRestart(timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (lockHolder() !== undefined) {
    if (Date.now() > deadline) throw new Error(`The PostgreSQL restart lock ${lockPath} is still held after ${timeoutMs} ms`);
    await sleep(100);
  }
}

/**
 * `createTestDatabase`, but never while another suite is restarting the server: it waits for the restart
 * lock, creates the database, and if a restart began meanwhile it drops it and tries again.
 */
export async function createGuardedTestDatabase(): ReturnType<typeof createTestDatabase> {
  for (;;) {
    await waitForNoRestart(120_000);
    let database: Awaited<ReturnType<typeof createTestDatabase>>;
    try {
      database = await createTestDatabase();
    } catch (error) {
      if (lockHolder() !== undefined) continue; // The server was going down for a restart.
      throw error;
    }
    if (lockHolder() === undefined) return database;
    await database.drop().catch(() => {});
  }
}

/** Test databases of other live processes (the name carries the creating pid), and other client sessions. */
async function otherUsers(admin: pg.Client, ownDatabase: string): Promise<string[]> {
  const databases = await admin.query<{ datname: string }>("SELECT datname FROM pg_database WHERE datname LIKE 'usagepilot\\_test\\_%' AND datname <> $1", [ownDatabase]);
  const live = databases.rows.map((row) => row.datname).filter((name) => isAlive(Number(/^usagepilot_test_(\d+)_/.exec(name)?.[1] ?? 0)));
  const sessions = await admin.query<{ datname: string | null; application_name: string; pid: number }>(
    `SELECT datname, application_name, pid FROM pg_stat_activity
     WHERE backend_type = 'client backend' AND pid <> pg_backend_pid() AND datname IS DISTINCT FROM $1`,
    [ownDatabase],
  );
  return [...live.map((name) => `database ${name}`), ...sessions.rows.map((row) => `session ${row.pid} on ${row.datname ?? "?"}`)];
}

async function acquireLock(timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const handle = openSync(lockPath, "wx");
      writeSync(handle, String(process.pid));
      closeSync(handle);
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    lockHolder(); // removes a stale lock
    if (Date.now() > deadline) throw new Error(`Could not take the PostgreSQL restart lock ${lockPath} within ${timeoutMs} ms`);
    await sleep(100);
  }
}

const runCommand = promisify(execFile);

async function waitUntilQuiet(ownDatabase: string, timeoutMs: number): Promise<void> {
  const admin = new pg.Client({ connectionString: serverUrl });
  admin.on("error", () => {});
  await admin.connect();
  try {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const busy = await otherUsers(admin, ownDatabase);
      if (busy.length === 0) return;
      if (Date.now() > deadline) throw new Error(`Not restarting PostgreSQL: others still use it (${busy.join(", ")})`);
      await sleep(200);
    }
  } finally {
    await admin.end().catch(() => {});
  }
}

async function restartCluster(): Promise<void> {
  const [version] = readdirSync("/etc/postgresql");
  if (!version) throw new Error("No cluster under /etc/postgresql");
  await runCommand("pg_ctlcluster", ["--skip-systemctl-redirect", version, "main", "restart"], { timeout: 60_000 });
  // Back when it answers a query.
  const deadline = Date.now() + 30_000;
  for (;;) {
    const probe = new pg.Client({ connectionString: serverUrl });
    probe.on("error", () => {});
    try {
      await probe.connect();
      await probe.query("SELECT 1");
      await probe.end();
      return;
    } catch (error) {
      await probe.end().catch(() => {});
      if (Date.now() > deadline) throw error;
      await sleep(100);
    }
  }
}

/**
 * Takes the restart lock and waits until nobody but this suite (on `ownDatabase`) uses the server. Then
 * `restart()` restarts the local cluster (`pg_ctlcluster ... restart`, fast shutdown) — after checking once
 * more that the server is still quiet — and resolves when it accepts connections again. `release()` frees
 * the lock; call it in a `finally`.
 */
export async function takeServerExclusively(ownDatabase: string, options: { quietTimeoutMs?: number } = {}): Promise<{ restart(): Promise<void>; release(): void }> {
  if (!serverUrl) throw new Error("USAGEPILOT_TEST_POSTGRES_URL is not set");
  const quietTimeoutMs = options.quietTimeoutMs ?? 90_000;
  await acquireLock(120_000);
  try {
    await waitUntilQuiet(ownDatabase, quietTimeoutMs);
  } catch (error) {
    rmSync(lockPath, { force: true });
    throw error;
  }
  return {
    async restart() {
      await waitUntilQuiet(ownDatabase, quietTimeoutMs);
      await restartCluster();
    },
    release() {
      rmSync(lockPath, { force: true });
    },
  };
}
