import type { SQL } from "drizzle-orm";

/** The little a storage needs from a Postgres connection, the same over node-postgres and PGlite. */
export interface PostgresDriver {
  readonly kind: "node-postgres" | "pglite";
  /** Runs one parameterised statement and returns its rows. */
  execute<Row = Record<string, unknown>>(query: SQL): Promise<Row[]>;
  /** Runs `work` in one transaction on one connection. */
  transaction<T>(work: (execute: <Row = Record<string, unknown>>(query: SQL) => Promise<Row[]>) => Promise<T>): Promise<T>;
  /** Applies the shipped migrations, once, even when several instances start together. */
  migrate(migrationsFolder: string): Promise<void>;
  close(): Promise<void>;
}
