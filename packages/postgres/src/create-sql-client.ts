import { type SQL, sql } from "drizzle-orm";
import type { PostgresDriver } from "./driver/postgres-driver";

/** Runs one statement with `$1, $2, ...` placeholders and returns its rows. */
export type PostgresSqlQuery = <Row = Record<string, unknown>>(text: string, params?: readonly unknown[]) => Promise<Row[]>;

/** Plain-SQL access to the storage's database, for add-ons that keep tables beside the events (billing sync). */
export interface PostgresSqlClient {
  query: PostgresSqlQuery;
  /** Runs `work` in one transaction on one connection. */
  transaction<T>(work: (query: PostgresSqlQuery) => Promise<T>): Promise<T>;
}

/** `$n` placeholders become drizzle parameters, so values are always sent apart from the SQL text. */
function toSql(text: string, params: readonly unknown[]): SQL {
  const parts = text.split(/\$(\d+)/);
  const chunks: SQL[] = [];
  parts.forEach((part, index) => {
    if (index % 2 === 0) {
      if (part) chunks.push(sql.raw(part));
      return;
    }
    const position = Number(part) - 1;
    if (position < 0 || position >= params.length) throw new RangeError(`The statement uses $${part} but ${params.length} parameter(s) were given`);
    // sql.param keeps an array one parameter (a template would spread it into a tuple).
    chunks.push(sql`${sql.param(params[position])}`);
  });
  return sql.join(chunks);
}

/** The driver's `execute` and `transaction` behind `$n` SQL text. */
export function createSqlClient(driver: PostgresDriver): PostgresSqlClient {
  return {
    query: (text, params = []) => driver.execute(toSql(text, params)),
    transaction: (work) => driver.transaction((execute) => work((text, params = []) => execute(toSql(text, params)))),
  };
}
