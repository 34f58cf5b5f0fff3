/** The PostgreSQL server the billing exactly-once tests use: USAGEPILOT_TEST_POSTGRES_URL, else the machine's. */
export const testServerUrl = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.USAGEPILOT_TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

/**
 * A fresh database on the test server; `drop()` removes it, closing stray sessions (killed children).
 * `admin` runs a statement on the server's own database (e.g. through `PostgresStorage.sqlClient()`).
 */
export async function createScratchDatabase(options: { admin: (statement: string) => Promise<unknown>; serverUrl?: string }): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `usagepilot_billing_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 10)}`;
  await options.admin(`CREATE DATABASE ${name}`);
  const url = new URL(options.serverUrl ?? testServerUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      await options.admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}
