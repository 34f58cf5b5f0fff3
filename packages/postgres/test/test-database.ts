import pg from "pg";

/**
 * The server the real-Postgres tests use. `pnpm test` points it at the machine's PostgreSQL; CI requires
 * it. Without it (a bare `vitest run` elsewhere) the real-server suites are not registered at all.
 */
export const serverUrl = process.env.USAGEPILOT_TEST_POSTGRES_URL;

/** A fresh database on the test server for one suite; `drop()` removes it (closing stray sessions). */
export async function createTestDatabase(): Promise<{ url: string; name: string; drop(): Promise<void> }> {
  if (!serverUrl) throw new Error("USAGEPILOT_TEST_POSTGRES_URL is not set");
  const name = `usagepilot_test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    async drop() {
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}
