/** Runs one parameterised statement ($1, $2, ...) and returns its rows. */
export type SqlQuery = <Row = Record<string, unknown>>(text: string, params?: readonly unknown[]) => Promise<Row[]>;

/**
 * The little the billing sync needs from the database the usage events live in: statements, and
 * transactions on one connection. `PostgresStorage.sqlClient()` provides it over PGlite and node-postgres.
 */
export interface SqlClient {
  query: SqlQuery;
  transaction<T>(work: (query: SqlQuery) => Promise<T>): Promise<T>;
}
