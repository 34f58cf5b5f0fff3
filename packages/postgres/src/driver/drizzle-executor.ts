import type { SQL } from "drizzle-orm";
import type { PostgresDriver } from "./postgres-driver";

interface Executes {
  execute(query: SQL): Promise<{ rows: unknown[] }>;
}

interface DrizzleDatabase extends Executes {
  transaction<T>(work: (transaction: Executes) => Promise<T>): Promise<T>;
}

/** `execute` and `transaction` over any drizzle Postgres database (node-postgres and PGlite alike). */
export function createDrizzleExecutor(db: DrizzleDatabase): Pick<PostgresDriver, "execute" | "transaction"> {
  const run = async <Row>(target: Executes, query: SQL) => (await target.execute(query)).rows as Row[];
  return {
    execute: (query) => run(db, query),
    transaction: (work) => db.transaction((transaction) => work((query) => run(transaction, query))),
  };
}
