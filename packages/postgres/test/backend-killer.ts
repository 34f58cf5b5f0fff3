import pg from "pg";
import { serverUrl } from "./test-database";

/**
 * Terminates every backend connected to one database (`pg_terminate_backend`) over and over, from a
 * connection to the server's admin database, so only that database's sessions are touched. Counts the
 * kills that hit a backend while it was running a statement (mid-write).
 */
export function startBackendKiller(databaseName: string, options: { pauseMs: [number, number] } = { pauseMs: [20, 80] }) {
  const counts = { rounds: 0, killed: 0, killedActive: 0 };
  let running = true;
  const admin = new pg.Client({ connectionString: serverUrl });
  admin.on("error", () => {});
  const loop = (async () => {
    await admin.connect();
    try {
      while (running) {
        const { rows } = await admin.query<{ killed: string; active: string }>(
          `SELECT count(*) FILTER (WHERE killed) AS killed, count(*) FILTER (WHERE killed AND state = 'active') AS active
           FROM (SELECT state, pg_terminate_backend(pid) AS killed FROM pg_stat_activity
                 WHERE datname = $1 AND pid <> pg_backend_pid() AND backend_type = 'client backend') s`,
          [databaseName],
        );
        counts.rounds += 1;
        counts.killed += Number(rows[0]?.killed ?? 0);
        counts.killedActive += Number(rows[0]?.active ?? 0);
        const [low, high] = options.pauseMs;
        await new Promise((resolve) => setTimeout(resolve, low + Math.random() * (high - low)));
      }
    } finally {
      await admin.end().catch(() => {});
    }
  })();
  return {
    counts,
    async stop(): Promise<void> {
      running = false;
      await loop;
    },
  };
}
