import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { PGlite, Transaction } from "@electric-sql/pglite";
import type pg from "pg";
import { from as copyFrom } from "pg-copy-streams";

/** One connection, the same over node-postgres and PGlite: what the raw write paths of the benchmark need. */
export interface SqlSession {
  readonly kind: "node-postgres" | "pglite";
  /** Runs one statement (parameterised when `params` is given) and returns its rows. */
  query<Row = Record<string, unknown>>(text: string, params?: unknown[]): Promise<Row[]>;
  /**
   * Runs `COPY … FROM STDIN` with `chunks` as the data (COPY text format). On PGlite the data goes in
   * as one blob through `/dev/blob`, since PGlite has no COPY sub-protocol.
   */
  copyFrom(statement: string, chunks: Iterable<string>): Promise<void>;
  /** Runs `work` in one transaction (BEGIN … COMMIT, ROLLBACK on error). */
  transaction<T>(work: (session: SqlSession) => Promise<T>): Promise<T>;
}

/** A session on one node-postgres client (not closed by the session). */
export function nodePostgresSession(client: pg.Client | pg.PoolClient): SqlSession {
  const session: SqlSession = {
    kind: "node-postgres",
    async query<Row>(text: string, params?: unknown[]) {
      return (await client.query(text, params)).rows as Row[];
    },
    async copyFrom(statement, chunks) {
      await pipeline(Readable.from(chunks), client.query(copyFrom(statement)));
    },
    async transaction(work) {
      await client.query("BEGIN");
      try {
        const result = await work(session);
        await client.query("COMMIT");
        return result;
      } catch (error) {
        await client.query("ROLLBACK").catch(() => {});
        throw error;
      }
    },
  };
  return session;
}

function pgliteTarget(target: PGlite | Transaction, inTransaction: boolean): SqlSession {
  return {
    kind: "pglite",
    async query<Row>(text: string, params?: unknown[]) {
      return (await target.query<Row>(text, params ?? [])).rows;
    },
    async copyFrom(statement, chunks) {
      const blob = new Blob([...chunks]);
      await target.query(statement.replace(/FROM STDIN/i, "FROM '/dev/blob'"), [], { blob });
    },
    async transaction(work) {
      if (inTransaction) return work(this);
      return (target as PGlite).transaction((transaction) => work(pgliteTarget(transaction, true)));
    },
  };
}

/** A session on a PGlite instance (not closed by the session). */
export function pgliteSession(pglite: PGlite): SqlSession {
  return pgliteTarget(pglite, false);
}
