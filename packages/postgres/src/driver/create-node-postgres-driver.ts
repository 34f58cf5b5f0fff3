import { drizzle } from "drizzle-orm/node-postgres";
import { migrate } from "drizzle-orm/node-postgres/migrator";
import type { Pool, PoolClient } from "pg";
import { migrationLockKey, migrationsSchema, migrationsTable } from "../migration-settings";
import { createDrizzleExecutor } from "./drizzle-executor";
import { importDriver } from "./import-driver";
import type { PostgresDriver } from "./postgres-driver";

/** A driver over a node-postgres pool: given, or made from a connection string (then closed with the driver). */
export async function createNodePostgresDriver(options: { pool?: Pool; connectionString?: string; max?: number }): Promise<PostgresDriver> {
  let pool = options.pool;
  const owned = pool === undefined;
  if (!pool) {
    const pg = await importDriver("pg", () => import("pg"), "to connect to a PostgreSQL server");
    const PoolConstructor = pg.default?.Pool ?? (pg as unknown as { Pool: typeof import("pg").Pool }).Pool;
    pool = new PoolConstructor({ connectionString: options.connectionString, max: options.max ?? 4 });
    // An idle client that loses its server (a restart, pg_terminate_backend) must not crash the process.
    pool.on("error", () => {});
  }
  const db = drizzle(pool);
  return {
    kind: "node-postgres",
    ...createDrizzleExecutor(db as unknown as Parameters<typeof createDrizzleExecutor>[0]),
    async migrate(migrationsFolder) {
      const client: PoolClient = await pool.connect();
      try {
        // A session lock on a dedicated connection: the second instance waits, then finds nothing to do.
        await client.query("SELECT pg_advisory_lock($1)", [migrationLockKey]);
        try {
          await migrate(drizzle(client), { migrationsFolder, migrationsSchema, migrationsTable });
        } finally {
          await client.query("SELECT pg_advisory_unlock($1)", [migrationLockKey]);
        }
      } finally {
        client.release();
      }
    },
    async close() {
      if (owned) await pool.end();
    },
  };
}
