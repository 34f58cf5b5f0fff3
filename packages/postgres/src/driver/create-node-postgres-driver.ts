import { drizzle } from "drizzle-orm/node-postgres";
import { migrate } from "drizzle-orm/node-postgres/migrator";
import type { Pool, PoolClient } from "pg";
import { migrationLockKey, migrationsSchema, migrationsTable } from "../migration-settings";
import { createDrizzleExecutor } from "./drizzle-executor";
import { importDriver } from "./import-driver";
import type { PostgresDriver } from "./postgres-driver";

// A connection that dies (a server restart, pg_terminate_backend) emits "error"; without a listener
// that would crash the process. The query in flight fails on its own and the write is retried.
const ignoreConnectionError = () => {};

/** A driver over a node-postgres pool: given, or made from a connection string (then closed with the driver). */
export async function createNodePostgresDriver(options: { pool?: Pool; connectionString?: string; max?: number }): Promise<PostgresDriver> {
  let pool = options.pool;
  const owned = pool === undefined;
  if (!pool) {
    const pg = await importDriver("pg", () => import("pg"), "to connect to a PostgreSQL server");
    const PoolConstructor = pg.default?.Pool ?? (pg as unknown as { Pool: typeof import("pg").Pool }).Pool;
    pool = new PoolConstructor({ connectionString: options.connectionString, max: options.max ?? 4 });
  }
  pool.on("error", ignoreConnectionError);
  pool.on("connect", (client) => client.on("error", ignoreConnectionError));
  const db = drizzle(pool);
  return {
    kind: "node-postgres",
    execute: createDrizzleExecutor(db as unknown as Parameters<typeof createDrizzleExecutor>[0]).execute,
    async transaction(work) {
      // BEGIN/COMMIT by hand on one client: when the connection dies, the error that surfaces is the
      // real one, not the failed ROLLBACK's, and a broken client is not returned to the pool.
      const client = await pool.connect();
      const execute = createDrizzleExecutor(drizzle(client) as unknown as Parameters<typeof createDrizzleExecutor>[0]).execute;
      let broken: Error | undefined;
      try {
        await client.query("BEGIN");
        const result = await work(execute);
        await client.query("COMMIT");
        return result;
      } catch (error) {
        await client.query("ROLLBACK").catch((rollbackError: Error) => {
          broken = rollbackError;
        });
        throw error;
      } finally {
        client.release(broken);
      }
    },
    async migrate(migrationsFolder) {
      const client: PoolClient = await pool.connect();
      let broken: Error | undefined;
      try {
        // A session lock on a dedicated connection: the second instance waits, then finds nothing to do.
        await client.query("SELECT pg_advisory_lock($1)", [migrationLockKey]);
        try {
          await migrate(drizzle(client), { migrationsFolder, migrationsSchema, migrationsTable });
        } finally {
          await client.query("SELECT pg_advisory_unlock($1)", [migrationLockKey]).catch((error: Error) => {
            broken = error;
          });
        }
      } finally {
        client.release(broken);
      }
    },
    async close() {
      if (owned) await pool.end();
    },
  };
}

